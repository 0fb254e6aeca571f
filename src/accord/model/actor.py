"""Actors (the parties) and their positions on issues."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from accord.model.source import Estimate, Strict, as_estimate


class Actor(Strict):
    """A party to the negotiation.

    ``capability`` (relative influence, ≥ 0) and ``batna`` (the value of no
    agreement on the 0–1 utility scale) are estimates: each carries its reasoning.
    ``curvature`` (> 0, default 1) bends the actor's utility of an option at distance
    ``d`` (0–1) from its ideal: ``u = 1 − d^curvature`` — 1 is linear; it is an
    estimate too, usually fitted to the actor's decisions (``accord calibrate``).
    ``party: false`` marks a stakeholder whose agreement is not required by default.

    The actor's names, for ``accord extract`` (each matched as written; a
    lower-case one also capitalised): ``aliases`` are places, institutions
    and metonyms (Moscow, the Kremlin); ``people`` the names of those who speak
    for it (Vladimir Putin, Putin), reported as a claim's speaker; ``titles``
    offices and groups that speak for it when no name is given (Russian
    president, Kremlin officials); ``demonyms`` its adjectives (Russian), which
    name it before a head noun ("the Russian side", "the Russian draft").

    >>> a = Actor(id="russia", name="Russia", aliases=["Putin", "Kremlin"],
    ...           capability=0.3, batna=0.5)
    >>> a.capability.value, a.party
    (0.3, True)
    """

    id: str
    name: str
    kind: Literal["state", "bloc", "alliance", "organisation", "person"] = "state"
    aliases: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capability: Estimate
    batna: Estimate
    curvature: Estimate = Field(default_factory=lambda: Estimate(value=1.0, estimate="linear (the default)"))
    party: bool = True
    sources: tuple[str, ...] = ()
    note: str = ""

    _as_estimate = field_validator("capability", "batna", "curvature", mode="before")(as_estimate)

    @field_validator("curvature")
    @classmethod
    def _curvature(cls, v: Estimate) -> Estimate:
        if v.value <= 0 or (v.low is not None and v.low <= 0):
            raise ValueError("curvature must be > 0 (1 is linear)")
        return v

    @field_validator("aliases", "people", "titles", "demonyms")
    @classmethod
    def _names(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for name in v:
            if len(name.strip()) < 2:
                raise ValueError(f"name {name!r} is too short; expected at least two characters")
        return v

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the extractor matches for this actor: aliases, people, titles.

        >>> Actor(id="a", name="Alpha", aliases=["the capital"], people=["Ann Smith"], titles=["Alpha's envoy"],
        ...       capability=0.3, batna=0.5).names
        ('the capital', 'Ann Smith', "Alpha's envoy")
        """
        return (*self.aliases, *self.people, *self.titles)

    @field_validator("capability")
    @classmethod
    def _capability(cls, v: Estimate) -> Estimate:
        if v.value < 0 or (v.low or 0) < 0:
            raise ValueError("capability must be >= 0")
        return v

    @field_validator("batna")
    @classmethod
    def _batna(cls, v: Estimate) -> Estimate:
        for name in ("value", "low", "high"):
            x = getattr(v, name)
            if x is not None and not 0 <= x <= 1:
                raise ValueError(f"batna {name} {x} must lie in [0, 1] (it is a utility)")
        return v


class Position(Strict):
    """An actor's stance on one issue — one dated state of it.

    - ``since``: the day this state takes effect (None: an undated snapshot,
      in effect at every date); a position's history is a list of states,
      oldest first, and a view of the case as of a date takes the latest state
      whose ``since`` is on or before it;
    - ``ideal``: the option it wants most;
    - ``acceptable``: other options it has said it can live with as they are;
    - ``red_line``: options it has said it will not accept;
    - ``firmness``: an estimate of the probability that the red line holds
      (within a scenario's horizon); None means it is treated as certain;
    - ``salience``: the issue's weight for this actor (an estimate; an actor's
      saliences sum to 1);
    - ``utility``: optional explicit utility per option in [0, 1]; by default
      ``1 - |axis(option) - axis(ideal)| / 100``;
    - ``axis_low``/``axis_high``: optional uncertainty of the ideal on the axis,
      for the forecast's Monte Carlo;
    - ``inferred``: true when the move to this state is accord's reading of the
      record rather than a stated change (``note`` then says why).

    >>> p = Position(actor="ukraine", issue="nato_membership", ideal="open", since="2025-11-20",
    ...              salience=0.05, red_line=["constitutional-ban"], sources=["s1"])
    >>> p.salience.value, p.since.isoformat(), p.firmness is None
    (0.05, '2025-11-20', True)
    """

    actor: str
    issue: str
    since: dt.date | None = None
    ideal: str
    salience: Estimate
    acceptable: tuple[str, ...] = ()
    red_line: tuple[str, ...] = ()
    firmness: Estimate | None = None
    utility: dict[str, float] | None = None
    axis_low: float | None = Field(None, ge=0, le=100)
    axis_high: float | None = Field(None, ge=0, le=100)
    sources: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    note: str = ""
    inferred: bool = False

    _as_estimate = field_validator("salience", "firmness", mode="before")(as_estimate)

    @field_validator("firmness")
    @classmethod
    def _firmness(cls, v: Estimate | None) -> Estimate | None:
        for name in ("value", "low", "high"):
            x = None if v is None else getattr(v, name)
            if x is not None and not 0 <= x <= 1:
                raise ValueError(f"firmness {name} {x} must lie in [0, 1] (it is a probability)")
        return v

    @field_validator("salience")
    @classmethod
    def _salience(cls, v: Estimate) -> Estimate:
        if v.value < 0 or (v.low or 0) < 0:
            raise ValueError("salience must be >= 0")
        return v

    @model_validator(mode="after")
    def _check(self) -> Position:
        if self.ideal in self.red_line:
            raise ValueError(f"red_line contains the actor's own ideal '{self.ideal}'")
        if self.firmness is not None and not self.red_line:
            raise ValueError("firmness is the probability a red line holds; this position has no red_line")
        if self.inferred and not self.note.strip():
            raise ValueError("an inferred state needs a note saying what it is inferred from")
        both = sorted(set(self.acceptable) & set(self.red_line))
        if both:
            raise ValueError(f"options {both} are both acceptable and on the red line")
        if (self.axis_low is None) != (self.axis_high is None):
            raise ValueError("give both axis_low and axis_high, or neither")
        if self.axis_low is not None and self.axis_high is not None and self.axis_low > self.axis_high:
            raise ValueError(f"range min {self.axis_low} > max {self.axis_high}; expected axis_low <= axis_high")
        for o, u in (self.utility or {}).items():
            if not 0 <= u <= 1:
                raise ValueError(f"utility of '{o}' is {u}; expected a number in [0, 1]")
        return self

    @property
    def holds(self) -> float:
        """The probability that the red line holds: its firmness, 1.0 when none is given."""
        return 1.0 if self.firmness is None else self.firmness.value

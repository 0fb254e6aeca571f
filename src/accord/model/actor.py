"""Actors (the parties) and their positions on issues."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from accord.model.source import Estimate, Strict, as_estimate


class Actor(Strict):
    """A party to the negotiation.

    ``capability`` (relative influence, ≥ 0) and ``batna`` (the value of no
    agreement on the 0–1 utility scale) are estimates: each carries its reasoning.
    ``party: false`` marks a stakeholder whose agreement is not required by default.

    >>> a = Actor(id="russia", name="Russia", aliases=["Putin", "Kremlin"],
    ...           capability=0.3, batna=0.5)
    >>> a.capability.value, a.party
    (0.3, True)
    """

    id: str
    name: str
    kind: Literal["state", "bloc", "alliance", "organisation", "person"] = "state"
    aliases: tuple[str, ...] = ()
    capability: Estimate
    batna: Estimate
    party: bool = True
    sources: tuple[str, ...] = ()
    note: str = ""

    _as_estimate = field_validator("capability", "batna", mode="before")(as_estimate)

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
    """An actor's stance on one issue.

    - ``ideal``: the option it wants most;
    - ``acceptable``: other options it has said it can live with as they are;
    - ``red_line``: options it has said it will not accept;
    - ``salience``: the issue's weight for this actor (an estimate; an actor's
      saliences sum to 1);
    - ``utility``: optional explicit utility per option in [0, 1]; by default
      ``1 - |axis(option) - axis(ideal)| / 100``;
    - ``axis_low``/``axis_high``: optional uncertainty of the ideal on the axis,
      for the forecast's Monte Carlo.

    >>> p = Position(actor="ukraine", issue="nato_membership", ideal="open",
    ...              salience=0.05, red_line=["constitutional-ban"], sources=["s1"])
    >>> p.salience.value
    0.05
    """

    actor: str
    issue: str
    ideal: str
    salience: Estimate
    acceptable: tuple[str, ...] = ()
    red_line: tuple[str, ...] = ()
    utility: dict[str, float] | None = None
    axis_low: float | None = Field(None, ge=0, le=100)
    axis_high: float | None = Field(None, ge=0, le=100)
    sources: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()
    note: str = ""

    _as_estimate = field_validator("salience", mode="before")(as_estimate)

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

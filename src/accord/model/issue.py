"""Issues (the dimensions negotiated) and their options on a 0–100 axis."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from accord.model.source import Strict


class Option(Strict):
    """One value an issue can take, placed on the issue's 0–100 axis.

    Axis 0 is the pole of the case's ``axis.low`` actor (Ukraine in the bundled
    case), 100 the pole of ``axis.high`` (Russia).

    >>> Option(id="600k", label="600,000 cap", axis=50, value=600000).axis
    50.0
    """

    id: str
    label: str
    axis: float = Field(ge=0, le=100)
    value: float | None = None
    description: str = ""


class Issue(Strict):
    """One dimension being negotiated.

    ``kind: choice`` lists its options pole to pole; ``kind: scale`` is a number
    with a ``unit`` and bounds ``low``/``high`` (the values at axis 0 and 100 —
    ``low`` may be the larger number) and the candidate ``points`` offered as
    options (default: five evenly spaced).

    The issue's words, for ``accord extract``: ``keywords`` name it (the
    extractor and its keyword baseline read them, and the embedding prototype);
    ``phrasings`` are further ways news words it ("army cap", "troop
    ceiling"); ``ambiguous`` lists those of either that name it only when a
    clear keyword of the same issue is near ("land", "cap"). ``ban: true`` says
    the plans' provision on it forbids something (no foreign troops): rejecting
    the forbidden thing agrees with the provision, wanting it opposes it.
    ``on_signing: true`` says the plans start it with the settlement (a
    ceasefire on signing): refusing it "before a settlement" agrees with them.
    ``destination_of`` names issues whose money or goods may go *to* this one
    ("frozen assets into reconstruction"): there it is where they go, not a topic.

    >>> i = Issue(id="days", name="Days to elections", kind="scale", unit="days",
    ...           low=365, high=0, points=[365, 100, 0], status_quo="365")
    >>> [(o.id, o.axis) for o in i.options]
    [('365', 0.0), ('100', 72.6027397260274), ('0', 100.0)]
    """

    id: str
    name: str
    description: str = ""
    kind: Literal["choice", "scale"] = "choice"
    options: tuple[Option, ...] = ()
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    points: tuple[float, ...] | None = None
    status_quo: str = Field(description="option that holds with no agreement, or where a plan is silent")
    keywords: tuple[str, ...] = ()
    phrasings: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    ban: bool = False
    on_signing: bool = False
    destination_of: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _scale_options(cls, data: object) -> object:
        if not isinstance(data, dict) or data.get("kind") != "scale" or data.get("options"):
            return data
        low, high = data.get("low"), data.get("high")
        if not isinstance(low, int | float) or not isinstance(high, int | float) or low == high:
            return data  # the after-validator reports it
        given = data.get("points")
        if given is not None and not (isinstance(given, list | tuple)
                                      and all(isinstance(p, int | float) and not isinstance(p, bool) for p in given)):
            return data  # not a list of numbers: field validation reports it
        points = given or [low + (high - low) * k / 4 for k in range(5)]
        opts = [
            {
                "id": _fmt(p),
                "label": f"{_fmt(p)} {data.get('unit') or ''}".strip(),
                "axis": 100 * (float(p) - low) / (high - low) + 0.0,  # never -0.0
                "value": float(p),
            }
            for p in points
        ]
        return {**data, "options": opts, "points": points}

    @model_validator(mode="after")
    def _check(self) -> Issue:
        if self.kind == "scale":
            if self.low is None or self.high is None or self.low == self.high:
                raise ValueError("a scale issue needs distinct numbers low and high (the values at axis 0 and 100)")
            lo, hi = sorted((self.low, self.high))
            for p in self.points or ():
                if not lo <= p <= hi:
                    raise ValueError(f"point {p} lies outside [{lo}, {hi}]")
        if len(self.options) < 2:
            raise ValueError("an issue needs at least two options")
        ids = [o.id for o in self.options]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate option id(s) {dup}; option ids must be unique within an issue")
        axes = [o.axis for o in self.options]
        if self.kind == "choice" and axes != sorted(axes):
            raise ValueError("options must be listed pole to pole: axis values in ascending order")
        if self.status_quo not in ids:
            raise ValueError(f"status_quo '{self.status_quo}' is not one of the options {ids}")
        words = (*self.keywords, *self.phrasings, *self.ambiguous)
        blank = [w for w in words if not any(c.isalnum() for c in w)]
        if blank:
            raise ValueError(f"keyword {blank[0]!r} has no letter or digit; expected words such as 'army cap'")
        known = {_stem(w) for w in (*self.keywords, *self.phrasings)}
        loose = [w for w in self.ambiguous if _stem(w) not in known]
        if loose:
            raise ValueError(f"ambiguous word(s) {loose} are not among the issue's keywords or phrasings")
        return self

    def words(self) -> tuple[str, ...]:
        """Everything the extractor matches for this issue: keywords, then phrasings.

        >>> Issue(id="x", name="X", status_quo="a", options=[{"id": "a", "label": "a", "axis": 0},
        ...       {"id": "b", "label": "b", "axis": 100}], keywords=["army cap"], phrasings=["troop ceiling"]).words()
        ('army cap', 'troop ceiling')
        """
        return (*self.keywords, *self.phrasings)

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(f"issue '{self.id}' has no option '{option_id}'")

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def axis(self, option_id: str) -> float:
        return self.option(option_id).axis


def _stem(word: str) -> str:
    """A keyword compared loosely: lower case, trailing "s" dropped ("Caps" = "cap")."""
    return word.strip().lower().rstrip("s")


def _fmt(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else str(int(x))

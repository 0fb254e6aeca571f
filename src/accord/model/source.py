"""Where facts come from, and numbers that are estimates rather than facts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Reliability = Literal["high", "medium", "low", "partisan"]


class Strict(BaseModel):
    """Base for every domain type: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A document a fact rests on: URL, publication date, publisher and, where it exists, a short quote.

    ``date`` is the day it was published: a dated position state may cite only
    sources published by its ``since`` date. ``undated: true`` says the date
    could not be established (the loader counts such sources); a source is
    either dated or marked undated.

    >>> Source(id="s1", url="https://example.org/a", date="2025-11-21", publisher="Example").date
    datetime.date(2025, 11, 21)
    """

    id: str
    url: str
    date: dt.date | None = None
    undated: bool = Field(False, description="true when the publication date could not be established")
    publisher: str = ""
    title: str = ""
    quote: str = Field("", max_length=400, description="a short attributed quote, never a whole passage")
    note: str = ""
    reliability: Reliability = "medium"

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("expected an http(s) URL")
        return v

    @model_validator(mode="after")
    def _dated(self) -> Source:
        if self.undated and self.date is not None:
            raise ValueError(f"a source with a date ({self.date}) cannot be marked undated")
        return self


class Estimate(Strict):
    """A number nobody stated: its value, an optional range, and the reasoning behind it.

    ``low``/``high`` bound the uncertainty the forecast draws from (uniform, or
    triangular around ``value`` when ``dist`` says so).

    >>> Estimate(value=0.4, low=0.3, high=0.5, estimate="second-largest military").spread
    0.2
    """

    value: float
    low: float | None = None
    high: float | None = None
    dist: Literal["uniform", "triangular"] = "triangular"
    estimate: str = Field("", description="one line of reasoning: why this number")

    @model_validator(mode="after")
    def _range(self) -> Estimate:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and self.high is not None:
            if self.low > self.high:
                raise ValueError(f"range min {self.low} > max {self.high}; expected low <= high")
            if not self.low <= self.value <= self.high:
                raise ValueError(
                    f"value {self.value} lies outside its range [{self.low}, {self.high}]"
                )
        return self

    @property
    def spread(self) -> float:
        """Width of the range (0 when the estimate is a point)."""
        if self.low is None or self.high is None:
            return 0.0
        return round(self.high - self.low, 12)

    @classmethod
    def point(cls, value: float, reasoning: str = "") -> Estimate:
        return cls(value=value, estimate=reasoning)

    def scaled(self, factor: float, why: str = "") -> Estimate:
        """The estimate times ``factor`` (range too), its reasoning extended by ``why``.

        >>> Estimate(value=0.2, low=0.1, high=0.3, estimate="core").scaled(2, "renormalised").value
        0.4
        """
        if factor == 1.0:
            return self
        low = None if self.low is None else self.low * factor
        high = None if self.high is None else self.high * factor
        text = f"{self.estimate} ({why})" if why and self.estimate else (why or self.estimate)
        return Estimate(value=self.value * factor, low=low, high=high, dist=self.dist, estimate=text)


def as_estimate(v: object) -> object:
    """Let YAML write ``salience: 0.2`` as shorthand for ``{value: 0.2}``."""
    if isinstance(v, int | float) and not isinstance(v, bool):
        return {"value": float(v)}
    return v

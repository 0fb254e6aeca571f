"""Claims: one extracted statement of who holds which stance on what."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from accord.model.source import Strict

Stance = Literal["support", "conditional", "oppose"]
Basis = Literal["stated", "reported", "assessed"]
PLAN = "plan"  # the issue id of a stance on the plan as a whole


class Quantity(Strict):
    """A number with its unit, linked to an issue when we can tell which.

    >>> Quantity(value=600000, unit="troops", text="600,000 troops", issue="military_limits").value
    600000.0
    """

    value: float
    unit: str = ""
    text: str
    issue: str | None = None
    start: int | None = None
    end: int | None = None


class Claim(Strict):
    """One stance held by one actor on one issue (or on the ``plan`` as a whole).

    Every claim points back at the sentence it came from: ``doc`` and the
    character span ``start``/``end`` in that document's text.

    >>> c = Claim(doc="003", holder="russia", issue="plan", stance="support",
    ...           basis="stated", text="Putin said the plan could lay the foundation.")
    >>> c.key
    ('003', 'russia', 'plan', 'support')
    """

    id: str = ""
    doc: str
    holder: str
    issue: str
    stance: Stance
    basis: Basis = "reported"
    text: str = Field(description="the sentence (or table cell) that shows the stance")
    quote: str | None = None
    speaker: str | None = None
    start: int | None = None
    end: int | None = None
    date: dt.date | None = None
    url: str | None = None
    confidence: float = Field(0.5, ge=0, le=1)
    quantities: tuple[Quantity, ...] = ()

    @model_validator(mode="after")
    def _span(self) -> Claim:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end of the span, or neither")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"span start {self.start} > end {self.end}")
        return self

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What the gold standard scores: (doc, holder, issue, stance)."""
        return (self.doc, self.holder, self.issue, self.stance)

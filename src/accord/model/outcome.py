"""Outcomes: what happened, dated and sourced — the record forecasts and calibrations are scored against."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from accord.model.source import Strict

OutcomeKind = Literal["decision", "event", "signature", "talks"]
Decision = Literal["accept", "reject", "basis", "conditional"]


class Outcome(Strict):
    """Something that happened on a date: a party's decision on a plan or an option, a signature,
    talks held or broken off, an event.

    - a **decision** names the ``actor`` and what it decided (``accept``, ``reject``,
      ``basis`` — taken as a basis for talks — or ``conditional``) on a ``plan`` as a
      whole or on one ``issue`` (optionally one ``option`` of it);
    - ``scenario`` and ``occurred`` record that a scenario of the case did or did
      not happen by ``date`` (what a Brier score is computed against).

    >>> o = Outcome(id="a-rejects-p1", date="2025-11-21", kind="decision", actor="a",
    ...             plan="p1", decision="reject", description="A refuses the plan as it stands",
    ...             sources=["s1"])
    >>> o.decision, o.date.isoformat()
    ('reject', '2025-11-21')
    """

    id: str
    date: dt.date
    kind: OutcomeKind
    description: str
    actor: str | None = None
    plan: str | None = None
    issue: str | None = None
    option: str | None = None
    decision: Decision | None = None
    scenario: str | None = None
    occurred: bool | None = None
    sources: tuple[str, ...] = Field(min_length=1, description="every outcome cites where it is recorded")
    quote: str = Field("", max_length=400)
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> Outcome:
        if self.kind == "decision":
            if self.actor is None or self.decision is None:
                raise ValueError("a decision needs the actor and the decision (accept, reject, basis, conditional)")
            if self.plan is None and self.issue is None:
                raise ValueError("a decision is on a plan or on an issue; give plan or issue")
        elif self.decision is not None:
            raise ValueError(f"decision is for kind 'decision', not '{self.kind}'")
        if self.option is not None and self.issue is None:
            raise ValueError("an option needs its issue")
        if (self.scenario is None) != (self.occurred is None):
            raise ValueError("give scenario and occurred together: which scenario, and whether it happened")
        return self

"""Plans: ordered, versioned lists of provisions, grouped in baskets."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from accord.model.source import Strict

Comparator = Literal["<=", "<", ">=", ">", "==", "!="]
Verification = Literal["verified", "summary", "unverified"]
Per = Literal["day"]
"""The unit of time a rate obligation's threshold is counted per."""


def drop_unset(data: dict[str, Any], *fields: str) -> dict[str, Any]:
    """``data`` without the named optional fields that are None or False.

    Fields added after records were first signed are left out of a dump while
    unset, so the canonical JSON — and every digest and signature over it — of
    older records does not change.
    """
    return {k: v for k, v in data.items() if k not in fields or v not in (None, False)}


class ObligationSpec(Strict):
    """How a provision becomes a checkable duty once its plan is signed.

    The indicator is observed by monitors; the obligation is met when
    ``observed <comparator> threshold`` by ``deadline_days`` after signature.
    ``per: day`` makes the threshold a daily rate: a report then counts events
    over its period (``period_start`` to ``observed_at``) and is judged by its
    average per day (600 aid trucks a day). ``per_unit_of: INDICATOR`` makes it a
    ratio to another indicator: the target on a day is the threshold times the
    latest figure for that indicator observed by then (15 Palestinian remains for
    each hostage's remains returned).

    >>> ObligationSpec(indicator="ukraine_armed_forces_headcount", comparator="<=",
    ...                threshold=600000, unit="personnel", deadline_days=90).comparator
    '<='
    >>> ObligationSpec(indicator="aid_trucks", comparator=">=", threshold=600, unit="trucks",
    ...                deadline_days=2, per="day").model_dump()["per"]
    'day'
    """

    indicator: str
    comparator: Comparator
    threshold: float
    unit: str = ""
    deadline_days: int = Field(ge=0)
    obliged: str | None = Field(None, description="actor id; defaults to the provision's first obliged actor")
    verifier: str | None = None
    description: str = ""
    per: Per | None = Field(None, description="'day': the threshold is a rate per day over each report's period")
    per_unit_of: str | None = Field(None, description="an indicator: the threshold counts per unit of its latest "
                                    "figure (15 remains per hostage's remains returned)")

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return drop_unset(handler(self), "per", "per_unit_of")


class Provision(Strict):
    """One clause of a plan: the issue it settles and to which option.

    ``option`` may be empty for a clause that details another clause on the same
    issue without changing where the issue lands.
    """

    id: str
    title: str
    text: str = Field(description="the clause in our own words")
    issue: str | None = None
    option: str | None = None
    obliged: tuple[str, ...] = ()
    verifier: str | None = None
    deadline: str | None = None
    quantity: str | None = None
    basket: str | None = None
    status: Verification = "verified"
    sources: tuple[str, ...] = ()
    obligation: ObligationSpec | None = None
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> Provision:
        if self.option is not None and self.issue is None:
            raise ValueError("a provision with an option needs its issue")
        return self


class Basket(Strict):
    id: str
    name: str
    description: str = ""


class Plan(Strict):
    """A version of a plan (or a reference package such as one side's demands).

    ``kind: plan`` is a negotiating text; ``kind: reference`` is a package that
    states one side's demands or principles, used as a yardstick.
    """

    id: str
    name: str
    kind: Literal["plan", "reference"] = "plan"
    version: str = "1"
    date: dt.date | None = None
    based_on: str | None = None
    authors: tuple[str, ...] = ()
    description: str = ""
    baskets: tuple[Basket, ...] = ()
    provisions: tuple[Provision, ...]
    sources: tuple[str, ...] = ()

    def provision(self, provision_id: str) -> Provision:
        for p in self.provisions:
            if p.id == provision_id:
                return p
        raise KeyError(f"plan '{self.id}' has no provision '{provision_id}'")

    def settling(self, issue_id: str) -> list[Provision]:
        """The provisions of this plan that speak to ``issue_id``."""
        return [p for p in self.provisions if p.issue == issue_id]

    def settled(self) -> dict[str, str]:
        """Issue → option for the issues this plan decides (not the silent ones)."""
        out: dict[str, str] = {}
        for p in self.provisions:
            if p.issue is not None and p.option is not None:
                out.setdefault(p.issue, p.option)
        return out

"""Plans: ordered, versioned lists of provisions, grouped in baskets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, field_validator, model_serializer, model_validator

from accord.model.source import Reliability, Source, Strict

Comparator = Literal["<=", "<", ">=", ">", "==", "!="]
Verification = Literal["verified", "summary", "unverified"]
WEAK: frozenset[Reliability] = frozenset({"low", "partisan"})
"""Source ratings that cannot carry a fact alone."""
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

    A duty of several parties names them all; one party stays a plain id:

    >>> ObligationSpec(indicator="ceasefire_violations", comparator="==", threshold=0, deadline_days=30,
    ...                obliged=["russia", "ukraine"]).obliged
    ('russia', 'ukraine')
    >>> ObligationSpec(indicator="x", comparator="==", threshold=0, deadline_days=1, obliged=["russia"]).obliged
    'russia'
    """

    indicator: str
    comparator: Comparator
    threshold: float
    unit: str = ""
    deadline_days: int = Field(ge=0)
    obliged: str | tuple[str, ...] | None = Field(
        None, description="actor id, or a list of them for a duty that binds several parties (a ceasefire, an "
        "all-for-all exchange: each party's compliance is judged apart); defaults to the provision's first obliged "
        "actor")
    verifier: str | None = None
    description: str = ""
    per: Per | None = Field(None, description="'day': the threshold is a rate per day over each report's period")
    per_unit_of: str | None = Field(None, description="an indicator: the threshold counts per unit of its latest "
                                    "figure (15 remains per hostage's remains returned)")

    @field_validator("obliged", mode="before")
    @classmethod
    def _parties(cls, v: Any) -> Any:
        return parties_value(v)

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return drop_unset(handler(self), "per", "per_unit_of")


def parties_value(v: Any) -> Any:
    """An ``obliged`` value as stored: one party as its id, several as a tuple of distinct ids.

    >>> parties_value(["israel", "hamas"]), parties_value(["israel"]), parties_value("israel")
    (('israel', 'hamas'), 'israel', 'israel')
    >>> parties_value(["israel", "israel"])
    Traceback (most recent call last):
    ...
    ValueError: names 'israel' twice; expected distinct actor ids
    """
    if isinstance(v, list | tuple):
        if not v:
            raise ValueError("expected an actor id or a non-empty list of them")
        twice = sorted({a for a in v if list(v).count(a) > 1})
        if twice:
            raise ValueError(f"names '{twice[0]}' twice; expected distinct actor ids")
        return v[0] if len(v) == 1 else tuple(v)
    return v


def parties_of(obliged: str | tuple[str, ...] | None) -> tuple[str, ...]:
    """The obliged parties as a tuple (empty when none is named).

    >>> parties_of("russia"), parties_of(("russia", "ukraine")), parties_of(None)
    (('russia',), ('russia', 'ukraine'), ())
    """
    if obliged is None:
        return ()
    return (obliged,) if isinstance(obliged, str) else tuple(obliged)


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


def weakly_verified(sources: Iterable[Source], plans: Iterable[Plan]) -> list[str]:
    """``plan:point`` for each provision marked verified whose every cited source is low-rated or partisan.

    >>> weak = Source(id="w", url="https://example.org/w", date="2025-11-20", reliability="low")
    >>> good = Source(id="g", url="https://example.org/g", date="2025-11-20", reliability="high")
    >>> plan = Plan(id="p", name="P", provisions=[
    ...     Provision(id="1", title="a", text="a", sources=["w"]),
    ...     Provision(id="2", title="b", text="b", sources=["w", "g"]),
    ...     Provision(id="3", title="c", text="c", sources=["w"], status="summary")])
    >>> weakly_verified([weak, good], [plan])
    ['p:1']
    """
    rating = {s.id: s.reliability for s in sources}
    return [
        f"{plan.id}:{p.id}"
        for plan in plans for p in plan.provisions
        if p.status == "verified" and p.sources and all(rating.get(s) in WEAK for s in p.sources)
    ]

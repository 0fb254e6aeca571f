"""Agreements and the obligations they create: checkable duties derived from a signed plan.

Signing a plan on a date makes an :class:`Agreement`; every provision of the
plan that declares an :class:`~accord.model.ObligationSpec` becomes an
:class:`Obligation`: an indicator that monitors observe, a comparator and a
threshold the observed value must meet, a due date (signature +
``deadline_days``), the obliged actor and the verifier. "All-for-all"
exchanges are written as ``prisoners_unreturned == 0``.

>>> from accord.model import ObligationSpec, Plan, Provision
>>> plan = Plan(id="p", name="P", provisions=[
...     Provision(id="6", title="Army cap", text="Cap the army.", obliged=("ukraine",),
...               obligation=ObligationSpec(indicator="ukraine_armed_forces_headcount",
...                                         comparator="<=", threshold=600000, deadline_days=90)),
...     Provision(id="7", title="No obligation here", text="...")])
>>> ag = agreement_for("demo", plan, dt.date(2026, 1, 15))
>>> [(o.id, o.obliged, o.due.isoformat()) for o in obligations_for(plan, ag)]
[('p@2026-01-15#6', 'ukraine', '2026-04-15')]
>>> meets("<=", 598000, 600000), meets("==", 3, 0)
(True, False)

A duty of several parties (a ceasefire) names them all; each is judged on the
reports about it (:mod:`accord.monitor.compliance`):

>>> Obligation(id="a#9", agreement="a", provision="9", title="Ceasefire", indicator="violations",
...            comparator="==", threshold=0, signed=dt.date(2025, 10, 10), due=dt.date(2025, 10, 10),
...            obliged=["israel", "hamas"]).parties
('israel', 'hamas')

A rate obligation (``per: day``) reads its threshold per day:

>>> Obligation(id="a#7", agreement="a", provision="7", title="Aid", indicator="aid_trucks",
...            comparator=">=", threshold=600, unit="trucks", signed=dt.date(2025, 10, 10),
...            due=dt.date(2025, 10, 12), obliged="israel", per="day").rule
'aid_trucks >= 600 trucks a day'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
from collections.abc import Callable
from typing import Any

from pydantic import SerializerFunctionWrapHandler, field_validator, model_serializer

from accord.model import Plan
from accord.model.plan import Comparator, Per, drop_unset, parties_of, parties_value
from accord.model.source import Strict
from accord.monitor.canonical import canonical_json

UNASSIGNED = "unassigned"
"""The obliged actor of an obligation whose provision names none."""

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt,
    "==": operator.eq, "!=": operator.ne,
}


def meets(comparator: str, value: float, threshold: float) -> bool:
    """Whether ``value <comparator> threshold`` holds."""
    return _OPS[comparator](value, threshold)


class Agreement(Strict):
    """A plan signed on a date. ``plan_digest`` is SHA-256 of the plan's canonical JSON: what was signed."""

    id: str
    case: str
    plan: str
    plan_name: str
    plan_version: str
    signed: dt.date
    plan_digest: str


class Obligation(Strict):
    """A checkable duty: ``indicator <comparator> threshold`` by ``due``, owed by ``obliged``."""

    id: str
    agreement: str
    provision: str
    title: str
    indicator: str
    comparator: Comparator
    threshold: float
    unit: str = ""
    signed: dt.date
    due: dt.date
    obliged: str | tuple[str, ...]
    """The obliged actor, or the parties of a duty that binds several (each judged apart)."""
    verifier: str | None = None
    description: str = ""
    per: Per | None = None
    per_unit_of: str | None = None

    @field_validator("obliged", mode="before")
    @classmethod
    def _parties(cls, v: Any) -> Any:
        return parties_value(v)

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return drop_unset(handler(self), "per", "per_unit_of")

    @property
    def parties(self) -> tuple[str, ...]:
        """Every obliged party (one for most duties)."""
        return parties_of(self.obliged)

    @property
    def rule(self) -> str:
        """The condition in words, e.g. ``ukraine_armed_forces_headcount <= 600,000 personnel``."""
        t = int(self.threshold) if float(self.threshold).is_integer() else self.threshold
        thr = f"{t:,}" if isinstance(t, int) else f"{t:g}"
        rate = f" a {self.per}" if self.per else ""
        ratio = f" per {self.per_unit_of}" if self.per_unit_of else ""
        return f"{self.indicator} {self.comparator} {thr}{(' ' + self.unit) if self.unit else ''}{rate}{ratio}"


def plan_digest(plan: Plan) -> str:
    """SHA-256 (hex) of the plan's canonical JSON."""
    return hashlib.sha256(canonical_json(plan.model_dump(mode="json"))).hexdigest()


def agreement_id(plan_id: str, signed: dt.date) -> str:
    return f"{plan_id}@{signed.isoformat()}"


def agreement_for(case_id: str, plan: Plan, signed: dt.date) -> Agreement:
    """The agreement made by signing ``plan`` on ``signed``."""
    return Agreement(
        id=agreement_id(plan.id, signed), case=case_id, plan=plan.id, plan_name=plan.name,
        plan_version=plan.version, signed=signed, plan_digest=plan_digest(plan),
    )


def obligations_for(plan: Plan, agreement: Agreement) -> list[Obligation]:
    """The obligations of the plan's provisions that declare one, in plan order."""
    out = []
    for p in plan.provisions:
        spec = p.obligation
        if spec is None:
            continue
        obliged = spec.obliged or (p.obliged[0] if p.obliged else UNASSIGNED)
        out.append(Obligation(
            id=f"{agreement.id}#{p.id}", agreement=agreement.id, provision=p.id, title=p.title,
            indicator=spec.indicator, comparator=spec.comparator, threshold=spec.threshold,
            unit=spec.unit, signed=agreement.signed,
            due=agreement.signed + dt.timedelta(days=spec.deadline_days),
            obliged=obliged, verifier=spec.verifier or p.verifier, description=spec.description, per=spec.per,
            per_unit_of=spec.per_unit_of,
        ))
    return out

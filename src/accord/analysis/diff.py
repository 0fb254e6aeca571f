"""What changed between two versions of a plan.

Provisions are matched by id (the bundled revisions keep the 28-point
numbering where they amend a point); the package view says where each
issue lands in each version, including issues a version is silent on.

>>> from accord.model import DEFAULT_CASE, load_case
>>> case = load_case(DEFAULT_CASE)
>>> first, later = case.plans[0], next(p for p in case.plans if p.based_on == case.plans[0].id)
>>> d = diff_plans(case, first.id, later.id)
>>> {i.issue for i in d.issues} == {i.id for i in case.issues}
True
>>> all(i.changed == (i.before != i.after) for i in d.issues)
True
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from accord.errors import AccordError
from accord.model import Case, Plan, Provision

Change = Literal["added", "removed", "changed", "same"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProvisionChange(_Out):
    provision: str
    change: Change
    issue: str | None
    before: str | None
    """Option before (None when removed/added or when the clause sets none)."""
    after: str | None
    title_before: str | None
    title_after: str | None
    fields: tuple[str, ...] = ()
    """Fields that differ for a changed provision (option, text, quantity, deadline, obliged…)."""


class IssueChange(_Out):
    issue: str
    before: str
    after: str
    changed: bool


class PlanDiff(_Out):
    a: str
    b: str
    provisions: tuple[ProvisionChange, ...]
    issues: tuple[IssueChange, ...]

    def issue(self, issue_id: str) -> IssueChange:
        for c in self.issues:
            if c.issue == issue_id:
                return c
        raise KeyError(issue_id)

    @property
    def changed(self) -> list[ProvisionChange]:
        return [p for p in self.provisions if p.change != "same"]


_COMPARED = ("issue", "option", "text", "quantity", "deadline", "obliged", "verifier", "title")


def diff_plans(case: Case, a: Plan | str, b: Plan | str) -> PlanDiff:
    """Provision-by-provision and issue-by-issue differences from plan ``a`` to plan ``b``."""
    pa, pb = _plan(case, a), _plan(case, b)
    before = {p.id: p for p in pa.provisions}
    after = {p.id: p for p in pb.provisions}
    order = [p.id for p in pa.provisions] + [p.id for p in pb.provisions if p.id not in before]
    changes = [_change(before.get(pid), after.get(pid)) for pid in order]
    ka, kb = case.package(pa), case.package(pb)
    issues = tuple(
        IssueChange(issue=i, before=ka[i], after=kb[i], changed=ka[i] != kb[i]) for i in case.issue_ids
    )
    return PlanDiff(a=pa.id, b=pb.id, provisions=tuple(changes), issues=issues)


def _change(x: Provision | None, y: Provision | None) -> ProvisionChange:
    p = x or y
    assert p is not None
    if x is None or y is None:
        return ProvisionChange(
            provision=p.id, change="added" if x is None else "removed", issue=p.issue,
            before=x.option if x else None, after=y.option if y else None,
            title_before=x.title if x else None, title_after=y.title if y else None,
        )
    fields = tuple(f for f in _COMPARED if getattr(x, f) != getattr(y, f))
    return ProvisionChange(
        provision=p.id, change="changed" if fields else "same", issue=y.issue,
        before=x.option, after=y.option, title_before=x.title, title_after=y.title, fields=fields,
    )


def _plan(case: Case, plan: Plan | str) -> Plan:
    if isinstance(plan, Plan):
        return plan
    try:
        return case.plan(plan)
    except KeyError as e:
        raise AccordError(str(e.args[0])) from None

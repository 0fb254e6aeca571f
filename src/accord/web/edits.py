"""Check what an editor sends against the case it changes: every id it names must exist.

The checks mirror the case loader's cross-references (``accord validate``) so
that a case edited through the API stays a case that validates; each problem
becomes a 422 naming the field at fault.
"""

from __future__ import annotations

from accord.model import Case, Claim, Plan, Position
from accord.model.claim import PLAN
from accord.web.errors import ApiError


def _option(case: Case, issue: str, option: str, field: str) -> None:
    try:
        opts = case.issue(issue).option_ids
    except KeyError:
        raise ApiError(422, f"unknown issue '{issue}'; expected one of {case.issue_ids}", field=field) from None
    if option not in opts:
        raise ApiError(422, f"unknown option '{option}' of issue '{issue}'; expected one of {opts}", field=field)


def _sources(case: Case, ids: tuple[str, ...], field: str) -> None:
    known = {s.id for s in case.sources}
    for k, s in enumerate(ids):
        if s not in known:
            raise ApiError(422, f"unknown source '{s}'", field=f"{field}.{k}")


def check_position(case: Case, pos: Position) -> None:
    """422 unless ``pos`` names a known actor, issue, options and sources."""
    if pos.actor not in case.actor_ids:
        raise ApiError(404, f"no actor '{pos.actor}' in case '{case.id}'", field="actor")
    if pos.issue not in case.issue_ids:
        raise ApiError(404, f"no issue '{pos.issue}' in case '{case.id}'", field="issue")
    _option(case, pos.issue, pos.ideal, "ideal")
    for name in ("acceptable", "red_line"):
        for k, o in enumerate(getattr(pos, name)):
            _option(case, pos.issue, o, f"{name}.{k}")
    for o in (pos.utility or {}):
        _option(case, pos.issue, o, f"utility.{o}")
    if pos.utility is not None:
        missing = sorted(set(case.issue(pos.issue).option_ids) - set(pos.utility))
        if missing:
            raise ApiError(422, f"utility table misses options {missing}", field="utility")
    _sources(case, pos.sources, "sources")


def check_plan(case: Case, plan: Plan) -> None:
    """422 unless every provision's issue, option, actors and sources exist, and ``based_on`` is a plan."""
    ids = [p.id for p in plan.provisions]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ApiError(422, f"duplicate provision id(s) {dup}", field="provisions")
    if not plan.provisions:
        raise ApiError(422, "a plan needs at least one provision", field="provisions")
    if plan.based_on is not None and plan.based_on not in {p.id for p in case.plans}:
        raise ApiError(422, f"based_on names no plan of case '{case.id}': '{plan.based_on}'", field="based_on")
    for k, a in enumerate(plan.authors):
        if a not in case.actor_ids:
            raise ApiError(422, f"unknown actor '{a}'", field=f"authors.{k}")
    _sources(case, plan.sources, "sources")
    for k, p in enumerate(plan.provisions):
        where = f"provisions.{k}"
        if p.issue is not None:
            if p.issue not in case.issue_ids:
                raise ApiError(422, f"unknown issue '{p.issue}'", field=f"{where}.issue")
            if p.option is not None:
                _option(case, p.issue, p.option, f"{where}.option")
        for j, a in enumerate(p.obliged):
            if a not in case.actor_ids:
                raise ApiError(422, f"unknown actor '{a}'", field=f"{where}.obliged.{j}")
        _sources(case, p.sources, f"{where}.sources")


def check_claim(case: Case, claim: Claim) -> None:
    """422 unless the claim's holder is an actor and its issue an issue (or ``plan``)."""
    if claim.holder not in case.actor_ids:
        raise ApiError(422, f"unknown holder '{claim.holder}'; expected an actor id {case.actor_ids}",
                       field="holder")
    if claim.issue != PLAN and claim.issue not in case.issue_ids:
        raise ApiError(422, f"unknown issue '{claim.issue}'; expected 'plan' or an issue id", field="issue")
    for k, q in enumerate(claim.quantities):
        if q.issue is not None and q.issue not in case.issue_ids:
            raise ApiError(422, f"unknown issue '{q.issue}'", field=f"quantities.{k}.issue")

"""What an editor may change in a case, checked: every id it names must exist.

The checks mirror the case loader's cross-references (``accord validate``) so
that a case edited through the API stays a case that validates; each problem
becomes a 422 naming the field at fault. :func:`apply_edit` is the one place
an edit changes a case: the API calls it for each request, and the service
calls it again at start to replay the edits kept in the database.

Kinds of edit: ``plan`` (set or remove a plan), ``position`` (set a position,
or one dated state of it, or remove it) and ``review`` (an analyst's decision
on a proposed update from claims, :mod:`accord.analysis.review`: an accepted
one adds its dated state and the claims' articles as sources in one edit; a
dismissed one changes nothing and keeps its reason).

>>> from accord.model import DEFAULT_CASE, load_case
>>> case = load_case(DEFAULT_CASE)
>>> base = next(p.based_on for p in case.plans if p.based_on)
>>> after = apply_edit(case, "plan", base, None)
Traceback (most recent call last):
...
accord.web.errors.ApiError: plans [...] are based on '...'
>>> p = case.positions[0]
>>> len(apply_edit(case, "position", f"{p.actor}/{p.issue}", None).positions) == len(case.positions) - 1
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.model import Case, Claim, Plan, Position, Source
from accord.model.claim import PLAN
from accord.model.plan import parties_of
from accord.web.errors import ApiError

if TYPE_CHECKING:
    from accord.store.edits import StoredEdit

EditKind = Literal["plan", "position", "review"]


class ReviewDecision(BaseModel):
    """An analyst's decision on a proposed update (``key`` of its edit: the proposal id).

    ``accept``: ``state`` (a dated state of the actor's position) enters the
    case, with ``sources`` it cites that the case does not have yet;
    ``dismiss``: nothing changes, and ``reason`` says why.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    decision: Literal["accept", "dismiss"]
    reason: str = Field("", max_length=2000)
    actor: str
    issue: str
    kind: str
    date: dt.date
    state: Position | None = None
    sources: tuple[Source, ...] = ()


Edit = Plan | Position | ReviewDecision


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
        for a in parties_of(p.obligation.obliged if p.obligation else None):
            if a not in case.actor_ids:
                raise ApiError(422, f"unknown actor '{a}'", field=f"{where}.obligation.obliged")
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


def position_key(actor: str, issue: str) -> str:
    return f"{actor}/{issue}"


def apply_edit(case: Case, kind: EditKind, key: str, value: Edit | None) -> Case:
    """The case with a plan or position (``key``: plan id or ``actor/issue``) set to ``value``, or removed;
    or with a review decision (``key``: the proposal id) applied."""
    if kind == "review":
        if not isinstance(value, ReviewDecision):
            raise ApiError(422, "a review edit records a decision (accept or dismiss)", field="decision")
        return _reviewed(case, value)
    if kind == "plan":
        plans = case.plans
        exists = key in {p.id for p in plans}
        if value is None:
            if not exists:
                raise ApiError(404, f"no plan '{key}' in case '{case.id}'", field="plan")
            children = [p.id for p in plans if p.based_on == key]
            if children:
                raise ApiError(409, f"plans {children} are based on '{key}'", field="plan")
            return case.replace(plans=tuple(p for p in plans if p.id != key))
        assert isinstance(value, Plan) and value.id == key
        check_plan(case, value)
        new = [value if p.id == key else p for p in plans] if exists else [*plans, value]
        return case.replace(plans=tuple(new))
    actor, _, issue = key.partition("/")
    if value is None:
        if case.position(actor, issue) is None:
            raise ApiError(404, f"actor '{actor}' holds no position on '{issue}' in case '{case.id}'", field="issue")
    else:
        assert isinstance(value, Position) and position_key(value.actor, value.issue) == key
        check_position(case, value)
    return case.replace(history=_history_with(case, actor, issue, value))


def _reviewed(case: Case, decision: ReviewDecision) -> Case:
    """The case after a review decision: an accepted state and its new sources in, or nothing for a dismissal."""
    if decision.decision == "dismiss":
        return case
    state = decision.state
    if state is None or state.since is None:
        raise ApiError(422, "an accepted proposal writes a dated state; this one has none: code it by hand",
                       field="state")
    known = {s.id: s for s in case.sources}
    new = []
    for k, src in enumerate(decision.sources):
        if src.id in known and known[src.id].url != src.url:
            raise ApiError(409, f"source id '{src.id}' is taken by {known[src.id].url}", field=f"sources.{k}")
        if src.id not in known:
            new.append(src)
    dates = {s.id: s.date for s in (*case.sources, *new)}
    for k, ref in enumerate(state.sources):
        day = dates.get(ref)
        if day is not None and day > state.since:
            raise ApiError(422, f"cites {ref} ({day}) but takes effect {state.since}", field=f"sources.{k}")
    with_sources = case.replace(sources=(*case.sources, *new)) if new else case
    return apply_edit(with_sources, "position", position_key(state.actor, state.issue), state)


def _history_with(case: Case, actor: str, issue: str, value: Position | None) -> tuple[Position, ...]:
    """The case's history with one position set or removed.

    Removing drops every state of the position; an undated value replaces its
    whole history; a dated one (``since``) becomes the state of that date,
    kept in date order among the others.
    """
    others = [p for p in case.history if (p.actor, p.issue) != (actor, issue)]
    if value is None:
        return tuple(others)
    states = case.states(actor, issue) if value.since is not None else []
    states = [p for p in states if p.since is None or p.since != value.since]
    undated = [p for p in states if p.since is None]
    dated = sorted([p for p in states if p.since is not None] + [value], key=lambda p: p.since or dt.date.min)
    return (*others, *undated, *dated)


class CaseEdit(BaseModel):
    """One edit of a case through the API, as kept (and replayed at start)."""

    seq: int
    kind: EditKind
    key: str
    action: Literal["set", "remove"]
    author: str = ""
    at: dt.datetime
    applied: bool = True
    problem: str | None = None
    """Why a kept edit was not replayed (the case's YAML changed under it)."""


class Reviewed(BaseModel):
    """A decision on a proposed update as the review queue lists it: what, by whom, when, why."""

    proposal: str
    decision: Literal["accept", "dismiss"]
    reason: str
    actor: str
    issue: str
    kind: str
    date: dt.date
    author: str
    at: dt.datetime
    seq: int
    applied: bool = True


class Replayed(BaseModel):
    """A case with kept edits applied, the edits as listed, and the review decisions among them."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    case: Case
    edits: list[CaseEdit]
    reviews: dict[str, Reviewed]


def reviewed(edit: CaseEdit, decision: ReviewDecision) -> Reviewed:
    return Reviewed(proposal=edit.key, decision=decision.decision, reason=decision.reason, actor=decision.actor,
                    issue=decision.issue, kind=decision.kind, date=decision.date, author=edit.author, at=edit.at,
                    seq=edit.seq, applied=edit.applied)


def replay(case: Case, kept: Iterable[StoredEdit]) -> Replayed:
    """``case`` with the edits kept in the database applied in order (the service at start; ``accord edits
    export``). An edit that no longer applies (the YAML changed under it) is listed with ``applied: false``."""
    edits: list[CaseEdit] = []
    reviews: dict[str, Reviewed] = {}
    for k in kept:
        edit = CaseEdit(seq=k.seq, kind=k.kind, key=k.key, author=k.author, action="remove" if k.removed else "set",
                        at=dt.datetime.fromtimestamp(k.created / 1000, dt.UTC))
        value = None
        try:
            value = parse_edit(k.kind, k.content)
            case = apply_edit(case, k.kind, k.key, value)
        except (ApiError, ValueError) as err:
            edit = edit.model_copy(update={"applied": False, "problem": str(err).splitlines()[0]})
        edits.append(edit)
        if isinstance(value, ReviewDecision):
            reviews[k.key] = reviewed(edit, value)
    return Replayed(case=case, edits=edits, reviews=reviews)


def parse_edit(kind: EditKind, content: str | None) -> Edit | None:
    """The value a kept edit sets (None: a removal); ``ValidationError`` when it no longer parses."""
    if content is None:
        return None
    model: type[Edit] = {"plan": Plan, "position": Position, "review": ReviewDecision}[kind]  # type: ignore[assignment]
    return model.model_validate_json(content)


__all__ = [
    "CaseEdit", "Edit", "EditKind", "Replayed", "ReviewDecision", "Reviewed", "apply_edit", "check_claim",
    "check_plan", "check_position", "parse_edit", "position_key", "replay", "reviewed",
]

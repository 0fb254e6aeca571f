"""Score a package (or a plan) for every actor: verdicts, utility, red lines, batna, tilt.

This is what the press argues in prose ("favours Russia", "unacceptable to
Kyiv") made explicit and checkable.

Verdicts, per provision and actor (the provision's issue at the option the
plan settles it to):

- ``accepts`` — the option is the actor's ideal or one it said it can accept;
- ``conditional`` — not a red line, but the actor wants it moved further its way;
  its ``degree`` says how far: ``small`` when the option is next, on the issue's
  ladder of options, to one the actor accepts (its ideal or an acceptable
  option), ``large`` when it is further;
- ``red_line`` — the option is on the actor's red line;
- ``none`` — the actor holds no position on the issue (or the clause settles no issue).

A clause that speaks to an issue without setting an option of its own (a
detail of another clause) is judged on where the plan lands that issue, and
its cell names the clause that sets it (``settled_by``); only the clauses that
set an option are listed as the ones an actor wants moved or that cross its
red lines. An actor that holds no position on any issue of the package has no
verdict on it (``ActorAssessment.positions == 0``), not a rejection.

Utility of a package for actor *k*: ``U_k = Σ_i s_ki · u_ki(x_i)`` with
saliences summing to 1, so ``U_k ∈ [0, 1]``. The actor accepts the package
when it crosses none of its red lines and ``U_k ≥ batna_k`` within ``1e-9``
(:func:`accord.analysis.acceptance.accepts`, the rule solve uses too).

Tilt between actors A and B (the case's ``tilt`` pair; for the bundled case
Ukraine and Russia), with ideals ``a_i``, ``b_i`` and package position ``x_i``
on each issue's axis::

    t_i  = (|x_i − a_i| − |x_i − b_i|) / |a_i − b_i|      ∈ [−1, 1]
    w_i  = (s_Ai + s_Bi) / 2
    tilt = Σ w_i t_i / Σ w_i        (over issues where a_i ≠ b_i)

``tilt = +1``: the package sits at B's ideals everywhere; ``−1``: at A's;
``0``: evenly between them, salience-weighted.

>>> from accord.model import DEFAULT_CASE, load_case
>>> case = load_case(DEFAULT_CASE)
>>> a = assess_plan(case, case.plans[0].id)
>>> -1 <= a.tilt.index <= 1
True
>>> all(not r.accepts for r in a.actors.values() if r.red_lines)   # a crossed red line is a rejection
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from accord.analysis.acceptance import accepts
from accord.errors import AccordError
from accord.model import Case, Package, Plan

Verdict = Literal["accepts", "conditional", "red_line", "none"]
Degree = Literal["small", "large"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Cell(_Out):
    """One actor's verdict on one provision."""

    provision: str
    issue: str | None
    option: str | None
    actor: str
    verdict: Verdict
    utility: float | None = None
    ideal: str | None = None
    degree: Degree | None = None
    """For ``conditional``: how far the actor wants the option moved (module docstring)."""
    settled_by: str | None = None
    """A clause that sets no option of its own: the provision that sets its issue (None: this one, or the
    status quo when no clause of the plan sets it)."""


class RedLineCrossing(_Out):
    """A red line the package crosses, and the provisions that cross it."""

    actor: str
    issue: str
    option: str
    provisions: tuple[str, ...]


class ActorAssessment(_Out):
    actor: str
    utility: float
    batna: float
    margin: float
    accepts: bool
    red_lines: tuple[RedLineCrossing, ...]
    conditional: tuple[str, ...]
    """Ids of provisions the actor wants moved its way (only clauses that set an option)."""
    large: tuple[str, ...] = ()
    """The subset of ``conditional`` the actor wants moved a large way (degree ``large``)."""
    positions: int = 0
    """How many positions the actor held in the view judged: none means it had said nothing
    yet, and its utility (0) and rejection say nothing about it (:attr:`stance` 'no position')."""

    @property
    def stance(self) -> str:
        """'accepts', 'rejects' or 'no position' (an actor with no position on any issue has no verdict)."""
        if self.positions == 0:
            return "no position"
        return "accepts" if self.accepts else "rejects"


class Tilt(_Out):
    pair: tuple[str, str]
    index: float
    per_issue: dict[str, float]
    weights: dict[str, float]

    @property
    def favours(self) -> str:
        """The actor of the pair the package leans towards ('' when balanced)."""
        if abs(self.index) < 1e-9:
            return ""
        return self.pair[1] if self.index > 0 else self.pair[0]

    def contributions(self) -> dict[str, float]:
        """Each issue's share of the index, ``w_i t_i / Σ w`` (they sum to ``index``)."""
        total = sum(self.weights.values())
        return {i: self.weights[i] * t / total for i, t in self.per_issue.items()} if total else {}

    def leaning(self, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` issues that pull the package most towards the side it favours, with their contributions.

        >>> t = Tilt(pair=("a", "b"), index=0.3, per_issue={"x": 1.0, "y": -0.5, "z": 0.75},
        ...          weights={"x": 0.1, "y": 0.2, "z": 0.2})
        >>> [(i, round(c, 2)) for i, c in t.leaning()]   # y leans towards a: not listed
        [('z', 0.3), ('x', 0.2)]
        """
        if not self.favours:
            return []
        sign = 1.0 if self.index > 0 else -1.0
        pulls = [(i, c) for i, c in self.contributions().items() if c * sign > 0]
        return sorted(pulls, key=lambda ic: (-abs(ic[1]), ic[0]))[:n]


class Assessment(_Out):
    plan: str | None
    package: dict[str, str]
    actors: dict[str, ActorAssessment]
    cells: tuple[Cell, ...]
    tilt: Tilt
    as_of: dt.date | None = None
    """The date of the positions it was judged against (None: the latest state of each)."""

    def cell(self, provision: str, actor: str) -> Cell:
        for c in self.cells:
            if c.provision == provision and c.actor == actor:
                return c
        raise KeyError((provision, actor))


def degree(case: Case, actor: str, issue: str, option: str) -> Degree | None:
    """How far a ``conditional`` option is from what the actor accepts (None for any other verdict).

    ``small``: the option is next to the actor's ideal or an acceptable option on
    the issue's ladder (options pole to pole); ``large``: two or more steps away.

    >>> from accord.model import DEFAULT_CASE, load_case
    >>> case = load_case(DEFAULT_CASE)
    >>> p = next(p for p in case.positions if len(case.issue(p.issue).option_ids) > 3)
    >>> ladder = case.issue(p.issue).option_ids   # options pole to pole
    >>> far = max(ladder, key=lambda o: abs(ladder.index(o) - ladder.index(p.ideal)))
    >>> degree(case, p.actor, p.issue, p.ideal), degree(case, p.actor, p.issue, far) in ("large", None)
    (None, True)
    """
    pos = case.position(actor, issue)
    if pos is None or verdict(case, actor, issue, option) != "conditional":
        return None
    ladder = case.issue(issue).option_ids
    at = ladder.index(option)
    steps = min(abs(at - ladder.index(o)) for o in (pos.ideal, *pos.acceptable))
    return "small" if steps <= 1 else "large"


def verdict(case: Case, actor: str, issue: str, option: str) -> Verdict:
    """One actor's verdict on one option of one issue.

    >>> from accord.model import DEFAULT_CASE, load_case
    >>> case = load_case(DEFAULT_CASE)
    >>> p = next(p for p in case.positions if p.red_line)
    >>> verdict(case, p.actor, p.issue, p.red_line[0]), verdict(case, p.actor, p.issue, p.ideal)
    ('red_line', 'accepts')
    """
    pos = case.position(actor, issue)
    if pos is None:
        return "none"
    if option in pos.red_line:
        return "red_line"
    if option == pos.ideal or option in pos.acceptable:
        return "accepts"
    return "conditional"


def utility(case: Case, actor: str, package: Mapping[str, str]) -> float:
    """``U = Σ_i salience_i · u_i(option_i)`` for one actor (issues missing from the package are skipped)."""
    return sum(
        case.salience(actor, i) * case.utility(actor, i, o) for i, o in package.items()
    )


def tilt(case: Case, package: Mapping[str, str], pair: tuple[str, str] | None = None) -> Tilt:
    """Whose ideals the package sits closer to, salience-weighted (formula in the module docstring)."""
    a, b = pair or case.tilt_pair
    per_issue: dict[str, float] = {}
    weights: dict[str, float] = {}
    for issue_id, option in package.items():
        pa, pb = case.position(a, issue_id), case.position(b, issue_id)
        if pa is None or pb is None:
            continue
        issue = case.issue(issue_id)
        xa, xb, x = issue.axis(pa.ideal), issue.axis(pb.ideal), issue.axis(option)
        if xa == xb:
            continue
        per_issue[issue_id] = (abs(x - xa) - abs(x - xb)) / abs(xa - xb)
        weights[issue_id] = (pa.salience.value + pb.salience.value) / 2
    total = sum(weights.values())
    index = sum(weights[i] * per_issue[i] for i in per_issue) / total if total else 0.0
    return Tilt(pair=(a, b), index=index, per_issue=per_issue, weights=weights)


def assess_package(
    case: Case,
    package: Mapping[str, str],
    *,
    plan: Plan | None = None,
    actors: Sequence[str] | None = None,
) -> Assessment:
    """Assess a package for ``actors`` (default: every actor of the case).

    ``plan`` supplies the provisions the verdict cells and red-line crossings
    cite; without it each issue counts as one provision named by its issue id.
    """
    full: Package = {**case.status_quo(), **dict(package)}
    _check_package(case, full)
    actor_ids = list(actors) if actors is not None else case.actor_ids
    for a in actor_ids:
        case.actor(a)
    clauses = _clauses(case, full, plan)
    cells: list[Cell] = []
    result: dict[str, ActorAssessment] = {}
    for a in actor_ids:
        crossings: dict[str, list[str]] = {}
        conditional: list[str] = []
        large: list[str] = []
        for pid, issue, option, settled_by in clauses:
            if issue is None or option is None:
                cells.append(Cell(provision=pid, issue=issue, option=option, actor=a, verdict="none"))
                continue
            v = verdict(case, a, issue, option)
            pos = case.position(a, issue)
            d = degree(case, a, issue, option)
            cells.append(
                Cell(
                    provision=pid, issue=issue, option=option, actor=a, verdict=v,
                    utility=case.utility(a, issue, option) if pos else None,
                    ideal=pos.ideal if pos else None, degree=d, settled_by=settled_by,
                )
            )
            if settled_by is not None:
                continue
            if v == "red_line":
                crossings.setdefault(issue, []).append(pid)
            elif v == "conditional":
                conditional.append(pid)
                if d == "large":
                    large.append(pid)
        # red lines crossed by issues a plan is silent on (status quo) count too
        for issue, option in full.items():
            if issue not in crossings and verdict(case, a, issue, option) == "red_line":
                crossings[issue] = []
        u = utility(case, a, full)
        batna = case.actor(a).batna.value
        red = tuple(
            RedLineCrossing(actor=a, issue=i, option=full[i], provisions=tuple(p))
            for i, p in crossings.items()
        )
        result[a] = ActorAssessment(
            actor=a, utility=u, batna=batna, margin=u - batna,
            accepts=accepts(u, batna, len(red)), red_lines=red, conditional=tuple(conditional),
            large=tuple(large), positions=sum(1 for p in case.positions if p.actor == a),
        )
    return Assessment(
        plan=plan.id if plan else None, package=full, actors=result, cells=tuple(cells),
        tilt=tilt(case, full), as_of=case.as_of,
    )


def assess_plan(case: Case, plan: Plan | str, *, actors: Sequence[str] | None = None) -> Assessment:
    """Assess the package a plan induces (status quo where it is silent), citing its provisions."""
    if isinstance(plan, str):
        try:
            plan = case.plan(plan)
        except KeyError as e:
            raise AccordError(str(e.args[0])) from None
    return assess_package(case, case.package(plan), plan=plan, actors=actors)


def plan_view(case: Case, plan: Plan | str) -> Case:
    """The view of the case a plan is judged against: the positions as of the plan's own date.

    A plan is judged by what the parties held when it was put on the table, not
    by what they said later. A case that is already a view as of a date
    (``case.as_of``, e.g. from ``--as-of``) is used as it is, and so is the latest
    view for an undated plan.

    >>> from accord.model import DEFAULT_CASE, load_case
    >>> case = load_case(DEFAULT_CASE)
    >>> plan = case.plans[0]
    >>> plan_view(case, plan.id).as_of == plan.date
    True
    >>> later = plan.date + dt.timedelta(days=10)
    >>> plan_view(case.at(later), plan.id).as_of == later
    True
    """
    if isinstance(plan, str):
        try:
            plan = case.plan(plan)
        except KeyError as e:
            raise AccordError(str(e.args[0])) from None
    if case.as_of is not None or plan.date is None:
        return case
    return case.at(plan.date)


def compare_plans(case: Case, plans: Sequence[str] | None = None) -> list[Assessment]:
    """Assess several plans side by side (default: every plan of the case, in file order).

    Each plan is judged against the positions as of its own date (:func:`plan_view`)
    unless ``case`` is a view as of a date; each assessment's ``as_of`` says which.
    """
    ids = list(plans) if plans is not None else [p.id for p in case.plans]
    return [assess_plan(plan_view(case, p), p) for p in ids]


class PlanComparison(_Out):
    """Every plan of a view assessed side by side: what ``accord assess --json`` (no ``--plan``) prints and
    ``GET /api/v1/cases/{case}/assess`` (no ``?plan=``) answers."""

    case: str
    as_of: dt.date | None
    """The date of the view (None: the latest); each plan's own ``as_of`` says what it was judged against."""
    plans: list[Assessment]


def plans_compared(case: Case) -> PlanComparison:
    """Every plan known in the view ``case`` (all plans of the latest view), each judged as of its own date
    unless the view is as of a date (:func:`compare_plans`).

    >>> from accord.model import DEFAULT_CASE, load_case
    >>> case = load_case(DEFAULT_CASE)
    >>> everyone = plans_compared(case)
    >>> [a.plan for a in everyone.plans] == [p.id for p in case.plans], everyone.as_of
    (True, None)
    >>> day = case.plans[0].date
    >>> [a.as_of for a in plans_compared(case.at(day)).plans] == [day] * len(case.at(day).plans)
    True
    """
    return PlanComparison(case=case.id, as_of=case.as_of, plans=compare_plans(case))


def _clauses(
    case: Case, package: Package, plan: Plan | None
) -> list[tuple[str, str | None, str | None, str | None]]:
    """(provision id, issue, option the package gives that issue, the clause that sets it) for each clause.

    The last is None for a clause that sets its issue's option itself (or when no clause of the plan does).
    """
    if plan is None:
        return [(i, i, o, None) for i, o in package.items()]
    setter: dict[str, str] = {}
    for p in plan.provisions:
        if p.issue is not None and p.option is not None:
            setter.setdefault(p.issue, p.id)
    return [
        (p.id, p.issue, package[p.issue] if p.issue is not None else None,
         setter.get(p.issue) if p.issue is not None and p.option is None else None)
        for p in plan.provisions
    ]


def _check_package(case: Case, package: Mapping[str, str]) -> None:
    problems = []
    known = set(case.issue_ids)
    for issue, option in package.items():
        if issue not in known:
            problems.append(f"package: unknown issue '{issue}'; expected one of {sorted(known)}")
        elif option not in case.issue(issue).option_ids:
            problems.append(
                f"package.{issue}: unknown option '{option}'; expected one of {case.issue(issue).option_ids}"
            )
    if problems:
        raise AccordError("; ".join(problems))

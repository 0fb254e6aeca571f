"""Exact search over every package of a case: feasibility, red-line conflicts, Pareto frontier,
bargaining solutions (Nash, Kalai–Smorodinsky, maximin) and minimal amendments of a plan.

Every goal is a mixed-integer linear program solved by HiGHS (see
:mod:`accord.analysis.solve_core` for the model): one binary per option,
one option per issue, no option on a required actor's red line, and each
required actor's utility ``Σ_i salience·u`` at least its batna (within
``TOL = 1e-9``). Required actors default to the case's parties.

Ties are broken the same way everywhere (the *tie order*): after the goal's
objectives, the package with the smallest option ranks wins, issue by issue in
case order, where rank 0 is the status quo and the issue's other options follow
as listed (for amend: the plan's option first); an issue that no required
actor cares about therefore stays at its status quo. ``feasible`` first
minimises the number of issues off the status quo.

Modules: this one (feasible, maximin, ks, nash, amend, the :func:`solve`
dispatcher, and the public names), :mod:`~accord.analysis.solve_conflicts`,
:mod:`~accord.analysis.solve_pareto`, :mod:`~accord.analysis.solve_common`
(required actors, diagnostics), :mod:`~accord.analysis.solve_core` (instance,
exact checks, tie-breaking, Nash outer approximation),
:mod:`~accord.analysis.solve_highs` (the HiGHS model) and
:mod:`~accord.analysis.solve_result` (the result dataclasses).

>>> from accord.analysis.solve_toy import toy_case
>>> case = toy_case()
>>> feasible(case).package.package
{'a': 'a0', 'b': 'b1'}
>>> nash(case).package.package, round(nash(case).value, 6)
({'a': 'a0', 'b': 'b1'}, 0.02)
>>> for c in conflicts(toy_case(batna=(0.8, 0.8))).conflicts:
...     print(c)
north accepts less than its batna (0.800)
south drops its red line on a (a2) and south accepts less than its batna (0.800)

References: Nash, "The bargaining problem", Econometrica 18 (1950);
Kalai & Smorodinsky, "Other solutions to Nash's bargaining problem",
Econometrica 43 (1975); Haimes, Lasdon & Wismer (1971) for the ε-constraint
method; Sylva & Crema, "A method for finding the set of non-dominated vectors
for multiple objective integer linear programs", EJOR 158 (2004); Liffiton &
Sakallah, "Algorithms for computing minimal unsatisfiable subsets of
constraints", J. Autom. Reasoning 40 (2008) for minimal correction sets;
Duran & Grossmann, "An outer-approximation algorithm for a class of
mixed-integer nonlinear programs", Math. Prog. 36 (1986).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np

from accord.analysis.solve_common import (
    CaseLike,
    diagnose,
    maximin_stages,
    notes_of,
    required_space,
    scored,
    strict,
    util_stage,
)
from accord.analysis.solve_conflicts import conflicts
from accord.analysis.solve_core import (
    TOL,
    Check,
    Index,
    Instance,
    Stage,
    acceptable_check,
    base_model,
    instance,
    lexmin,
    nash_bound,
    optimise,
    solve_checked,
    stages,
)
from accord.analysis.solve_highs import Milp
from accord.analysis.solve_pareto import pareto
from accord.analysis.solve_result import (
    Amended,
    Amendment,
    Bargain,
    Change,
    Conflict,
    Conflicts,
    Constraint,
    Feasibility,
    Frontier,
    Scored,
    SolveResult,
)
from accord.errors import AccordError
from accord.model import Case, Plan

__all__ = [
    "GOALS", "Amended", "Amendment", "Bargain", "Change", "Conflict", "Conflicts", "Constraint",
    "Feasibility", "Frontier", "Scored", "SolveResult", "amend", "conflicts", "diagnose", "feasible", "ks",
    "maximin", "nash", "pareto", "required_space", "solve",
]

GOALS = ("feasible", "conflicts", "pareto", "nash", "ks", "maximin", "amend")
Goal = Literal["feasible", "conflicts", "pareto", "nash", "ks", "maximin", "amend"]


# -- goals -------------------------------------------------------------------------------------


def feasible(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Feasibility:
    """Is some package acceptable to every required actor? If so, the one nearest the status quo.

    *Nearest*: the fewest issues off the status quo; among those, the first in
    the tie order (the status quo kept issue by issue in case order, then the
    issue's options as listed). ``moved`` lists the issues it moves.

    >>> from accord.analysis.solve_toy import toy_case
    >>> feasible(toy_case(batna=(0.8, 0.8))).status
    'infeasible'
    >>> feasible(toy_case()).moved
    ('b',)
    """
    inst, notes = strict(case, actors, without, "feasible")
    who = inst.space.actors
    got = None
    if not inst.empty:
        sq = inst.space.package_index(inst.space.case.status_quo())
        moved = Stage({c: 1.0 for c in range(inst.ncols) if inst.col_rank[c] != 0},
                      lambda p: float(sum(j != sq[i] for i, j in enumerate(p))), maximize=False)
        got = stages(inst, base_model(inst)[0], [moved], [acceptable_check(inst)])
    if got is None:
        return Feasibility(goal="feasible", status="infeasible", actors=who, notes=tuple(notes))
    idx = got[0]
    sq = inst.space.package_index(inst.space.case.status_quo())
    off = tuple(inst.space.issues[i] for i, j in enumerate(idx) if j != sq[i])
    return Feasibility(goal="feasible", status="feasible", actors=who, notes=tuple(notes),
                       package=scored(inst, idx), moved=off)


def maximin(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Bargain:
    """The egalitarian package: maximise the smallest gain over batna; ties to the larger total gain.

    >>> from accord.analysis.solve_toy import toy_case
    >>> r = maximin(toy_case())
    >>> r.package.package, round(r.value, 3)
    ({'a': 'a0', 'b': 'b1'}, 0.1)
    """
    inst, notes = strict(case, actors, without, "maximin")
    return _bargain_linear("maximin", inst, notes, None)


def ks(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Bargain:
    """The Kalai–Smorodinsky package: maximise ``min_k (U_k − d_k) / (ideal_k − d_k)``.

    ``ideal_k`` is the best utility actor ``k`` gets in any acceptable package
    (one MILP per actor); an actor whose ideal equals its batna (within TOL) is
    left out of the minimum. Ties go to the larger sum of ratios (so the package
    is Pareto-optimal), then to the first package in the tie order.

    >>> from accord.analysis.solve_toy import toy_case
    >>> r = ks(toy_case())
    >>> r.package.package, r.ideal
    ({'a': 'a0', 'b': 'b1'}, {'north': 0.4, 'south': 0.75})
    """
    inst, notes = strict(case, actors, without, "ks")
    if inst.empty:
        return Bargain(goal="ks", status="infeasible", actors=inst.space.actors, notes=tuple(notes))
    ideal = np.zeros(inst.n_actors)
    for k in range(inst.n_actors):
        m, _ = base_model(inst)
        got = solve_checked(inst, m, util_stage(inst, k).cost, True, [acceptable_check(inst)])
        if got is None:
            return Bargain(goal="ks", status="infeasible", actors=inst.space.actors, notes=tuple(notes))
        ideal[k] = inst.utilities(got[0])[k]
    span = ideal - inst.batna
    scale = np.where(span > TOL, 1.0 / np.where(span > TOL, span, 1.0), 0.0)
    res = _bargain_linear("ks", inst, notes, scale)
    return replace(res, ideal={a: float(ideal[k]) for k, a in enumerate(inst.space.actors)})


def _bargain_linear(goal: str, inst: Instance, notes: list[str], scale: np.ndarray | None) -> Bargain:
    who = inst.space.actors
    if inst.empty:
        return Bargain(goal=goal, status="infeasible", actors=who, notes=tuple(notes))
    m, _ = base_model(inst)
    checks = [acceptable_check(inst)]
    got = stages(inst, m, maximin_stages(inst, m, scale), checks)
    if got is None:
        return Bargain(goal=goal, status="infeasible", actors=who, notes=tuple(notes))
    idx, values = got
    v = values[0] if scale is None or (scale > 0).any() else 1.0
    return Bargain(goal=goal, status="optimal", actors=who, notes=tuple(notes), package=scored(inst, idx),
                   value=v, bound=v, gap=0.0, iterations=1)


def nash(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Bargain:
    """The Nash bargaining package: maximise ``Π_k (U_k − d_k)`` over acceptable packages, exactly.

    Method (outer approximation, Duran & Grossmann 1986): maximise ``Σ_k t_k``
    over the MILP of acceptable packages with every gain ``g_k = U_k − d_k``
    positive, where each ``t_k`` is bounded by tangents of ``log`` —
    ``t_k ≤ log g⁰ + (g_k − g⁰)/g⁰`` — at a few points and then at the gains of
    each package the MILP returns. Start from the maximin package.

    Optimality proof: ``log`` is concave, so every tangent lies above it and
    the MILP is a relaxation of ``max Σ log g_k``: its dual bound is an upper
    bound ``UB`` on the optimal log-product. Every package found is feasible, so
    the best true ``Σ log g_k`` found is a lower bound ``LB``. A tangent at the
    gains of the package the MILP returns makes the relaxation exact at that
    package, so no package is returned twice with an overestimate: the loop
    ends (finitely many packages) and stops once ``UB − LB ≤ 1e-9``, i.e. the
    product found is within a relative gap of 1e-9 of the optimum. ``bound``
    and ``gap`` report ``exp(UB)`` and ``1 − exp(LB − UB)``. Packages whose
    log-product is within TOL of ``LB`` tie; the first in the tie order
    is returned. When every acceptable package leaves some actor at its batna
    (all products 0) the status is ``degenerate`` and the maximin package is shown.

    >>> from accord.analysis.solve_toy import toy_case
    >>> r = nash(toy_case())
    >>> r.status, r.gap <= 1e-9
    ('optimal', True)
    """
    inst, notes = strict(case, actors, without, "nash")
    return _nash(inst, notes)


def _nash(inst: Instance, notes: list[str], m: Milp | None = None, checks: list[Check] | None = None,
          after: Sequence[Stage] = ()) -> Bargain:
    """Nash over the packages of ``m``/``checks`` (default: all acceptable), then ``after`` stages, then lexmin."""
    who = inst.space.actors
    if inst.empty:
        return Bargain(goal="nash", status="infeasible", actors=who, notes=tuple(notes))
    if m is None:
        m, _ = base_model(inst)
    checks = list(checks) if checks is not None else [acceptable_check(inst)]
    probe = m.copy()
    st = maximin_stages(inst, probe, None)
    # A start with every gain positive: maximin solved only to a 50 % gap (any such package will do);
    # when that leaves some gain ≤ TOL, maximin is solved exactly to decide degeneracy.
    got = solve_checked(inst, probe, st[0].cost, True, checks, rel_gap=0.5)
    if got is not None and float(inst.gains(got[0]).min()) <= TOL:
        got = solve_checked(inst, probe, st[0].cost, True, checks)
    if got is None:
        return Bargain(goal="nash", status="infeasible", actors=who, notes=tuple(notes))
    if float(inst.gains(got[0]).min()) <= TOL:  # degenerate: maximin, then the ``after`` stages, then lexmin
        res = stages(inst, probe, [*st, *after], list(checks))
        assert res is not None
        return Bargain(goal="nash", status="degenerate", actors=who, notes=tuple(notes),
                       package=scored(inst, res[0]), value=0.0, bound=0.0, gap=0.0)
    nb = nash_bound(inst, m, checks, got[0])
    idx = nb.idx
    assert idx is not None
    for s in after:
        r = optimise(inst, m, s, checks)
        assert r is not None
        idx = r[0]
    idx = lexmin(inst, m, checks, idx)
    value = math.exp(nb.lower)
    bound = math.exp(nb.upper) if math.isfinite(nb.upper) else math.inf
    gap = max(0.0, 1.0 - math.exp(nb.lower - nb.upper)) if math.isfinite(nb.upper) else math.inf
    return Bargain(goal="nash", status=nb.status, actors=who, notes=tuple(notes), package=scored(inst, idx),
                   value=value, bound=max(bound, value), gap=gap, iterations=nb.iterations)


def amend(
    case: Case, plan: Plan | str, actors: Sequence[str] | None = None, k: int | None = None,
    objective: Literal["maximin", "nash"] = "nash", without: Sequence[str] = (),
) -> Amendment:
    """The fewest changes to ``plan`` that make it acceptable to every required actor, and the best plan within ``k``.

    A change moves one issue of the plan's package (status quo where the plan is
    silent) to another option. *Fewest*: minimise the number of changed issues,
    then maximise the smallest gain over batna, then the total gain. *Best within
    k* (when ``k`` is given): over packages with at most ``k`` changes, maximise
    the Nash product (``objective="nash"``, default; exact as in :func:`nash`) or
    the smallest gain then the total gain (``"maximin"``); then fewest changes.
    Remaining ties go to the plan's own option, then the status quo (dropping the
    provision), then the issue's options in order. (Nash is the default: it is
    Pareto-optimal and, on large cases, its MILPs close much faster than max–min.)

    >>> from accord.analysis.solve_toy import toy_case
    >>> from accord.model import Plan, Provision
    >>> plan = Plan(id="p", name="P", provisions=[Provision(id="1", title="t", text="t", issue="a", option="a2")])
    >>> case = toy_case().model_copy(update={"plans": (plan,)})
    >>> [str(c) for c in amend(case, "p").fewest.changes]
    ['a: a2 → a1 (provision 1)']
    """
    if isinstance(plan, str):
        try:
            plan = case.plan(plan)
        except KeyError as e:
            raise AccordError(str(e.args[0])) from None
    space = required_space(case, actors, without)
    notes = notes_of(space, without, "amend")
    who = space.actors
    if k is not None and k < 0:
        raise AccordError(f"k must be 0 or more, got {k}")
    if objective not in ("maximin", "nash"):
        raise AccordError(f"unknown amend objective '{objective}'; expected maximin or nash")
    plan_idx = space.package_index(case.package(plan))
    sq = space.package_index(case.status_quo())
    ranks = []
    for i in range(len(space.issues)):
        order = [plan_idx[i]] + ([sq[i]] if sq[i] != plan_idx[i] else [])
        order += [j for j in range(len(space.options[i])) if j not in order]
        ranks.append([order.index(j) for j in range(len(space.options[i]))])
    inst = instance(space, ranks=ranks)
    loose = instance(space, relax=True, ranks=ranks)
    plan_scored = scored(loose, plan_idx)
    rejecting = tuple(a for a, ok in zip(who, loose.accepts(plan_idx), strict=True) if not ok)

    def result(status: str, **kw: object) -> Amendment:
        return Amendment(goal="amend", status=status, actors=who, notes=tuple(notes), plan=plan.id,
                         objective=objective, k=k, plan_package=plan_scored, rejecting=rejecting, **kw)  # type: ignore[arg-type]
    cost = {c: 1.0 for c in range(inst.ncols) if inst.col_option[c] != plan_idx[inst.col_issue[c]]}

    def n_changes(p: Index) -> float:
        return float(sum(1 for i, j in enumerate(p) if j != plan_idx[i]))

    def changes(p: Index) -> tuple[Change, ...]:
        return tuple(
            Change(space.issues[i], space.options[i][plan_idx[i]], space.options[i][j],
                   tuple(pr.id for pr in plan.settling(space.issues[i]) if pr.option is not None))
            for i, j in enumerate(p) if j != plan_idx[i]
        )

    if inst.empty:
        return result("infeasible")
    m, _ = base_model(inst)
    checks = [acceptable_check(inst)]
    fewest_stage = Stage(cost, n_changes, maximize=False)
    got = optimise(inst, m, fewest_stage, checks)
    if got is None:
        return result("infeasible")
    res = stages(inst, m, maximin_stages(inst, m), checks)
    assert res is not None
    fewest = Amended(changes(res[0]), scored(inst, res[0]))
    status = "accepted" if not fewest.changes else "amendable"
    best = None
    best_value = None
    if k is not None:
        mk, _ = base_model(inst)
        mk.add_row(list(cost), [1.0] * len(cost), hi=k + 0.5)
        kchecks: list[Check] = [acceptable_check(inst), lambda _m, p: n_changes(p) <= k]
        if objective == "nash":
            b = _nash(inst, [], mk, kchecks, after=[fewest_stage])
            if b.package is not None:
                idx = space.package_index(b.package.package)
                best, best_value = Amended(changes(idx), b.package), b.value
        else:
            seq = [*maximin_stages(inst, mk), fewest_stage]
            r = stages(inst, mk, seq, kchecks)
            if r is not None:
                best, best_value = Amended(changes(r[0]), scored(inst, r[0])), r[1][0]
    return result(status, fewest=fewest, best=best, best_value=best_value)


def solve(
    case: Case, goal: str, actors: Sequence[str] | None = None, plan: str | None = None,
    k: int | None = None, among: Sequence[str] | None = None, limit: int | None = None,
    without: Sequence[str] = (), objective: str = "nash",
) -> SolveResult:
    """Run one goal by name (what ``accord solve --goal`` calls)."""
    if goal not in GOALS:
        raise AccordError(f"unknown goal '{goal}'; expected one of {', '.join(GOALS)}")
    if goal == "amend":
        if plan is None:
            raise AccordError("the amend goal needs a plan (--plan ID)")
        if objective not in ("maximin", "nash"):
            raise AccordError(f"unknown amend objective '{objective}'; expected maximin or nash")
        return amend(case, plan, actors, k=k, objective=objective, without=without)  # type: ignore[arg-type]
    if plan is not None:
        raise AccordError(f"--plan is only used by the amend goal, not '{goal}'")
    if goal == "feasible":
        return feasible(case, actors, without)
    if goal == "conflicts":
        return conflicts(case, actors, limit=limit or 20, without=without)
    if goal == "pareto":
        return pareto(case, actors, among=among, limit=limit or 200, without=without)
    return {"nash": nash, "ks": ks, "maximin": maximin}[goal](case, actors, without)

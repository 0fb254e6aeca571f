"""Exact search over every package of a case: feasibility, red-line conflicts, Pareto frontier,
bargaining solutions (Nash, Kalai–Smorodinsky, maximin) and minimal amendments of a plan.

Every goal is a mixed-integer linear program solved by HiGHS (see
:mod:`accord.analysis.solve_core` for the model): one binary per option,
one option per issue, no option on a required actor's red line, and each
required actor's utility ``Σ_i salience·u`` at least its batna (within
``TOL = 1e-9``). Required actors default to the case's parties.

Ties are broken the same way everywhere: after the goal's objectives, the
package nearest the status quo wins, issue by issue in case order (status quo
first, then the issue's options as listed); an issue that no required actor
cares about therefore stays at its status quo.

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
    nogood,
    optimise,
    solve_checked,
    stages,
)
from accord.analysis.solve_highs import Milp
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
from accord.analysis.space import Space, space_of
from accord.errors import AccordError
from accord.model import Case, Plan

__all__ = [
    "GOALS", "Amended", "Amendment", "Bargain", "Change", "Conflict", "Conflicts", "Constraint",
    "Feasibility", "Frontier", "Scored", "SolveResult", "amend", "conflicts", "feasible", "ks",
    "maximin", "nash", "pareto", "solve",
]

GOALS = ("feasible", "conflicts", "pareto", "nash", "ks", "maximin", "amend")
Goal = Literal["feasible", "conflicts", "pareto", "nash", "ks", "maximin", "amend"]
CaseLike = Case | Space


# -- shared ------------------------------------------------------------------------------------


def required_space(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Space:
    """The numeric view for the actors that must agree (default: the case's parties).

    ``without`` sets red lines aside, each as ``"actor:issue"`` (a what-if:
    "if russia dropped its red line on territory"). Raises :class:`AccordError`
    for unknown or missing actors and issues.
    """
    if isinstance(case, Space):
        if (actors is None or tuple(actors) == case.actors) and not without:
            return case
        actors = case.actors if actors is None else actors
        case = case.case
    known = case.actor_ids
    chosen = list(dict.fromkeys(actors)) if actors is not None else (case.parties or known)
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise AccordError(f"unknown actor{'s' if len(unknown) > 1 else ''} {', '.join(repr(a) for a in unknown)}; "
                          f"expected some of {known}")
    if not chosen:
        raise AccordError("no actors to solve for; name at least one (e.g. --actors russia,ukraine)")
    space = space_of(case, chosen)
    if not without:
        return space
    allowed = [list(row) for row in space.allowed]
    for item in without:
        actor, _, issue = item.partition(":")
        if actor not in space.actors:
            raise AccordError(f"--without {item}: '{actor}' is not one of the actors {list(space.actors)}")
        if issue not in space.issues:
            raise AccordError(f"--without {item}: unknown issue '{issue}'; expected actor:issue with one of "
                              f"{list(space.issues)}")
        k, i = space.actors.index(actor), space.issues.index(issue)
        allowed[k][i] = np.ones(len(space.options[i]), dtype=bool)
    return replace(space, allowed=tuple(tuple(row) for row in allowed))


def scored(inst: Instance, idx: Index) -> Scored:
    sp = inst.space
    u = inst.utilities(idx)
    return Scored(
        package=sp.package_of(idx),
        utilities={a: float(u[k]) for k, a in enumerate(sp.actors)},
        gains={a: float(u[k] - inst.batna[k]) for k, a in enumerate(sp.actors)},
    )


def diagnose(space: Space) -> list[str]:
    """Plain-language reasons a deal may be hard: empty issues, batnas out of reach, idle issues."""
    notes: list[str] = []
    K, actors, issues = len(space.actors), space.actors, space.issues
    if K == 1:
        notes.append(f"Only one actor ({actors[0]}) must agree, so every goal reduces to its best acceptable package.")
    for k in range(K):
        for i in range(len(issues)):
            if not space.allowed[k][i].any():
                notes.append(f"{actors[k]} has no acceptable option on {issues[i]}: every option is on its red line.")
    for i in range(len(issues)):
        if K and not np.logical_and.reduce([space.allowed[k][i] for k in range(K)]).any():
            if any(not space.allowed[k][i].any() for k in range(K)):
                continue
            who = "; ".join(
                f"{actors[k]} rejects {', '.join(_rejected(space, k, i))}"
                for k in range(K) if not space.allowed[k][i].all()
            )
            notes.append(f"On {issues[i]} every option is on someone's red line ({who}).")
    own = np.array([
        sum(float(space.weighted[k][i][space.allowed[k][i]].max()) if space.allowed[k][i].any() else -math.inf
            for i in range(len(issues)))
        for k in range(K)
    ])
    above = [k for k in range(K) if space.batna[k] > own[k] + TOL]
    if above and len(above) == K and K > 1:
        notes.append("All batnas are above reach: no package gives any of "
                     f"{', '.join(actors)} its batna even ignoring the others.")
    for k in above:
        best = "no package" if not math.isfinite(own[k]) else f"at most {own[k]:.3f}"
        notes.append(f"{actors[k]}'s batna ({space.batna[k]:.3f}) is above reach: "
                     f"packages within its own red lines give it {best}.")
    idle = [issues[i] for i in instance(space).idle] if K else []
    if idle:
        notes.append(f"{len(idle)} issue{'s' if len(idle) > 1 else ''} matter to none of these actors "
                     f"({', '.join(idle)}); {'they stay' if len(idle) > 1 else 'it stays'} at the status quo.")
    return notes


def _notes(space: Space, without: Sequence[str]) -> list[str]:
    what_if = [f"What if: {w.partition(':')[0]}'s red line on {w.partition(':')[2]} is set aside." for w in without]
    return what_if + diagnose(space)


def _rejected(space: Space, k: int, i: int) -> list[str]:
    return [o for o, ok in zip(space.options[i], space.allowed[k][i], strict=True) if not ok]


def _maximin_stages(inst: Instance, m: Milp, scale: np.ndarray | None = None) -> list[Stage]:
    """Stages: maximise min_k gain_k·scale_k (aux column z), then Σ_k U_k·scale_k."""
    K, x = inst.n_actors, np.arange(inst.ncols)
    s = np.ones(K) if scale is None else scale
    z = int(m.add_cols(1, lo=-1e6, hi=1e6)[0])
    for k in range(K):
        if s[k] > 0:  # z ≤ s_k (W_k x − d_k)
            m.add_row(np.concatenate([[z], x]), np.concatenate([[1.0], -s[k] * inst.W[k]]), hi=-s[k] * inst.batna[k])
    live = [k for k in range(K) if s[k] > 0]

    def least(idx: Index) -> float:
        g = inst.gains(idx)
        return min((float(g[k] * s[k]) for k in live), default=1e6)

    total = (s[:, None] * inst.W).sum(axis=0)

    def summed(idx: Index) -> float:
        u = inst.utilities(idx)
        return float(sum(u[k] * s[k] for k in range(K)))

    return [
        Stage({z: 1.0}, least, probe=True),
        Stage({int(c): float(total[c]) for c in range(inst.ncols)}, summed),
    ]


def _strict(case: CaseLike, actors: Sequence[str] | None, without: Sequence[str]) -> tuple[Instance, list[str]]:
    space = required_space(case, actors, without)
    return instance(space), _notes(space, without)


# -- goals -------------------------------------------------------------------------------------


def feasible(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Feasibility:
    """Is some package acceptable to every required actor? If so, the one nearest the status quo.

    >>> from accord.analysis.solve_toy import toy_case
    >>> feasible(toy_case(batna=(0.8, 0.8))).status
    'infeasible'
    """
    inst, notes = _strict(case, actors, without)
    who = inst.space.actors
    idx = None if inst.empty else _canonical(inst, base_model(inst)[0], [acceptable_check(inst)])
    if idx is None:
        return Feasibility(goal="feasible", status="infeasible", actors=who, notes=tuple(notes))
    return Feasibility(goal="feasible", status="feasible", actors=who, notes=tuple(notes), package=scored(inst, idx))


def _canonical(inst: Instance, m: Milp, checks: list[Check]) -> Index | None:
    got = solve_checked(inst, m, {}, False, checks)
    return None if got is None else lexmin(inst, m, checks, got[0])


def _constraints(inst: Instance) -> list[tuple[Constraint, int | None, int]]:
    """Every relaxable constraint, as (constraint, issue or None for a batna, actor), in actor order."""
    sp = inst.space
    floor = inst.floor()
    out: list[tuple[Constraint, int | None, int]] = []
    for k, a in enumerate(sp.actors):
        for i, iss in enumerate(sp.issues):
            bad = tuple(_rejected(sp, k, i))
            if bad:
                out.append((Constraint("red_line", a, iss, bad), i, k))
        if inst.batna[k] - TOL > floor[k]:
            out.append((Constraint("batna", a, batna=float(inst.batna[k])), None, k))
    return out


def _violated(inst: Instance, cons: list[tuple[Constraint, int | None, int]], idx: Index) -> frozenset[int]:
    u = inst.utilities(idx)
    sp = inst.space
    out = set()
    for n, (_, i, k) in enumerate(cons):
        if i is None:
            if u[k] < inst.batna[k] - TOL:
                out.add(n)
        elif not sp.allowed[k][i][idx[i]]:
            out.add(n)
    return frozenset(out)


def conflicts(
    case: CaseLike, actors: Sequence[str] | None = None, limit: int = 20, without: Sequence[str] = (),
) -> Conflicts:
    """Every minimal set of red lines and batna floors whose removal lets a package exist, smallest first.

    Minimal correction sets by repeated minimum-cardinality MILPs: binaries
    ``y_c`` relax a red line (``x`` on its options ≤ ``y_c``) or a batna floor
    (big-M); minimise ``Σ y``; record the set, block it and its supersets
    (``Σ_{c∈S} y_c ≤ |S| − 1``) and repeat until infeasible (the list is then
    complete) or ``limit`` sets. Each set found has minimum size among the sets
    not yet blocked, so none contains another. Constraints are listed by actor
    (red lines in issue order, then the batna); sets by size, then that order.

    >>> from accord.analysis.solve_toy import toy_case
    >>> for c in conflicts(toy_case(batna=(0.75, 0.6))).conflicts:
    ...     print(c)
    north accepts less than its batna (0.750)
    south drops its red line on a (a2) and south accepts less than its batna (0.600)
    """
    space = required_space(case, actors, without)
    notes = _notes(space, without)
    strict = instance(space)
    who = space.actors
    if not strict.empty and solve_checked(strict, base_model(strict)[0], {}, False, [acceptable_check(strict)]):
        return Conflicts(goal="conflicts", status="feasible", actors=who, notes=tuple(notes))
    inst = instance(space, relax=True)
    cons = _constraints(inst)
    m, x = base_model(inst, floors=False)
    y = m.add_cols(len(cons), integer=True)
    floor = inst.floor()
    for n, (_, i, k) in enumerate(cons):
        if i is None:
            big = inst.batna[k] - floor[k] + 1e-3  # any M ≥ batna − TOL − floor is valid; padded
            m.add_row(np.concatenate([x, [y[n]]]), np.concatenate([inst.W[k], [big]]), lo=inst.batna[k] - TOL)
        else:
            cols = [c for c in inst.issue_cols[i] if inst.forbid[k, c]]
            m.add_row([*cols, int(y[n])], [1.0] * len(cols) + [-1.0], hi=0.0)
    found: list[frozenset[int]] = []
    complete = True
    objective = {int(c): 1.0 for c in y}
    while True:
        if len(found) >= limit:
            complete = False
            break
        sol = m.solve(objective)
        if sol.status != "optimal":
            break
        idx = inst.decode(sol.x)
        got = _violated(inst, cons, idx)
        if len(got) > round(sol.value) or any(f <= got for f in found):  # tolerance artefact
            nogood(inst, m, idx)
            continue
        found.append(got)
        m.add_row([int(y[n]) for n in got], [1.0] * len(got), hi=len(got) - 1)
    found.sort(key=lambda s: (len(s), sorted(s)))
    out = []
    for s in found:
        mw, _ = base_model(inst, floors=False)
        for n, (_, i, k) in enumerate(cons):
            if n in s:
                continue
            if i is None:
                mw.add_row(np.arange(inst.ncols), inst.W[k], lo=inst.batna[k] - TOL)
            else:
                for c in inst.issue_cols[i]:
                    if inst.forbid[k, c]:
                        mw.hi[int(c)] = 0.0

        def within(_m: Milp, p: Index, s: frozenset[int] = s) -> bool:
            return _violated(inst, cons, p) <= s

        witness = _canonical(inst, mw, [within])
        assert witness is not None
        out.append(Conflict(tuple(cons[n][0] for n in sorted(s)), scored(inst, witness)))
    return Conflicts(goal="conflicts", status="conflicts", actors=who, notes=tuple(notes),
                     conflicts=tuple(out), complete=complete)


def pareto(
    case: CaseLike, actors: Sequence[str] | None = None, among: Sequence[str] | None = None, limit: int = 200,
    without: Sequence[str] = (),
) -> Frontier:
    """The exact Pareto frontier of ``among`` (1–3 actors) over the packages every required actor accepts.

    ``among`` defaults to the required actors when there are at most three,
    else to the case's tilt pair. A point is kept when no acceptable package is
    at least as good for every actor of ``among`` and better (by more than
    TOL) for one: weakly dominated packages are left out, and packages with
    equal utilities count once (the one nearest the status quo is shown).

    Two actors: lexicographic ε-constraint (maximise ``U_a`` subject to
    ``U_b ≥ ε``, then ``U_b`` at that ``U_a``; next ``ε`` just above the point).
    Three: Sylva & Crema — maximise ``Σ U`` over packages not weakly dominated
    by any point found so far (one disjunction of three binaries per point).

    >>> from accord.analysis.solve_toy import toy_case
    >>> [p.package for p in pareto(toy_case()).points]
    [{'a': 'a0', 'b': 'b1'}, {'a': 'a1', 'b': 'b0'}]
    """
    space = required_space(case, actors, without)
    notes = _notes(space, without)
    who = space.actors
    if among is None:
        if len(who) <= 3:
            among = who
        elif all(a in who for a in space.case.tilt_pair):
            among = space.case.tilt_pair
            notes.append(f"The frontier compares {among[0]} and {among[1]} (the case's tilt pair).")
        else:
            raise AccordError("pareto compares 1 to 3 actors; choose them with --among")
    among = tuple(dict.fromkeys(among))
    bad = [a for a in among if a not in who]
    if bad:
        raise AccordError(f"pareto: {', '.join(bad)} not among the required actors {list(who)}")
    if not 1 <= len(among) <= 3:
        raise AccordError(f"pareto compares 1 to 3 actors, got {len(among)}; choose them with --among")
    inst = instance(space)
    ks = [who.index(a) for a in among]
    points: list[Index] = []
    complete = True
    if not inst.empty:
        points, complete = (_pareto2 if len(ks) == 2 else _pareto_sc)(inst, ks, limit)
    return Frontier(goal="pareto", status="optimal" if points else "infeasible", actors=who, notes=tuple(notes),
                    among=among, points=tuple(scored(inst, p) for p in points), complete=complete)


def _util_stage(inst: Instance, k: int, probe: bool = False) -> Stage:
    return Stage({c: float(inst.W[k, c]) for c in range(inst.ncols)}, lambda p: float(inst.utilities(p)[k]),
                 probe=probe)


def _pareto2(inst: Instance, ks: list[int], limit: int) -> tuple[list[Index], bool]:
    a, b = ks
    x = np.arange(inst.ncols)
    out: list[Index] = []
    eps = -math.inf
    while len(out) < limit:
        m, _ = base_model(inst)
        checks = [acceptable_check(inst)]
        if eps > -math.inf:
            m.add_row(x, inst.W[b], lo=eps)
            checks.append(_at_least(inst, b, eps))
        got = stages(inst, m, [_util_stage(inst, a, probe=True), _util_stage(inst, b)], checks)
        if got is None:
            return out, True
        out.append(got[0])
        eps = got[1][1] + 2 * TOL
    return out, _exhausted(inst, ks, out)


def _exhausted(inst: Instance, ks: list[int], found: list[Index]) -> bool:
    m, checks = _undominated(inst, ks, found)
    return solve_checked(inst, m, {}, False, checks) is None


def _undominated(inst: Instance, ks: list[int], found: list[Index]) -> tuple[Milp, list[Check]]:
    """The acceptable packages that no point of ``found`` weakly dominates."""
    m, x = base_model(inst)
    checks = [acceptable_check(inst)]
    floor = inst.floor()
    for p in found:
        u = inst.utilities(p)
        d = m.add_cols(len(ks), integer=True)
        m.add_row(d, np.ones(len(ks)), lo=1.0)
        for n, k in enumerate(ks):
            big = max(0.0, u[k] - floor[k]) + 1e-3  # padded big-M
            m.add_row(np.concatenate([x, [d[n]]]), np.concatenate([inst.W[k], [-big]]), lo=u[k] + 2 * TOL - big)

        def better(_m: Milp, q: Index, u: np.ndarray = u) -> bool:
            v = inst.utilities(q)
            return any(v[k] > u[k] + TOL for k in ks)

        checks.append(better)
    return m, checks


def _pareto_sc(inst: Instance, ks: list[int], limit: int) -> tuple[list[Index], bool]:
    total = inst.W[ks].sum(axis=0)
    found: list[Index] = []
    while len(found) < limit:
        m, checks = _undominated(inst, ks, found)
        got = solve_checked(inst, m, {c: float(total[c]) for c in range(inst.ncols)}, True, checks)
        if got is None:
            break
        found.append(got[0])
    complete = len(found) < limit or _exhausted(inst, ks, found)
    out = []
    for p in found:
        u = inst.utilities(p)
        m, x = base_model(inst)
        for k in ks:
            m.add_row(x, inst.W[k], lo=u[k] - TOL)
        checks = [acceptable_check(inst), *(_at_least(inst, k, u[k] - TOL) for k in ks)]
        out.append(lexmin(inst, m, checks, p))
    out.sort(key=lambda p: tuple(-inst.utilities(p)[k] for k in ks))
    return out, complete


def _at_least(inst: Instance, k: int, v: float) -> Check:
    return lambda _m, p: float(inst.utilities(p)[k]) >= v


def maximin(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Bargain:
    """The egalitarian package: maximise the smallest gain over batna; ties to the larger total gain.

    >>> from accord.analysis.solve_toy import toy_case
    >>> r = maximin(toy_case())
    >>> r.package.package, round(r.value, 3)
    ({'a': 'a0', 'b': 'b1'}, 0.1)
    """
    inst, notes = _strict(case, actors, without)
    return _bargain_linear("maximin", inst, notes, None)


def ks(case: CaseLike, actors: Sequence[str] | None = None, without: Sequence[str] = ()) -> Bargain:
    """The Kalai–Smorodinsky package: maximise ``min_k (U_k − d_k) / (ideal_k − d_k)``.

    ``ideal_k`` is the best utility actor ``k`` gets in any acceptable package
    (one MILP per actor); an actor whose ideal equals its batna (within TOL) is
    left out of the minimum. Ties go to the larger sum of ratios (so the package
    is Pareto-optimal), then to the package nearest the status quo.

    >>> from accord.analysis.solve_toy import toy_case
    >>> r = ks(toy_case())
    >>> r.package.package, r.ideal
    ({'a': 'a0', 'b': 'b1'}, {'north': 0.4, 'south': 0.75})
    """
    inst, notes = _strict(case, actors, without)
    if inst.empty:
        return Bargain(goal="ks", status="infeasible", actors=inst.space.actors, notes=tuple(notes))
    ideal = np.zeros(inst.n_actors)
    for k in range(inst.n_actors):
        m, _ = base_model(inst)
        got = solve_checked(inst, m, _util_stage(inst, k).cost, True, [acceptable_check(inst)])
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
    got = stages(inst, m, _maximin_stages(inst, m, scale), checks)
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
    log-product is within TOL of ``LB`` tie; the one nearest the status quo
    is returned. When every acceptable package leaves some actor at its batna
    (all products 0) the status is ``degenerate`` and the maximin package is shown.

    >>> from accord.analysis.solve_toy import toy_case
    >>> r = nash(toy_case())
    >>> r.status, r.gap <= 1e-9
    ('optimal', True)
    """
    inst, notes = _strict(case, actors, without)
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
    st = _maximin_stages(inst, probe, None)
    # A start with every gain positive: maximin solved only to a 50 % gap (any such package will do);
    # when that leaves some gain ≤ TOL, maximin is solved exactly to decide degeneracy.
    got = solve_checked(inst, probe, st[0].cost, True, checks, rel_gap=0.5)
    if got is not None and float(inst.gains(got[0]).min()) <= TOL:
        got = solve_checked(inst, probe, st[0].cost, True, checks)
    if got is None:
        return Bargain(goal="nash", status="infeasible", actors=who, notes=tuple(notes))
    if float(inst.gains(got[0]).min()) <= TOL:
        res = stages(inst, probe, st, list(checks))
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
    notes = _notes(space, without)
    who = space.actors
    if k is not None and k < 0:
        raise AccordError(f"k must be 0 or more, got {k}")
    if objective not in ("maximin", "nash"):
        raise AccordError(f"unknown amend objective '{objective}'; expected maximin or nash")
    settled = {**case.status_quo(), **plan.settled()}
    plan_idx = space.package_index(settled)
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
    res = stages(inst, m, _maximin_stages(inst, m), checks)
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
            seq = [*_maximin_stages(inst, mk), fewest_stage]
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

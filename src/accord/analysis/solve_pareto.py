"""The pareto goal: the exact Pareto frontier of one to three actors."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np

from accord.analysis.solve_common import CaseLike, at_least, notes_of, required_space, scored, util_stage
from accord.analysis.solve_core import (
    TOL,
    Check,
    Index,
    Instance,
    acceptable_check,
    base_model,
    instance,
    lexmin,
    solve_checked,
    stages,
)
from accord.analysis.solve_frontier import PARTIALS, TooLarge, frontier
from accord.analysis.solve_highs import Milp
from accord.analysis.solve_result import Frontier
from accord.errors import AccordError


def pareto(
    case: CaseLike, actors: Sequence[str] | None = None, among: Sequence[str] | None = None, limit: int = 200,
    without: Sequence[str] = (), method: Literal["merge", "milp"] = "merge",
) -> Frontier:
    """The exact Pareto frontier of ``among`` (1–3 actors) over the packages every required actor accepts.

    ``among`` defaults to the required actors when there are at most three,
    else to the case's tilt pair. A point is kept when no acceptable package is
    at least as good for every actor of ``among`` and better (by more than
    TOL) for one: weakly dominated packages are left out, and packages with
    equal utilities count once (the first in the tie order is shown).

    ``method="merge"`` (default): the whole frontier by merging issues
    (:mod:`accord.analysis.solve_frontier`); the first ``limit`` points are
    returned and ``complete`` says whether there are more. ``method="milp"``
    (the earlier method, kept as a baseline for ``bench/solve.py``): two
    actors by lexicographic ε-constraint (maximise ``U_a`` subject to
    ``U_b ≥ ε``, then ``U_b`` at that ``U_a``; next ``ε`` just above the
    point); one or three by Sylva & Crema — maximise ``Σ U`` over packages not
    weakly dominated by any point found so far (one disjunction of binaries
    per point) — one MILP round per point, stopping at ``limit``.

    >>> from accord.analysis.solve_toy import toy_case
    >>> [p.package for p in pareto(toy_case()).points]
    [{'a': 'a0', 'b': 'b1'}, {'a': 'a1', 'b': 'b0'}]
    """
    space = required_space(case, actors, without)
    notes = notes_of(space, without, "pareto")
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
    if limit < 1:
        raise AccordError(f"pareto: limit must be 1 or more, got {limit}")
    if method not in ("merge", "milp"):
        raise AccordError(f"pareto: unknown method '{method}'; expected merge or milp")
    if not inst.empty:
        if method == "merge":
            try:
                points, complete = frontier(inst, ks, limit)
            except TooLarge:
                notes.append(f"The merge of issues outgrew {PARTIALS} partial packages, so the frontier was "
                             "found point by point with MILPs, up to the limit.")
                method = "milp"
        if method == "milp":
            points, complete = (_pareto2 if len(ks) == 2 else _pareto_sc)(inst, ks, limit)
    return Frontier(goal="pareto", status="optimal" if points else "infeasible", actors=who, notes=tuple(notes),
                    method=method, among=among, points=tuple(scored(inst, p) for p in points), complete=complete)


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
            checks.append(at_least(inst, b, eps))
        got = stages(inst, m, [util_stage(inst, a, probe=True), util_stage(inst, b)], checks)
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
        checks = [acceptable_check(inst), *(at_least(inst, k, u[k] - TOL) for k in ks)]
        out.append(lexmin(inst, m, checks, p))
    out.sort(key=lambda p: tuple(-inst.utilities(p)[k] for k in ks))
    return out, complete

"""The conflicts goal: every minimal set of red lines and batna floors that blocks a deal."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.analysis.acceptance import accepts, batna_floor
from accord.analysis.solve_common import CaseLike, canonical, notes_of, rejected, required_space, scored
from accord.analysis.solve_core import (
    Index,
    Instance,
    SolveLimit,
    acceptable_check,
    base_model,
    instance,
    nogood,
    solve_checked,
)
from accord.analysis.solve_highs import Milp
from accord.analysis.solve_result import Conflict, Conflicts, Constraint
from accord.errors import AccordError


def _constraints(inst: Instance) -> list[tuple[Constraint, int | None, int]]:
    """Every relaxable constraint, as (constraint, issue or None for a batna, actor), in actor order."""
    sp = inst.space
    floor = inst.floor()
    out: list[tuple[Constraint, int | None, int]] = []
    for k, a in enumerate(sp.actors):
        for i, iss in enumerate(sp.issues):
            bad = tuple(rejected(sp, k, i))
            if bad:
                out.append((Constraint("red_line", a, iss, bad), i, k))
        if not accepts(float(floor[k]), float(inst.batna[k])):
            out.append((Constraint("batna", a, batna=float(inst.batna[k])), None, k))
    return out


def _violated(inst: Instance, cons: list[tuple[Constraint, int | None, int]], idx: Index) -> frozenset[int]:
    u = inst.utilities(idx)
    sp = inst.space
    out = set()
    for n, (_, i, k) in enumerate(cons):
        if i is None:
            if not accepts(float(u[k]), float(inst.batna[k])):
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
    complete). After ``limit`` sets one more solve decides ``complete``: it
    is False only when a further minimal set exists. Each set found has minimum size among the sets
    not yet blocked, so none contains another. Constraints are listed by actor
    (red lines in issue order, then the batna); sets by size, then that order.

    >>> from accord.analysis.solve_toy import toy_case
    >>> for c in conflicts(toy_case(batna=(0.75, 0.6))).conflicts:
    ...     print(c)
    north accepts less than its batna (0.750)
    south drops its red line on a (a2) and south accepts less than its batna (0.600)
    """
    if limit < 1:
        raise AccordError(f"conflicts: limit must be 1 or more, got {limit}")
    space = required_space(case, actors, without)
    notes = notes_of(space, without, "conflicts")
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
            m.add_row(np.concatenate([x, [y[n]]]), np.concatenate([inst.W[k], [big]]),
                      lo=batna_floor(float(inst.batna[k])))
        else:
            cols = [c for c in inst.issue_cols[i] if inst.forbid[k, c]]
            m.add_row([*cols, int(y[n])], [1.0] * len(cols) + [-1.0], hi=0.0)
    found: list[frozenset[int]] = []
    complete = True
    objective = {int(c): 1.0 for c in y}
    while True:
        sol = m.solve(objective)
        if sol.status == "infeasible":
            break
        if sol.status != "optimal":
            raise SolveLimit("HiGHS stopped before proving a minimal conflict set")
        idx = inst.decode(sol.x)
        got = _violated(inst, cons, idx)
        if len(got) > round(sol.value) or any(f <= got for f in found):  # tolerance artefact
            nogood(inst, m, idx)
            continue
        if len(found) == limit:  # one set more than asked for exists: the list is cut short
            complete = False
            break
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
                mw.add_row(np.arange(inst.ncols), inst.W[k], lo=batna_floor(float(inst.batna[k])))
            else:
                for c in inst.issue_cols[i]:
                    if inst.forbid[k, c]:
                        mw.hi[int(c)] = 0.0

        def within(_m: Milp, p: Index, s: frozenset[int] = s) -> bool:
            return _violated(inst, cons, p) <= s

        witness = canonical(inst, mw, [within])
        assert witness is not None
        out.append(Conflict(tuple(cons[n][0] for n in sorted(s)), scored(inst, witness)))
    return Conflicts(goal="conflicts", status="conflicts", actors=who, notes=tuple(notes),
                     conflicts=tuple(out), complete=complete)

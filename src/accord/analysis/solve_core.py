"""The building blocks of :mod:`accord.analysis.solve`: the instance, its MILP, exact checks, tie-breaking.

An :class:`Instance` is the numeric view (:func:`~accord.analysis.space.space_of`)
of a case for the actors that must agree, reduced to the options that matter:

- with ``relax=False`` every option on a required actor's red line is dropped;
- options of one issue that are indistinguishable (equal weighted utility for
  every actor, on the same red lines) are merged into the one ranked first —
  so an issue nobody cares about keeps a single option, its status quo.

The MILP (:func:`base_model`) has one binary ``x[c]`` per kept option (column
``c``), one-hot per issue, and a floor ``Σ_c W[k, c] x[c] ≥ batna_k − TOL`` per
required actor. Every package a solve returns is re-evaluated in exact
floating point (:meth:`Instance.utilities`, sums in issue order); a package a
check rejects (only possible within HiGHS' 1e-10 feasibility tolerance) is cut
off by a no-good row and the model is solved again, so answers agree exactly
with brute force under the tolerance ``TOL = 1e-9``.

Ties are broken by :func:`lexmin`: among the packages that pass every check
(the tied set), the one whose option *ranks* are lexicographically smallest in
issue order. By default an option's rank is 0 for the status quo, then the
other options in the order the issue lists them; :func:`lexmin` solves blocks
of issues at once with integer weights ``Π R`` (an exact lexicographic order
inside a block) and fixes each block before the next.

>>> from accord.analysis.solve_toy import toy_case
>>> inst = instance(space_of(toy_case()), relax=False)
>>> m, x = base_model(inst)
>>> idx = lexmin(inst, m, [acceptable_check(inst)])
>>> inst.space.package_of(idx)
{'a': 'a0', 'b': 'b1'}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from accord.analysis.acceptance import TOL, accepts, batna_floor
from accord.analysis.solve_highs import INF, Milp, MilpSolution
from accord.analysis.space import Space, space_of

__all__ = [
    "TOL", "Check", "Instance", "Stage", "SolveLimit", "acceptable_check", "base_model",
    "instance", "lexmin", "optimise", "solve_checked", "space_of", "stages", "unique",
]


LEX_LIMIT = 1 << 20
"""Largest product of option counts :func:`lexmin` packs into one block objective."""

Index = tuple[int, ...]
Check = Callable[[Milp, Index], bool]
"""Tests a package exactly; on failure adds cuts to the model and returns False."""


class SolveLimit(RuntimeError):
    """HiGHS stopped on a limit before proving optimality."""


@dataclass
class Instance:
    """A case for a set of required actors, as reduced MILP columns (see the module docstring)."""

    space: Space
    relax: bool
    col_issue: NDArray[np.int64]
    col_option: NDArray[np.int64]
    col_rank: NDArray[np.int64]
    issue_cols: list[NDArray[np.int64]]
    W: NDArray[np.float64]  # actors × columns
    forbid: NDArray[np.bool_]  # actors × columns: on the actor's red line
    batna: NDArray[np.float64]
    per_issue: list[NDArray[np.float64]] = field(repr=False)  # actors × options of issue i
    empty: list[int] = field(default_factory=list)  # issues with no option every actor allows
    idle: list[int] = field(default_factory=list)  # issues no actor cares about

    @property
    def n_issues(self) -> int:
        return len(self.issue_cols)

    @property
    def n_actors(self) -> int:
        return len(self.space.actors)

    @property
    def ncols(self) -> int:
        return len(self.col_issue)

    def utilities(self, idx: Sequence[int]) -> NDArray[np.float64]:
        """Exact utilities of every actor for a package (sums in issue order)."""
        u = np.zeros(self.n_actors)
        for i, j in enumerate(idx):
            u = u + self.per_issue[i][:, j]
        return u

    def gains(self, idx: Sequence[int]) -> NDArray[np.float64]:
        return self.utilities(idx) - self.batna

    def crossed(self, idx: Sequence[int]) -> list[tuple[int, int]]:
        """(actor, issue) pairs where the package is on the actor's red line."""
        sp = self.space
        return [(k, i) for k in range(self.n_actors) for i, j in enumerate(idx) if not sp.allowed[k][i][j]]

    def accepts(self, idx: Sequence[int]) -> NDArray[np.bool_]:
        """Per actor: :func:`~accord.analysis.acceptance.accepts` (no red line crossed, utility ≥ batna − TOL)."""
        crossed = np.zeros(self.n_actors, dtype=np.int64)
        for k, _ in self.crossed(idx):
            crossed[k] += 1
        return accepts(self.utilities(idx), self.batna, crossed)

    def column(self, i: int, j: int) -> int:
        cols = self.issue_cols[i]
        hit = cols[self.col_option[cols] == j]
        if len(hit) == 0:
            raise KeyError(f"option {j} of issue {i} is not a column of this instance")
        return int(hit[0])

    def decode(self, x: NDArray[np.float64]) -> Index:
        return tuple(int(self.col_option[cols[np.argmax(x[cols])]]) for cols in self.issue_cols)

    def reach(self) -> NDArray[np.float64]:
        """Per actor: an upper bound on its utility (best kept option on every issue)."""
        out = np.zeros(self.n_actors)
        for cols in self.issue_cols:
            if len(cols):
                out += self.W[:, cols].max(axis=1)
        return out

    def floor(self) -> NDArray[np.float64]:
        """Per actor: a lower bound on its utility over the kept options."""
        out = np.zeros(self.n_actors)
        for cols in self.issue_cols:
            if len(cols):
                out += self.W[:, cols].min(axis=1)
        return out


def default_ranks(space: Space) -> list[list[int]]:
    """Status quo first (rank 0), then the issue's other options in listed order."""
    out = []
    sq = space.case.status_quo()
    for i, iss in enumerate(space.issues):
        opts = space.options[i]
        first = opts.index(sq[iss])
        order = [first] + [j for j in range(len(opts)) if j != first]
        rank = [0] * len(opts)
        for r, j in enumerate(order):
            rank[j] = r
        out.append(rank)
    return out


def instance(space: Space, relax: bool = False, ranks: Sequence[Sequence[int]] | None = None) -> Instance:
    """Reduce ``space`` (whose actors all must agree) to MILP columns."""
    ranks = list(ranks) if ranks is not None else default_ranks(space)
    K = len(space.actors)
    c_issue: list[int] = []
    c_opt: list[int] = []
    c_rank: list[int] = []
    issue_cols: list[NDArray[np.int64]] = []
    per_issue = []
    empty, idle = [], []
    for i in range(len(space.issues)):
        n = len(space.options[i])
        Wi = np.array([space.weighted[k][i] for k in range(K)], dtype=float).reshape(K, n)
        Ai = np.array([space.allowed[k][i] for k in range(K)], dtype=bool).reshape(K, n)
        per_issue.append(Wi)
        if K == 0 or (np.all(Wi == Wi[:, :1]) and Ai.all()):
            idle.append(i)
        seen: set[tuple[bytes, bytes]] = set()
        cols = []
        for j in sorted(range(n), key=lambda j: ranks[i][j]):
            if not relax and not Ai[:, j].all():
                continue
            key = (Wi[:, j].tobytes(), Ai[:, j].tobytes())
            if key in seen:
                continue
            seen.add(key)
            cols.append(len(c_issue))
            c_issue.append(i)
            c_opt.append(j)
            c_rank.append(ranks[i][j])
        if not cols:
            empty.append(i)
        issue_cols.append(np.array(cols, dtype=np.int64))
    ci = np.array(c_issue, dtype=np.int64)
    co = np.array(c_opt, dtype=np.int64)
    W = np.zeros((K, len(ci)))
    F = np.zeros((K, len(ci)), dtype=bool)
    for c, (i, j) in enumerate(zip(ci, co, strict=True)):
        W[:, c] = per_issue[i][:, j]
        F[:, c] = [not space.allowed[k][i][j] for k in range(K)]
    return Instance(
        space=space, relax=relax, col_issue=ci, col_option=co, col_rank=np.array(c_rank, dtype=np.int64),
        issue_cols=issue_cols, W=W, forbid=F, batna=np.asarray(space.batna, dtype=float),
        per_issue=per_issue, empty=empty, idle=idle,
    )


def base_model(inst: Instance, floors: bool = True) -> tuple[Milp, NDArray[np.int64]]:
    """One-hot binaries per issue and (with ``floors``) ``U_k ≥ batna_k − TOL`` per actor.

    The package columns are always ``0 … ncols-1``.
    """
    m = Milp()
    x = m.add_cols(inst.ncols, integer=True)
    for cols in inst.issue_cols:
        m.add_row(cols, np.ones(len(cols)), 1.0, 1.0)
    if floors:
        for k in range(inst.n_actors):
            m.add_row(x, inst.W[k], lo=batna_floor(float(inst.batna[k])))
    return m, x


def acceptable_check(inst: Instance) -> Check:
    """Exact acceptance of every actor (red lines are already columns that do not exist)."""

    def check(m: Milp, idx: Index) -> bool:
        return bool(np.all(accepts(inst.utilities(idx), inst.batna)))

    return check


def nogood(inst: Instance, m: Milp, idx: Index) -> None:
    """Cut off exactly this package."""
    cols = [inst.column(i, j) for i, j in enumerate(idx)]
    m.add_row(cols, np.ones(len(cols)), hi=len(cols) - 1)


def solve_checked(
    inst: Instance, m: Milp, objective: dict[int, float], maximize: bool, checks: Sequence[Check],
    start: NDArray[np.float64] | None = None, tries: int = 1000, confirm: bool = True, rel_gap: float = 0.0,
) -> tuple[Index, MilpSolution] | None:
    """Optimise; re-solve (after cuts) until the package passes every exact check. None: infeasible."""
    for _ in range(tries):
        sol = m.solve(objective, maximize=maximize, start=start, confirm=confirm, rel_gap=rel_gap)
        if sol.status == "infeasible":
            return None
        if sol.status != "optimal":
            raise SolveLimit("HiGHS stopped on its time limit before proving optimality")
        idx = inst.decode(sol.x)
        ok = True
        for c in checks:
            ok = c(m, idx) and ok
        if ok:
            return idx, sol
        nogood(inst, m, idx)
        start = None
    raise SolveLimit("too many packages failed the exact checks")  # pragma: no cover


@dataclass
class Stage:
    """One objective of a lexicographic sequence: ``cost`` over model columns, and its exact value.

    ``probe``: after this stage, test whether its optimum is unique (one more
    solve) and stop early when it is — worth it for utility-valued objectives,
    whose optima are rarely tied, not for counts.
    """

    cost: dict[int, float]
    value: Callable[[Index], float]
    maximize: bool = True
    probe: bool = False


def optimise(
    inst: Instance, m: Milp, stage: Stage, checks: list[Check], start: NDArray[np.float64] | None = None,
) -> tuple[Index, float, NDArray[np.float64]] | None:
    """Optimise one stage, then restrict the model (and ``checks``) to its tied set.

    Returns the package, its exact stage value and the solver's column vector (a
    valid start for the next stage).
    """
    got = solve_checked(inst, m, stage.cost, stage.maximize, checks, start=start)
    if got is None:
        return None
    idx, sol = got
    v = stage.value(idx)
    cols = list(stage.cost)
    vals = [stage.cost[c] for c in cols]
    if stage.maximize:
        m.add_row(cols, vals, lo=v - TOL)
        checks.append(lambda _m, p: stage.value(p) >= v - TOL)
    else:
        m.add_row(cols, vals, hi=v + TOL)
        checks.append(lambda _m, p: stage.value(p) <= v + TOL)
    return idx, v, sol.x


def stages(
    inst: Instance, m: Milp, seq: Sequence[Stage], checks: list[Check],
) -> tuple[Index, list[float]] | None:
    """Optimise ``seq`` lexicographically, then break the remaining ties with :func:`lexmin`."""
    values = []
    idx: Index | None = None
    x: NDArray[np.float64] | None = None
    for n, st in enumerate(seq):
        got = optimise(inst, m, st, checks, start=x)
        if got is None:
            return None
        idx, v, x = got
        values.append(v)
        if st.probe and unique(inst, m, checks, idx):
            return idx, values + [later.value(idx) for later in seq[n + 1:]]
    return lexmin(inst, m, checks, idx, x), values


def unique(inst: Instance, m: Milp, checks: Sequence[Check], idx: Index) -> bool:
    """Whether ``idx`` is the only package of the tied set (one solve with ``idx`` cut off).

    Its "infeasible" is not re-confirmed without presolve: a wrong verdict could
    only change which of several tied packages is shown.
    """
    probe = m.copy()
    nogood(inst, probe, idx)
    return solve_checked(inst, probe, {}, False, checks, confirm=False) is None


def lexmin(
    inst: Instance, m: Milp, checks: Sequence[Check], start: Index | None = None,
    start_x: NDArray[np.float64] | None = None,
) -> Index:
    """The package of the tied set (``m`` and ``checks``) with the smallest ranks, issue by issue.

    ``start`` is a member of the set when known (``start_x`` its column vector).
    Raises ``ValueError`` when the tied set is empty.
    """
    m = m.copy()
    if start is None:
        got = solve_checked(inst, m, {}, False, checks)
        if got is None:
            raise ValueError("lexmin over an empty set")
        start, start_x = got[0], got[1].x
    cur = start
    cur_x = start_x
    if unique(inst, m, checks, cur):  # a unique member needs no ordering
        return cur
    n = inst.n_issues
    i = 0
    while i < n:
        cands = [c for c in inst.issue_cols[i] if m.hi[c] > 0]
        order = sorted(cands, key=lambda c: inst.col_rank[c])
        pos = {int(c): r for r, c in enumerate(order)}
        cc = inst.column(i, cur[i])
        if len(order) <= 1 or pos[cc] == 0:
            _fix(m, cands, cc)
            i += 1
            continue
        block: list[tuple[int, dict[int, int]]] = []
        prod = 1
        while i < n:
            cands = [c for c in inst.issue_cols[i] if m.hi[c] > 0]
            order = sorted(cands, key=lambda c: inst.col_rank[c])
            if block and prod * len(order) > LEX_LIMIT:
                break
            block.append((i, {int(c): r for r, c in enumerate(order)}))
            prod *= max(1, len(order))
            i += 1
        weights = []
        w = 1
        for _, p in reversed(block):
            weights.append(w)
            w *= max(1, len(p))
        weights.reverse()
        obj = {c: float(wt * r) for (_, p), wt in zip(block, weights, strict=True) for c, r in p.items() if r}
        got = solve_checked(inst, m, obj, False, checks, start=cur_x)
        if got is None:  # pragma: no cover - cur is always a member
            raise ValueError("lexmin lost its incumbent")
        cur, cur_x = got[0], got[1].x
        for bi, p in block:
            _fix(m, list(p), inst.column(bi, cur[bi]))
    return cur


def _fix(m: Milp, cands: Sequence[int], keep: int) -> None:
    for c in cands:
        if c != keep:
            m.hi[c] = 0.0
    m.lo[keep] = 1.0


# -- Nash bargaining by outer approximation ---------------------------------------------------


@dataclass
class NashBound:
    """Result of :func:`nash_bound`: the best log-product found (``lower``) and the proven ``upper``."""

    status: str  # optimal | degenerate | infeasible | gap
    idx: Index | None
    lower: float
    upper: float
    iterations: int


def logsum(inst: Instance, idx: Index) -> float:
    """Σ_k log(U_k − batna_k), or −inf when some gain is ≤ TOL."""
    g = inst.gains(idx)
    if np.any(g <= TOL):
        return -math.inf
    return float(sum(math.log(v) for v in g))


def nash_bound(
    inst: Instance, m: Milp, checks: list[Check], start: Index | None,
    rel_gap: float = 1e-9, max_iter: int = 500,
) -> NashBound:
    """Maximise Σ_k log(U_k − batna_k) over the packages of ``m``/``checks`` (see :func:`accord.analysis.solve.nash`).

    ``start`` is a package of the set with every gain > TOL (from maximin), or
    None when there is none (degenerate). On return ``m`` and ``checks`` are
    restricted to the tied set: packages whose log-product is within TOL of
    the optimum.
    """
    K = inst.n_actors
    if start is None:
        return NashBound("degenerate", None, -math.inf, -math.inf, 0)
    lower = logsum(inst, start)
    inc = start
    G = inst.reach() - inst.batna
    if np.any(G <= TOL) or not math.isfinite(lower):  # pragma: no cover - start guarantees positive gains
        return NashBound("degenerate", None, -math.inf, -math.inf, 0)
    logG = np.log(G)
    x = np.arange(inst.ncols)

    def glo(lb: float) -> NDArray[np.float64]:
        out = np.exp(lb - 2 * TOL - (logG.sum() - logG)) * (1 - 1e-12)
        return np.maximum(out, TOL)

    lo = glo(lower)
    t = m.add_cols(K, lo=-INF, hi=INF)
    for k in range(K):
        m.lo[int(t[k])] = math.log(lo[k])
        m.hi[int(t[k])] = float(logG[k])
        m.add_row(x, inst.W[k], lo=inst.batna[k] + lo[k])
    tangents: list[set[float]] = [set() for _ in range(K)]

    def add_tangent(k: int, g0: float) -> bool:
        key = float(f"{g0:.12e}")
        if g0 <= 0 or key in tangents[k]:
            return False
        tangents[k].add(key)
        idx = np.concatenate([[t[k]], x])
        val = np.concatenate([[1.0], -inst.W[k] / g0])
        m.add_row(idx, val, hi=math.log(g0) - 1.0 - inst.batna[k] / g0)
        return True

    for k in range(K):
        for g0 in np.geomspace(lo[k], G[k], 6):
            add_tangent(k, float(g0))
        add_tangent(k, float(inst.gains(inc)[k]))

    def positive(_m: Milp, idx: Index) -> bool:
        return bool(np.all(inst.gains(idx) > TOL))

    objective = {int(c): 1.0 for c in t}
    upper = math.inf
    it = 0
    status = "gap"
    for it in range(1, max_iter + 1):  # noqa: B007
        got = solve_checked(inst, m, objective, True, [*checks, positive])
        if got is None:  # pragma: no cover - the incumbent is always feasible
            break
        idx, sol = got
        upper = min(upper, sol.bound, sol.value + 1e-10)
        v = logsum(inst, idx)
        if v > lower:
            lower, inc = v, idx
            new = glo(lower)
            for k in range(K):
                if new[k] > lo[k]:
                    lo[k] = new[k]
                    m.add_row(x, inst.W[k], lo=inst.batna[k] + lo[k])
                    m.lo[int(t[k])] = max(m.lo[int(t[k])], math.log(lo[k]))
        if upper - lower <= rel_gap:
            status = "optimal"
            break
        added = False
        for k, g in enumerate(inst.gains(idx)):
            added = add_tangent(k, float(g)) or added
        if not added:  # the relaxation is exact at its optimum: nothing left to close but solver tolerance
            status = "optimal"
            upper = max(lower, min(upper, sol.value))
            break
    best = lower
    m.add_row(t, np.ones(K), lo=best - TOL)

    def tied(mm: Milp, idx: Index) -> bool:
        if logsum(inst, idx) >= best - TOL:
            return True
        for k, g in enumerate(inst.gains(idx)):
            if g > 0:
                idx_k = np.concatenate([[t[k]], x])
                val = np.concatenate([[1.0], -inst.W[k] / g])
                mm.add_row(idx_k, val, hi=math.log(g) - 1.0 - inst.batna[k] / g)
        return False

    checks.append(positive)
    checks.append(tied)
    return NashBound(status, inc, lower, upper, it)

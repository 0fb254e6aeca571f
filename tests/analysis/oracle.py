"""Brute force over every package (tests only): the oracle the solve engine must agree with exactly.

Packages are enumerated with numpy in the solve engine's tie-break order
(issue by issue, options by rank: status quo first, then as listed; for amend,
the plan's option first), so "the first package that qualifies" is the
canonical answer. Utilities are summed issue by issue in the same order as
:meth:`accord.analysis.solve_core.Instance.utilities`, so floats agree bit for bit.
Also holds the hypothesis strategy of random cases these tests draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from accord.analysis.solve_core import TOL, default_ranks
from accord.analysis.space import Space
from accord.model import Actor, Axis, Case, Issue, Option, Plan, Position, Provision


@dataclass
class Brute:
    """Every package of a space (rows in tie-break order) with utilities and acceptance."""

    space: Space
    idx: np.ndarray  # P × I option indices
    U: np.ndarray  # P × K
    ok: np.ndarray  # P × K: no red line crossed
    acc: np.ndarray  # P: every actor accepts

    @property
    def G(self) -> np.ndarray:
        return self.U - self.space.batna

    def first(self, mask: np.ndarray) -> tuple[int, ...] | None:
        hits = np.flatnonzero(mask)
        return None if len(hits) == 0 else tuple(int(v) for v in self.idx[hits[0]])


def brute(space: Space, ranks: Sequence[Sequence[int]] | None = None) -> Brute:
    ranks = ranks if ranks is not None else default_ranks(space)
    orders = [np.argsort(np.asarray(r), kind="stable") for r in ranks]
    grids = np.meshgrid(*orders, indexing="ij")
    idx = np.stack([g.reshape(-1) for g in grids], axis=1) if grids else np.zeros((1, 0), dtype=int)
    K = len(space.actors)
    U = np.zeros((len(idx), K))
    ok = np.ones((len(idx), K), dtype=bool)
    for i in range(idx.shape[1]):
        Wi = np.array([space.weighted[k][i] for k in range(K)]).reshape(K, -1)
        Ai = np.array([space.allowed[k][i] for k in range(K)]).reshape(K, -1)
        U = U + Wi[:, idx[:, i]].T
        ok &= Ai[:, idx[:, i]].T
    acc = ok.all(axis=1) & (space.batna - TOL <= U).all(axis=1)
    return Brute(space, idx, U, ok, acc)


def moved(b: Brute) -> np.ndarray:
    """Per package: the number of issues off the status quo."""
    sq = np.asarray(b.space.package_index(b.space.case.status_quo()))
    return (b.idx != sq).sum(axis=1).astype(float)


def feasible(b: Brute) -> tuple[int, ...] | None:
    """The acceptable package with the fewest issues off the status quo, then first in the tie order."""
    p, _ = lexi(b, b.acc, [-moved(b)])
    return p


def lexi(b: Brute, mask: np.ndarray, objectives: Sequence[np.ndarray]) -> tuple[tuple[int, ...] | None, list[float]]:
    """Maximise ``objectives`` lexicographically over ``mask`` (each within TOL), then the first package."""
    values = []
    for f in objectives:
        if not mask.any():
            return None, values
        v = float(f[mask].max())
        values.append(v)
        mask = mask & (f >= v - TOL)
    return b.first(mask), values


def maximin_objectives(b: Brute, scale: np.ndarray | None = None) -> list[np.ndarray]:
    K = b.U.shape[1]
    s = np.ones(K) if scale is None else scale
    live = s > 0
    least = (b.G[:, live] * s[live]).min(axis=1) if live.any() else np.full(len(b.U), 1e6)
    return [least, (b.U * s).sum(axis=1)]


def maximin(b: Brute) -> tuple[tuple[int, ...] | None, list[float]]:
    return lexi(b, b.acc, maximin_objectives(b))


def ks(b: Brute) -> tuple[tuple[int, ...] | None, list[float], np.ndarray]:
    if not b.acc.any():
        return None, [], np.zeros(0)
    ideal = b.U[b.acc].max(axis=0)
    span = ideal - b.space.batna
    scale = np.where(span > TOL, 1.0 / np.where(span > TOL, span, 1.0), 0.0)
    p, v = lexi(b, b.acc, maximin_objectives(b, scale))
    return p, v, ideal


def nash(
    b: Brute, mask: np.ndarray | None = None, after: Sequence[np.ndarray] = (),
) -> tuple[str, tuple[int, ...] | None, float]:
    """(status, package, product); degenerate falls back to maximin over ``mask``, then ``after``."""
    mask = b.acc if mask is None else mask
    if not mask.any():
        return "infeasible", None, 0.0
    pos = mask & (b.G > TOL).all(axis=1)
    if not pos.any():
        p, _ = lexi(b, mask, [*maximin_objectives(b), *after])
        return "degenerate", p, 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.where(pos[:, None], np.log(np.where(b.G > 0, b.G, 1.0)), 0.0).sum(axis=1)
    L = np.where(pos, L, -np.inf)
    best = float(L.max())
    p, _ = lexi(b, pos & (best - TOL <= L), list(after))
    return "optimal", p, float(np.exp(best))


def constraints(b: Brute) -> list[tuple[str, str, str | None]]:
    """Relaxable constraints in the engine's order: per actor, red lines by issue, then the batna."""
    sp = b.space
    out: list[tuple[str, str, str | None]] = []
    floor = np.zeros(len(sp.actors))
    for i in range(len(sp.issues)):
        floor += np.array([sp.weighted[k][i].min() for k in range(len(sp.actors))])
    for k, a in enumerate(sp.actors):
        for i, iss in enumerate(sp.issues):
            if not sp.allowed[k][i].all():
                out.append(("red_line", a, iss))
        if sp.batna[k] - TOL > floor[k]:
            out.append(("batna", a, None))
    return out


def conflicts(b: Brute) -> list[tuple[list[tuple[str, str, str | None]], tuple[int, ...]]]:
    """Every minimal correction set (sorted by size, then constraint order) with its first witness."""
    sp = b.space
    cons = constraints(b)
    bits = np.zeros(len(b.idx), dtype=np.int64)
    for n, (kind, a, iss) in enumerate(cons):
        k = sp.actors.index(a)
        if kind == "batna":
            bad = b.U[:, k] < sp.batna[k] - TOL
        else:
            i = sp.issues.index(iss)  # type: ignore[arg-type]
            bad = ~np.asarray(sp.allowed[k][i])[b.idx[:, i]]
        bits |= bad.astype(np.int64) << n
    uniq = sorted(set(int(v) for v in bits))
    minimal = [m for m in uniq if not any(o != m and (o & m) == o for o in uniq)]
    if 0 in minimal:
        return []

    def members(m: int) -> list[int]:
        return [n for n in range(len(cons)) if m >> n & 1]

    minimal.sort(key=lambda m: (len(members(m)), members(m)))
    out = []
    for m in minimal:
        w = b.first((bits & ~m) == 0)
        assert w is not None
        out.append(([cons[n] for n in members(m)], w))
    return out


def pareto(b: Brute, among: Sequence[int]) -> list[tuple[tuple[float, ...], tuple[int, ...]]]:
    """Non-dominated utility vectors of ``among`` over acceptable packages, best for among[0] first."""
    if not b.acc.any():
        return []
    V = np.unique(b.U[b.acc][:, among], axis=0)
    keep: list[np.ndarray] = []
    for v in V:  # dominated: another vector at least as good (within TOL) everywhere, better by > TOL somewhere
        dominated = np.any(np.all(v - TOL <= V, axis=1) & np.any(v + TOL < V, axis=1))
        if not dominated and not any(np.all(np.abs(w - v) <= TOL) for w in keep):  # equal within TOL: once
            keep.append(v)
    keep.sort(key=lambda v: tuple(-v))
    out = []
    for v in keep:
        p = b.first(b.acc & np.all(b.U[:, among] >= v - TOL, axis=1))
        assert p is not None
        out.append((tuple(float(t) for t in v), p))
    return out


# -- random cases ------------------------------------------------------------------------------

GRID = [0.0, 0.25, 0.5, 0.75, 1.0]


@st.composite
def random_cases(
    draw: st.DrawFn, max_issues: int = 8, max_options: int = 4, max_actors: int = 4, exact: bool | None = None,
    silent: bool = False,
) -> Case:
    """A random case with explicit utilities and red lines, and a random plan ``p``.

    ``silent``: one more party, holding no position, with batna 0 — it gains
    nothing from any package, so every Nash product is 0 (degenerate).

    ``exact`` (drawn when None): utilities on a quarter grid and saliences in
    32nds, so sums are exact in floating point and ties are frequent;
    otherwise utilities in thousandths and saliences normalised from integer
    weights — sums carry rounding noise, but distinct utilities differ by far
    more than the solver's tolerances (1e-10), so "exact" is well defined.
    """
    exact = draw(st.booleans()) if exact is None else exact
    n = draw(st.integers(1, max_issues) | st.integers(max(1, max_issues - 2), max_issues))  # lean large
    K = draw(st.integers(1, max_actors) | st.just(max_actors))
    issues = []
    for i in range(n):
        m = draw(st.integers(2, max_options) | st.just(max_options))
        opts = [Option(id=f"o{j}", label=f"option {j}", axis=100.0 * j / (m - 1)) for j in range(m)]
        issues.append(Issue(id=f"i{i}", name=f"issue {i}", options=opts, status_quo=f"o{draw(st.integers(0, m - 1))}"))
    unit = st.sampled_from(GRID) if exact else st.integers(0, 1000).map(lambda v: v / 1000)
    actors, positions = [], []
    for k in range(K):
        if exact:
            w = [draw(st.integers(0, 4)) for _ in issues]
            sal = [v / 32 for v in w]
        else:
            w = [draw(st.integers(0, 100)) for _ in issues]
            tot = sum(w) or 1.0
            sal = [v / tot for v in w]
        reach = 0.0
        for i, iss in enumerate(issues):
            if draw(st.integers(0, 9)) == 0:
                continue  # no position: the actor does not care
            util = {o: draw(unit) for o in iss.option_ids}
            ideal = max(iss.option_ids, key=lambda o: util[o])
            red = []
            if draw(st.integers(0, 3)) == 0:
                red = [o for o in iss.option_ids if o != ideal and draw(st.booleans())]
            reach += sal[i] * util[ideal]
            positions.append(Position(actor=f"a{k}", issue=iss.id, ideal=ideal, salience=sal[i],
                                      utility=util, red_line=red))
        frac = draw(st.sampled_from([0.0, 0.25, 0.5, 0.625, 0.75, 0.875, 1.0, 1.25]))
        batna = min(1.0, round(frac * reach * 128) / 128) if exact else min(1.0, frac * reach)
        actors.append(Actor(id=f"a{k}", name=f"actor {k}", capability=1.0, batna=batna))
    if silent:
        actors.append(Actor(id=f"a{K}", name=f"actor {K}", capability=1.0, batna=0.0))
        K += 1
    settled = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    plan = Plan(id="p", name="plan", provisions=[
        Provision(id=str(i + 1), title=f"on {issues[i].id}", text="-", issue=issues[i].id,
                  option=draw(st.sampled_from(issues[i].option_ids)))
        for i in sorted(settled)
    ])
    return Case(id="rnd", name="random", axis=Axis(low="a0", high=f"a{K - 1}"), issues=tuple(issues),
                actors=tuple(actors), positions=tuple(positions), plans=(plan,))

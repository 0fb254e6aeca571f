"""The exact Pareto frontier by merging issues: two halves built issue by issue, then joined.

Utilities are additive over issues, so a package is a choice of one option
per issue and its utility vector the sum of one column per issue. A *partial*
package (options on some issues) is useless when another partial over the same
issues is at least as good for every actor that matters and comes first in the
tie order — whatever completes the one completes the other at least as well.
So the frontier is built by dynamic programming, keeping only partials that no
other partial beats:

1. **Halves.** The issues are split in two halves of about equal size (in case
   order). Each half is built issue by issue (the first forwards, the second
   backwards): every kept partial is extended by every option of the next
   issue, then pruned:

   - *batna filter* — dropped when some required actor cannot reach its batna
     even with its best option on every other issue;
   - *dominance* — dropped when another partial is at least as good for every
     compared actor (``among``) and for every required actor whose batna can
     still bind, and either comes first in the tie order or is better by more
     than ``3·TOL`` for a compared actor. A batna-bound actor's utility counts
     only up to the level that already guarantees its batna (higher is no use).

2. **Join.** Every kept partial of the first half is paired with every kept
   partial of the second (in chunks, vectorised); pairs that leave a required
   actor below its batna are dropped; pairs beaten by more than ``3·TOL`` are
   dropped; exact duplicates keep the first in the tie order.

3. **Exact selection.** The remaining candidates are scored exactly
   (:meth:`~accord.analysis.solve_core.Instance.utilities`) and the frontier is
   chosen as the brute-force oracle does: utility vectors that no acceptable
   package beats (at least as good everywhere, better by more than TOL
   somewhere), vectors within TOL of one already kept counted once, and for
   each the first package in the tie order that gives at least that vector
   (within TOL).

Nothing is approximated: a dropped partial can only complete to packages that
another kept partial completes to packages at least as good, so every frontier
point and its representative survive. Complexity is governed by the number of
non-dominated partials, not by the number of packages.

>>> from accord.analysis.solve_toy import toy_case
>>> from accord.analysis.solve_core import instance
>>> from accord.analysis.space import space_of
>>> inst = instance(space_of(toy_case()))
>>> pts, complete = frontier(inst, [0, 1])
>>> [inst.space.package_of(p) for p in pts], complete
([{'a': 'a0', 'b': 'b1'}, {'a': 'a1', 'b': 'b0'}], True)

References: R. Bellman, *Dynamic Programming* (1957); the dominance
relations follow C. Bazgan, H. Hugot & D. Vanderpooten, "Solving efficiently
the 0–1 multi-objective knapsack problem", Computers & OR 36 (2009);
meet in the middle: E. Horowitz & S. Sahni, "Computing partitions with
applications to the knapsack problem", J. ACM 21 (1974).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.acceptance import TOL, accepts, batna_floor
from accord.analysis.solve_core import Index, Instance

__all__ = ["PARTIALS", "TooLarge", "frontier", "maximal"]

MARGIN = 3 * TOL
"""Better by more than this for a compared actor: the beaten package cannot be on the frontier."""

SLACK = 1e-12
"""Guard against rounding when sums are formed in another order than the exact scoring's."""

PAIRS = 1 << 21
"""Most pairs the join scores at once."""

BEAMS = (400, 1500, 5000)
"""Partials per step in the quick first passes that find bounding packages (each bounded by the one before)."""

PARTIALS = 30_000
"""Most partial packages a half may keep; beyond, :func:`frontier` raises :class:`TooLarge`."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class TooLarge(RuntimeError):
    """The merge would keep more than :data:`PARTIALS` partial packages in a half."""


@dataclass
class _Partials:
    """Kept partial packages of one half: utilities (N × K), tie-order ordinals, choices (N × issues of the half).

    ``cut``: a beam dropped partials that were not beaten (the half is not exact).
    """

    U: FloatArray
    key: IntArray
    choice: IntArray
    cut: bool = False


def maximal(P: FloatArray, key: IntArray, compared: int) -> IntArray:
    """Indices of the rows of ``P`` that no other row beats.

    Row ``s'`` beats row ``s`` when ``P[s'] ≥ P[s]`` in every column and either
    ``key[s'] < key[s]`` or ``P[s']`` exceeds ``P[s]`` by more than ``MARGIN`` in
    one of the first ``compared`` columns. Rows are swept in decreasing
    lexicographic order (a row can only be beaten by one before it) and each
    block is compared with the rows kept so far, vectorised.

    >>> P = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 0.5], [0.5, 0.5]])
    >>> maximal(P, np.array([1, 0, 2, 3]), 2).tolist()
    [1, 2]
    """
    n, d = P.shape
    if n <= 1:
        return np.arange(n, dtype=np.int64)
    order = np.lexsort((key, *(-P[:, c] for c in reversed(range(d)))))
    P, key = P[order], key[order]
    kept_P = np.empty((0, d))
    kept_k = np.empty(0, dtype=np.int64)
    alive = np.zeros(n, dtype=bool)
    block = 128
    step = max(1, (1 << 20) // block)
    later = np.triu(np.ones((block, block), dtype=bool), 1)
    for b0 in range(0, n, block):
        bp, bk = P[b0:b0 + block], key[b0:b0 + block]
        dead = np.zeros(len(bp), dtype=bool)
        for s0 in range(0, len(kept_P), step):
            dead |= _beaten(kept_P[s0:s0 + step], kept_k[s0:s0 + step], bp, bk, compared).any(axis=0)
        inner = _beaten(bp, bk, bp, bk, compared) & later[: len(bp), : len(bp)]
        dead |= inner.any(axis=0)
        alive[b0:b0 + block] = ~dead
        kept_P = np.concatenate([kept_P, bp[~dead]])
        kept_k = np.concatenate([kept_k, bk[~dead]])
    return np.sort(order[alive])


def _beaten(S: FloatArray, sk: IntArray, B: FloatArray, bk: IntArray, compared: int) -> NDArray[np.bool_]:
    """``out[s, b]``: row ``S[s]`` beats row ``B[b]`` (see :func:`maximal`)."""
    ge = S[:, None, 0] >= B[None, :, 0]
    for c in range(1, S.shape[1]):
        ge &= S[:, None, c] >= B[None, :, c]
    why = sk[:, None] < bk[None, :]
    for c in range(compared):
        why |= S[:, None, c] > B[None, :, c] + MARGIN
    return ge & why


def _ordinal(key: IntArray) -> IntArray:
    return np.unique(key, return_inverse=True)[1].astype(np.int64).reshape(-1)


@dataclass
class _Rest:
    """What the issues not yet placed can add, seen from each step of a half.

    ``best``/``worst`` (steps × K): the best/worst utility per actor over those
    issues; ``stair`` (two compared actors): per step, a few points that
    together are at least as good as every package of those issues for the
    compared actors (their staircase, coarsened).
    """

    best: FloatArray
    worst: FloatArray
    stair: list[FloatArray]


def _half(
    inst: Instance, issues: Sequence[int], forward: bool, ks: Sequence[int], cs: Sequence[int], rest: _Rest,
    inc: FloatArray | None = None, beam: int | None = None,
) -> _Partials:
    """Build one half issue by issue (see the module docstring).

    ``inc``: a staircase of acceptable packages' utilities (two compared
    actors); a partial whose every completion it beats is dropped. ``beam``:
    keep at most this many partials per step (a heuristic pass that only
    finds such packages; never used for the answer).
    """
    K = inst.n_actors
    floor = np.array([batna_floor(float(b)) for b in inst.batna])
    U = np.zeros((1, K))
    key = np.zeros(1, dtype=np.int64)
    choice = np.zeros((1, 0), dtype=np.int64)
    cut = False
    for t, i in enumerate(issues):
        Wi = inst.W[:, inst.issue_cols[i]]  # K × options, in tie order
        n = Wi.shape[1]
        N = len(U)
        U = (U[:, None, :] + Wi.T[None, :, :]).reshape(N * n, K)
        r = np.tile(np.arange(n, dtype=np.int64), N)
        parent = np.repeat(np.arange(N), n)
        key = key[parent] * n + r if forward else r * N + key[parent]
        choice = np.concatenate([choice[parent], r[:, None]], axis=1)
        ok = np.all(U + rest.best[t] >= floor - SLACK, axis=1)
        if inc is not None and len(inc):
            V = U[:, list(ks)]
            ok &= ~_beaten_by(V + rest.best[t][list(ks)], inc)  # even its ideal completion is beaten
            live = np.flatnonzero(ok)
            ok[live[_useless(V[live], rest.stair[t], inc)]] = False  # every completion is beaten
        U, key, choice = U[ok], key[ok], choice[ok]
        key = _ordinal(key)
        cap = floor - rest.worst[t] + SLACK  # at or above this, the actor's batna holds whatever follows
        P = np.concatenate([U[:, list(ks)], np.minimum(U[:, list(cs)], cap[list(cs)])], axis=1)
        keep = maximal(P, key, len(ks))
        if beam is not None and len(keep) > beam:
            keep, cut = keep[_spread(P[keep], len(ks), beam)], True
        if len(keep) > PARTIALS:
            raise TooLarge(f"more than {PARTIALS} partial packages after {t + 1} issues of a half")
        U, key, choice = U[keep], _ordinal(key[keep]), choice[keep]
    return _Partials(U, key, choice, cut)


def _spread(P: FloatArray, compared: int, size: int) -> IntArray:
    """About ``size`` rows of ``P`` that are best for a spread of weightings of its columns."""
    lam = np.linspace(0.0, 1.0, 11)
    weights = []
    for mu in (0.0, 0.5, 1.0):
        for a in lam:
            w = np.full(P.shape[1], mu)
            w[:compared] = [a, 1.0 - a][:compared] if compared == 2 else 1.0
            weights.append(w)
    score = P @ np.array(weights).T  # rows × weightings
    top = max(1, size // len(weights))
    best = np.argsort(-score, axis=0, kind="stable")[:top]
    return np.unique(best.reshape(-1))


def _staircase(V: FloatArray) -> FloatArray:
    """Two compared actors: the rows of ``V`` that no other row matches or beats in both, by ``a`` descending."""
    if len(V) == 0:
        return V.reshape(0, 2)
    order = np.lexsort((-V[:, 1], -V[:, 0]))
    S = V[order]
    best = np.maximum.accumulate(S[:, 1])
    keep = np.ones(len(S), dtype=bool)
    keep[1:] = S[1:, 1] > best[:-1]
    return S[keep]


def _beaten_by(Z: FloatArray, S: FloatArray) -> NDArray[np.bool_]:
    """Two compared actors: rows of ``Z`` some row of staircase ``S`` beats by more than MARGIN.

    ``S`` is sorted by its first column descending (as :func:`_staircase` returns it).
    Row ``z`` is beaten when some ``s ≥ z`` exceeds it by more than MARGIN in one column.
    """
    if len(S) == 0 or len(Z) == 0:
        return np.zeros(len(Z), dtype=bool)
    best_b = np.maximum.accumulate(S[:, 1])
    neg_a = -S[:, 0]  # ascending
    upto = np.searchsorted(neg_a, -Z[:, 0], side="right") - 1  # last s with s_a ≥ z_a
    beyond = np.searchsorted(neg_a, -(Z[:, 0] + MARGIN), side="left") - 1  # last s with s_a > z_a + MARGIN
    out = (upto >= 0) & (best_b[np.maximum(upto, 0)] > Z[:, 1] + MARGIN)
    out |= (beyond >= 0) & (best_b[np.maximum(beyond, 0)] >= Z[:, 1])
    return out


def _useless(P: FloatArray, other: FloatArray, S: FloatArray) -> NDArray[np.bool_]:
    """Two compared actors: rows ``p`` of ``P`` whose every ``p + f`` (``f`` in staircase ``other``) ``S`` beats."""
    if len(P) == 0:
        return np.zeros(0, dtype=bool)
    Z = (P[:, None, :] + other[None, :, :]).reshape(-1, 2)
    return np.all(_beaten_by(Z, S).reshape(len(P), len(other)), axis=1)


def _join(
    inst: Instance, A: _Partials, B: _Partials, ks: Sequence[int], inc: FloatArray | None = None,
) -> tuple[IntArray, IntArray]:
    """Pairs (rows of A, rows of B) that may be frontier packages or their representatives.

    Rows of A are taken best first (largest sum over ``ks``) in chunks. With two
    compared actors the candidates found so far bound the rest: a row of A (or
    of B) is skipped when even the best of the other half — every point of its
    unconstrained staircase — would leave it beaten.
    """
    floor = np.array([batna_floor(float(b)) for b in inst.batna]) - SLACK
    two = len(ks) == 2
    nb = len(B.U)
    Va, Vb = A.U[:, list(ks)], B.U[:, list(ks)]
    stair_a, stair_b = _staircase(Va) if two else Va, _staircase(Vb) if two else Vb
    live_b = np.arange(nb)
    cand_a = np.zeros(0, dtype=np.int64)
    cand_b = np.zeros(0, dtype=np.int64)
    cand_v = np.zeros((0, len(ks)))
    order = np.argsort(-Va.sum(axis=1), kind="stable")
    rows = max(1, PAIRS // max(nb, 1))
    a0, step = 0, min(rows, 8)  # a few rows first: their candidates bound the rest
    while a0 < len(order):
        ra = order[a0:a0 + step]
        a0, step = a0 + step, min(rows, 2 * step)
        S = _staircase(cand_v if inc is None else np.concatenate([inc, cand_v])) - SLACK if two else None
        if S is not None and len(S):
            ra = ra[~_useless(Va[ra], stair_b, S)]
            live_b = live_b[~_useless(Vb[live_b], stair_a, S)]
        if len(ra) == 0 or len(live_b) == 0:
            continue
        full = A.U[ra][:, None, :] + B.U[live_b][None, :, :]
        ia, ib = np.nonzero(np.all(full >= floor, axis=2))
        if len(ia) == 0:
            continue
        V = full[ia, ib][:, list(ks)]
        ia, ib = ra[ia], live_b[ib]
        if S is not None and len(S):
            fresh = ~_beaten_by(V, S)
            V, ia, ib = V[fresh], ia[fresh], ib[fresh]
        V = np.concatenate([cand_v, V])
        ia = np.concatenate([cand_a, ia])
        ib = np.concatenate([cand_b, ib])
        if two:
            close = ~_beaten_by(V, _staircase(V))
        elif len(ks) == 1:
            close = V[:, 0] >= V[:, 0].max() - MARGIN
        else:
            close = np.ones(len(V), dtype=bool)
        V, ia, ib = V[close], ia[close], ib[close]
        best = maximal(V, A.key[ia] * nb + B.key[ib], len(ks))
        cand_v, cand_a, cand_b = V[best], ia[best], ib[best]
    return cand_a, cand_b


def _coarse(S: FloatArray, points: int = 48) -> FloatArray:
    """At most ``points`` points that together are at least as good as every point of staircase ``S``."""
    if len(S) <= points:
        return S
    groups = np.array_split(np.arange(len(S)), points)
    return np.array([[S[g[0], 0], S[g[-1], 1]] for g in groups])  # a descends, b ascends along S


def _stairs(inst: Instance, ks: Sequence[int], issues: Sequence[int]) -> list[FloatArray]:
    """For each prefix of ``issues`` (0, 1, … of them): the coarsened staircase of its packages for ``ks``."""
    S = np.zeros((1, 2))
    out = [S]
    for i in issues:
        Wi = inst.W[np.ix_(np.asarray(ks), inst.issue_cols[i])]  # 2 × options
        S = _staircase((S[:, None, :] + Wi.T[None, :, :]).reshape(-1, 2))
        out.append(_coarse(S))
    return out


def frontier(
    inst: Instance, ks: Sequence[int], limit: int | None = None, beams: Sequence[int] = BEAMS,
) -> tuple[list[Index], bool]:
    """The Pareto frontier of actors ``ks`` over the packages every actor of ``inst`` accepts.

    Returns one package per frontier point, best for ``ks[0]`` first (then
    ``ks[1]``…), at most ``limit`` of them, and whether that is all of them.
    Raises :class:`TooLarge` when a half outgrows :data:`PARTIALS`.

    With two compared actors, quick passes whose halves keep at most
    ``beams`` partials per step (each bounded by the packages the one
    before found) find acceptable packages whose utilities then bound the
    exact pass: a partial whose every completion they beat is dropped. A quick
    pass that never had to cut is exact and is the answer.
    """
    K, n_issues = inst.n_actors, inst.n_issues
    if inst.empty:
        return [], True
    hi = np.array([inst.W[:, c].max(axis=1) for c in inst.issue_cols]).reshape(n_issues, K)
    lo = np.array([inst.W[:, c].min(axis=1) for c in inst.issue_cols]).reshape(n_issues, K)
    floor_all = lo.sum(axis=0)
    cs = [k for k in range(K) if k not in ks and not accepts(float(floor_all[k]), float(inst.batna[k]))]
    logs = np.cumsum(np.log([len(c) for c in inst.issue_cols]))
    h = min(int(np.searchsorted(logs, logs[-1] / 2)) + 1, n_issues)
    first, second = list(range(h)), list(range(n_issues - 1, h - 1, -1))
    # what the issues not yet placed can add, from each step of each half
    suffix_hi = np.vstack([np.cumsum(hi[::-1], axis=0)[::-1], np.zeros((1, K))])
    suffix_lo = np.vstack([np.cumsum(lo[::-1], axis=0)[::-1], np.zeros((1, K))])
    prefix_hi = np.vstack([np.zeros((1, K)), np.cumsum(hi, axis=0)])
    prefix_lo = np.vstack([np.zeros((1, K)), np.cumsum(lo, axis=0)])
    two = len(ks) == 2
    after = _stairs(inst, ks, range(n_issues - 1, -1, -1))[::-1] if two else []  # after[i]: issues i…
    before = _stairs(inst, ks, range(n_issues)) if two else []  # before[i]: issues …i−1
    rest_a = _Rest(suffix_hi[1:h + 1], suffix_lo[1:h + 1], [after[t + 1] for t in first] if two else [])
    rest_b = _Rest(prefix_hi[second], prefix_lo[second], [before[i] for i in second] if two else [])

    def run(inc: FloatArray | None, beam: int | None) -> tuple[list[Index], list[tuple[int, int]], bool]:
        A = _half(inst, first, True, ks, cs, rest_a, inc, beam)
        B = _half(inst, second, False, ks, cs, rest_b, inc, beam)
        ia, ib = _join(inst, A, B, ks, inc)
        packages: list[Index] = []
        keys: list[tuple[int, int]] = []
        for a, b in zip(ia.tolist(), ib.tolist(), strict=True):
            cols = [inst.issue_cols[i][A.choice[a, t]] for t, i in enumerate(first)]
            cols += [inst.issue_cols[i][B.choice[b, t]] for t, i in reversed(list(enumerate(second)))]
            packages.append(tuple(int(inst.col_option[c]) for c in cols))
            keys.append((int(A.key[a]), int(B.key[b])))
        return packages, keys, not (A.cut or B.cut)

    inc = None
    for beam in beams if two else ():
        found, keys, exact = run(inc, beam)
        if exact:  # the beam never had to drop anything: this pass is the exact one
            return _select(inst, ks, found, keys, limit)
        U = np.array([inst.utilities(p) for p in found]).reshape(-1, K)
        V = U[np.all(accepts(U, inst.batna), axis=1)][:, list(ks)] - SLACK
        inc = _staircase(V if inc is None else np.concatenate([inc, V]))
    packages, keys, _ = run(inc, None)
    return _select(inst, ks, packages, keys, limit)


def _select(
    inst: Instance, ks: Sequence[int], packages: list[Index], keys: list[tuple[int, int]], limit: int | None,
) -> tuple[list[Index], bool]:
    """The frontier among exactly scored candidates, chosen as the brute-force oracle chooses it."""
    if not packages:
        return [], True
    U = np.array([inst.utilities(p) for p in packages])
    ok = np.all(accepts(U, inst.batna), axis=1)
    U, order = U[ok], np.flatnonzero(ok)
    if len(U) == 0:
        return [], True
    V = U[:, list(ks)]
    rank = np.empty(len(order), dtype=np.int64)
    rank[np.lexsort(np.array([keys[n] for n in order]).T[::-1])] = np.arange(len(order))
    kept: list[FloatArray] = []
    for v in np.unique(V, axis=0):
        if np.any(np.all(v - TOL <= V, axis=1) & np.any(v + TOL < V, axis=1)):
            continue
        if not any(np.all(np.abs(w - v) <= TOL) for w in kept):
            kept.append(v)
    kept.sort(key=lambda v: tuple(-v))
    complete = limit is None or len(kept) <= limit
    out = []
    for v in kept[:limit]:
        hits = np.flatnonzero(np.all(v - TOL <= V, axis=1))
        out.append(packages[order[hits[np.argmin(rank[hits])]]])
    return out, complete

"""The expected-utility challenge model of Bueno de Mesquita, as reconstructed by Scholz et al.

References: B. Bueno de Mesquita, "Political forecasting: an expected utility
method", in Bueno de Mesquita & Stokman (eds), *European Community Decision
Making*, Yale UP 1994, pp. 71–104; J. B. Scholz, G. J. Calbert & G. A. Smith,
"Unravelling Bueno de Mesquita's group decision model", *Journal of
Theoretical Politics* 23(4), 2011, 510–531 (and ICAART 2011). Where the paper's
equations leave a choice open, this follows an open replication
(``github.com/jmckib/bdm-scholz-expected-utility-model``). The tests check every
position against that replication and the per-round median and mean against the
paper's Table 2 printed by truncation to one decimal: 13 of its 16 figures print
as published; round 2's median (9.61 here, 9.9 there) and the means of rounds 3
and 8 (7.59 and 7.57 here, 7.6 there) do not. docs/forecast.md has the table.

One issue at a time, actors ``i`` with position ``x_i``, capability ``c_i`` and
salience ``s_i`` (0–1); ``R`` = the range of the initial positions. A round:

1. **votes** — actor k's gain from position a over b is
   ``v_k(a, b) = c_k s_k ((|x_k − x_b|/R)^{r_k} − (|x_k − x_a|/R)^{r_k})``;
   the probability that i prevails over j is
   ``P(i, j) = Σ_k max(0, v_k(x_i, x_j)) / Σ_k Σ_a Σ_b |v_k(x_a, x_b)|``
   (0 when ``x_i = x_j``) — Scholz's normaliser, which keeps challenges rare;
2. **utilities** (exponent ``r_h`` of the actor h whose view it is, ``d = |x_i − x_j|/R``):
   success ``2 − 4(½ − d/2)^{r_h}``, failure ``2 − 4(½ + d/2)^{r_h}``,
   status quo ``2 − 4·½^{r_h}``;
   ``EU_h(i challenges j) = s_j (P(i,j)·U_s + (1 − P(i,j))·U_f) + (1 − s_j)·U_s − Q·U_sq``
   with ``Q = 1``;
3. **risk** — with every ``r = 1``, actor i's danger is ``Σ_j EU(j challenges i)``;
   ``R_i = (2·danger_i − max − min)/(max − min)``, ``r_i = (1 − R_i/3)/(1 + R_i/3)`` ∈ [½, 2];
4. **offers** — for receiver a and each other actor o at another position, from
   a's view: ``e_ao = EU_a(a challenges o)``, ``e_oa = EU_a(o challenges a)``:
   confrontation lost if ``e_oa > e_ao > 0`` (a moves to ``x_o``); compromise if
   ``e_oa > 0 > e_ao`` and ``e_oa > |e_ao|`` (a moves to
   ``x_a + (x_o − x_a)·|e_ao/e_oa|``); capitulation (a moves to ``x_o``) if
   ``e_oa > 0 > e_ao`` and ``e_oa < |e_ao|`` — off by default, as in Scholz's code
   (``capitulation=True`` turns it on, as the paper's text reads). Each actor takes
   the confrontation that moves it least, else the compromise whose
   ``|e|``-weighted midpoint is smallest (Scholz's code), else a capitulation;
   everyone moves at once.
5. repeat until no position moves by more than ``tol·R`` or ``max_rounds``.

The forecast is the capability × salience weighted median of the final
positions (BDM's "median voter"). The model can cycle instead of settling — on
the EC example Belgium oscillates — so every forecast is shown beside the
weighted mean baseline.

Arrays carry actors on the last axis and any batch axes in front (draws ×
issues × actors in the Monte Carlo), with an optional participation mask for
actors that hold no position on an issue.

>>> import numpy as np
>>> x = np.array([4, 7, 4, 4, 10, 10, 10, 7, 4, 7.0])
>>> c = np.array([.08, .08, .03, .16, .16, .16, .16, .05, .05, .08])
>>> s = np.array([.8, .4, .2, .8, .6, .6, .9, .1, 1, .7])
>>> r = eu_rounds(x, c, s, max_rounds=1)
>>> [round(float(v), 3) for v in r.positions[1]]
[4.0, 8.416, 7.0, 4.0, 10.0, 10.0, 10.0, 4.0, 4.0, 7.0]
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.analysis.baselines import weighted_mean, weighted_median

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class EUParams:
    """``q``: probability the status quo holds; ``tol``: settling threshold (× range)."""

    max_rounds: int = 10
    q: float = 1.0
    tol: float = 1e-9
    capitulation: bool = False


@dataclass(frozen=True)
class EURounds:
    """Positions after each round (round 0 = input) and the risk exponents used."""

    positions: FloatArray  # (rounds+1) × … × actors
    risk: FloatArray  # rounds × … × actors
    rounds: int

    @property
    def final(self) -> FloatArray:
        return self.positions[-1]


# The kernel works on arrays with the actors FIRST and the batch flattened LAST
# (``x[i, b]``, pairs ``[i, j, b]``): numpy's inner loops then run over the batch,
# not over four actors. Powers are taken as exp(r·log): numpy's float power costs
# about three exp-and-logs; the logs are taken once per unordered pair and the
# powers only off the diagonal. Antisymmetry (v_k(a, b) = −v_k(b, a)) halves the
# vote sums. Each of these gives the same floating-point numbers as the direct
# form (bench/forecast.py keeps the previous kernel to compare).
LOG_HALF = float(np.log(0.5))
BLOCK = 2048
"""Runs per call of a round in :func:`eu_final`: a round's arrays (16 pairs × runs) then stay in cache."""


def _probabilities(g: FloatArray, w: FloatArray, m: BoolArray | None) -> FloatArray:
    """Step 1: ``P[i, j, b]`` that i prevails over j (Scholz's normaliser).

    ``g[k, a, b] = (|x_k − x_a| / R)^{r_k}``; ``w[k, b]`` vote weights; ``m`` who takes
    part (None: everyone). P is 0 where ``x_i = x_j`` (then ``g[k, i] = g[k, j]``).
    """
    n = g.shape[0]
    wk = w if m is None else np.where(m, w, 0.0)
    _, _, _, iu, ju = _pairs(n)
    up = np.zeros((iu.size, g.shape[2]))  # num[a, b] for a < b
    low = np.zeros(up.shape)  # num[b, a]
    t = np.empty(up.shape)
    for k in range(n):  # v_k(x_a, x_b) = w_k (g[k, b] − g[k, a]); only the positive part votes for a
        gk = g[k]
        np.subtract(gk[ju], gk[iu], out=t)  # each unordered pair once: v_k(x_b, x_a) = −v_k(x_a, x_b)
        t *= wk[k]
        up += np.maximum(t, 0.0)
        np.negative(t, out=t)
        np.maximum(t, 0.0, out=t)
        low += t
    num = np.zeros(g.shape)
    num[iu, ju] = up
    num[ju, iu] = low
    if m is not None:
        num = np.where(m[:, None, :] & m[None, :, :], num, 0.0)
    # Σ_k Σ_a Σ_b |v_k(a, b)| = 2 Σ_a Σ_b Σ_k max(0, v_k(a, b)), as v_k(b, a) = −v_k(a, b)
    tot = 2.0 * num.sum(axis=(0, 1))
    num /= np.where(tot > 0, tot, 1.0)  # num is 0 wherever tot is
    return num


def _risk_exponents(d: FloatArray, w: FloatArray, s: FloatArray, m: BoolArray | None) -> FloatArray:
    """Step 3: risk exponents ``r[i, b]`` from every actor's danger, all computed with r = 1.

    With r = 1 the utilities are U_s = 2d, U_f = −2d, U_sq = 0, so
    ``EU(j challenges i) = s_i (P·2d − (1 − P)·2d) + (1 − s_i)·2d = 2d (1 − 2 s_i (1 − P))``
    and actor i's danger ``Σ_j EU(j challenges i) = 2 Σ_j d_ji − 4 s_i Σ_j d_ji (1 − P_ji)``
    (d is 0 on the diagonal).
    """
    p = _probabilities(d, w, m)  # [j, i, b]: challenger j (row), target i (column)
    if m is not None:
        d = np.where(m[:, None, :] & m[None, :, :], d, 0.0)
    np.subtract(1.0, p, out=p)  # 1 − P, in place
    p *= d
    danger = 2.0 * d.sum(axis=0) - 4.0 * s * p.sum(axis=0)
    if m is None:
        big, small = danger.max(axis=0), danger.min(axis=0)
    else:
        big = np.where(m, danger, -np.inf).max(axis=0)
        small = np.where(m, danger, np.inf).min(axis=0)
    span = big - small
    ok = np.isfinite(span) & (span > 0)
    rr = np.where(ok, (2 * danger - big - small) / np.where(ok, span, 1.0), 0.0)
    if m is not None:
        rr = np.where(m, rr, 0.0)  # an actor out of the issue: risk neutral (and unused)
    return (1 - rr / 3) / (1 + rr / 3)


def _round(
    x: FloatArray, w: FloatArray, s: FloatArray, m: BoolArray | None, rng: FloatArray, params: EUParams
) -> tuple[FloatArray, FloatArray]:
    """One round on actors-first arrays (``x[i, b]``; ``m`` None when everyone takes part).

    Returns the new positions and the risk exponents used.
    """
    q = params.q
    xa = x[:, None, :]  # receiver a (rows)
    delta = x[None, :, :] - xa  # x_o − x_a, other o in the columns
    dist = np.abs(delta)
    d = dist / rng  # symmetric, 0 on the diagonal
    if m is not None:  # an actor out of the issue may sit outside the range: keep its pairs finite (and unused)
        d = np.where(m[:, None, :] & m[None, :, :], d, 0.0)
    r = _risk_exponents(d, w, s, m)
    # The row actor's exponent: g[k, a] = d_ka^{r_k}, and receiver a's view below. The logs are taken
    # once per unordered pair (d is symmetric) and the powers only off the diagonal, where d = 0 gives
    # g = 0 and U_s = U_f = 2 − 4·½^r: the same numbers as over the full n × n, in half the time.
    pa, po, ph, iu, ju = _pairs(x.shape[0])
    du = d[iu, ju]
    rp = r[pa]  # n(n−1) × runs
    g = np.zeros(d.shape)
    # U_s = 2 − 4 (½ − d/2)^r = 2 − 4·½^r (1 − d)^r;  U_f = 2 − 4·½^r (1 + d)^r
    half = 4.0 * np.exp(r * LOG_HALF)
    hp = half[pa]
    us = np.empty(d.shape)
    uf = np.empty(d.shape)
    diag = np.arange(x.shape[0])
    us[diag, diag] = uf[diag, diag] = 2.0 - half
    with np.errstate(divide="ignore"):
        g[pa, po] = np.exp(rp * np.log(du)[ph])  # d^r, 0 where d = 0
        us[pa, po] = 2.0 - hp * np.exp(rp * np.log1p(-du)[ph])
    uf[pa, po] = 2.0 - hp * np.exp(rp * np.log1p(du)[ph])
    half = half[:, None, :]
    p = _probabilities(g, w, m)  # [a, o]: P(a prevails over o)
    # e_ao = s_o (P_ao U_s + (1 − P_ao) U_f) + (1 − s_o) U_s − q U_sq = V − s_o (U_s − U_f)(1 − P_ao),
    # e_oa the same from a's view with a as the target: V − s_a (U_s − U_f)(1 − P_oa)
    v = us - q * (2.0 - half)
    diff = us - uf
    np.subtract(1.0, p, out=p)  # 1 − P, in place
    e_ao = s[None, :, :] * diff
    e_ao *= p
    np.subtract(v, e_ao, out=e_ao)
    e_oa = s[:, None, :] * diff
    e_oa *= np.swapaxes(p, 0, 1)
    np.subtract(v, e_oa, out=e_oa)
    pair = dist > 0 if m is None else (dist > 0) & m[:, None, :] & m[None, :, :]
    conf = pair & (e_oa > e_ao) & (e_ao > 0)
    mixed = pair & (e_oa > 0) & (e_ao < 0)
    comp = mixed & (e_oa > -e_ao)
    xo = x[None, :, :]  # o's position, whatever the receiver
    new = x.copy()
    runs = np.flatnonzero(comp.any(axis=(0, 1)))  # a compromise is on offer in about a third of the runs
    if runs.size:
        c_ao, c_oa, c_x, c_d = e_ao[:, :, runs], e_oa[:, :, runs], xa[:, :, runs], delta[:, :, runs]
        with np.errstate(divide="ignore", invalid="ignore"):
            # a moves |e_ao/e_oa| of the way to o; the compromise chosen is the smallest
            # |e|-weighted midpoint (|e_ao| x_a + |e_oa| x_o) / (|e_ao| + |e_oa|)
            comp_pos = c_x + c_d * (-c_ao / c_oa)
            comp_key = c_x + c_d * (c_oa / (c_oa - c_ao))
        new[:, runs] = _pick(new[:, runs], comp_pos, comp[:, :, runs], comp_key)
    if params.capitulation:
        capit = mixed & (e_oa < -e_ao) & ~np.any(comp, axis=1, keepdims=True)
        new = _pick(new, xo, capit, dist)
    new = _pick(new, xo, conf, dist)  # a lost confrontation overrides a compromise
    return (new if m is None else np.where(m, new, x)), r


def _pick(base: FloatArray, a: FloatArray, choose: BoolArray, key: FloatArray) -> FloatArray:
    """``a[i, o]`` for the column o where ``choose[i, o]`` holds with the smallest ``key`` (the first
    on a tie); ``base[i]`` where none holds. A loop over the n columns: numpy's argmin across the
    middle axis is several times slower (and ``np.where`` faster than ``np.copyto(where=)``)."""
    masked = np.where(choose, key, np.inf)
    best = masked[:, 0]
    out = np.where(best < np.inf, a[:, 0], base)
    for o in range(1, a.shape[1]):
        ko = masked[:, o]
        out = np.where(ko < best, a[:, o], out)
        best = np.minimum(best, ko)
    return out


@functools.cache
def _pairs(n: int) -> tuple[NDArray[np.intp], ...]:
    """Index arrays over n actors: the ordered pairs off the diagonal (row ``pa``, column ``po``, and
    ``ph`` their unordered pair) and the unordered pairs ``iu < ju``."""
    iu, ju = np.triu_indices(n, 1)
    pa, po = np.nonzero(~np.eye(n, dtype=bool))
    h = np.zeros((n, n), dtype=np.intp)
    h[iu, ju] = h[ju, iu] = np.arange(iu.size)
    return pa, po, h[pa, po], iu, ju


def eu_round(
    x: FloatArray, w: FloatArray, s: FloatArray, m: BoolArray, rng: FloatArray, params: EUParams = EUParams()
) -> tuple[FloatArray, FloatArray]:
    """One round: new positions and the risk exponents used (actors on the last axis, as :func:`eu_rounds`)."""
    shape = np.shape(x)
    n = shape[-1]

    def first(a: ArrayLike) -> NDArray[Any]:
        return np.ascontiguousarray(np.broadcast_to(a, shape).reshape(-1, n).T)

    mask = first(m)
    new, r = _round(first(x), first(w), first(s), None if mask.all() else mask,
                    np.broadcast_to(rng, shape[:-1]).reshape(-1), params)
    return new.T.reshape(shape), r.T.reshape(shape)


def _prepare(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, mask: ArrayLike | None
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray, FloatArray, BoolArray]:
    """Actors-first arrays (actors × runs): positions, vote weights, saliences, mask; per run the range and
    whether it is fixed (fewer than two distinct positions)."""
    xa = np.asarray(x, dtype=float)
    n = xa.shape[-1]
    ca = np.broadcast_to(np.asarray(c, dtype=float), xa.shape)
    sa = np.broadcast_to(np.asarray(s, dtype=float), xa.shape)
    m = np.ones(xa.shape, dtype=bool) if mask is None else np.broadcast_to(np.asarray(mask, dtype=bool), xa.shape)
    hi = np.where(m, xa, -np.inf).max(axis=-1)
    lo = np.where(m, xa, np.inf).min(axis=-1)
    span = hi - lo
    fixed = ~(np.isfinite(span) & (span > 0))

    def first(a: NDArray[Any]) -> NDArray[Any]:
        return np.ascontiguousarray(a.reshape(-1, n).T)

    rng = np.where(fixed, 1.0, span).reshape(-1)
    cur = np.array(xa.reshape(-1, n).T, order="C")  # always a copy: eu_final moves it in place
    return cur, first(ca * sa), first(sa), first(m), rng, fixed.reshape(-1)


def eu_rounds(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, mask: ArrayLike | None = None, *,
    max_rounds: int | None = None, params: EUParams = EUParams(),
) -> EURounds:
    """Run rounds until positions settle; actors on the last axis, batch axes in front.

    ``c`` capability ≥ 0, ``s`` salience in [0, 1], ``mask`` which actors take part
    (default: all). Returns every round's positions (all runs stop together).
    """
    shape = np.shape(x)
    cur, w, sa, m, rng, fixed = _prepare(x, c, s, mask)
    mf = None if m.all() else m
    hist = [np.asarray(x, dtype=float)]
    risks = []
    rounds = params.max_rounds if max_rounds is None else max_rounds
    for _ in range(rounds):
        new, r = _round(cur, w, sa, mf, rng, params)
        new = np.where(fixed, cur, new)
        hist.append(new.T.reshape(shape))
        risks.append(r.T.reshape(shape))
        moved = np.abs(new - cur).max(axis=0) if new.size else np.zeros(0)
        cur = new
        if np.all(moved <= params.tol * rng):
            break
    return EURounds(positions=np.array(hist), risk=np.array(risks), rounds=len(risks))


def eu_final(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, mask: ArrayLike | None = None, params: EUParams = EUParams(),
    tick: Callable[[float], None] | None = None,
) -> FloatArray:
    """Final positions only, as :func:`eu_rounds` gives them after ``max_rounds``; faster.

    A round is a deterministic function of the positions, so a run that has settled
    stays settled, and a run whose positions repeat those of an earlier round
    exactly cycles from then on: its position after the last round is read off the
    cycle. Either way the run leaves the batch; only the others go on.

    ``tick(done)``, when given, is called after each block of runs (``BLOCK``) with an estimate of the
    share of the work done: the mean over runs of 1 for a run that has left, else its rounds over
    ``max_rounds``. It never decreases, ends at 1 and changes no number.

    >>> seen = []
    >>> _ = eu_final([[10.0, 90.0]], [[1.0, 1.0]], [[1.0, 1.0]], tick=seen.append)
    >>> seen == sorted(seen) and seen[-1] == 1.0
    True
    """
    shape = np.shape(x)
    cur, w, sa, m, rng, fixed = _prepare(x, c, s, mask)
    come = fixed.astype(float) if tick is not None else None  # how far each run has come (see the docstring)
    full = bool(m.all())
    live = np.flatnonzero(~fixed)
    seen = [cur.copy()]  # positions after each round (round 0: the input)
    last = params.max_rounds
    for t in range(1, last + 1):
        if live.size == 0:
            break
        # np.take, not cur[:, live]: numpy lays a fancy-indexed last axis out first in memory, and every
        # array of the round would inherit that order (runs outermost: strided passes, 2-3× slower)
        xs = np.take(cur, live, axis=1)
        new = np.empty_like(xs)
        for k in range(0, live.size, BLOCK):  # in blocks that stay in cache: each round makes ~100 passes
            rows = live[k:k + BLOCK]
            new[:, k:k + BLOCK], _ = _round(xs[:, k:k + BLOCK], np.take(w, rows, axis=1), np.take(sa, rows, axis=1),
                                            None if full else np.take(m, rows, axis=1), rng[rows], params)
            if come is not None and tick is not None:
                come[rows] = t / last
                tick(float(come.mean()))
        cur[:, live] = new
        seen.append(cur.copy())
        go = np.abs(new - xs).max(axis=0) > params.tol * rng[live]
        for period in range(2, min(t, 4) + 1):  # exact repeats: cycles of 2 to 4 rounds
            back = (new == np.take(seen[t - period], live, axis=1)).all(axis=0) & go
            if back.any():
                rows = live[back]
                cur[:, rows] = seen[t - period + (last - t) % period][:, rows]
                go &= ~back
        if come is not None:
            come[live[~go]] = 1.0
        live = live[go]
    if tick is not None:
        tick(1.0)
    return cur.T.reshape(shape)


def eu_forecast(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, mask: ArrayLike | None = None, params: EUParams = EUParams(),
    tick: Callable[[float], None] | None = None,
) -> FloatArray:
    """The model's forecast: weighted median of the final positions (batch axes kept); ``tick``: as
    :func:`eu_final`'s."""
    xa = np.asarray(x, dtype=float)
    m = np.ones(xa.shape, dtype=bool) if mask is None else np.broadcast_to(np.asarray(mask, dtype=bool), xa.shape)
    final = eu_final(xa, c, s, m, params, tick)
    w = np.where(m, np.asarray(c, float) * np.asarray(s, float), 0.0)
    return weighted_median(final, w)


__all__ = [
    "EUParams", "EURounds", "eu_final", "eu_forecast", "eu_round", "eu_rounds", "weighted_mean", "weighted_median",
]

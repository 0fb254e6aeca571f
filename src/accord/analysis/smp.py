"""A spatial model of politics in the KTAB family, vectorised over a batch of runs.

This is a re-implementation, from KTAB's published description and sources
(KAPSARC, *KTAB*, MIT licence: ``examples/smp/libsrc/smp.cpp``,
``smpbcn.cpp``, ``KTAB/kmodel/libsrc/kmodel.cpp``; B. Wise et al., *An
Introduction to the KAPSARC Toolkit for Behavioral Analysis (KTAB)*, KAPSARC
2015), of the Spatial Model of Politics (SMP) that KTAB's ``smpc`` runs, with
KTAB's default parameters:

======================  ==========================================================
VictoryProbModel        Linear: P(A beats B) = strength(A) / (strength(A) + strength(B))
VotingRule              Proportional: actor k votes w_k · (u_k(A) − u_k(B))
PCEModel                Conditional: P(option i) ∝ ∏_j P(i beats j)
StateTransitions        Deterministic: each actor adopts its most probable bargain
BigRRange               Mid: risk attitudes in [−½, 1]
BigRAdjust              OneThird: h's estimate of i's risk is (2·r_h + r_i)/3
ThirdPartyCommit        SemiCommit
InterVecBrgn            S2P2: bargain = salience²·prob²-weighted mean, rounded to 1e-4
BargnModel              InitOnlyInterp: bargains from the initiator's view only
accommodation           identity: each turn, an actor's ideal is its current position
======================  ==========================================================

One turn, for every run of the batch at once (numpy arrays: runs × actors × …):

1. distance ``d_ij`` = salience-weighted Euclidean distance of i's ideal to
   j's position, ``sqrt(Σ_k (s_ik (x_ik − x_jk))² / Σ_k s_ik²)``; risk-neutral
   utility ``1 − d``;
2. each actor's position competes in a probabilistic Condorcet election
   (voters weighted by capability): its probability of winning sets its risk
   attitude ``r`` (most probable → 1, least → −½), utility ``(1 − d)(1 + d·r)``;
3. each actor i finds the target j with the largest expected gain from a
   challenge — third parties join the coalition whose victory they prefer
   (SemiCommit) — and, if the gain exceeds 1e-5, proposes a bargain: both
   move towards each other, weighted by salience² × probability of victory²;
4. every actor's queue (its status quo plus bargains it proposes or receives)
   is voted on by everyone (utility of the state after the bargain, averaged
   over actors); the actor adopts the most probable one;
5. stop after at least 2 turns when the last step moved less than 2 % of the
   first (``Σ_i |x_i^t − x_i^{t−1}| / (Σ_i |x_i^1 − x_i^0| + 1e-4) < 0.02``), or
   after 100 turns.

Where this differs from KTAB: KTAB fills each actor's bargain queue from
several threads, so the order of bargains in a queue (which decides exact ties
between equally probable bargains) depends on thread timing; here a queue is
ordered status quo first, then by initiating actor. KTAB throws on degenerate
input (all actors equally likely to win, an actor with zero salience or zero
capability); here risk attitudes are then 0 and such actors are indifferent.
KTAB's reference run on ``dummyData_3Dim`` is reproduced turn by turn (see the
tests).

>>> import numpy as np
>>> r = smp_run(np.array([1.0, 1, 1]), np.array([[20.0], [50], [80]]), np.array([[50.0], [50], [50]]))
>>> r.turns >= 2, bool(abs(r.positions[-1, 1, 0] - 50) < 1e-9)
(True, True)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

MIN_COALITION = 1e-8  # KTAB Model::coalitions minC
MIN_CHALLENGE = 1e-10  # KTAB probEduChlg minCltn
MIN_GAIN = 1e-5  # KTAB bestChallenge minSigEDU
MIN_WEIGHT = 1e-6  # KTAB interpBrgnSnPm minW
POS_TOL = 1e-3  # KTAB SMPModel::posTol (on the 0–1 scale)
BLOCK = 512
"""Runs per call of a turn in :func:`smp_batch`. A call costs about 0.6 ms whatever its size (some 170 numpy
calls) and a turn's largest arrays are runs × actors² × dims: on the bundled case blocks of 384 to 1,024 ran
alike, 256 a tenth slower, the whole batch of 2,000 a third slower."""


@dataclass(frozen=True)
class SMPParams:
    """Parameters of the run; the defaults are KTAB's (see the module docstring)."""

    max_turns: int = 100
    min_turns: int = 2
    min_delta_ratio: float = 0.02
    min_sig_delta: float = 1e-4
    big_r_range: Literal["min", "mid", "max"] = "mid"
    big_r_adjust: float = 1.0 / 3.0  # weight of i's true risk in h's estimate: 1/3 = OneThird
    interp_power: Literal[1, 2] = 2  # S2P2 (2) or S1P1 (1)


@dataclass(frozen=True)
class SMPResult:
    """Positions on the 0–100 scale: ``positions[t, i, k]`` for turns 0..T (single run)."""

    positions: FloatArray  # (T+1) × actors × dims
    turns: int

    @property
    def final(self) -> FloatArray:
        return self.positions[-1]


def _distances(
    x: FloatArray, sal: FloatArray, pos: FloatArray | None = None, ssq: FloatArray | None = None
) -> FloatArray:
    """``d[b, i, j]``: salience-weighted distance of i's ideal (= position ``x``) to j's position
    (``pos``, default ``x``); ``ssq``: ``Σ_k sal²`` when the caller has it."""
    if ssq is None:
        ssq = np.sum(sal * sal, axis=-1)  # B × n
    p = x if pos is None else pos
    nb, n, nd = x.shape
    # B × j × i × d: x_i and s_i then broadcast over whole rows of n·d values (numpy's inner loops run
    # over 96 values, not 24), and each (i, j) still has its d terms contiguous for einsum
    ws = np.empty((nb, p.shape[1], n, nd))
    ws[...] = x[:, None, :, :]  # then subtract in place: a fifth faster than x_i − p_j
    ws -= p[:, :, None, :]
    ws *= sal[:, None, :, :]  # in place: these are the largest arrays of a turn
    # einsum adds the squares in another order than np.sum: a distance may differ in its last bit,
    # which the bargains' rounding to 1e-4 absorbs (the same results on the bundled case's draws)
    num = np.einsum("bjik,bjik->bji", ws, ws).transpose(0, 2, 1)
    out = np.empty(num.shape)  # B × i × j, C order
    if ssq.all():
        return np.sqrt(np.divide(num, ssq[:, :, None], out=out), out=out)
    safe = np.where(ssq > 0, ssq, 1.0)[:, :, None]
    np.sqrt(np.divide(num, safe, out=out), out=out)
    return np.where(ssq[:, :, None] > 0, out, 0.0)


def _bs_util(d: FloatArray, r: FloatArray) -> FloatArray:
    """KTAB's scalar utility of a normalised distance ``d`` for risk attitude ``r``."""
    if d.size and d.max() <= 1:  # the usual case (saliences sum to at most 1): one branch
        return (1 - d) * (1 + d * r)
    return np.where(d <= 1, (1 - d) * (1 + d * r), (1 - d) * (1 + r))


def _rows(a: FloatArray, index: NDArray[np.int64]) -> FloatArray:
    """``a[b, index[b, i], :]`` for ``a`` of shape B × n × K and ``index`` B × m: whole rows, copied."""
    nb, n, k = a.shape
    flat = (index + n * np.arange(nb)[:, None]).reshape(-1)
    return np.take(a.reshape(nb * n, k), flat, axis=0).reshape(*index.shape, k)


def _sum_last(a: FloatArray) -> FloatArray:
    """``np.sum(a, axis=-1)``, the same numbers, without numpy's reduction loop per row of a short axis:
    below 8 terms numpy adds left to right, and so does this (from 8 on numpy adds pairwise: np.sum)."""
    n = a.shape[-1]
    if not 2 <= n < 8:
        return np.sum(a, axis=-1)
    out = a[..., 0] + a[..., 1]
    for k in range(2, n):
        out += a[..., k]
    return out


def _condorcet(u: FloatArray, w: FloatArray, mask: FloatArray | None = None) -> FloatArray:
    """Probabilistic Condorcet election: ``u[b, voter, option]``, weights ``w[b, voter]``.

    Returns ``pv[b, i, j]`` = probability option i beats j (Linear victory model,
    Proportional votes).
    """
    du = u[:, :, :, None] - u[:, :, None, :]  # B × v × i × j
    votes = w[:, :, None, None] * du
    c = MIN_COALITION + np.sum(np.maximum(votes, 0.0), axis=1)  # B × i × j
    ct = np.swapaxes(c, 1, 2)
    return c / (c + ct)


def _cond_pce(pv: FloatArray) -> FloatArray:
    """Conditional PCE over all options: ``p_i ∝ ∏_j pv[i, j]``."""
    p = np.prod(pv, axis=-1)
    return p / np.sum(p, axis=-1, keepdims=True)


def _big_r(p: FloatArray, rng: str) -> FloatArray:
    pmin = p.min(axis=-1, keepdims=True)
    pmax = p.max(axis=-1, keepdims=True)
    span = pmax - pmin
    safe = np.where(span > 0, span, 1.0)
    if rng == "min":
        r = (p - pmin) / safe
    elif rng == "max":
        r = (2 * p - (pmax + pmin)) / safe
    else:
        r = (3 * p - (pmax + 2 * pmin)) / (2 * safe)
    return np.where(span > 0, r, 0.0)


def _round4(x: FloatArray) -> FloatArray:
    """``floor(0.5 + x·10⁴) / 10⁴``, in place."""
    np.multiply(x, 10000.0, out=x)
    np.add(x, 0.5, out=x)
    np.floor(x, out=x)
    np.divide(x, 10000.0, out=x)
    return x


class TurnConstants(NamedTuple):
    """What a turn needs from the saliences alone, the same every turn: taken once per batch."""

    ssq: FloatArray  # B × n: Σ_k s_ik²
    total: FloatArray  # B × n: Σ_k s_ik
    power: FloatArray  # B × n × d: s_ik^q (the bargains' salience weights)


@functools.cache
def _masks(n: int) -> tuple[FloatArray, NDArray[np.bool_], NDArray[np.bool_]]:
    """For n actors: ``third[i, j, m]`` 1.0 where m ∉ {i, j} (vk is finite: × 0/1 is where(third, ·, 0)),
    ``i ≠ j`` and ``i = j``; the same every turn."""
    idx = np.arange(n)
    eye = idx[:, None] == idx[None, :]
    third = ~eye[:, :, None] & ~eye[:, None, :] & ~eye[None, :, :]  # j ≠ i, m ≠ i, m ≠ j
    return third.astype(float), ~eye, eye


def turn_constants(sal: FloatArray, params: SMPParams = SMPParams()) -> TurnConstants:
    """The per-batch constants of :func:`smp_turn` for saliences ``sal[b, i, k]``."""
    return TurnConstants(np.sum(sal * sal, axis=-1), sal.sum(axis=-1), sal**params.interp_power)


def smp_turn(
    x: FloatArray, cap: FloatArray, sal: FloatArray, params: SMPParams = SMPParams(), *,
    const: TurnConstants | None = None,
) -> FloatArray:
    """One SMP turn for a batch: positions ``x[b, i, k]`` on 0–1 → new positions.

    ``cap[b, i]`` capabilities (> 0), ``sal[b, i, k]`` saliences on 0–1 (an
    actor's saliences sum to at most 1); ``const``: :func:`turn_constants` of ``sal``, when the caller has it.
    """
    nb, n, _ = x.shape
    idx = np.arange(n)
    ssq, s, sal_q = turn_constants(sal, params) if const is None else const
    d = _distances(x, sal, ssq=ssq)  # B × i × j
    u0 = 1.0 - d
    # 1. risk attitudes from each position's chance in a Condorcet election
    p = _cond_pce(_condorcet(u0, cap))
    r = _big_r(p, params.big_r_range)  # B × n
    a = params.big_r_adjust
    rhat = (1 - a) * r[:, :, None] + a * r[:, None, :]  # B × h × a
    v = _bs_util(d[:, None, :, :], rhat[:, :, :, None])  # B × h × a × b: h's estimate of u_a(pos_b)

    # 2. challenges (h = k = i), for every pair i → j
    w = cap * s  # B × n
    # Gathers copied into C order (np.ascontiguousarray): numpy lays fancy-indexed middle axes out first
    # in memory, and every array computed from them would inherit that order (strided passes)
    own = np.ascontiguousarray(v[:, idx, idx, :])  # B × i × b : V[i, i, b], i's own utility of b's position
    uii = np.diagonal(own, axis1=1, axis2=2).copy()[:, :, None]  # B × i × 1 : V[i, i, i]
    uij = own  # B × i × j
    uji = np.ascontiguousarray(v[:, idx[:, None], idx[None, :], idx[:, None]])  # V[i, j, i]
    ujj = np.ascontiguousarray(v[:, idx[:, None], idx[None, :], idx[None, :]])  # V[i, j, j]
    ci = w[:, :, None] * (uii - uij)
    cj = w[:, None, :] * (uji - ujj)
    ch0ij = MIN_CHALLENGE + np.maximum(ci, 0) + np.maximum(cj, 0)
    ch0ji = MIN_CHALLENGE + np.maximum(-ci, 0) + np.maximum(-cj, 0)
    uni = uji[:, :, None, :]  # B × i × 1 × m : V[i, m, i]
    unn = ujj[:, :, None, :]  # V[i, m, m]
    unj = np.ascontiguousarray(np.swapaxes(v, 2, 3))  # B × i × j × m : V[i, m, j]
    cn = w[:, None, None, :] * (uni - unj)
    cni = ch0ij[..., None] + np.maximum(cn, 0)
    cnj = ch0ji[..., None] + np.maximum(-cn, 0)
    pin = cni / (cni + cnj)
    pjn = 1.0 - pin
    u_ik_j = pin * (uni + uni + unn) + pjn * (unj + unj + unj)
    u_i_jk = pin * (uni + uni + uni) + pjn * (unj + unj + unn)
    vk = w[:, None, None, :] * (u_ik_j - u_i_jk)
    third_f, off, eye = _masks(n)
    chij = ch0ij + _sum_last(np.maximum(vk, 0) * third_f)
    chji = ch0ji + _sum_last(np.maximum(-vk, 0) * third_f)
    phij = chij / (chij + chji)
    phji = chji / (chij + chji)
    vict = uii + uii
    cntst = phij * vict + phji * (uij + uij)
    gain = (1 - s[:, None, :]) * vict + s[:, None, :] * cntst - (uii + uij)
    gain = np.where(off, gain, -np.inf)
    gain = np.where(gain > MIN_GAIN, gain, -np.inf)
    target = np.argmax(gain, axis=-1)  # B × i
    has = np.isfinite(gain.max(axis=-1))  # the target's gain is the row's largest
    prob = np.take(phij.reshape(-1), np.arange(target.size) * n + target.reshape(-1)).reshape(nb, n)  # B × i

    # 3. bargains (InitOnlyInterp, S2P2/S1P1)
    xj = _rows(x, target)  # B × i × d
    q = params.interp_power
    wi = sal_q * prob[..., None] ** q
    wj = _rows(sal_q, target) * (1 - prob[..., None]) ** q
    wi_ = wi + MIN_WEIGHT
    den = wi_ + wj
    b_init = wi_ * x  # ((wi + minW) x_i + wj x_j) / den, term by term in place
    b_init += wj * xj
    b_init /= den
    b_rcvr = wi * x  # (wi x_i + (minW + wj) x_j) / den
    wj += MIN_WEIGHT
    b_rcvr += wj * xj
    b_rcvr /= den
    _round4(b_init)
    _round4(b_rcvr)

    # 4. utility to each voter a of the state after each bargain (slot 0: status quo)
    def pos_util(pos: FloatArray) -> FloatArray:  # B × i × d → B × a × i
        return _bs_util(_distances(x, sal, pos, ssq), r[:, :, None])

    u_bi, u_bj = pos_util(b_init), pos_util(b_rcvr)
    # others[b, i, n]: n is neither the initiator i nor its target
    not_i = off[None, :, :]
    not_j = idx[None, None, :] != target[:, :, None]
    others = not_i & not_j  # B × i × n
    rest = _sum_last(own[:, :, None, :] * others[:, None, :, :])  # B × a × i (own is finite: × 0/1 masks)
    u_sq = _sum_last(own) / n  # B × a
    u_b = (u_bi + u_bj + rest) / n  # B × a × i
    u_opt = np.concatenate([u_sq[:, :, None], u_b], axis=-1)  # B × a × (1 + n)
    pv = _condorcet(u_opt, cap)  # B × m × m

    # 5. each actor's queue, its probabilities, and the adopted bargain
    queue = np.zeros((nb, n, n + 1), dtype=bool)  # B × k × m
    queue[:, :, 0] = True
    slot = has[:, None, :] & (eye[None, :, :] | (target[:, None, :] == idx[None, :, None]))
    queue[:, :, 1:] = slot
    # Π over the queued options o of pv[m, o], o by o (np.prod over an axis multiplies left to right):
    # the status quo (o = 0) is in every queue
    pk = np.repeat(pv[:, None, :, 0], n, axis=1)  # B × k × m
    for o in range(1, n + 1):
        pk *= np.where(queue[:, :, None, o], pv[:, None, :, o], 1.0)
    pk = np.where(queue, pk, 0.0)
    pk = pk / _sum_last(pk)[..., None]
    choice = np.argmax(pk, axis=-1)  # B × k (first maximum, as KTAB)
    init_idx = choice - 1
    chosen_init = _rows(b_init, np.maximum(init_idx, 0))
    chosen_rcvr = _rows(b_rcvr, np.maximum(init_idx, 0))
    is_init = (init_idx == idx[None, :])[..., None]
    new = np.where(is_init, chosen_init, chosen_rcvr)
    return np.where((choice == 0)[..., None], x, new)


def smp_batch(
    cap: FloatArray, pos: FloatArray, sal: FloatArray, params: SMPParams = SMPParams(),
    tick: Callable[[float], None] | None = None,
) -> tuple[FloatArray, NDArray[np.int64]]:
    """Run the SMP for a batch of inputs until each run stops.

    ``cap[b, i]`` > 0, ``pos[b, i, k]`` and ``sal[b, i, k]`` on the 0–1 scale.
    Returns the final positions (0–1) and the number of turns of each run.

    ``tick(done)``, when given, is called after each block of runs (``BLOCK``) with an estimate of the
    share of the batch's work done: the mean over runs of how far each has come — 1 once it stopped,
    else the larger of its turns over ``max_turns`` and how far its last step has shrunk towards the
    stopping ratio, on a log scale (steps shrink about geometrically). It never decreases and ends at 1.
    It changes no number: the blocks are the same, watched or not.

    >>> seen = []
    >>> cap, pos, sal = np.ones((3, 3)), np.array([[[0.1], [0.5], [0.9]]] * 3), np.ones((3, 3, 1))
    >>> final, turns = smp_batch(cap, pos, sal, tick=seen.append)
    >>> seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == int(turns.max()) + 1
    True
    """
    x = np.array(pos, dtype=float, order="C")  # a copy, moved turn by turn
    cap, sal = np.ascontiguousarray(cap, dtype=float), np.ascontiguousarray(sal, dtype=float)  # C order: see smp_turn
    nb = x.shape[0]
    first = np.zeros(nb)
    turns = np.zeros(nb, dtype=np.int64)
    active = np.ones(nb, dtype=bool)
    const = turn_constants(sal, params)
    come = np.zeros(nb) if tick is not None else None  # how far each run has come (see the docstring)
    for it in range(1, params.max_turns + 1):
        if not active.any():
            break
        a = np.flatnonzero(active)
        if a.size == nb:  # every run still going (the first turns at least): no copies
            xa, ca, sa, fa = x, cap, sal, const  # x is written only after its last use below
        else:
            xa, ca, sa, fa = x[a], cap[a], sal[a], TurnConstants(*(c[a] for c in const))
        new = np.empty_like(xa)
        for k in range(0, a.size, BLOCK):  # in blocks whose arrays stay in cache
            b = slice(k, k + BLOCK)
            new[b] = smp_turn(xa[b], ca[b], sa[b], params, const=TurnConstants(*(c[b] for c in fa)))
            if come is not None and tick is not None:
                rows = a[b]
                come[rows] = np.maximum(come[rows], it / params.max_turns)
                tick(float(come.mean()))
        step = np.sum(np.sqrt(np.sum((new - xa) ** 2, axis=-1)), axis=-1)
        if it == 1:
            first[a] = step
        x[a] = new
        turns[a] = it
        ratio = step / (first[a] + params.min_sig_delta)
        done = (it >= params.max_turns) | ((it >= params.min_turns) & (ratio < params.min_delta_ratio))
        active[a[done]] = False
        if come is not None:
            shrunk = np.log(np.maximum(ratio, 1e-300)) / np.log(params.min_delta_ratio) if it > 1 else 0.0
            come[a] = np.where(done, 1.0, np.maximum(come[a], np.clip(shrunk, 0.0, 1.0)))
    if tick is not None:
        tick(1.0)
    return x, turns


def smp_run(
    power: FloatArray, position: FloatArray, salience: FloatArray, params: SMPParams = SMPParams()
) -> SMPResult:
    """One SMP run on KTAB's scales (power ≥ 0; position and salience 0–100), with history.

    Returns every turn's positions on the 0–100 scale.
    """
    cap = np.asarray(power, dtype=float)[None, :]
    x = np.asarray(position, dtype=float)[None, :, :] / 100.0
    sal = np.asarray(salience, dtype=float)[None, :, :] / 100.0
    hist = [x[0].copy()]
    first = 0.0
    t = 0
    for it in range(1, params.max_turns + 1):
        new = smp_turn(x, cap, sal, params)
        step = float(np.sum(np.sqrt(np.sum((new - x) ** 2, axis=-1))))
        if it == 1:
            first = step
        x = new
        hist.append(x[0].copy())
        t = it
        if it >= params.min_turns and step / (first + params.min_sig_delta) < params.min_delta_ratio:
            break
    return SMPResult(positions=np.array(hist) * 100.0, turns=t)


def win_probabilities(
    power: FloatArray, position: FloatArray, salience: FloatArray, params: SMPParams = SMPParams()
) -> FloatArray:
    """Each actor's probability that its position wins (KTAB's ``pDist(-1)``/``posProb``).

    Positions within 0.1 (on 0–100) of each other count as one; actors sharing a
    position share its probability, so the numbers can sum to more than 1.
    """
    cap = np.asarray(power, dtype=float)[None, :]
    x = np.asarray(position, dtype=float)[None, :, :] / 100.0
    sal = np.asarray(salience, dtype=float)[None, :, :] / 100.0
    n = x.shape[1]
    d = _distances(x, sal)
    p0 = _cond_pce(_condorcet(1.0 - d, cap))
    r = _big_r(p0, params.big_r_range)
    u = _bs_util(d, r[:, :, None])[0]  # a × j: a's utility of j's position, a's own risk
    uniq: list[int] = []
    equiv = np.zeros(n, dtype=int)
    for i in range(n):
        for k, j in enumerate(uniq):
            if np.linalg.norm(x[0, i] - x[0, j]) < POS_TOL:
                equiv[i] = k
                break
        else:
            equiv[i] = len(uniq)
            uniq.append(i)
    p = _cond_pce(_condorcet(u[None][:, :, uniq], cap))[0]
    return p[equiv]

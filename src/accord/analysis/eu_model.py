"""The expected-utility challenge model of Bueno de Mesquita, as reconstructed by Scholz et al.

References: B. Bueno de Mesquita, "Political forecasting: an expected utility
method", in Bueno de Mesquita & Stokman (eds), *European Community Decision
Making*, Yale UP 1994, pp. 71–104; J. B. Scholz, G. J. Calbert & G. A. Smith,
"Unravelling Bueno de Mesquita's group decision model", *Journal of
Theoretical Politics* 23(4), 2011, 510–531 (and ICAART 2011). Where the paper's
equations leave a choice open, this follows an open replication
(``github.com/jmckib/bdm-scholz-expected-utility-model``). The tests check every
position against that replication and the per-round median and mean against the
paper's Table 2: all of it prints as published but round 2's median (9.61 here,
9.9 there); docs/forecast.md has the table.

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

from dataclasses import dataclass

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


def _risk_exponents(x: FloatArray, w: FloatArray, s: FloatArray, m: BoolArray, rng: FloatArray, q: float) -> FloatArray:
    """Step 3: risk exponents from every actor's danger, all computed with r = 1."""
    p = _probabilities(x, w, None, m, rng)  # … × i × j
    d = np.abs(x[..., :, None] - x[..., None, :]) / rng[..., None, None]
    us = 2 - 4 * (0.5 - 0.5 * d)
    uf = 2 - 4 * (0.5 + 0.5 * d)
    usq = 0.0  # 2 − 4·½ with r = 1
    # EU(j challenges i): challenger j (row), target i (column): salience of i
    eu = s[..., None, :] * (p * us + (1 - p) * uf) + (1 - s[..., None, :]) * us - q * usq
    n = x.shape[-1]
    valid = m[..., :, None] & m[..., None, :] & ~np.eye(n, dtype=bool)
    danger = np.sum(np.where(valid, eu, 0.0), axis=-2)  # sum over challengers j
    big = np.where(m, danger, -np.inf).max(axis=-1, keepdims=True)
    small = np.where(m, danger, np.inf).min(axis=-1, keepdims=True)
    span = big - small
    ok = np.isfinite(span) & (span > 0)
    safe = np.where(ok, span, 1.0)
    # an actor with no position on the issue (m false) stays risk-neutral: its danger lies outside the
    # range of the others', and the exponent would overflow into the masked sums (inf × 0)
    rr = np.where(ok & m, (2 * danger - big - small) / safe, 0.0)
    return (1 - rr / 3) / (1 + rr / 3)


def _probabilities(x: FloatArray, w: FloatArray, r: FloatArray | None, m: BoolArray, rng: FloatArray) -> FloatArray:
    """Step 1: ``P[…, i, j]`` that i prevails over j (Scholz's normaliser); ``r=None`` means all 1."""
    # g[…, k, a] = (|x_k − x_a| / R)^{r_k}
    g = np.abs(x[..., :, None] - x[..., None, :]) / rng[..., None, None]
    if r is not None:
        g = g ** r[..., :, None]
    wk = np.where(m, w, 0.0)[..., :, None, None]
    v = g[..., :, None, :] - g[..., :, :, None]  # … × k × a × b : v_k(x_a, x_b) / w_k
    v *= wk
    np.maximum(v, 0.0, out=v)
    num = v.sum(axis=-3)  # … × a × b
    num = np.where(m[..., :, None] & m[..., None, :], num, 0.0)
    # Σ_k Σ_a Σ_b |v_k(a, b)| = 2 Σ_a Σ_b Σ_k max(0, v_k(a, b)), as v_k(b, a) = −v_k(a, b)
    tot = 2.0 * num.sum(axis=(-2, -1))
    safe = np.where(tot > 0, tot, 1.0)[..., None, None]
    p = np.where(tot[..., None, None] > 0, num / safe, 0.0)
    return np.where(x[..., :, None] == x[..., None, :], 0.0, p)


def eu_round(
    x: FloatArray, w: FloatArray, s: FloatArray, m: BoolArray, rng: FloatArray, params: EUParams = EUParams()
) -> tuple[FloatArray, FloatArray]:
    """One round: new positions and the risk exponents used (arrays as :func:`eu_rounds`)."""
    q = params.q
    r = _risk_exponents(x, w, s, m, rng, q)
    p = _probabilities(x, w, r, m, rng)  # … × i × j
    # symmetric; at most 1 between actors with positions (rng spans them), clipped for the others
    d = np.minimum(np.abs(x[..., :, None] - x[..., None, :]) / rng[..., None, None], 1.0)
    ra = r[..., :, None]  # receiver a's view (rows a, columns o)
    us = 2 - 4 * (0.5 - 0.5 * d) ** ra
    uf = 2 - 4 * (0.5 + 0.5 * d) ** ra
    usq = 2 - 4 * 0.5**ra
    pt = np.swapaxes(p, -1, -2)
    # e_ao: a challenges o (target o's salience); e_oa: o challenges a (target a's salience)
    e_ao = s[..., None, :] * (p * us + (1 - p) * uf) + (1 - s[..., None, :]) * us - q * usq
    e_oa = s[..., :, None] * (pt * us + (1 - pt) * uf) + (1 - s[..., :, None]) * us - q * usq
    xa = x[..., :, None]
    xo = x[..., None, :]
    pair = m[..., :, None] & m[..., None, :] & (xa != xo)
    conf = pair & (e_oa > e_ao) & (e_ao > 0)
    mixed = pair & (e_oa > 0) & (e_ao < 0)
    comp = mixed & (e_oa > np.abs(e_ao))
    capit = mixed & (e_oa < np.abs(e_ao)) if params.capitulation else np.zeros_like(mixed)
    with np.errstate(divide="ignore", invalid="ignore"):
        comp_pos = xa + (xo - xa) * np.abs(e_ao / np.where(comp, e_oa, 1.0))
        comp_key = (np.abs(e_ao) * xa + np.abs(e_oa) * xo) / (np.abs(e_ao) + np.abs(e_oa))
    dist = np.abs(xa - xo)
    inf = np.inf
    k_conf = np.argmin(np.where(conf, dist, inf), axis=-1)
    k_comp = np.argmin(np.where(comp, comp_key, inf), axis=-1)
    k_cap = np.argmin(np.where(capit, dist, inf), axis=-1)

    def pick(a: FloatArray, k: NDArray[np.intp]) -> FloatArray:
        return np.take_along_axis(a, k[..., None], axis=-1)[..., 0]

    xo_full = np.broadcast_to(xo, conf.shape)
    new = np.where(
        conf.any(axis=-1), pick(xo_full, k_conf),
        np.where(comp.any(axis=-1), pick(comp_pos, k_comp),
                 np.where(capit.any(axis=-1), pick(xo_full, k_cap), x)),
    )
    return np.where(m, new, x), r


def _prepare(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, mask: ArrayLike | None
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray, FloatArray, BoolArray]:
    xa = np.asarray(x, dtype=float)
    ca = np.broadcast_to(np.asarray(c, dtype=float), xa.shape)
    sa = np.broadcast_to(np.asarray(s, dtype=float), xa.shape)
    m = np.ones(xa.shape, dtype=bool) if mask is None else np.broadcast_to(np.asarray(mask, dtype=bool), xa.shape)
    hi = np.where(m, xa, -np.inf).max(axis=-1)
    lo = np.where(m, xa, np.inf).min(axis=-1)
    span = hi - lo
    fixed = ~(np.isfinite(span) & (span > 0))
    return xa, ca * sa, sa, m, np.where(fixed, 1.0, span), fixed


def eu_rounds(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, mask: ArrayLike | None = None, *,
    max_rounds: int | None = None, params: EUParams = EUParams(),
) -> EURounds:
    """Run rounds until positions settle; actors on the last axis, batch axes in front.

    ``c`` capability ≥ 0, ``s`` salience in [0, 1], ``mask`` which actors take part
    (default: all). Returns every round's positions (all runs stop together).
    """
    xa, w, sa, m, rng, fixed = _prepare(x, c, s, mask)
    hist = [xa]
    risks = []
    rounds = params.max_rounds if max_rounds is None else max_rounds
    cur = xa
    for _ in range(rounds):
        new, r = eu_round(cur, w, sa, m, rng, params)
        new = np.where(fixed[..., None], cur, new)
        hist.append(new)
        risks.append(r)
        moved = np.abs(new - cur).max(axis=-1) if new.size else np.zeros(0)
        cur = new
        if np.all(moved <= params.tol * rng):
            break
    return EURounds(positions=np.array(hist), risk=np.array(risks), rounds=len(risks))


def eu_final(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, mask: ArrayLike | None = None, params: EUParams = EUParams()
) -> FloatArray:
    """Final positions only; each run of the batch stops as soon as it settles.

    A settled run stays settled (a round is a deterministic function of the
    positions), so dropping it from later rounds changes nothing but the time.
    """
    xa, w, sa, m, rng, fixed = _prepare(x, c, s, mask)
    shape = xa.shape
    n = shape[-1]
    cur = xa.reshape(-1, n).copy()
    wf, sf, mf = w.reshape(-1, n), sa.reshape(-1, n), m.reshape(-1, n)
    rf = rng.reshape(-1)
    live = np.flatnonzero(~fixed.reshape(-1))
    for _ in range(params.max_rounds):
        if live.size == 0:
            break
        xs = cur[live]
        new, _ = eu_round(xs, wf[live], sf[live], mf[live], rf[live], params)
        cur[live] = new
        moved = np.abs(new - xs).max(axis=-1)
        live = live[moved > params.tol * rf[live]]
    return cur.reshape(shape)


def eu_forecast(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, mask: ArrayLike | None = None, params: EUParams = EUParams()
) -> FloatArray:
    """The model's forecast: weighted median of the final positions (batch axes kept)."""
    xa = np.asarray(x, dtype=float)
    m = np.ones(xa.shape, dtype=bool) if mask is None else np.broadcast_to(np.asarray(mask, dtype=bool), xa.shape)
    final = eu_final(xa, c, s, m, params)
    w = np.where(m, np.asarray(c, float) * np.asarray(s, float), 0.0)
    return weighted_median(final, w)


__all__ = [
    "EUParams", "EURounds", "eu_final", "eu_forecast", "eu_round", "eu_rounds", "weighted_mean", "weighted_median",
]

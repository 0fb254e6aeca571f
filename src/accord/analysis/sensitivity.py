"""Which inputs move each scenario's probability most.

Two measures, both over the uncertain inputs of :mod:`~accord.analysis.montecarlo`:

- **one-at-a-time swings** — pin one input at the low end of its range, then at
  the high end, and rerun the Monte Carlo with everything else drawn as usual;
  the swing is ``P(scenario | high) − P(scenario | low)``. Both runs reuse the
  same uniform draws for the other inputs (common random numbers), so the
  difference is the input's effect and not sampling noise between runs. All
  2 × inputs runs go through the model as one vectorised batch.
- **first-order (variance-based) index** — ``S_i = Var(E[Y | X_i]) / Var(Y)`` for
  the scenario indicator Y, estimated from the main run's draws by cutting the
  input's range into ``bins`` equal-probability bins (a "given data" estimator,
  Plischke, Borgonovo & Smith 2013); the small-sample bias (``(bins − 1)/N``) is
  subtracted and the result clipped at 0. It needs no extra model runs.

Swings show direction and size at the range ends; indices show the share of
variance an input explains on its own. The table ranks by the absolute swing.

>>> import numpy as np
>>> u = np.random.default_rng(0).random((4000, 2))
>>> y = u[:, 0] > 0.5                       # the scenario depends on input 0 only
>>> s = first_order_indices(u, y[:, None])
>>> bool(s[0, 0] > 0.9), bool(s[1, 0] < 0.01)
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from accord.analysis.models import resolve
from accord.analysis.montecarlo import Problem, evaluate_values, values_of
from accord.analysis.shape import JSON_SHAPE

FloatArray = NDArray[np.float64]
MAX_ROWS = 6000  # rows per vectorised batch


@dataclass(frozen=True)
class SensitivityRow:
    """One input's effect on one scenario (pinned low and high)."""

    __pydantic_config__ = JSON_SHAPE
    scenario: str
    input: str
    kind: str
    low: float
    high: float
    p_low: float
    p_high: float
    swing: float
    first_order: float | None


def first_order_indices(u: FloatArray, hits: NDArray[np.bool_], bins: int = 10) -> FloatArray:
    """``S[input, scenario]`` from draws: ``u`` (draws × inputs, uniform), ``hits`` (draws × scenarios)."""
    n, k = u.shape
    y = hits.astype(float)
    var = y.var(axis=0)
    out = np.zeros((k, y.shape[1]))
    if n < 2 * bins:
        return out
    b = np.minimum((u * bins).astype(int), bins - 1)  # equal-probability bins of each input
    for i in range(k):
        counts = np.bincount(b[:, i], minlength=bins).astype(float)
        sums = np.stack([np.bincount(b[:, i], weights=y[:, s], minlength=bins) for s in range(y.shape[1])], axis=1)
        means = sums / np.maximum(counts, 1.0)[:, None]
        between = (counts[:, None] * (means - y.mean(axis=0)) ** 2).sum(axis=0) / n
        with np.errstate(invalid="ignore", divide="ignore"):
            s_i = np.where(var > 0, between / np.where(var > 0, var, 1.0) - (bins - 1) / n, 0.0)
        out[i] = np.clip(s_i, 0.0, 1.0)
    return out


def oat_swings(problem: Problem, seed: int, draws: int = 200) -> tuple[FloatArray, FloatArray]:
    """``P(scenario)`` under the problem's first predictor with each input pinned low and high.

    Two arrays inputs × scenarios. A ``red_line`` input pinned low holds, pinned high breaks.
    """
    problem = replace(problem, predictors=resolve(problem.predictors[:1]))  # the others are not needed
    k = len(problem.inputs)
    ns = len(problem.rules)
    p_low, p_high = np.zeros((k, ns)), np.zeros((k, ns))
    if k == 0 or ns == 0:
        return p_low, p_high
    u = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0]).random((draws, k))
    base = values_of(problem, u)
    settings = [(i, end) for i in range(k) for end in (0, 1)]
    per = max(1, MAX_ROWS // draws)
    for g in range(0, len(settings), per):
        group = settings[g:g + per]
        vals = np.concatenate([base] * len(group))
        for j, (i, end) in enumerate(group):
            inp = problem.inputs[i]
            vals[j * draws:(j + 1) * draws, i] = inp.high if end else inp.low
        _, _, scen = evaluate_values(problem, vals)
        hits = scen[problem.model][:, None] == np.arange(ns)[None, :]
        for j, (i, end) in enumerate(group):
            p = hits[j * draws:(j + 1) * draws].mean(axis=0)
            (p_high if end else p_low)[i] = p
    return p_low, p_high


def sensitivity_table(
    problem: Problem, seed: int, u: FloatArray, hits: NDArray[np.bool_], draws: int = 200, top: int | None = None
) -> list[SensitivityRow]:
    """Rows per scenario, ranked by |swing| (then by first-order index); ``top`` per scenario."""
    p_low, p_high = oat_swings(problem, seed, draws)
    s1 = first_order_indices(u, hits) if len(u) else np.zeros((len(problem.inputs), len(problem.rules)))
    rows: list[SensitivityRow] = []
    for s, (sid, _) in enumerate(problem.rules):
        mine = [
            SensitivityRow(
                scenario=sid, input=inp.name, kind=inp.kind, low=inp.low, high=inp.high,
                p_low=float(p_low[i, s]), p_high=float(p_high[i, s]),
                swing=float(p_high[i, s] - p_low[i, s]), first_order=float(s1[i, s]),
            )
            for i, inp in enumerate(problem.inputs)
        ]
        mine.sort(key=lambda r: (-abs(r.swing), -(r.first_order or 0.0), r.input))
        rows.extend(mine[:top] if top else mine)
    return rows

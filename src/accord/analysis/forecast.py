"""Forecast a case: a bargaining model run over the uncertainty in its estimates.

:func:`forecast` is the one entry point. It builds the numeric problem
(:mod:`~accord.analysis.montecarlo`), runs the chosen model once at the
estimates' values (the *point* forecast) and over ``draws`` Monte Carlo draws,
and returns for every issue the forecast distribution (quantiles of the axis
position, the share of draws landing on each option) beside the capability ×
salience weighted mean and median baselines, for every scenario of the case
its probability with a 95 % Wilson interval, and — on request — a ranked
sensitivity table (:mod:`~accord.analysis.sensitivity`).

Models (``model=``):

- ``eu`` — Bueno de Mesquita's expected-utility challenge model as reconstructed
  by Scholz, Calbert & Smith 2011 (:mod:`~accord.analysis.eu_model`);
- ``smp`` — the KTAB Spatial Model of Politics (:mod:`~accord.analysis.smp`);
- ``median`` / ``mean`` — the weighted baselines (:mod:`~accord.analysis.baselines`).

The function is pure: it reads nothing and writes nothing (the Dask engine
only spreads the arithmetic over workers). The same ``seed`` gives the same
numbers on either engine.

>>> from accord.model import DEFAULT_CASE, load_case
>>> f = forecast(load_case(DEFAULT_CASE), model="median", draws=200, seed=1)
>>> f.draws, len(f.issues) == len(load_case(DEFAULT_CASE).issues), all(0 <= s.probability <= 1 for s in f.scenarios)
(200, True, True)
>>> f2 = forecast(load_case(DEFAULT_CASE), model="median", draws=200, seed=1)
>>> [s.probability for s in f.scenarios] == [s.probability for s in f2.scenarios]
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from accord.analysis.baselines import weighted_mean, weighted_median
from accord.analysis.eu_model import EUParams
from accord.analysis.ktab import KtabInput
from accord.analysis.montecarlo import (
    DEFAULT_CHUNK,
    Problem,
    Progress,
    draws_of,
    evaluate_values,
    problem_of,
    run,
)
from accord.analysis.scenarios import wilson_interval
from accord.analysis.sensitivity import SensitivityRow, sensitivity_table
from accord.analysis.smp import SMPParams, smp_run, win_probabilities
from accord.model import Case

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class OptionShare:
    """Share of draws whose forecast lands on an option (nearest to the forecast position)."""

    option: str
    label: str
    axis: float
    share: float


@dataclass(frozen=True)
class IssueForecast:
    """One issue: point forecast, baselines, and the Monte Carlo distribution."""

    issue: str
    name: str
    point: float  # the model at the estimates' values (axis 0–100)
    point_option: str
    baseline_mean: float
    baseline_median: float
    mean: float  # over draws
    quantiles: dict[str, float]  # "q05" … "q95"
    options: tuple[OptionShare, ...]
    top_option: str


@dataclass(frozen=True)
class ScenarioForecast:
    """One scenario: the share of draws where its rule holds, with a 95 % Wilson interval."""

    id: str
    name: str
    rule: str
    probability: float
    low: float
    high: float
    hits: int
    draws: int
    point: bool  # whether the rule holds at the point forecast


@dataclass(frozen=True)
class Forecast:
    case: str
    model: str
    draws: int
    seed: int
    engine: str
    inputs: int  # number of uncertain estimates drawn
    issues: tuple[IssueForecast, ...]
    scenarios: tuple[ScenarioForecast, ...]
    sensitivity: tuple[SensitivityRow, ...] = field(default=())

    def issue(self, issue_id: str) -> IssueForecast:
        for i in self.issues:
            if i.issue == issue_id:
                return i
        raise KeyError(issue_id)

    def scenario(self, scenario_id: str) -> ScenarioForecast:
        for s in self.scenarios:
            if s.id == scenario_id:
                return s
        raise KeyError(scenario_id)


def _point_values(problem: Problem) -> np.ndarray:
    return np.array([[i.value for i in problem.inputs]], dtype=float).reshape(1, len(problem.inputs))


def forecast(
    case: Case,
    model: str = "eu",
    draws: int = 1000,
    seed: int = 0,
    *,
    engine: str = "local",
    address: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    confidence: Mapping[str, float] | None = None,
    sensitivity: bool = False,
    sensitivity_draws: int = 200,
    sensitivity_top: int | None = 10,
    eu: EUParams | None = None,
    smp: SMPParams | None = None,
    progress: Progress | None = None,
) -> Forecast:
    """Run ``model`` on ``case`` over ``draws`` Monte Carlo draws (see the module docstring)."""
    problem = problem_of(case, model, confidence=confidence, eu=eu, smp=smp)
    point_vals = _point_values(problem)
    p_pos, p_opt, p_hits = evaluate_values(problem, point_vals)
    d0 = draws_of(problem, point_vals)
    w0 = np.where(problem.has_position[None], d0.capability[:, :, None] * d0.salience, 0.0)
    b_mean = weighted_mean(np.swapaxes(d0.ideal, 1, 2), np.swapaxes(w0, 1, 2))[0]
    b_med = weighted_median(np.swapaxes(d0.ideal, 1, 2), np.swapaxes(w0, 1, 2))[0]
    res = run(problem, draws, seed, engine=engine, address=address, chunk_size=chunk_size, progress=progress)
    issues = []
    for i, iss in enumerate(case.issues):
        pos = res.position[:, i]
        counts = np.bincount(res.option[:, i], minlength=len(iss.options)) / draws
        qs = np.quantile(pos, QUANTILES)
        shares = tuple(
            OptionShare(o.id, o.label, o.axis, float(counts[j])) for j, o in enumerate(iss.options)
        )
        sq = iss.axis(iss.status_quo)
        issues.append(IssueForecast(
            issue=iss.id, name=iss.name,
            point=float(p_pos[0, i]), point_option=iss.options[int(p_opt[0, i])].id,
            baseline_mean=float(b_mean[i]) if np.isfinite(b_mean[i]) else sq,
            baseline_median=float(b_med[i]) if np.isfinite(b_med[i]) else sq,
            mean=float(pos.mean()),
            quantiles={f"q{round(q * 100):02d}": float(v) for q, v in zip(QUANTILES, qs, strict=True)},
            options=shares, top_option=iss.options[int(np.argmax(counts))].id,
        ))
    scen = []
    for s, sc in enumerate(case.scenarios):
        k = int(res.hits[:, s].sum())
        lo, hi = wilson_interval(k, draws)
        scen.append(ScenarioForecast(
            id=sc.id, name=sc.name, rule=sc.rule, probability=k / draws, low=lo, high=hi,
            hits=k, draws=draws, point=bool(p_hits[0, s]),
        ))
    sens: tuple[SensitivityRow, ...] = ()
    if sensitivity:
        sens = tuple(sensitivity_table(problem, seed, res.u, res.hits, sensitivity_draws, sensitivity_top))
    return Forecast(
        case=case.id, model=model, draws=draws, seed=seed, engine=engine, inputs=len(problem.inputs),
        issues=tuple(issues), scenarios=tuple(scen), sensitivity=sens,
    )


@dataclass(frozen=True)
class KtabForecast:
    """KTAB's SMP on a KTAB input: final positions (0–100) and each actor's win probability."""

    scenario: str
    model: str
    turns: int
    dims: tuple[str, ...]
    actors: tuple[str, ...]
    final: dict[str, dict[str, float]]  # actor → dim → position
    win_probability: dict[str, float]
    history: list[list[list[float]]]  # turn × actor × dim


def forecast_ktab(k: KtabInput, model: str = "smp", params: SMPParams | None = None) -> KtabForecast:
    """Run the SMP on KTAB input (the only model that reads KTAB's format)."""
    from accord.errors import AccordError

    if model != "smp":
        raise AccordError(f"--from-ktab runs the smp model (KTAB's own); got --model {model}")
    if (k.power <= 0).any():
        bad = [a for a, p in zip(k.actors, k.power, strict=True) if p <= 0]
        raise AccordError(f"KTAB's SMP needs every actor's power > 0; zero for {bad}")
    prm = params or SMPParams()
    r = smp_run(k.power, k.position, k.salience, prm)
    wp = win_probabilities(k.power, r.final, k.salience, prm)
    return KtabForecast(
        scenario=k.name, model=model, turns=r.turns, dims=k.dims, actors=k.actors,
        final={a: {d: round(float(r.final[i, j]), 6) for j, d in enumerate(k.dims)} for i, a in enumerate(k.actors)},
        win_probability={a: float(wp[i]) for i, a in enumerate(k.actors)},
        history=np.round(r.positions, 6).tolist(),
    )

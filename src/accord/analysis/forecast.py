"""Forecast a case: every model and baseline over the uncertainty in its estimates.

:func:`forecast` is the one entry point. It builds the numeric problem
(:mod:`~accord.analysis.problem`), runs the chosen model and every other
registered predictor (:mod:`~accord.analysis.models`: the other model, the
weighted mean and median, the status quo, the plan on the table, the ensemble)
once at the estimates' values (the *point* forecast) and over ``draws`` Monte
Carlo draws with the same random numbers, and returns:

- for every issue, each predictor's point forecast and the chosen model's spread
  over the draws (5th–95th percentiles of its axis position, the share of draws
  landing on each option);
- for every scenario of the case (ordered, first match wins: the shares sum to
  1), the share of the draws ending in it under the chosen model with a 95 %
  Wilson interval — which covers Monte Carlo sampling error only — and the share
  under every other predictor beside it; or, when no draw can change it, that it
  is **fixed by the case** and why, instead of a probability;
- on request, a ranked sensitivity table (:mod:`~accord.analysis.sensitivity`),
  red lines' firmness among the other estimates.

The function is pure: it reads nothing and writes nothing (the Dask engine
only spreads the arithmetic over workers). The same ``seed`` gives the same
numbers on either engine.

>>> from accord.model import DEFAULT_CASE, load_case
>>> f = forecast(load_case(DEFAULT_CASE), model="median", draws=200, seed=1, beside=("mean",))
>>> f.draws, len(f.issues) == len(load_case(DEFAULT_CASE).issues), round(sum(s.probability for s in f.scenarios), 9)
(200, True, 1.0)
>>> f2 = forecast(load_case(DEFAULT_CASE), model="median", draws=200, seed=1, beside=("mean",))
>>> [s.probability for s in f.scenarios] == [s.probability for s in f2.scenarios]
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis.eu_model import EUParams
from accord.analysis.ktab import KtabInput
from accord.analysis.models import REGISTRY, ExpectedUtility, SpatialModel, predictor, resolve
from accord.analysis.montecarlo import (
    DEFAULT_CHUNK,
    Progress,
    evaluate_values,
    problem_of,
    run,
)
from accord.analysis.problem import Predictor, Problem
from accord.analysis.scenarios import fixed_by_case, wilson_interval
from accord.analysis.sensitivity import SensitivityRow, sensitivity_table
from accord.analysis.shape import JSON_SHAPE
from accord.analysis.smp import SMPParams, smp_run, win_probabilities
from accord.model import Case

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
INTERVAL = ("95 % Wilson interval of the share of draws: Monte Carlo sampling error only, not the model's error "
            "nor the choice of the estimates' ranges")
SPREAD = "5th–95th percentile of the model's forecast over the draws of every estimate's range"


@dataclass(frozen=True)
class PredictorInfo:
    """A predictor of the run, as the registry describes it, with the settings used."""

    __pydantic_config__ = JSON_SHAPE
    name: str
    title: str
    kind: str
    reference: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class Point:
    """One predictor's forecast for one issue at the estimates' values: axis position and nearest option."""

    __pydantic_config__ = JSON_SHAPE
    axis: float
    option: str


@dataclass(frozen=True)
class OptionShare:
    """Share of draws whose forecast lands on an option (nearest to the forecast position)."""

    __pydantic_config__ = JSON_SHAPE
    option: str
    label: str
    axis: float
    share: float


@dataclass(frozen=True)
class IssueForecast:
    """One issue: every predictor's point forecast; the chosen model's distribution over the draws."""

    __pydantic_config__ = JSON_SHAPE
    issue: str
    name: str
    point: float
    """the chosen model at the estimates' values (axis 0–100)"""
    point_option: str
    points: dict[str, Point]
    """every predictor at the estimates' values, the chosen model included"""
    mean: float
    """the chosen model over the draws"""
    quantiles: dict[str, float]
    """q05, q25, q50, q75, q95 on the 0–100 axis"""
    options: tuple[OptionShare, ...]
    top_option: str


@dataclass(frozen=True)
class ScenarioForecast:
    """One scenario: the share of draws ending in it, or why the case fixes it.

    ``low``/``high``: the 95 % Wilson interval (Monte Carlo error only); None when
    ``fixed`` says the case decides it (then ``probability`` is 0 or 1 by proof).
    ``beside``: the share of the same draws ending in it under every other predictor.
    """

    __pydantic_config__ = JSON_SHAPE
    id: str
    name: str
    rule: str
    resolution: str
    remainder: bool
    probability: float
    low: float | None
    high: float | None
    hits: int
    draws: int
    point: bool
    """whether the point forecast ends in it"""
    fixed: str | None = None
    beside: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Forecast:
    case: str
    model: str
    draws: int
    seed: int
    engine: str
    inputs: int  # number of uncertain estimates drawn (red lines' events included)
    issues: tuple[IssueForecast, ...]
    scenarios: tuple[ScenarioForecast, ...]
    predictors: tuple[PredictorInfo, ...] = ()
    as_of: dt.date | None = None
    horizon: dt.date | None = None
    plan: str | None = None  # the plan on the table (the plan baseline)
    calibration: str | None = None  # what calibration the actors' utilities carry, when they do
    interval: str = INTERVAL
    spread: str = SPREAD
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


def predictors_of(
    model: str | Predictor, beside: Sequence[str] | None = None, *, eu: EUParams | None = None,
    smp: SMPParams | None = None,
) -> list[Predictor]:
    """The chosen model first, then ``beside`` (default: every registered predictor), with the given settings."""
    chosen = [model if not isinstance(model, str) else predictor(model)]
    chosen += [predictor(n, "--beside") for n in (REGISTRY if beside is None else beside)]
    out: list[Predictor] = []
    for p in chosen:
        if eu is not None and p.name == "eu":
            p = ExpectedUtility(params=eu)
        if smp is not None and p.name == "smp":
            p = SpatialModel(params=smp)
        out.append(p)
    return out


def _point_values(problem: Problem) -> np.ndarray:
    return np.array([[i.value for i in problem.inputs]], dtype=float).reshape(1, len(problem.inputs))


def forecast(
    case: Case,
    model: str | Predictor = "eu",
    draws: int = 1000,
    seed: int = 0,
    *,
    beside: Sequence[str] | None = None,
    engine: str = "local",
    address: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    confidence: Mapping[str, float] | None = None,
    sensitivity: bool = False,
    sensitivity_draws: int = 200,
    sensitivity_top: int | None = 10,
    eu: EUParams | None = None,
    smp: SMPParams | None = None,
    plan: str | None = None,
    progress: Progress | None = None,
) -> Forecast:
    """Run ``model`` and the predictors ``beside`` it on ``case`` over ``draws`` draws (see the module docstring).

    ``plan``: the plan on the table for the ``plan`` baseline (default: the latest
    plan dated by the case's ``as_of``).
    """
    chosen = resolve(predictors_of(model, beside, eu=eu, smp=smp))
    problem = problem_of(case, chosen, confidence=confidence, plan=plan)
    head = problem.model
    p_pos, p_opt, p_scen = evaluate_values(problem, _point_values(problem))
    res = run(problem, draws, seed, engine=engine, address=address, chunk_size=chunk_size, progress=progress)
    issues = []
    for i, iss in enumerate(case.issues):
        pos = res.position[head][:, i]
        counts = np.bincount(res.option[head][:, i], minlength=len(iss.options)) / draws
        qs = np.quantile(pos, QUANTILES)
        shares = tuple(OptionShare(o.id, o.label, o.axis, float(counts[j])) for j, o in enumerate(iss.options))
        points = {n: Point(float(p_pos[n][0, i]), iss.options[int(p_opt[n][0, i])].id) for n in problem.names}
        issues.append(IssueForecast(
            issue=iss.id, name=iss.name, point=points[head].axis, point_option=points[head].option, points=points,
            mean=float(pos.mean()),
            quantiles={f"q{round(q * 100):02d}": float(v) for q, v in zip(QUANTILES, qs, strict=True)},
            options=shares, top_option=iss.options[int(np.argmax(counts))].id,
        ))
    fixed = fixed_by_case(problem)
    scen = []
    for s, sc in enumerate(case.scenarios):
        share = {n: float((res.scenario[n] == s).mean()) for n in problem.names}
        k = int((res.scenario[head] == s).sum())
        lo: float | None
        hi: float | None
        lo, hi = wilson_interval(k, draws)
        why = None
        if s in fixed:
            value, reason = fixed[s]
            assert share[head] == float(value), f"scenario {sc.id}: proved {value}, drawn {share[head]}"
            lo = hi = None
            why = f"fixed by the case: {reason}"
        elif not problem.inputs:
            lo = hi = None
            why = "fixed by the case: it gives no ranges and no uncertain red lines, so every draw is the same"
        scen.append(ScenarioForecast(
            id=sc.id, name=sc.name, rule=sc.rule, resolution=sc.resolution, remainder=sc.remainder,
            probability=k / draws, low=lo, high=hi, hits=k, draws=draws, point=bool(p_scen[head][0] == s),
            fixed=why, beside={n: v for n, v in share.items() if n != head},
        ))
    sens: tuple[SensitivityRow, ...] = ()
    if sensitivity:
        hits = res.hits(head, len(case.scenarios))
        sens = tuple(sensitivity_table(problem, seed, res.u, hits, sensitivity_draws, sensitivity_top))
    infos = tuple(PredictorInfo(p.name, p.title, p.kind, p.reference, p.parameters()) for p in problem.predictors)
    return Forecast(
        case=case.id, model=head, draws=draws, seed=seed, engine=engine, inputs=len(problem.inputs),
        issues=tuple(issues), scenarios=tuple(scen), predictors=infos, as_of=case.as_of, horizon=case.horizon,
        plan=problem.table, sensitivity=sens,
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

"""Every forecast model and baseline, registered once: what the CLI, the web API and the report list.

A :class:`Predictor` takes a batch of Monte Carlo draws of the case's estimates
and returns its forecast position on every issue axis (0–100) for each draw; the
forecast package takes, on each issue, the option nearest that position. The
registry (:data:`REGISTRY`) holds one of each, in the order they are shown:

============  ========  =====================================================================
name          kind      forecast
============  ========  =====================================================================
eu            model     Bueno de Mesquita's expected-utility model (Scholz et al. 2011)
smp           model     KTAB's spatial model of politics
mean          baseline  capability × salience weighted mean of the ideals
median        baseline  capability × salience weighted median of the ideals
status-quo    baseline  every issue where it stands with no agreement
plan          baseline  the plan on the table (the latest plan dated by the view's date)
ensemble      ensemble  the equal-weight mean of eu, smp, mean, median and plan
============  ========  =====================================================================

The ensemble's weights are equal by design: the case has no record to fit
weights on without leaking the outcomes it is scored against, and equal weights
are hard to beat out of sample (Clemen 1989, *Int. J. Forecasting* 5(4); the
"forecast combination puzzle", Smith & Wallis 2009). The ``eu`` and ``smp``
models reach the package by the capability × salience weighted median of the
actors' final positions; only actors with capability and a position take part.

>>> [p.name for p in REGISTRY.values()]
['eu', 'smp', 'mean', 'median', 'status-quo', 'plan', 'ensemble']
>>> predictor("smq")
Traceback (most recent call last):
...
accord.errors.AccordError: --model: unknown model 'smq'; expected one of eu, smp, mean, median, status-quo, ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis.baselines import weighted_mean, weighted_median
from accord.analysis.eu_model import EUParams, eu_forecast
from accord.analysis.problem import Draws, Predictor, Problem, Tick
from accord.analysis.smp import SMPParams, smp_batch
from accord.errors import AccordError
from accord.errors import Problem as Issue

FloatArray = NDArray[np.float64]


def _ideals(problem: Problem, d: Draws) -> tuple[FloatArray, FloatArray]:
    """Ideals and capability × salience weights of the active actors: (draws × issues × actors) each."""
    act = problem.active
    has = problem.has_position[act]
    w = np.where(has[None], d.capability[:, act, None] * d.salience[:, act, :], 0.0)
    return np.swapaxes(d.ideal[:, act, :], 1, 2), np.swapaxes(w, 1, 2)


@dataclass(frozen=True)
class WeightedMean:
    name: str = "mean"
    title: str = "weighted mean"
    kind: str = "baseline"
    reference: str = "capability × salience weighted mean of the ideals (Thomson et al. 2006: beat BDM-style models)"
    members: tuple[str, ...] = ()

    def parameters(self) -> dict[str, Any]:
        return {}

    def predict(
        self, problem: Problem, draws: Draws, known: Mapping[str, FloatArray], tick: Tick | None = None
    ) -> FloatArray:
        return weighted_mean(*_ideals(problem, draws))


@dataclass(frozen=True)
class WeightedMedian:
    name: str = "median"
    title: str = "weighted median"
    kind: str = "baseline"
    reference: str = "capability × salience weighted (lower) median of the ideals (Black 1948)"
    members: tuple[str, ...] = ()

    def parameters(self) -> dict[str, Any]:
        return {}

    def predict(
        self, problem: Problem, draws: Draws, known: Mapping[str, FloatArray], tick: Tick | None = None
    ) -> FloatArray:
        return weighted_median(*_ideals(problem, draws))


@dataclass(frozen=True)
class StatusQuo:
    name: str = "status-quo"
    title: str = "status quo"
    kind: str = "baseline"
    reference: str = "every issue where it stands with no agreement (issues.yaml status_quo)"
    members: tuple[str, ...] = ()

    def parameters(self) -> dict[str, Any]:
        return {}

    def predict(
        self, problem: Problem, draws: Draws, known: Mapping[str, FloatArray], tick: Tick | None = None
    ) -> FloatArray:
        return np.broadcast_to(problem.axis_of(problem.status_quo), (draws.size, len(problem.issues))).copy()


@dataclass(frozen=True)
class PlanOnTable:
    name: str = "plan"
    title: str = "plan on the table"
    kind: str = "baseline"
    reference: str = "the latest plan dated by the view's date, the status quo where it is silent"
    members: tuple[str, ...] = ()

    def parameters(self) -> dict[str, Any]:
        return {}

    def predict(
        self, problem: Problem, draws: Draws, known: Mapping[str, FloatArray], tick: Tick | None = None
    ) -> FloatArray:
        return np.broadcast_to(problem.axis_of(problem.table_option), (draws.size, len(problem.issues))).copy()


@dataclass(frozen=True)
class ExpectedUtility:
    params: EUParams = field(default_factory=EUParams)
    name: str = "eu"
    title: str = "expected-utility model"
    kind: str = "model"
    reference: str = "Bueno de Mesquita 1994, as reconstructed by Scholz, Calbert & Smith 2011"
    members: tuple[str, ...] = ()

    def parameters(self) -> dict[str, Any]:
        return asdict(self.params)

    def predict(
        self, problem: Problem, draws: Draws, known: Mapping[str, FloatArray], tick: Tick | None = None
    ) -> FloatArray:
        act = problem.active
        has = problem.has_position[act]
        cap, sal = draws.capability[:, act], draws.salience[:, act, :]
        top = sal.max(axis=2, keepdims=True)  # BDM salience: share of the actor's top issue
        s_eu = np.where(top > 0, sal / np.where(top > 0, top, 1.0), 0.0)
        mask = np.swapaxes(np.broadcast_to(has[None], sal.shape) & (cap[:, :, None] > 0), 1, 2)
        x = np.swapaxes(draws.ideal[:, act, :], 1, 2)
        return eu_forecast(x, np.broadcast_to(cap[:, None, :], x.shape), np.swapaxes(s_eu, 1, 2), mask, self.params,
                           tick)


@dataclass(frozen=True)
class SpatialModel:
    params: SMPParams = field(default_factory=SMPParams)
    name: str = "smp"
    title: str = "spatial model of politics"
    kind: str = "model"
    reference: str = "KAPSARC's KTAB SMP with its default settings (re-implemented, vectorised)"
    members: tuple[str, ...] = ()

    def parameters(self) -> dict[str, Any]:
        return asdict(self.params)

    def predict(
        self, problem: Problem, draws: Draws, known: Mapping[str, FloatArray], tick: Tick | None = None
    ) -> FloatArray:
        act = problem.active
        cap, sal, x = draws.capability[:, act], draws.salience[:, act, :], draws.ideal[:, act, :]
        keep = cap.max(axis=0) > 0
        final, _ = smp_batch(np.maximum(cap[:, keep], 1e-12), x[:, keep, :] / 100.0, sal[:, keep, :], self.params,
                              tick)
        _, w = _ideals(problem, draws)
        return weighted_median(np.swapaxes(final * 100.0, 1, 2), w[:, :, keep])


@dataclass(frozen=True)
class Ensemble:
    weights: tuple[tuple[str, float], ...] = (("eu", 0.2), ("smp", 0.2), ("mean", 0.2), ("median", 0.2), ("plan", 0.2))
    name: str = "ensemble"
    title: str = "ensemble"
    kind: str = "ensemble"
    reference: str = "equal-weight mean of the members' positions (Clemen 1989)"

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.weights)

    def parameters(self) -> dict[str, Any]:
        return {"weights": dict(self.weights)}

    def predict(
        self, problem: Problem, draws: Draws, known: Mapping[str, FloatArray], tick: Tick | None = None
    ) -> FloatArray:
        total = sum(w for _, w in self.weights)
        return sum((w / total) * known[n] for n, w in self.weights)  # type: ignore[return-value]


REGISTRY: dict[str, Predictor] = {
    p.name: p
    for p in (ExpectedUtility(), SpatialModel(), WeightedMean(), WeightedMedian(), StatusQuo(), PlanOnTable(),
              Ensemble())
}
"""Every registered predictor by name, in the order they are shown."""


def names(kind: str | None = None) -> list[str]:
    """Registered names (of one kind: model, baseline, ensemble)."""
    return [n for n, p in REGISTRY.items() if kind is None or p.kind == kind]


def predictor(name: str, field: str = "--model") -> Predictor:
    """The registered predictor called ``name``; a one-line error listing the names otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise AccordError([Issue("", None, field, f"unknown model '{name}'; expected one of {', '.join(REGISTRY)}")]
                          ) from None


def resolve(chosen: str | Sequence[str | Predictor]) -> tuple[Predictor, ...]:
    """Predictors by name or as given, with every ensemble's members added after them (no duplicates)."""
    if isinstance(chosen, str):
        chosen = [chosen]
    out: dict[str, Predictor] = {}

    def add(p: Predictor) -> None:
        if p.name not in out:
            out[p.name] = p
            for m in p.members:
                add(predictor(m))

    for c in chosen:
        add(predictor(c) if isinstance(c, str) else c)
    if not out:
        raise AccordError("no model to run; name at least one")
    return tuple(out.values())


WORK = {"smp": 0.72, "eu": 0.26}
"""Share of the predictors' CPU time each model takes in a default forecast (2,000 draws of the bundled
case, measured); every other predictor counts 0.01. Only the progress reported while they run uses it."""


def predict_all(problem: Problem, draws: Draws, tick: Tick | None = None) -> dict[str, FloatArray]:
    """Every predictor of ``problem`` on ``draws``: name → positions (draws × issues); members first.

    Issues where no actor holds a position stay at the status quo; positions are kept on the 0–100 axis.
    ``tick(done)``: the share of the work done, after each predictor and, inside the models, after each
    block of runs (each predictor's share of the whole is its share in :data:`WORK`). It never
    decreases and ends at 1; it changes no number.

    >>> from accord.model import DEFAULT_CASE, load_case
    >>> from accord.analysis.problem import draws_of, problem_of, values_of
    >>> p = problem_of(load_case(DEFAULT_CASE), resolve(["ensemble", "status-quo"]))
    >>> seen: list[float] = []
    >>> _ = predict_all(p, draws_of(p, values_of(p, np.full((4, len(p.inputs)), 0.5))), seen.append)
    >>> seen == sorted(seen), len(seen) > len(p.predictors), seen[-1]
    (True, True, 1.0)
    """
    sq = problem.axis_of(problem.status_quo)
    out: dict[str, FloatArray] = {}
    cost = {p.name: WORK.get(p.name, 0.01) for p in problem.predictors}
    total = sum(cost.values())
    done = 0.0  # share of the predictors' work done (for ``tick``)

    def run(p: Predictor) -> None:
        nonlocal done
        if p.name in out:
            return
        for m in p.members:
            run(next((q for q in problem.predictors if q.name == m), predictor(m)))
        base, share = done, cost.get(p.name, 0.0) / total
        inner = None if tick is None else (lambda f: tick(min(1.0, base + share * f)))
        pos = np.clip(p.predict(problem, draws, out, inner), 0.0, 100.0)  # on the axis, whatever the rounding
        out[p.name] = np.where(np.isnan(pos), sq[None, :], pos) + 0.0  # + 0.0: no −0.0 from reversed scales
        done = min(1.0, base + share)
        if tick is not None:
            tick(done)

    for p in problem.predictors:
        run(p)
    if tick is not None:
        tick(1.0)
    return out

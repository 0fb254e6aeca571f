"""The numeric problem a forecast runs on, and its Monte Carlo draws (draws × actors × issues).

What is drawn — every estimate of the case that carries a range, and every red
line that may not hold:

- ``capability`` and ``batna`` of each actor (``actors.yaml``);
- ``salience`` of each position, and its ``ideal`` on the axis where the position
  gives ``axis_low``/``axis_high`` (``positions.yaml``);
- each red line with a ``firmness`` below 1: whether it holds in the draw. Its
  firmness (the probability that it holds by the scenarios' horizon) is drawn from
  its range when it has one (input ``actor.issue.firmness``), and one more uniform
  number per red line decides the event (input ``actor.issue.red_line``: the red
  line holds when it falls below the drawn firmness). A red line without a
  firmness is certain, as the case states it.

Each estimate is drawn from its ``dist``: ``triangular`` (low, mode = value, high)
or ``uniform`` (low, high), by the inverse CDF of one uniform number per draw and
input — so a draw is a row of a uniform matrix ``U`` (draws × inputs), and pinning
an input (sensitivity) is replacing one column. An actor's drawn saliences are
rescaled to keep their sum, so salience stays a share of attention.

**Claims' confidence.** A position may list the claims it rests on; given their
confidences (``confidence={claim id: c}``), the range of that position's salience
and ideal is scaled about its value by ``k = 0.5 + (1 − c̄)``, ``c̄`` the mean
confidence of those claims: claims at the default confidence 0.5 leave it as it
is, certain claims (1.0) halve it, claims of confidence 0 widen it by half. A
point estimate stays a point; ranges are clipped to [0, 100] (axis) and ≥ 0
(salience).

>>> from accord.model import DEFAULT_CASE, load_case
>>> from accord.analysis.models import resolve
>>> p = problem_of(load_case(DEFAULT_CASE), resolve("median"))
>>> d = draws_of(p, values_of(p, np.full((3, len(p.inputs)), 0.5)))
>>> d.salience.shape == (3, len(p.actors), len(p.issues)), bool(d.holds.all())
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from accord.analysis.baselines import plan_on_table
from accord.analysis.space import space_of
from accord.model import Case, Estimate
from accord.model.rules import Node, parse_rule

FloatArray = NDArray[np.float64]
Kind = Literal["capability", "batna", "salience", "ideal", "firmness", "red_line"]


@dataclass(frozen=True)
class Input:
    """One uncertain estimate: where it lives, its value and the range it is drawn from.

    ``red_line`` inputs are the uniform number that decides whether a red line holds
    (0: it holds, 1: it breaks); their value is the probability that it holds.
    """

    name: str  # e.g. "russia.capability", "ukraine.territory.salience", "ukraine.territory.red_line"
    kind: Kind
    actor: int
    issue: int  # -1 for actor-level inputs
    value: float
    low: float
    high: float
    dist: Literal["uniform", "triangular"]


Tick = Callable[[float], None]
"""``tick(done)``: the share of a call's work done so far, an estimate in [0, 1] that never decreases."""


@runtime_checkable
class Predictor(Protocol):
    """A forecast model or baseline: a name, its settings, and a forecast over a batch of draws."""

    @property
    def name(self) -> str:
        """The registry key (``--model NAME``, ``"model": NAME`` in the API)."""

    @property
    def title(self) -> str:
        """What an analyst reads: "expected-utility model", "weighted mean", …"""

    @property
    def kind(self) -> str:
        """``model``, ``baseline`` or ``ensemble``."""

    @property
    def reference(self) -> str:
        """Where it comes from, in one line."""

    @property
    def members(self) -> tuple[str, ...]:
        """Predictors whose forecasts this one combines (empty but for ensembles)."""

    def parameters(self) -> dict[str, Any]:
        """The settings a run used, for the record."""

    def predict(
        self, problem: Problem, draws: Draws, known: Mapping[str, FloatArray], tick: Tick | None = None
    ) -> FloatArray:
        """Forecast positions (draws × issues, 0–100); ``known`` holds the members' forecasts;
        ``tick(done)``, when given, is called as the work goes on with the share done so far (never
        decreasing; a predictor with a single step need not call it)."""


@dataclass(frozen=True)
class Problem:
    """Everything one chunk of the Monte Carlo needs (plain arrays and frozen dataclasses: picklable for Dask).

    ``predictors`` are the models and baselines a run evaluates on every draw, the
    first being the one the run is about; ``rules`` the case's scenarios in order
    (the remainder's rule is None).
    """

    predictors: tuple[Predictor, ...]
    issues: tuple[str, ...]
    actors: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    option_axis: tuple[FloatArray, ...]
    status_quo: NDArray[np.int64]  # issues
    table: str | None  # the plan on the table, or None
    table_option: NDArray[np.int64]  # issues: its options (the status quo where it is silent)
    capability: FloatArray  # actors
    batna: FloatArray  # actors
    curvature: FloatArray  # actors: u = 1 − (1 − u_linear)^r
    salience: FloatArray  # actors × issues
    ideal: FloatArray  # actors × issues (status-quo axis where no position)
    has_position: NDArray[np.bool_]  # actors × issues
    utility_table: FloatArray  # actors × issues × max options (nan: distance utility)
    red_line: NDArray[np.bool_]  # actors × issues × max options
    firmness: FloatArray  # actors × issues: the probability the red line holds (1: certain, or none)
    inputs: tuple[Input, ...]
    rules: tuple[tuple[str, Node | None], ...] = ()

    @property
    def model(self) -> str:
        """The name of the predictor the run is about."""
        return self.predictors[0].name

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.predictors)

    @property
    def active(self) -> NDArray[np.bool_]:
        """Actors that take part in the models (capability and a position)."""
        cap_hi = self.capability.copy()
        for inp in self.inputs:
            if inp.kind == "capability":
                cap_hi[inp.actor] = max(cap_hi[inp.actor], inp.high)
        return (cap_hi > 0) & self.has_position.any(axis=1)

    def axis_of(self, option: NDArray[np.int64]) -> FloatArray:
        """Axis positions of one option index per issue."""
        return np.array([ax[j] for ax, j in zip(self.option_axis, option, strict=True)])


def _scaled(e: Estimate, k: float, lo: float, hi: float) -> tuple[float, float]:
    low = e.value - k * (e.value - (e.low if e.low is not None else e.value))
    high = e.value + k * ((e.high if e.high is not None else e.value) - e.value)
    return max(lo, low), min(hi, high)


def problem_of(
    case: Case,
    predictors: Sequence[Predictor],
    *,
    confidence: Mapping[str, float] | None = None,
    plan: str | None = None,
) -> Problem:
    """The numeric problem for ``case``: base values, uncertain inputs, parsed scenario rules.

    ``predictors``: the models and baselines to evaluate (with every ensemble's members:
    :func:`accord.analysis.models.resolve` turns registered names into them), the first
    being the one the run is about; ``plan``: the plan on the table for the ``plan`` baseline
    (default: :func:`~accord.analysis.baselines.plan_on_table`).
    """
    chosen = tuple(predictors)
    if not chosen:
        raise ValueError("problem_of needs at least one predictor")
    space = space_of(case)  # the base arrays solve uses too
    actors, issues = space.actors, case.issues
    ni, na = len(issues), len(actors)
    mo = max(len(o) for o in space.options)
    sq = np.array([i.option_ids.index(i.status_quo) for i in issues], dtype=np.int64)
    table = case.plan(plan) if plan is not None else plan_on_table(case)
    settled = case.package(table) if table is not None else case.status_quo()
    table_option = np.array([i.option_ids.index(settled[i.id]) for i in issues], dtype=np.int64)
    sal, ideal = space.salience.copy(), space.ideal.copy()
    cap, bat = space.capability.copy(), space.batna.copy()
    has = np.zeros((na, ni), dtype=bool)
    table_u = np.full((na, ni, mo), np.nan)
    red = np.zeros((na, ni, mo), dtype=bool)
    firm = np.ones((na, ni))
    for a in range(na):
        for i, allowed in enumerate(space.allowed[a]):
            red[a, i, : len(allowed)] = ~allowed
    inputs: list[Input] = []
    for a, aid in enumerate(actors):
        act = case.actor(aid)
        for kind, est, lo, hi in (("capability", act.capability, 0.0, math.inf), ("batna", act.batna, 0.0, 1.0)):
            if est.spread > 0:
                low, high = _scaled(est, 1.0, lo, hi)
                inputs.append(Input(f"{aid}.{kind}", kind, a, -1, est.value, low, high, est.dist))  # type: ignore[arg-type]
        for i, iss in enumerate(issues):
            pos = case.position(aid, iss.id)
            if pos is None:
                continue
            has[a, i] = True
            if pos.utility is not None:
                table_u[a, i, : len(iss.options)] = [pos.utility[o] for o in iss.option_ids]
            k = 1.0
            if confidence and pos.claims:
                known = [confidence[c] for c in pos.claims if c in confidence]
                if known:
                    k = 0.5 + (1.0 - float(np.mean(known)))
            if pos.salience.spread > 0:
                low, high = _scaled(pos.salience, k, 0.0, math.inf)
                if high > low:
                    inputs.append(Input(f"{aid}.{iss.id}.salience", "salience", a, i, pos.salience.value,
                                        low, high, pos.salience.dist))
            if pos.axis_low is not None and pos.axis_high is not None and pos.axis_high > pos.axis_low:
                mode = min(max(ideal[a, i], pos.axis_low), pos.axis_high)
                est = Estimate(value=mode, low=pos.axis_low, high=pos.axis_high)
                low, high = _scaled(est, k, 0.0, 100.0)
                if high > low:
                    inputs.append(Input(f"{aid}.{iss.id}.ideal", "ideal", a, i, mode, low, high, "triangular"))
            f = pos.firmness
            if pos.red_line and f is not None:
                firm[a, i] = f.value
                if f.spread > 0:
                    inputs.append(Input(f"{aid}.{iss.id}.firmness", "firmness", a, i, f.value,
                                        f.low or f.value, f.high or f.value, f.dist))
                if (f.low if f.low is not None else f.value) < 1.0:  # it may break
                    inputs.append(Input(f"{aid}.{iss.id}.red_line", "red_line", a, i, f.value, 0.0, 1.0, "uniform"))
    rules = tuple((sc.id, None if sc.remainder else parse_rule(sc.rule)) for sc in case.scenarios)
    return Problem(
        predictors=chosen, issues=space.issues, actors=actors, options=space.options, option_axis=space.axis,
        status_quo=sq, table=table.id if table is not None else None, table_option=table_option,
        capability=cap, batna=bat, curvature=np.array([case.actor(a).curvature.value for a in actors]),
        salience=sal, ideal=ideal, has_position=has, utility_table=table_u,
        red_line=red, firmness=firm, inputs=tuple(inputs), rules=rules,
    )


@dataclass(frozen=True)
class Draws:
    """One batch of drawn inputs: ``capability[d, a]``, ``batna[d, a]``, ``salience[d, a, i]``,
    ``ideal[d, a, i]`` and ``holds[d, a, i]`` (whether a's red line on issue i holds)."""

    capability: FloatArray
    batna: FloatArray
    salience: FloatArray
    ideal: FloatArray
    holds: NDArray[np.bool_]

    @property
    def size(self) -> int:
        return int(self.capability.shape[0])


def _inverse_cdf(
    u: FloatArray, low: FloatArray, mode: FloatArray, high: FloatArray, tri: NDArray[np.bool_]
) -> FloatArray:
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    fc = (mode - low) / safe
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1 - u) * span * (high - mode))
    triangular = np.where(u < fc, left, right)
    return np.where(tri, triangular, low + u * span)


def values_of(problem: Problem, u: FloatArray) -> FloatArray:
    """The inputs' values for uniform draws ``u`` (draws × inputs); a ``red_line`` input keeps its uniform."""
    if not problem.inputs:
        return np.zeros((u.shape[0], 0))
    low = np.array([i.low for i in problem.inputs])
    high = np.array([i.high for i in problem.inputs])
    mode = np.array([min(max(i.value, i.low), i.high) for i in problem.inputs])
    tri = np.array([i.dist == "triangular" and i.kind != "red_line" for i in problem.inputs])
    return _inverse_cdf(u, low, mode, high, tri)


def draws_of(problem: Problem, values: FloatArray) -> Draws:
    """Assemble per-draw arrays from input values (draws × inputs)."""
    nd = values.shape[0]
    cap = np.broadcast_to(problem.capability, (nd, len(problem.actors))).copy()
    bat = np.broadcast_to(problem.batna, cap.shape).copy()
    sal = np.broadcast_to(problem.salience, (nd, *problem.salience.shape)).copy()
    ideal = np.broadcast_to(problem.ideal, sal.shape).copy()
    firm = np.broadcast_to(problem.firmness, sal.shape).copy()
    event = np.zeros(sal.shape)  # the red lines' uniforms: 0 (holds whenever firmness > 0) unless drawn
    for k, inp in enumerate(problem.inputs):
        col = values[:, k]
        if inp.kind == "capability":
            cap[:, inp.actor] = col
        elif inp.kind == "batna":
            bat[:, inp.actor] = col
        elif inp.kind == "salience":
            sal[:, inp.actor, inp.issue] = col
        elif inp.kind == "ideal":
            ideal[:, inp.actor, inp.issue] = col
        elif inp.kind == "firmness":
            firm[:, inp.actor, inp.issue] = col
        else:
            event[:, inp.actor, inp.issue] = col
    base = problem.salience.sum(axis=1)  # keep each actor's total salience
    tot = sal.sum(axis=2)
    scale = np.where(tot > 0, base[None, :] / np.where(tot > 0, tot, 1.0), 0.0)
    sal = sal * scale[:, :, None]
    holds = (event < firm) | (firm >= 1.0)
    return Draws(cap, bat, sal, ideal, holds)

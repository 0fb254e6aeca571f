"""Backtest: forecast with only what was known on a date, score every model and baseline against what came after.

:func:`backtest` takes the full case, a date and a target. It forecasts from
``case.at(as_of)`` — positions in effect then, plans and outcomes dated by then —
so nothing from after the date leaks in, and scores every registered predictor's
point forecast (at the estimates' values) against a target taken from the full
case:

- a **plan** dated after the date (e.g. the December 20-point framework against
  a 21 November view): the issues it settles, at the options it settles them to;
- an **outcome** that names an issue and an option (a decision on one option).

Per predictor, over the target's issues:

- **axis distance** — mean ``|forecast − target|`` on the issues' 0–100 axes;
- **ordinal distance** — mean number of options between the forecast option and the
  target's (options are ordered pole to pole);
- **exact hits** — how many issues the forecast option is the target's.

And, when the full case records scenario outcomes dated after the date
(``scenario`` and ``occurred`` in ``outcomes.yaml``), the **Brier score** of each
predictor's scenario probabilities (share of the Monte Carlo draws) against them:
the mean of ``(p − o)²`` over the recorded outcomes (0 is perfect; the uniform
forecast, 1/K for each of K scenarios, is printed beside as the no-skill reference),
and, when the record resolves the whole set (one scenario occurred), the
multi-category Brier score ``Σ_k (p_k − o_k)²``.

>>> import datetime as dt
>>> from accord.model import DEFAULT_CASE, load_case
>>> case = load_case(DEFAULT_CASE)
>>> spec = case.backtest  # the case's own: case.yaml
>>> b = backtest(case, spec.as_of, spec.target, draws=50, predictors=("mean", "plan"))
>>> b.target == spec.target, len(b.issues) > 0, [s.name for s in b.scores]
(True, True, ['mean', 'plan'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from accord.analysis.forecast import Forecast, forecast
from accord.analysis.montecarlo import Progress
from accord.analysis.shape import JSON_SHAPE
from accord.errors import AccordError, Problem
from accord.model import Case


@dataclass(frozen=True)
class IssueTarget:
    """One issue of the target and what each predictor forecast for it."""

    __pydantic_config__ = JSON_SHAPE
    issue: str
    name: str
    option: str
    """the target's option"""
    axis: float
    forecast: dict[str, str]
    """predictor → forecast option"""
    forecast_axis: dict[str, float]
    """predictor → forecast position"""


@dataclass(frozen=True)
class Score:
    """One predictor's distances to the target (means over its issues) and its scenarios' Brier score."""

    __pydantic_config__ = JSON_SHAPE
    name: str
    title: str
    kind: str
    axis: float
    ordinal: float
    hits: int
    issues: int
    brier: float | None = None
    """mean (p − o)² over the recorded scenario outcomes"""
    brier_all: float | None = None
    """Σ_k (p_k − o_k)² when the record resolves the whole set"""


@dataclass(frozen=True)
class Resolution:
    """A recorded scenario outcome the forecast is scored against."""

    __pydantic_config__ = JSON_SHAPE
    outcome: str
    date: dt.date
    scenario: str
    occurred: bool


@dataclass(frozen=True)
class Backtest:
    case: str
    as_of: dt.date
    target: str | None
    target_kind: str | None  # "plan" or "outcome"
    target_date: dt.date | None
    model: str
    draws: int
    seed: int
    horizon: dt.date | None
    plan: str | None  # the plan on the table as of the date (the plan baseline)
    issues: tuple[IssueTarget, ...]
    scores: tuple[Score, ...]
    best: dict[str, list[str]]  # "axis" / "ordinal" / "hits" / "brier" → the predictors that did best
    resolutions: tuple[Resolution, ...] = ()
    uniform_brier: float | None = None
    uniform_brier_all: float | None = None
    notes: tuple[str, ...] = field(default=())

    def score(self, name: str) -> Score:
        for s in self.scores:
            if s.name == name:
                return s
        raise KeyError(name)


def target_of(case: Case, target: str) -> tuple[str, dt.date | None, dict[str, str]]:
    """The kind, date and settled issues (issue → option) of a plan or an outcome of the full case."""
    plans = {p.id: p for p in case.plans}
    if target in plans:
        return "plan", plans[target].date, plans[target].settled()
    outcomes = {o.id: o for o in case.outcomes}
    if target in outcomes:
        o = outcomes[target]
        if o.issue is None or o.option is None:
            raise AccordError([Problem("", None, "--target", f"outcome '{target}' names no issue and option to "
                                       "score a forecast against; give a plan or an outcome with issue and option")])
        return "outcome", o.date, {o.issue: o.option}
    usable = sorted(plans) + sorted(o.id for o in case.outcomes if o.issue and o.option)
    raise AccordError([Problem("", None, "--target", f"no plan or outcome '{target}' in case '{case.id}'; "
                               f"expected one of {', '.join(usable)}")])


def backtest(
    case: Case,
    as_of: dt.date,
    target: str | None,
    *,
    model: str = "eu",
    predictors: Sequence[str] | None = None,
    draws: int = 2000,
    seed: int = 0,
    progress: Progress | None = None,
) -> Backtest:
    """Forecast ``case`` as known on ``as_of`` and score every predictor against ``target`` and the
    scenario outcomes recorded after the date (see the module docstring); ``progress(done, total)`` is called
    as the forecast's draws are evaluated."""
    full = case.at(None)
    view = full.at(as_of)
    kind, day, settled = target_of(full, target) if target is not None else (None, None, {})
    if day is not None and day <= as_of:
        raise AccordError([Problem("", None, "--target", f"{target} is dated {day}, on or before --as-of {as_of}: "
                                   "it was known then; a backtest scores against what came after")])
    horizon = full.horizon
    resolutions = tuple(
        Resolution(o.id, o.date, o.scenario, bool(o.occurred)) for o in full.outcomes
        if o.scenario is not None and o.date > as_of and (horizon is None or o.date <= horizon)
    )
    names = list(predictors) if predictors is not None else None
    head = names[0] if names else model
    beside = names[1:] if names else None
    f = forecast(view, head, draws=draws if resolutions else 1, seed=seed, beside=beside, progress=progress)
    order = [p.name for p in f.predictors]
    issues = _issue_targets(view, f, settled)
    notes: list[str] = []
    if not resolutions and full.scenarios:
        notes.append(f"no scenario outcome recorded after {as_of}{f' by the horizon {horizon}' if horizon else ''}: "
                     "no Brier score")
    briers, briers_all, u_brier, u_all = _briers(f, full, resolutions)
    scores = []
    for p in f.predictors:
        n = p.name
        axis = [abs(t.forecast_axis[n] - t.axis) for t in issues]
        ordinal = [abs(_index(view, t.issue, t.forecast[n]) - _index(view, t.issue, t.option)) for t in issues]
        hits = sum(t.forecast[n] == t.option for t in issues)
        scores.append(Score(
            name=n, title=p.title, kind=p.kind, axis=float(np.mean(axis)) if axis else float("nan"),
            ordinal=float(np.mean(ordinal)) if ordinal else float("nan"), hits=hits, issues=len(issues),
            brier=briers.get(n), brier_all=briers_all.get(n),
        ))
    best: dict[str, list[str]] = {}
    if issues:
        for key, better in (("axis", min), ("ordinal", min), ("hits", max)):
            top = better(getattr(s, key) for s in scores)
            best[key] = [s.name for s in scores if getattr(s, key) == top]
    if briers:
        top = min(briers.values())
        best["brier"] = [n for n in order if briers.get(n) == top]
    return Backtest(
        case=full.id, as_of=as_of, target=target, target_kind=kind, target_date=day, model=f.model,
        draws=f.draws, seed=seed, horizon=horizon, plan=f.plan, issues=tuple(issues), scores=tuple(scores),
        best=best, resolutions=resolutions, uniform_brier=u_brier, uniform_brier_all=u_all, notes=tuple(notes),
    )


def _index(case: Case, issue: str, option: str) -> int:
    return case.issue(issue).option_ids.index(option)


def _issue_targets(view: Case, f: Forecast, settled: dict[str, str]) -> list[IssueTarget]:
    out = []
    for i in f.issues:
        if i.issue not in settled:
            continue
        iss = view.issue(i.issue)
        out.append(IssueTarget(
            issue=i.issue, name=i.name, option=settled[i.issue], axis=iss.axis(settled[i.issue]),
            forecast={n: pt.option for n, pt in i.points.items()},
            forecast_axis={n: pt.axis for n, pt in i.points.items()},
        ))
    return out


def _briers(
    f: Forecast, full: Case, resolutions: Sequence[Resolution]
) -> tuple[dict[str, float], dict[str, float], float | None, float | None]:
    """Per predictor: mean (p − o)² over the recorded outcomes, and the multi-category score when resolved."""
    if not resolutions:
        return {}, {}, None, None
    prob: dict[str, dict[str, float]] = {p.name: {} for p in f.predictors}
    for s in f.scenarios:
        prob[f.model][s.id] = s.probability
        for n, v in s.beside.items():
            prob[n][s.id] = v
    k = len(f.scenarios)
    briers = {n: float(np.mean([(p[r.scenario] - r.occurred) ** 2 for r in resolutions])) for n, p in prob.items()}
    uniform = float(np.mean([(1 / k - r.occurred) ** 2 for r in resolutions]))
    happened = next((r.scenario for r in resolutions if r.occurred), None)
    if happened is None:
        return briers, {}, uniform, None
    briers_all = {n: float(sum((p[s.id] - (s.id == happened)) ** 2 for s in f.scenarios)) for n, p in prob.items()}
    uniform_all = float(sum((1 / k - (s.id == happened)) ** 2 for s in f.scenarios))
    return briers, briers_all, uniform, uniform_all

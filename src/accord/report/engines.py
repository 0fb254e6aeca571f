"""Adapters from the solve and forecast engines to the report's views.

Each adapter imports its engine lazily (the CLI starts fast); a view that was
not computed says so (``available=False`` with a note) — the report never
makes a number up.

Solve (:mod:`accord.analysis.solve`): feasibility and minimal conflicts on the
case as recorded; when no package is acceptable to every party, the Pareto
frontier, the Nash and Kalai–Smorodinsky packages and each plan's fewest
amendments are computed on the case with the first (smallest) conflict
resolved — the view's ``relaxed`` field says so in words.

Forecast (:mod:`accord.analysis.forecast`): a registered model (the
expected-utility model by default) over ``draws`` Monte Carlo draws, every other
model and baseline beside it on the same draws; per issue the share of draws
landing on each option and each predictor's point forecast, per scenario its
probability with a 95 % Wilson interval (or why the case fixes it).

>>> from accord.model import DEFAULT_CASE, load_case
>>> v = solve_view(load_case(DEFAULT_CASE), pareto_limit=5)
>>> v.available, v.feasible, v.relaxed is not None
(True, False, True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from accord.analysis.results import Constraint, PlanChange, PredictorInfo, Scored, backtest_result
from accord.model import Case
from accord.report.data import (
    AmendmentView,
    BargainView,
    ConflictView,
    DistributionView,
    ForecastView,
    FrontierPoint,
    OptionP,
    PointView,
    ScenarioView,
    SolveView,
)

ProgressFn = Callable[[float, str], None]


def _label(case: Case, issue: str, option: str) -> str:
    try:
        return case.issue(issue).option(option).label
    except KeyError:
        return option


def _scored(s: Any) -> Scored:
    return Scored(package=dict(s.package), utilities=dict(s.utilities), gains=dict(s.gains))


def _bargain(case: Case, b: Any) -> BargainView | None:
    if b is None or b.package is None:
        return None
    return BargainView(
        status=b.status, **_scored(b.package).model_dump(), value=b.value,
        labels={case.issue(i).name: _label(case, i, o) for i, o in b.package.package.items()},
    )


def relax(case: Case, constraints: Sequence[Any]) -> Case:
    """``case`` with the given solve constraints dropped (red-line options removed; batna floors set to 0)."""
    from accord.model import Estimate

    positions = list(case.positions)
    actors = list(case.actors)
    for c in constraints:
        if c.kind == "red_line":
            positions = [_without(p, c.options) if (p.actor, p.issue) == (c.actor, c.issue) else p
                         for p in positions]
        elif c.kind == "batna":
            actors = [
                a.model_copy(update={"batna": Estimate(value=0.0, estimate="what-if: batna floor dropped")})
                if a.id == c.actor else a
                for a in actors
            ]
    return case.replace(positions=tuple(positions), actors=tuple(actors))


def _without(pos: Any, options: Sequence[str]) -> Any:
    """A position with ``options`` off its red line (and no firmness once the red line is empty)."""
    kept = tuple(o for o in pos.red_line if o not in options)
    return pos.model_copy(update={"red_line": kept, "firmness": pos.firmness if kept else None})


def solve_view(case: Case, *, pareto_limit: int = 40, relax_first: bool = True) -> SolveView:
    """Conflicts, Pareto frontier, Nash and Kalai–Smorodinsky packages, amendments (see the module docstring)."""
    from accord.analysis import solve as S

    if len(case.parties) < 2:
        return SolveView(available=False, note="solve needs at least two parties")
    explain: dict[str, str] = {}
    feas = S.feasible(case)
    explain["feasible"] = feas.explain()
    conf = S.conflicts(case)
    if conf.status != "feasible":
        explain["conflicts"] = conf.explain()
    conflicts = tuple(
        ConflictView(rank=n, drop=tuple(str(c) for c in x.drop),
                     constraints=tuple(Constraint.model_validate(c) for c in x.drop), witness=_scored(x.witness))
        for n, x in enumerate(conf.conflicts, 1)
    )
    target, relaxed = case, None
    if feas.package is None and conf.conflicts and relax_first:
        first = conf.conflicts[0]
        target = relax(case, first.drop)
        relaxed = f"what-if: computed with conflict 1 resolved ({first})"
    pair = case.tilt_pair if all(a in case.parties for a in case.tilt_pair) else tuple(case.parties[:2])
    # the frontier from both ends (each call lists points best-for-its-first-actor first)
    half = max(1, pareto_limit // 2)
    front = S.pareto(target, among=pair, limit=half)
    points = {tuple(round(p.utilities[a], 12) for a in pair): (0, p) for p in front.points}
    complete = front.complete
    if not front.complete:
        back = S.pareto(target, among=(pair[1], pair[0]), limit=half)
        complete = back.complete
        for p in back.points:
            points.setdefault(tuple(round(p.utilities[a], 12) for a in pair), (1, p))
    explain["pareto"] = front.explain() if complete else (
        f"{len(points)} points of the Pareto frontier of {pair[0]} and {pair[1]} among the packages acceptable "
        f"to {', '.join(front.actors)}: the {half} best for {pair[0]} and the {half} best for {pair[1]}; "
        "more points lie between them.")
    nash = S.nash(target)
    explain["nash"] = nash.explain()
    ks = S.ks(target)
    explain["ks"] = ks.explain()
    amendments = []
    for plan in case.plans:
        a = S.amend(target, plan.id)
        explain[f"amend:{plan.id}"] = a.explain()
        amendments.append(AmendmentView(
            plan=plan.id, status=a.status, rejecting=a.rejecting,
            changes=tuple(
                PlanChange(issue=c.issue, before=_label(case, c.issue, c.before), after=_label(case, c.issue, c.after),
                       provisions=c.provisions)
                for c in (a.fewest.changes if a.fewest else ())
            ),
        ))
    return SolveView(
        available=True, actors=tuple(feas.actors), feasible=feas.package is not None, conflicts=conflicts,
        conflicts_complete=conf.complete, relaxed=relaxed, pair=(pair[0], pair[1]),
        pareto=tuple(FrontierPoint(**_scored(points[k][1]).model_dump(), segment=points[k][0]) for k in sorted(points)),
        pareto_complete=complete,
        nash=_bargain(case, nash), kalai_smorodinsky=_bargain(case, ks), amendments=tuple(amendments),
        explain=explain,
    )


def forecast_view(case: Case, *, draws: int = 2000, seed: int = 0, model: str = "eu",
                  progress: ProgressFn | None = None) -> ForecastView:
    """Outcome distributions per issue and scenario probabilities (see the module docstring)."""
    from accord.analysis.forecast import forecast
    from accord.analysis.montecarlo import in_draws

    return view_of_forecast(case, forecast(case, model=model, draws=draws, seed=seed, progress=in_draws(progress)))


def view_of_forecast(case: Case, f: Any) -> ForecastView:
    """The view of a forecast already computed (engine dataclass or its typed result), with the case's backtest
    (``case.yaml: backtest``) run with the same model, draws and seed — in the latest view only."""
    view = forecast_to_view(case, f)
    spec = case.backtest
    if spec is None:
        return view
    if case.as_of is not None:
        note = (f"{view.note} " if view.note else "") + (
            f"The case's backtest (as of {spec.as_of}) is shown in the latest view only: it scores against the "
            "record that came after that date.")
        return view.model_copy(update={"note": note})
    from accord.analysis.backtest import backtest

    b = backtest(case, spec.as_of, spec.target, model=f.model, draws=f.draws, seed=f.seed)
    return view.model_copy(update={"backtest": backtest_result(b)})


def forecast_to_view(case: Case, f: Any) -> ForecastView:
    """The view of a :class:`accord.analysis.forecast.Forecast` already computed."""
    distributions = tuple(
        DistributionView(
            issue=i.issue, name=i.name, mean_axis=i.mean, point_option=i.point_option, top_option=i.top_option,
            quantiles=dict(i.quantiles), options=tuple(OptionP(option=o.option, label=o.label, p=o.share)
                                                       for o in i.options),
            points={n: PointView(axis=pt.axis, option=pt.option, label=_label(case, i.issue, pt.option))
                    for n, pt in i.points.items()})
        for i in f.issues
    )
    scenarios = tuple(
        ScenarioView(scenario=s.id, name=s.name, rule=s.rule, resolution=s.resolution, remainder=s.remainder,
                     p=s.probability, low=s.low, high=s.high, point=s.point, fixed=s.fixed, beside=dict(s.beside))
        for s in f.scenarios
    )
    predictors = tuple(PredictorInfo(name=p.name, title=p.title, kind=p.kind, reference=p.reference,
                                     parameters=p.parameters) for p in f.predictors)
    note = "" if case.scenarios else "this case defines no scenarios"
    return ForecastView(available=True, note=note, model=f.model, draws=f.draws, seed=f.seed, as_of=f.as_of,
                        horizon=f.horizon, plan=f.plan, interval=f.interval, spread=f.spread, predictors=predictors,
                        distributions=distributions, scenarios=scenarios)

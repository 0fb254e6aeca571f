"""The whole report's data, built once: every section of :mod:`accord.report.data` plus solve, forecast and time.

:func:`report_data` is a pure function of the case (and of what the caller read
from elsewhere — claims, a compliance board): it runs assess and diff (and
solve / forecast when those engines are installed) and returns a
:class:`~accord.report.data.ReportData` that the HTML and Markdown renderers,
and the web dashboard, all draw from. Nothing here touches files, sockets or clocks.

>>> from accord.model import DEFAULT_CASE, load_case
>>> data = report_data(load_case(DEFAULT_CASE), solve=False, forecast=False)
>>> data.matrices[0].plan == load_case(DEFAULT_CASE).plans[0].id
True
>>> data.compliance.available, data.solve.available
(False, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.analysis.assess import plan_view
from accord.model import Case, Claim
from accord.report.data import (
    ComplianceView,
    ForecastView,
    PlanMatrix,
    ReportData,
    SolveView,
    TimeView,
    claim_ref,
    compliance_section,
    diff_pairs,
    diff_section,
    matrix_section,
    positions_section,
)
from accord.report.engines import forecast_view, solve_view
from accord.report.timeline import time_section


def solve_section(case: Case) -> SolveView:
    """Solve results from :mod:`accord.analysis.solve` when it is installed (see :mod:`.engines`)."""
    return solve_view(case)


def forecast_section(case: Case, *, draws: int = 2000, seed: int = 0) -> ForecastView:
    """Forecast results from :mod:`accord.analysis.forecast` when it is installed (see :mod:`.engines`)."""
    return forecast_view(case, draws=draws, seed=seed)



def report_data(
    case: Case,
    *,
    plans: Sequence[str] | None = None,
    claims: Sequence[Claim] = (),
    compliance: ComplianceView | None = None,
    solve: bool | SolveView = True,
    forecast: bool | ForecastView = True,
    forecast_draws: int = 2000,
    seed: int = 0,
    matrices: Sequence[PlanMatrix] | None = None,
    generated: dt.datetime | None = None,
    time: bool | TimeView = True,
    since: dt.date | None = None,
) -> ReportData:
    """Every section of the report for ``case``, built once from the engines.

    Each plan's matrix judges it against the positions as of its own date
    (:func:`accord.analysis.assess.plan_view`), unless ``case`` is a view as of a
    date (``case.at(d)``): then every plan is judged as of that date, and claims
    dated after it are left out.

    ``plans`` limits the matrices (default: every plan, in file order);
    ``solve``/``forecast`` False skip those engines (the section then says so),
    a view passes results already computed (the web service's cache), as
    ``matrices`` does for the plan matrices. ``time`` builds the positions over
    time and what changed since ``since`` (default: the earliest plan's date;
    :func:`accord.report.timeline.time_section`).
    """
    plan_ids = list(plans) if plans is not None else [p.id for p in case.plans]
    mats = (tuple(matrices) if matrices is not None
            else tuple(matrix_section(plan_view(case, p), p) for p in plan_ids))
    if isinstance(solve, SolveView):
        sv = solve
    elif solve:
        sv = solve_section(case)
    else:
        sv = SolveView(available=False, note="solve was not run for this report")
    if isinstance(forecast, ForecastView):
        fv = forecast
    elif forecast:
        fv = forecast_section(case, draws=forecast_draws, seed=seed)
    else:
        fv = ForecastView(available=False, note="forecast was not run for this report")
    return ReportData(
        case=case.id, name=case.name, description=case.description, date=case.date, as_of=case.as_of,
        generated=generated,
        actors={a.id: a.name for a in case.actors}, parties=tuple(case.parties), tilt_pair=case.tilt_pair,
        matrices=mats, positions=positions_section(case, claims),
        diffs=tuple(diff_section(case, a, b) for a, b in diff_pairs(case)),
        solve=sv, forecast=fv, compliance=compliance_section(compliance),
        claims=tuple(claim_ref(c) for c in claims if case.as_of is None or c.date is None or c.date <= case.as_of),
        time=time if isinstance(time, TimeView) else (time_section(case, since=since) if time else TimeView()),
    )

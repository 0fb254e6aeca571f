"""Plots of the report, drawn with plotly; each returns an HTML ``<div>`` holding its figure as data, no script.

A plot is ``<div class="plotly-figure" id=… data-figure="{json}">``: the figure's
JSON in an escaped attribute, its id made safe by :func:`accord.report.safe.dom_id`.
The page that shows plots includes plotly's JavaScript once (:func:`plotly_js`)
and ``plots.js`` (:func:`plots_js`), which draws every such div — inlined in the
self-contained report, served from ``/static`` by the web dashboard — so no
data ever reaches a script and the dashboard needs no inline script (its CSP
forbids them). The figures need no network. No geo charts: plotly fetches
their maps from a CDN.

>>> from accord.model import DEFAULT_CASE, load_case
>>> from accord.report.build import report_data
>>> html = tilt_plot(report_data(load_case(DEFAULT_CASE), solve=False, forecast=False))
>>> html.startswith('<div class="plotly-figure" id="plot-tilt" data-figure="{')
True
>>> "<script" in utility_plot(report_data(load_case(DEFAULT_CASE), solve=False, forecast=False).matrices[0])
False
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from accord.report.data import ForecastView, IssueTimeline, PlanMatrix, ReportData, SolveView, TimeView
from accord.report.safe import dom_id

CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}
VERDICT_COLOURS = {
    "accepts": "#a5d6a7",
    "conditional": "#ffe082",
    "red_line": "#ef9a9a",
    "none": "#eeeeee",
}
"""Cell backgrounds per verdict (shared by the report CSS, the dashboard and the browser test)."""
LARGE_COLOUR = "#ffca28"
"""The background of a ``conditional`` cell whose degree is ``large`` (report.css ``--large``)."""


def plotly_js() -> str:
    """plotly.js itself (about 4.8 MB), to inline once in a self-contained page."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


PLOTS_JS = Path(__file__).parent / "templates" / "plots.js"


@cache
def plots_js() -> str:
    """The small script that draws every ``div[data-figure]`` of a page with plotly."""
    return PLOTS_JS.read_text(encoding="utf-8")


TOP = 50
"""The top margin of a plot, in pixels (its title and, on a time chart, the first row of plan labels)."""


def _html(fig: Any, div_id: str, top: int = TOP) -> str:
    fig.update_layout(margin={"l": 60, "r": 20, "t": top, "b": 50}, template="plotly_white",
                      font={"family": "system-ui, sans-serif", "size": 12})
    figure = '{"figure":' + fig.to_json() + ',"config":' + json.dumps(CONFIG) + "}"
    return str(Markup('<div class="plotly-figure" id="{}" data-figure="{}"></div>').format(div_id, figure))


def tilt_plot(data: ReportData, div_id: str = "plot-tilt") -> str:
    """Each plan's tilt index on [−1, 1] (−1: the first actor of the pair's ideals, +1: the second's)."""
    import plotly.graph_objects as go

    a, b = data.tilt_pair
    plans = [m.plan for m in data.matrices]
    values = [m.tilt.index for m in data.matrices]
    fig = go.Figure(go.Bar(
        x=values, y=plans, orientation="h",
        marker_color=["#c62828" if v > 0 else "#1565c0" for v in values],
        text=[f"{v:+.3f}" for v in values], textposition="outside",
        hovertemplate="%{y}: %{x:+.3f}<extra></extra>",
    ))
    fig.update_layout(
        title=f"Tilt: −1 = {data.actors.get(a, a)}'s ideals … +1 = {data.actors.get(b, b)}'s",
        xaxis={"range": [-1.1, 1.1], "zeroline": True, "title": "tilt index"},
        yaxis={"autorange": "reversed"}, height=120 + 40 * len(plans),
    )
    return _html(fig, div_id)


def utility_plot(matrix: PlanMatrix, div_id: str | None = None) -> str:
    """Each actor's utility for the plan against its batna (the value of no agreement)."""
    import plotly.graph_objects as go

    names = [s.name for s in matrix.summary]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=names, y=[s.utility for s in matrix.summary], name="utility of the plan",
        marker_color=["#2e7d32" if s.accepts else "#c62828" for s in matrix.summary],
        hovertemplate="%{x}: %{y:.3f}<extra>utility</extra>",
    ))
    fig.add_trace(go.Scatter(
        x=names, y=[s.batna for s in matrix.summary], name="batna", mode="markers",
        marker={"symbol": "line-ew-open", "size": 28, "line": {"width": 3, "color": "#333"}},
        hovertemplate="%{x}: %{y:.3f}<extra>batna</extra>",
    ))
    fig.update_layout(title=f"{matrix.plan}: utility vs batna (green: accepts)", yaxis={"range": [0, 1]},
                      height=320, showlegend=True)
    return _html(fig, div_id or dom_id("plot-utility", matrix.plan))


def pareto_plot(solve: SolveView, data: ReportData, div_id: str = "plot-pareto") -> str:
    """The Pareto frontier in the utilities of the tilt pair, with the plans and the Nash package marked."""
    import plotly.graph_objects as go

    a, b = solve.pair or data.tilt_pair
    fig = go.Figure()
    front = [p for p in solve.pareto if a in p.utilities and b in p.utilities]
    for seg in sorted({p.segment for p in front}):
        part = sorted((p for p in front if p.segment == seg), key=lambda p: p.utilities[a])
        fig.add_trace(go.Scatter(
            x=[p.utilities[a] for p in part], y=[p.utilities[b] for p in part],
            mode="lines+markers", name="Pareto frontier" if solve.pareto_complete else "Pareto frontier (its ends)",
            legendgroup="pareto", showlegend=seg == 0, line={"shape": "hv", "color": "#555"},
            hovertemplate=f"{a}: %{{x:.3f}}<br>{b}: %{{y:.3f}}<extra>Pareto</extra>",
        ))
    for m in data.matrices:
        ua = next((s.utility for s in m.summary if s.actor == a), None)
        ub = next((s.utility for s in m.summary if s.actor == b), None)
        if ua is not None and ub is not None:
            fig.add_trace(go.Scatter(x=[ua], y=[ub], mode="markers+text", text=[m.plan], name=m.plan,
                                     textposition="top center", marker={"size": 10}))
    for label, pkg, colour in (("Nash", solve.nash, "#6a1b9a"), ("Kalai–Smorodinsky", solve.kalai_smorodinsky,
                                                                    "#00838f")):
        u = pkg.utilities if pkg is not None else {}
        if a in u and b in u:
            fig.add_trace(go.Scatter(x=[u[a]], y=[u[b]], mode="markers", name=label,
                                     marker={"symbol": "star", "size": 16, "color": colour}))
    fig.update_layout(title=f"Pareto frontier: utility of {a} vs {b}", xaxis={"title": f"utility of {a}"},
                      yaxis={"title": f"utility of {b}"}, height=420)
    return _html(fig, div_id)


def forecast_plot(forecast: ForecastView, div_id: str = "plot-forecast") -> str:
    """Per issue, the probability of each option as the outcome (stacked bars)."""
    import plotly.graph_objects as go

    issues = [d.name for d in forecast.distributions]
    fig = go.Figure()
    rank_max = max((len(d.options) for d in forecast.distributions), default=0)
    for k in range(rank_max):
        xs, texts = [], []
        for d in forecast.distributions:
            opts = d.options
            xs.append(opts[k].p if k < len(opts) else 0.0)
            texts.append(opts[k].label if k < len(opts) else "")
        fig.add_trace(go.Bar(x=xs, y=issues, orientation="h", name=f"option {k + 1}", text=texts,
                             textposition="none",
                             hovertemplate="%{y}<br>%{text}: %{x:.1%}<extra></extra>"))
    fig.update_layout(barmode="stack", title="Forecast: probability of each outcome per issue "
                      "(options pole to pole)", xaxis={"range": [0, 1], "tickformat": ".0%"},
                      yaxis={"autorange": "reversed"}, height=140 + 24 * len(issues), showlegend=False)
    return _html(fig, div_id)


def scenario_plot(forecast: ForecastView, div_id: str = "plot-scenarios") -> str:
    """Scenario probabilities: the model's (with its Monte Carlo interval) beside every other predictor's."""
    import plotly.graph_objects as go

    names = [s.name for s in forecast.scenarios]
    fig = go.Figure()
    model = forecast.model or "model"
    errs_hi = [0.0 if s.fixed or s.high is None else s.high - s.p for s in forecast.scenarios]
    errs_lo = [0.0 if s.fixed or s.low is None else s.p - s.low for s in forecast.scenarios]
    fig.add_trace(go.Bar(
        x=names, y=[s.p for s in forecast.scenarios], name=model, marker_color="#37474f",
        text=["fixed by the case" if s.fixed else f"{s.p:.1%}" for s in forecast.scenarios],
        textposition="outside", error_y={"type": "data", "array": errs_hi, "arrayminus": errs_lo, "visible": True},
        hovertemplate="%{x}: %{text}<extra>" + model + "</extra>",
    ))
    for p in forecast.predictors[1:]:
        fig.add_trace(go.Bar(
            x=names, y=[s.beside.get(p.name, 0.0) for s in forecast.scenarios], name=p.name,
            hovertemplate="%{x}: %{y:.1%}<extra>" + p.name + "</extra>", opacity=0.6,
        ))
    by = f" by {forecast.horizon}" if forecast.horizon else ""
    fig.update_layout(barmode="group", title=f"Scenario probabilities{by} — {model} (error bars: Monte Carlo "
                      "error only) beside the baselines",
                      yaxis={"range": [0, 1.1], "tickformat": ".0%"}, height=400)
    return _html(fig, div_id)


def report_plots(data: ReportData) -> dict[str, str]:
    """Every plot of the report, by name (``tilt``, ``utility:<plan>``, ``pareto``, ``forecast``, ``scenarios``,
    ``time:<issue>``)."""
    out = {"tilt": tilt_plot(data)} if data.matrices else {}
    for m in data.matrices:
        out[f"utility:{m.plan}"] = utility_plot(m)
    if data.solve.available and data.solve.pareto:
        out["pareto"] = pareto_plot(data.solve, data)
    if data.forecast.available and data.forecast.distributions:
        out["forecast"] = forecast_plot(data.forecast)
    if data.forecast.available and data.forecast.scenarios:
        out["scenarios"] = scenario_plot(data.forecast)
    out.update(time_plots(data.time))
    return out


def positions_plot(t: IssueTimeline, start: dt.date, end: dt.date, div_id: str | None = None,
                   focus: dt.date | None = None) -> str:
    """One issue over time: each actor's ideal (a step line) and red-line band, plans marked by date.

    ``focus``: the chart opens on the period from two weeks before that date (the states before it
    are drawn too: zoom out, or double-click, to see them).
    """
    import plotly.graph_objects as go

    last = end + dt.timedelta(days=2)
    fig = go.Figure()
    shapes: list[dict[str, object]] = []
    for tr in t.tracks:
        pts = list(tr.points)
        xs = [p.date for p in pts] + [last]
        ys = [p.ideal for p in pts] + [pts[-1].ideal]
        text = [f"{tr.name}: {p.ideal_label} (since {p.date})" + (" — inferred" if p.inferred else "") for p in pts]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=f"{tr.name} ideal", line_shape="hv",
                                 line={"color": tr.colour, "width": 2.5}, marker={"size": 7},
                                 text=[*text, text[-1]], hovertemplate="%{text}<extra></extra>",
                                 legendgroup=tr.actor))
        for k, p in enumerate(pts):
            until = pts[k + 1].date if k + 1 < len(pts) else last
            for lo, hi in p.bands:
                shapes.append({"type": "rect", "xref": "x", "yref": "y", "x0": p.date, "x1": until,
                               "y0": lo - 3, "y1": hi + 3, "fillcolor": tr.colour, "opacity": 0.13,
                               "line": {"width": 0}, "layer": "below"})
        if any(p.bands for p in pts):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{tr.name} red line",
                                     marker={"symbol": "square", "size": 12, "color": tr.colour, "opacity": 0.3},
                                     legendgroup=tr.actor, hoverinfo="skip"))
    marks = [m for m in t.plans if m.axis is not None]
    if marks:
        fig.add_trace(go.Scatter(x=[m.date for m in marks], y=[m.axis for m in marks], mode="markers",
                                 name="plan settles", marker={"symbol": "diamond", "size": 11, "color": "#263238"},
                                 text=[f"{m.plan} ({m.date}): {m.label}" for m in marks],
                                 hovertemplate="%{text}<extra></extra>"))
    for m in t.plans:
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": m.date, "x1": m.date, "y0": 0, "y1": 1,
                       "line": {"color": "#90a4ae", "width": 1, "dash": "dot"}})
    rows = label_rows([m.date for m in t.plans])
    stack = LABEL_ROW * max(rows, default=0)  # the labels stacked above the first row: the chart grows by as much
    fig.update_layout(
        title=f"{t.name}: positions over time", shapes=shapes, height=320 + stack,
        xaxis={"range": [max(start - dt.timedelta(days=2), (focus or start) - dt.timedelta(days=14)), last],
               "type": "date"},
        yaxis={"range": [-6, 106], "tickvals": [a for a, _ in t.ticks], "ticktext": [lab for _, lab in t.ticks],
               "title": "axis"},
        annotations=[{"x": m.date, "y": 1.0, "xref": "x", "yref": "paper", "text": m.plan, "showarrow": False,
                      "textangle": -30, "font": {"size": 9, "color": "#546e7a"}, "yanchor": "bottom",
                      "yshift": LABEL_ROW * row}
                     for m, row in zip(t.plans, rows, strict=True)],
        legend={"orientation": "h", "y": -0.25},
    )
    return _html(fig, div_id or f"plot-time-{t.issue}", top=TOP + stack)


LABEL_ROW = 14
"""Pixels between stacked plan labels (a 9-point label and a gap)."""


def label_rows(dates: Sequence[dt.date], near: int = 2) -> list[int]:
    """The row of each date's label, stacked so that labels of dates within ``near`` days never share a row:
    each takes the lowest row no earlier label near it holds (row 0 sits on the chart, row k k rows above).

    >>> d = dt.date
    >>> label_rows([d(2025, 11, 20), d(2025, 11, 23), d(2025, 11, 23), d(2025, 12, 28), d(2025, 12, 29)])
    [0, 0, 1, 0, 1]
    >>> label_rows([d(2025, 11, 23)] * 3 + [d(2025, 11, 27)])
    [0, 1, 2, 0]
    """
    rows: list[int] = []
    for k, day in enumerate(dates):
        taken = {rows[j] for j in range(k) if abs((dates[j] - day).days) <= near}
        rows.append(min(set(range(len(taken) + 1)) - taken))
    return rows


def time_plots(view: TimeView) -> dict[str, str]:
    """One positions-over-time plot per issue, keyed ``time:<issue>``."""
    if view.start is None or view.end is None:
        return {}
    return {f"time:{t.issue}": positions_plot(t, view.start, view.end, focus=view.since) for t in view.issues}

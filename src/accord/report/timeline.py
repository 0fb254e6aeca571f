"""Positions over time, per issue, and what changed since a date: the report's and dashboard's time views.

:func:`time_section` is pure: from a case (a view as of a date, or the latest)
it builds, per issue, each actor's track — its ideal and its red-line band at
every state in effect — with the plans' dates and options marked, and the
moves since a date (:mod:`accord.analysis.moves`) with their evidence.
:func:`positions_plot` draws one issue as KTAB's GUI draws positions over
turns: dates across, the issue's axis up, one step line per actor's ideal and
a shaded band over the options on its red line.

>>> import datetime as dt
>>> from accord.model import DEFAULT_CASE, load_case
>>> case = load_case(DEFAULT_CASE)
>>> view = time_section(case, since=dt.date(2025, 11, 20))
>>> len(view.issues) == len(case.issues)
True
>>> [m.plan for m in view.issues[0].plans] == [p.id for p in case.plans if p.kind == "plan"]  # each plan, by date
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from accord.analysis.moves import Move, describe, direction_text, moves
from accord.model import Case, Issue, Position
from accord.report.data import Change, IssueTimeline, PlanMark, TimeView, Track, TrackPoint, evidence_of

PALETTE = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457", "#546e7a")
"""Actor colours, in case order (the same actor has the same colour on every chart)."""


def default_since(case: Case) -> dt.date | None:
    """The date "what changed since" starts from by default: the earliest dated plan, else the first state."""
    dates = [p.date for p in case.plans if p.date is not None]
    if dates:
        return min(dates)
    first = case.dates()
    return first[0] if first else None


def time_section(case: Case, *, since: dt.date | None = None, issues: Sequence[str] | None = None,
                 actors: Sequence[str] | None = None) -> TimeView:
    """Tracks per issue up to the view's date, and the moves after ``since`` up to it.

    ``since`` None: :func:`default_since`. ``issues`` / ``actors`` limit both parts.
    """
    end = case.as_of
    since = since if since is not None else default_since(case)
    found = moves(case, start=since, end=end, actors=actors, issues=issues)
    full = case.at(None)
    states = [p for p in full.history if p.since is None or end is None or p.since <= end]
    dates = sorted({p.since for p in states if p.since is not None} | {p.date for p in case.plans if p.date})
    start = dates[0] if dates else None
    last = end or (dates[-1] if dates else None)
    colours = {a: PALETTE[k % len(PALETTE)] for k, a in enumerate(case.actor_ids)}
    timelines = []
    for iss in case.issues:
        if issues and iss.id not in issues:
            continue
        tracks = []
        for a in case.actors:
            if actors and a.id not in actors:
                continue
            mine = [p for p in states if p.actor == a.id and p.issue == iss.id]
            if not mine or start is None:
                continue
            tracks.append(Track(actor=a.id, name=a.name, colour=colours[a.id],
                                points=tuple(_point(iss, p, start) for p in mine)))
        if not tracks:
            continue
        plans = tuple(
            PlanMark(plan=p.id, date=p.date, option=p.settled().get(iss.id),
                     label=iss.option(p.settled()[iss.id]).label if iss.id in p.settled() else None,
                     axis=iss.axis(p.settled()[iss.id]) if iss.id in p.settled() else None)
            for p in case.plans if p.date is not None and p.kind == "plan"
        )
        timelines.append(IssueTimeline(issue=iss.id, name=iss.name, ticks=tuple((o.axis, o.label) for o in iss.options),
                                       tracks=tuple(tracks), plans=plans,
                                       moves=sum(1 for m in found if m.issue == iss.id)))
    return TimeView(start=start, end=last, since=since, issues=tuple(timelines),
                    changes=tuple(change_of(case, m) for m in found), dated=bool(case.dates()))


def change_of(case: Case, m: Move) -> Change:
    """A move with labels and its evidence resolved."""
    return Change(date=m.date, actor=m.actor, actor_name=case.actor(m.actor).name, issue=m.issue,
                  issue_name=case.issue(m.issue).name, field=m.field, text=describe(m, case),
                  direction=direction_text(m), size=m.size, unit=m.unit, softens=m.softens, inferred=m.inferred,
                  note=m.note, before=evidence_of(case, (s.id for s in m.evidence_before)),
                  after=evidence_of(case, (s.id for s in m.evidence_after)))


def _point(issue: Issue, p: Position, start: dt.date) -> TrackPoint:
    ideal = issue.axis(p.ideal)
    bands = []
    for side in (-1, 1):
        axes = [issue.axis(o) for o in p.red_line if (issue.axis(o) - ideal) * side > 0]
        if axes:
            bands.append((min(axes), max(axes)))
    return TrackPoint(date=p.since or start, ideal=ideal, ideal_label=issue.option(p.ideal).label,
                      bands=tuple(bands), red_line=p.red_line,
                      firmness=p.firmness.value if p.firmness is not None else None, inferred=p.inferred)


def positions_plot(t: IssueTimeline, start: dt.date, end: dt.date, div_id: str | None = None,
                   focus: dt.date | None = None) -> str:
    """One issue over time: each actor's ideal (a step line) and red-line band, plans marked by date.

    ``focus``: the chart opens on the period from two weeks before that date (the states before it
    are drawn too: zoom out, or double-click, to see them).
    """
    import plotly.graph_objects as go

    from accord.report.plots import _html

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
    fig.update_layout(
        title=f"{t.name}: positions over time", shapes=shapes, height=320,
        xaxis={"range": [max(start - dt.timedelta(days=2), (focus or start) - dt.timedelta(days=14)), last],
               "type": "date"},
        yaxis={"range": [-6, 106], "tickvals": [a for a, _ in t.ticks], "ticktext": [lab for _, lab in t.ticks],
               "title": "axis"},
        annotations=[{"x": m.date, "y": 1.0, "xref": "x", "yref": "paper", "text": m.plan, "showarrow": False,
                      "textangle": -30, "font": {"size": 9, "color": "#546e7a"}, "yanchor": "bottom"}
                     for m in t.plans],
        legend={"orientation": "h", "y": -0.25},
    )
    return _html(fig, div_id or f"plot-time-{t.issue}")


def time_plots(view: TimeView) -> dict[str, str]:
    """One positions-over-time plot per issue, keyed ``time:<issue>``."""
    if view.start is None or view.end is None:
        return {}
    return {f"time:{t.issue}": positions_plot(t, view.start, view.end, focus=view.since) for t in view.issues}

"""Key findings: the few sentences at the top of the report and the overview page, generated from the results.

Each finding says one thing the sections below establish and names the
section (and element) that holds its evidence, so a reader can check it:

- per plan, whose red lines it crosses (and at which points) and who accepts it;
- whether any package is acceptable to every party, and if not the smallest
  conflicts (which red lines or batnas must move);
- the forecast's best-supported scenario with its interval, and the
  scenarios the case fixes (a probability that cannot move is a finding
  about the case, not a forecast);
- what moved lately (position changes since the view's ``since`` date);
- provisions marked verified that rest only on low-rated or partisan sources.

Nothing here computes a number the sections do not already show.
"""

from __future__ import annotations

from accord.report.data import Finding, ReportData
from accord.report.safe import dom_id


def key_findings(data: ReportData, moves: int = 3) -> tuple[Finding, ...]:
    """The key findings of ``data``, in reading order (plans, conflicts, forecast, moves, sources).

    >>> from accord.model import DEFAULT_CASE, load_case
    >>> from accord.report.build import report_data
    >>> data = report_data(load_case(DEFAULT_CASE), solve=False, forecast=False, time=False)
    >>> f = key_findings(data)
    >>> f[0].kind, f[0].anchor == dom_id("matrix", data.matrices[0].plan), f[0].text.startswith(f[0].plan + " ")
    ('plan', True, True)
    """
    out = [*_plans(data), *_conflicts(data), *_forecast(data), *_moves(data, moves), *_sources(data)]
    return tuple(out)


def _names(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def _plans(data: ReportData) -> list[Finding]:
    out = []
    for m in data.matrices:
        held = [s for s in m.summary if s.party and s.positions]
        crossings = []
        for s in held:
            if s.red_lines:
                where = [f"{r.issue_name} (point {', '.join(r.provisions)})" if r.provisions
                         else f"{r.issue_name} (silent: status quo)" for r in s.red_lines]
                crossings.append(f"{s.name}'s red lines on {_names(where)}")
        yes = [s.name for s in held if s.accepts]
        no = [s.name for s in held if not s.accepts]
        head = f"{m.plan} crosses {'; '.join(crossings)}" if crossings else f"{m.plan} crosses no party's red line"
        verdicts = ([f"accepted by {_names(yes)}"] if yes else []) + ([f"rejected by {_names(no)}"] if no else [])
        if held and not no:
            verdicts = ["acceptable to every party holding a position"]
        out.append(Finding(kind="plan", text=f"{head}; {'; '.join(verdicts)}.", section="matrix",
                           anchor=dom_id("matrix", m.plan), plan=m.plan))
    return out


def _conflicts(data: ReportData) -> list[Finding]:
    sv = data.solve
    if not sv.available or sv.feasible is None:
        return []
    if sv.feasible:
        return [Finding(kind="conflict", text="Some package is acceptable to every party (see the Pareto frontier "
                        "and the Nash package).", section="solve", anchor="solve")]
    smallest = [" and ".join(c.drop) for c in sv.conflicts[:3]]
    more = "" if sv.conflicts_complete else " (the search stopped early: there may be more)"
    text = (f"No package is acceptable to every party; the smallest conflicts{more}: "
            + "; or ".join(smallest) + "." if smallest else "No package is acceptable to every party.")
    return [Finding(kind="conflict", text=text, section="solve", anchor="solve")]


def _forecast(data: ReportData) -> list[Finding]:
    fv = data.forecast
    if not fv.available or not fv.scenarios:
        return []
    fixed = [s for s in fv.scenarios if s.fixed or s.p in (0.0, 1.0)]
    moving = sorted((s for s in fv.scenarios if s not in fixed), key=lambda s: -s.p)
    out = []
    if moving:
        s = moving[0]
        out.append(Finding(
            kind="forecast", section="forecast", anchor="forecast",
            text=f"Most likely scenario that the uncertainty can move: {s.name} at {s.p:.1%} "
                 f"(95 % interval {s.low or 0:.1%}–{s.high or 0:.1%}; {fv.model or 'model'}, {fv.draws} draws).",
        ))
    if fixed:
        parts = [f"{s.name} {'holds' if s.p == 1.0 else 'fails'}" for s in fixed]
        out.append(Finding(
            kind="forecast", section="forecast", anchor="forecast",
            text=f"Fixed by the case, not forecast: {'; '.join(parts)} in all {fv.draws} draws (no uncertainty "
                 "in the estimates moves it).",
        ))
    return out


def _moves(data: ReportData, n: int) -> list[Finding]:
    changes = list(data.time.changes)
    if not changes:
        return []
    latest = "; ".join(f"{c.date} {c.actor_name} on {c.issue_name}: {c.text}" for c in changes[-n:][::-1])
    since = f" since {data.time.since}" if data.time.since else ""
    return [Finding(kind="moves", section="time", anchor="time",
                    text=f"{len(changes)} position changes{since}; the latest: {latest}.")]


def _sources(data: ReportData) -> list[Finding]:
    weak = [f"{m.plan} {', '.join(m.weak)}" for m in data.matrices if m.weak]
    if not weak:
        return []
    n = sum(len(m.weak) for m in data.matrices)
    plan = next(m.plan for m in data.matrices if m.weak)
    return [Finding(kind="sources", section="matrix", anchor=dom_id("matrix", plan), plan=plan,
                    text=f"{n} provisions marked verified rest only on low-rated or partisan sources "
                         f"({'; '.join(weak)}): read them as reported, not established.")]

"""The HTML dashboard: the report's views, server-rendered, plus filters and a claims browser.

Pages share the report's section macros (``accord/report/templates/sections.html``),
so the dashboard and the report show the same thing. Each page is rendered
once per case version and query, then served from the cache.

Every case page takes ``?as_of=YYYY-MM-DD`` and shows a date control that
sets it; links between pages carry it, so the whole dashboard views the case
as known on one date.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from accord.analysis.review import KINDS
from accord.model import Claim
from accord.report import data as rd
from accord.report.build import report_data
from accord.report.plots import forecast_plot, pareto_plot, scenario_plot, tilt_plot, time_plots, utility_plot
from accord.report.timeline import time_section
from accord.web.api import (
    CACHEABLE,
    AsOf,
    filter_claims,
    forecast_view_of,
    judged_case,
    known_claims,
    latest_forecast,
    matrix_of,
    positions_of,
    report_key,
    report_of,
    solve_of,
)
from accord.web.api_review import queue
from accord.web.auth import reader, state_of
from accord.web.errors import ApiError
from accord.web.html import env
from accord.web.state import State

router = APIRouter(include_in_schema=False, dependencies=[Depends(reader)])


CASE_ONLY = {"plan", "positions", "moves", "diff", "claims", "document"}
"""Pages that depend only on the case and its claims (served from the response cache); the overview
also reads the latest forecast job (its key findings)."""


def _page(state: State, case_id: str | None, name: str, key: Any, request: Request | None = None,
          as_of: dt.date | None = None, **ctx: Any) -> HTMLResponse:
    day = state.day(as_of)
    query = {k: v for k, v in request.query_params.items() if k != "as_of"} if request is not None else {}

    def render() -> str:
        case = state.view(case_id, day) if case_id else None
        base = {"cases": list(state.cases), "case": case, "case_id": case_id, "page": name, "as_of": day,
                "qs": f"?as_of={day.isoformat()}" if day else "", "query": query, "csrf": state.csrf,
                "key_dates": key_dates(state.case(case_id)) if case_id else []}
        return env().get_template(f"{name}.html").render(**base, **ctx)

    if case_id is None:
        return HTMLResponse(render())
    headers = CACHEABLE if name in CASE_ONLY else None
    return HTMLResponse(state.memo("page:" + name, case_id, (key, day, tuple(sorted(query.items()))), render),
                        headers=headers)


def key_dates(case: Any) -> list[tuple[dt.date, str]]:
    """The dates worth jumping to: each plan's date and each date a position changed, with what happened."""
    out: dict[dt.date, list[str]] = {}
    for p in case.plans:
        if p.date is not None:
            out.setdefault(p.date, []).append(p.id)
    for d in case.dates():
        out.setdefault(d, [])
    return [(d, ", ".join(what) or "positions change") for d, what in sorted(out.items())]


@cache
def plotly_path() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    """plotly.js from the installed plotly package (no CDN)."""
    return FileResponse(plotly_path(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/static/plots.js")
def plots_js() -> FileResponse:
    """The script that draws the plots of a page (shared with the self-contained report)."""
    from accord.report.plots import PLOTS_JS

    return FileResponse(PLOTS_JS, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/", response_model=None)
def home(request: Request) -> Response:
    state = state_of(request)
    if len(state.cases) == 1:
        return RedirectResponse(f"/cases/{next(iter(state.cases))}", status_code=307)
    return _page(state, None, "home", None, summaries=[state.entry(c) for c in state.cases])


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: str, as_of: AsOf = None) -> HTMLResponse:
    state = state_of(request)
    case = state.view(case_id, as_of)
    job = latest_forecast(state, case_id, as_of)
    forecast: rd.ForecastView | bool = forecast_view_of(state, case_id, job) if job is not None else False
    data = state.memo("overview", case_id, (state.day(as_of), job.id if job else None), lambda: report_data(
        case, solve=solve_of(state, case_id, as_of), forecast=forecast,
        matrices=[matrix_of(state, case_id, p.id, as_of) for p in case.plans]))
    return _page(state, case_id, "case", job.id if job else None, request, as_of, data=data,
                 plot=tilt_plot(data) if data.matrices else "")


@router.get("/cases/{case_id}/plans/{plan_id}")
def plan_page(request: Request, case_id: str, plan_id: str, as_of: AsOf = None) -> HTMLResponse:
    state = state_of(request)
    judged = judged_case(state, case_id, plan_id, as_of)  # 404 for a plan unknown on the date
    m = matrix_of(state, case_id, plan_id, as_of)
    wanted = {c.evidence for r in m.rows for c in r.cells if c.evidence}
    claims = list(state.entry(case_id).claims.values())
    evidence = [p for p in rd.positions_section(judged, claims) if p.anchor in wanted]
    data = report_data(state.view(case_id, as_of), solve=False, forecast=False, matrices=[m])
    return _page(state, case_id, "plan", plan_id, request, as_of, m=m, data=data, evidence=evidence,
                 baskets=sorted({r.basket for r in m.rows if r.basket}), plot=utility_plot(m))


@router.get("/cases/{case_id}/positions")
def positions_page(request: Request, case_id: str, actor: str | None = None,
                   issue: str | None = None, as_of: AsOf = None) -> HTMLResponse:
    state = state_of(request)
    case = state.view(case_id, as_of)
    shown = [p for p in positions_of(state, case_id, as_of)
             if (not actor or p.actor == actor) and (not issue or p.issue == issue)]
    return _page(state, case_id, "positions", (actor, issue), request, as_of, positions=shown, actor=actor or "",
                 issue=issue or "", actors={a.id: a.name for a in case.actors},
                 issues={i.id: i.name for i in case.issues})


@router.get("/cases/{case_id}/moves")
def moves_page(request: Request, case_id: str, since: AsOf = None, actor: str | None = None,
               issue: str | None = None, as_of: AsOf = None) -> HTMLResponse:
    """Positions over time per issue (plotly) and what changed since a date (default: the earliest plan's)."""
    state = state_of(request)
    case = state.view(case_id, as_of)
    for name, value, known in (("actor", actor, case.actor_ids), ("issue", issue, case.issue_ids)):
        if value and value not in known:
            raise ApiError(422, f"unknown {name} '{value}'; expected one of {known}", field=name)

    def build() -> Any:
        return time_section(case, since=since, actors=[actor] if actor else None, issues=[issue] if issue else None)

    tv = state.memo("timeview", case_id, (state.day(as_of), since, actor, issue), build)
    return _page(state, case_id, "moves", (since, actor, issue), request, as_of, tv=tv, plots=time_plots(tv),
                 actor=actor or "", issue=issue or "", since=tv.since, actors={a.id: a.name for a in case.actors},
                 issues={i.id: i.name for i in case.issues})


@router.get("/cases/{case_id}/review")
def review_page(request: Request, case_id: str, as_of: AsOf = None) -> HTMLResponse:
    """The review queue: each proposed update with its claims (sentence, speaker, source with date and
    reliability), the state in effect and what accepting it changes; accept or dismiss (an editor token)."""
    state = state_of(request)
    q = queue(state, case_id, as_of)
    e = state.entry(case_id)
    sources = {s.id: s for s in e.case.sources}
    return _page(state, case_id, "review", None, request, as_of, q=q, known_sources=sources,
                 actors={a.id: a.name for a in e.case.actors}, issues={i.id: i.name for i in e.case.issues},
                 kinds=KINDS, claims_total=len(e.claims))


@router.get("/cases/{case_id}/diff")
def diff_page(request: Request, case_id: str, a: str | None = None, b: str | None = None,
              as_of: AsOf = None) -> HTMLResponse:
    state = state_of(request)
    case = state.view(case_id, as_of)
    ids = [p.id for p in case.plans]
    pairs = rd.diff_pairs(case)
    if not a or not b:
        a, b = pairs[0] if pairs else ((ids[0], ids[-1]) if ids else (None, None))
    d = None
    if a and b:
        for name, v in (("a", a), ("b", b)):
            if v not in ids:
                raise ApiError(404, f"no plan '{v}' in case '{case_id}'", field=name)
        d = state.memo("diffview", case_id, (a, b), lambda: rd.diff_section(case, a, b))
    return _page(state, case_id, "diff", (a, b), request, as_of, d=d, plans=ids, a=a, b=b, pairs=pairs)


@router.get("/cases/{case_id}/solve")
def solve_page(request: Request, case_id: str, as_of: AsOf = None) -> HTMLResponse:
    state = state_of(request)
    sv = solve_of(state, case_id, as_of)
    data = report_of(state, case_id, as_of)
    plots = {"pareto": pareto_plot(sv, data)} if sv.available and sv.pareto else {}
    return _page(state, case_id, "solve", report_key(state, case_id, as_of), request, as_of, sv=sv, plots=plots)


WHATIF_DRAWS = 300
"""Forecast draws on each side of a what-if (the same seed on both)."""


def whatif_url(case_id: str, changes: list[str], as_of: dt.date | None = None) -> str:
    """The shareable address of a what-if.

    >>> whatif_url("c", ["drop:a:land", "batna:b:0.3"], dt.date(2025, 11, 20))
    '/cases/c/whatif?change=drop%3Aa%3Aland&change=batna%3Ab%3A0.3&as_of=2025-11-20'
    """
    from urllib.parse import quote, urlencode

    query = [("change", c) for c in changes] + ([("as_of", as_of.isoformat())] if as_of else [])
    return f"/cases/{quote(case_id, safe='')}/whatif" + (f"?{urlencode(query)}" if query else "")


@router.get("/cases/{case_id}/whatif", response_model=None)
def whatif_page(request: Request, case_id: str, change: Annotated[list[str] | None, Query()] = None,
                kind: str | None = None, actor: str | None = None, issue: str | None = None,
                option: str | None = None, value: str | None = None, as_of: AsOf = None) -> Response:
    """What-if: drop or soften a red line, change a salience or a batna; assess, solve and forecast re-run on
    the copy. The form adds one change and redirects to the shareable address that lists them all."""
    from accord.analysis.whatif import parse
    from accord.report.whatif import whatif_section

    state = state_of(request)
    case = state.view(case_id, as_of)
    texts = list(change or [])
    if kind:
        tail = {"drop": [issue], "soften": [issue, option], "salience": [issue, value], "batna": [value]}
        new = ":".join([kind, actor or "", *(str(t or "") for t in tail.get(kind, []))])
        parse(new)  # a clear 422 naming what is expected
        return RedirectResponse(whatif_url(case_id, [*texts, new], as_of), status_code=303)
    changes = [parse(t) for t in texts]
    day = state.day(as_of)
    view = state.memo("whatif", case_id, (day, tuple(texts)),
                      lambda: whatif_section(case, changes, draws=WHATIF_DRAWS))
    remove = [whatif_url(case_id, texts[:i] + texts[i + 1:], as_of) for i in range(len(texts))]
    return _page(state, case_id, "whatif", tuple(texts), request, as_of, w=view,
                 share=whatif_url(case_id, texts, as_of), remove=remove)


@router.get("/cases/{case_id}/forecast")
def forecast_page(request: Request, case_id: str, as_of: AsOf = None) -> HTMLResponse:
    state = state_of(request)
    state.entry(case_id)
    job = latest_forecast(state, case_id, as_of)
    fv = forecast_view_of(state, case_id, job)
    plots: dict[str, str] = {}
    if fv.available and fv.distributions:
        plots["forecast"] = forecast_plot(fv)
    if fv.available and fv.scenarios:
        plots["scenarios"] = scenario_plot(fv)
    from accord.analysis.models import REGISTRY

    return _page(state, case_id, "forecast", job.id if job else None, request, as_of, f=fv, plots=plots,
                 models=list(REGISTRY.values()))


@router.get("/cases/{case_id}/claims")
def claims_page(
    request: Request, case_id: str, holder: str | None = None, issue: str | None = None,
    stance: str | None = None, basis: str | None = None, doc: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None, as_of: AsOf = None,
) -> HTMLResponse:
    """The claims browser: filters, and each claim's sentence with the quote highlighted (claims dated after
    the page's date are left out)."""
    state = state_of(request)
    e = state.entry(case_id)
    known = known_claims(state.view(case_id, as_of), e.claims.values())
    hits = filter_claims(known, holder or None, issue or None, stance or None, basis or None,
                         doc or None, q or None)
    docs = sorted({c.doc for c in known})
    return _page(state, case_id, "claims", (holder, issue, stance, basis, doc, q), request, as_of,
                 claims=hits[:500],
                 total=len(hits), f={"holder": holder or "", "issue": issue or "", "stance": stance or "",
                                     "basis": basis or "", "doc": doc or "", "q": q or ""},
                 actors={a.id: a.name for a in e.case.actors}, issues={i.id: i.name for i in e.case.issues},
                 docs=docs, loaded=sorted(e.documents))


def segments(text: str, claims: list[Claim]) -> list[tuple[str, Claim | None]]:
    """The article cut at its claims' sentence spans: (text, claim or None), overlapping spans skipped."""
    out: list[tuple[str, Claim | None]] = []
    pos = 0
    for c in sorted((c for c in claims if c.start is not None and c.end is not None), key=lambda c: c.start or 0):
        start, end = c.start or 0, c.end or 0
        if start < pos or end > len(text) or start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], c))
        pos = end
    out.append((text[pos:], None))
    return out


@router.get("/cases/{case_id}/documents/{doc_id}")
def document_page(request: Request, case_id: str, doc_id: str, as_of: AsOf = None) -> HTMLResponse:
    """An article with the sentence of each claim highlighted (and anchored: ``#claim-<id>``)."""
    state = state_of(request)
    e = state.entry(case_id)
    d = e.documents.get(doc_id)
    if d is None:
        raise ApiError(404, f"no document '{doc_id}' in case '{case_id}'", field="doc")
    claims = [c for c in e.claims.values() if c.doc == doc_id]
    return _page(state, case_id, "document", doc_id, request, as_of, d=d, parts=segments(d.text, claims),
                 claims=claims)


@router.get("/cases/{case_id}/compliance")
def compliance_page(request: Request, case_id: str, as_of: AsOf = None) -> HTMLResponse:
    state = state_of(request)
    data = report_of(state, case_id, as_of)
    return _page(state, case_id, "compliance", report_key(state, case_id, as_of), request, as_of,
                 c=data.compliance)

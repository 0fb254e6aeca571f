"""The report's data: every section built once from the engines, as plain models.

:func:`report_data` is a pure function of the case (and of what the caller read
from elsewhere — claims, a compliance board): it runs assess and diff (and
solve / forecast when those engines are installed) and returns a
:class:`ReportData` that the HTML and Markdown renderers, and the web
dashboard, all draw from. Nothing here touches files, sockets or clocks.

Sections:

- **matrix** — per plan, provisions × actors, each cell the actor's verdict
  (``accepts`` / ``conditional`` / ``red_line`` / ``none``, from
  :func:`accord.analysis.assess.assess_plan`) and a link to its evidence: the
  actor's position on the provision's issue and that position's sources;
- **positions** — every position with its sources (URL, date, quote) and claims;
- **diffs** — each plan against the plan it is ``based_on``
  (:func:`accord.analysis.diff.diff_plans`);
- **tilt** — every plan's tilt index and per-issue tilt;
- **solve**, **forecast** — the engines' results when available; otherwise the
  section says so (no number is ever made up);
- **compliance** — the board passed in by the caller, or "no agreement signed";
- **time** — per issue, each actor's ideal and red line over the dates, the
  plans' dates marked, and what changed since a date
  (:mod:`accord.report.timeline`).

>>> from accord.model import DEFAULT_CASE, load_case
>>> data = report_data(load_case(DEFAULT_CASE), solve=False, forecast=False)
>>> data.matrices[0].plan == load_case(DEFAULT_CASE).plans[0].id
True
>>> data.compliance.available
False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.analysis.assess import Assessment, Verdict, assess_plan, plan_view
from accord.analysis.diff import diff_plans
from accord.model import Case, Claim, Position
from accord.report.safe import dom_id

VERDICTS: tuple[Verdict, ...] = ("accepts", "conditional", "red_line", "none")
VERDICT_LABEL: dict[str, str] = {
    "accepts": "accepts",
    "conditional": "conditional",
    "red_line": "red line",
    "none": "no position",
}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Evidence(_Out):
    """One source a fact rests on, as the reader needs it: where, when, what it says."""

    source: str
    url: str
    date: dt.date | None = None
    publisher: str = ""
    title: str = ""
    quote: str = ""
    reliability: str = "medium"


class ClaimRef(_Out):
    """A claim cited as evidence (the sentence it came from)."""

    id: str
    doc: str
    holder: str
    issue: str
    stance: str
    basis: str
    text: str
    quote: str | None = None
    url: str | None = None
    date: dt.date | None = None


class MatrixCell(_Out):
    provision: str
    actor: str
    verdict: Verdict
    utility: float | None = None
    ideal: str | None = None
    ideal_label: str | None = None
    evidence: str | None = Field(None, description="anchor of the position this verdict rests on")


class MatrixRow(_Out):
    provision: str
    title: str
    text: str
    basket: str | None = None
    issue: str | None = None
    issue_name: str | None = None
    option: str | None = None
    option_label: str | None = None
    sources: tuple[Evidence, ...] = ()
    cells: tuple[MatrixCell, ...]


class RedLine(_Out):
    issue: str
    issue_name: str
    option: str
    option_label: str
    provisions: tuple[str, ...]


class ActorSummary(_Out):
    actor: str
    name: str
    party: bool
    utility: float
    batna: float
    margin: float
    accepts: bool
    red_lines: tuple[RedLine, ...]
    conditional: tuple[str, ...]


class TiltView(_Out):
    plan: str
    pair: tuple[str, str]
    index: float
    favours: str
    per_issue: dict[str, float]
    weights: dict[str, float]


class PlanMatrix(_Out):
    """One plan assessed: the matrix, each actor's summary and the tilt."""

    plan: str
    name: str
    kind: str
    date: dt.date | None = None
    based_on: str | None = None
    authors: tuple[str, ...] = ()
    as_of: dt.date | None = None
    """The date of the positions the plan was judged against (None: the latest state of each)."""
    actors: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    summary: tuple[ActorSummary, ...]
    tilt: TiltView
    counts: dict[str, int]
    """Cells per verdict."""


class PositionView(_Out):
    """One state of a position with its evidence; ``earlier`` holds the states before it (oldest first).

    ``since`` is the day the state took effect (None: an undated snapshot);
    ``firmness`` the estimated probability that its red line holds (None: treated as certain).
    """

    anchor: str
    actor: str
    actor_name: str
    issue: str
    issue_name: str
    since: dt.date | None = None
    ideal: str
    ideal_label: str
    salience: float
    salience_note: str = ""
    acceptable: tuple[str, ...] = ()
    red_line: tuple[str, ...] = ()
    firmness: float | None = None
    firmness_note: str = ""
    note: str = ""
    inferred: bool = False
    sources: tuple[Evidence, ...] = ()
    claims: tuple[ClaimRef, ...] = ()
    earlier: tuple[PositionView, ...] = ()


class DiffRow(_Out):
    provision: str
    change: str
    issue: str | None = None
    before: str | None = None
    after: str | None = None
    title_before: str | None = None
    title_after: str | None = None
    fields: tuple[str, ...] = ()


class IssueMove(_Out):
    issue: str
    issue_name: str
    before: str
    after: str
    changed: bool


class DiffView(_Out):
    a: str
    b: str
    provisions: tuple[DiffRow, ...]
    issues: tuple[IssueMove, ...]
    counts: dict[str, int]


class SolveView(_Out):
    """Solve results (exact, from :mod:`accord.analysis.solve`), or why there are none.

    When no package is acceptable to every party, ``conflicts`` lists the
    smallest sets of red lines (or batnas) that must move; the frontier, the
    bargaining packages and the amendments are then computed on the case with
    the first of those conflicts resolved, and ``relaxed`` says which — a
    labelled what-if, not the case as recorded.
    """

    available: bool
    note: str = ""
    actors: tuple[str, ...] = ()
    feasible: bool | None = None
    conflicts: tuple[dict[str, Any], ...] = ()
    """``{"rank", "drop": [text], "constraints": [{"kind", "actor", "issue", "options", "batna"}],
    "witness": {"package", "utilities", "gains"}}``, smallest first."""
    conflicts_complete: bool = True
    relaxed: str | None = None
    pair: tuple[str, str] | None = None
    pareto: tuple[dict[str, Any], ...] = ()
    """Frontier points ``{"package", "utilities", "gains", "segment"}`` in the utilities of ``pair``; when the
    frontier is not complete, segment 0 holds the points best for ``pair[0]``, segment 1 those best for ``pair[1]``
    (points between them exist but were not computed)."""
    pareto_complete: bool = True
    nash: dict[str, Any] | None = None
    """``{"status", "package", "labels": {issue name: option label}, "utilities", "gains", "value"}``."""
    kalai_smorodinsky: dict[str, Any] | None = None
    amendments: tuple[dict[str, Any], ...] = ()
    """Per plan: ``{"plan", "status", "rejecting", "changes": [{"issue", "before", "after", "provisions"}]}``."""
    explain: dict[str, str] = Field(default_factory=dict)
    """The engine's own one-paragraph explanation per goal."""


class ForecastView(_Out):
    """Forecast distributions and scenario probabilities (from :mod:`accord.analysis.forecast`), or why none.

    Every number comes with the predictor it is from: ``model`` is the one the run is
    about, ``predictors`` every model and baseline computed on the same draws beside it.
    """

    available: bool
    note: str = ""
    model: str | None = None
    runs: int | None = None
    seed: int | None = None
    as_of: dt.date | None = None
    horizon: dt.date | None = None
    """The date by which the scenarios resolve."""
    plan: str | None = None
    """The plan on the table (the ``plan`` baseline)."""
    interval: str = ""
    """What a scenario's interval covers."""
    spread: str = ""
    """What an issue's 5–95 % spread covers."""
    predictors: tuple[dict[str, Any], ...] = ()
    """Per predictor, the model first: ``{"name", "title", "kind", "reference", "parameters"}``."""
    distributions: tuple[dict[str, Any], ...] = ()
    """Per issue: ``{"issue", "name", "options": [{"option", "label", "p"}], "mean_axis", "point_option",
    "top_option", "quantiles", "points": {predictor: {"axis", "option", "label"}}}``."""
    scenarios: tuple[dict[str, Any], ...] = ()
    """Per scenario, in order: ``{"scenario", "name", "rule", "resolution", "remainder", "p", "low", "high",
    "point", "fixed", "beside": {predictor: p}}`` — ``low``/``high`` None and ``fixed`` a sentence when the case
    decides it."""
    sensitivity: tuple[dict[str, Any], ...] = ()
    """``{"name", "effect"}``: the inputs that move a scenario most."""
    backtest: dict[str, Any] | None = None
    """The case's own backtest (``case.yaml: backtest``), in the latest view only: the keys of
    ``accord backtest --json`` (:class:`accord.analysis.backtest.Backtest`)."""


class ComplianceRow(_Out):
    agreement: str
    obligation: str
    provision: str | None = None
    title: str = ""
    obliged: str | None = None
    indicator: str
    rule: str = ""
    status: str
    reason: str = ""
    due: dt.date | None = None
    observed: str | None = None
    reports: int = 0
    disputed: bool = False


class ComplianceView(_Out):
    """The compliance board (from :mod:`accord.monitor.compliance` via the store), or "no agreement signed"."""

    available: bool
    note: str = ""
    as_of: dt.date | None = None
    agreements: tuple[str, ...] = ()
    rows: tuple[ComplianceRow, ...] = ()
    counts: dict[str, int] = Field(default_factory=dict)
    scorecard: tuple[dict[str, Any], ...] = ()
    """Per obliged actor: ``{"actor", "compliant", "breach", "overdue", "due", "unknown", "total", "rate"}``."""
    ledger_head: str | None = None
    ledger_length: int | None = None
    ledger_check: str = ""
    """What was verified before the board was read (:class:`accord.monitor.ledger.Seal`), in one sentence."""
    ledger_ok: bool | None = None


class TrackPoint(_Out):
    """One state of an actor's position, as drawn: from ``date`` until the next point."""

    date: dt.date
    ideal: float
    ideal_label: str
    bands: tuple[tuple[float, float], ...] = ()
    """The red line as axis intervals, one per side of the ideal (lowest to highest red-line option)."""
    red_line: tuple[str, ...] = ()
    firmness: float | None = None
    inferred: bool = False


class Track(_Out):
    actor: str
    name: str
    colour: str
    points: tuple[TrackPoint, ...]


class PlanMark(_Out):
    plan: str
    date: dt.date
    option: str | None = None
    label: str | None = None
    axis: float | None = None


class IssueTimeline(_Out):
    issue: str
    name: str
    ticks: tuple[tuple[float, str], ...]
    """(axis, option label), pole to pole."""
    tracks: tuple[Track, ...]
    plans: tuple[PlanMark, ...]
    moves: int
    """Moves on this issue since the view's ``since`` date."""


class Change(_Out):
    """A move as the reader sees it: what changed in words, direction, size, evidence before and after."""

    date: dt.date
    actor: str
    actor_name: str
    issue: str
    issue_name: str
    field: str
    text: str
    direction: str
    size: float
    unit: str
    softens: bool | None = None
    inferred: bool = False
    note: str = ""
    before: tuple[Evidence, ...] = ()
    after: tuple[Evidence, ...] = ()


class TimeView(_Out):
    """Positions over time (per issue) and what changed since ``since`` (up to ``end``)."""

    start: dt.date | None = None
    end: dt.date | None = None
    since: dt.date | None = None
    issues: tuple[IssueTimeline, ...] = ()
    changes: tuple[Change, ...] = ()
    dated: bool = False
    """False when every position is an undated snapshot (nothing moves)."""

    def issue(self, issue_id: str) -> IssueTimeline:
        for t in self.issues:
            if t.issue == issue_id:
                return t
        raise KeyError(issue_id)


class ReportData(_Out):
    case: str
    name: str
    description: str = ""
    date: dt.date | None = None
    as_of: dt.date | None = None
    """The date the report views the case as of (None: the latest state of each position)."""
    generated: dt.datetime | None = None
    actors: dict[str, str]
    """Actor id → name, in case order."""
    parties: tuple[str, ...]
    tilt_pair: tuple[str, str]
    matrices: tuple[PlanMatrix, ...]
    positions: tuple[PositionView, ...]
    diffs: tuple[DiffView, ...]
    solve: SolveView
    forecast: ForecastView
    compliance: ComplianceView
    claims: tuple[ClaimRef, ...] = ()
    time: TimeView = Field(default_factory=TimeView)
    """Positions over time per issue and what changed since a date (:mod:`accord.report.timeline`)."""

    def matrix(self, plan: str) -> PlanMatrix:
        for m in self.matrices:
            if m.plan == plan:
                return m
        raise KeyError(plan)


# -- small helpers --------------------------------------------------------------------------------

def position_anchor(actor: str, issue: str, since: dt.date | None = None) -> str:
    """The id of the evidence block of one state of a position (shared by report and dashboard).

    >>> position_anchor("a", "land"), position_anchor("a", "land", dt.date(2025, 11, 21))
    ('pos-a-land', 'pos-a-land-2025-11-21')
    """
    return dom_id("pos", f"{actor}-{issue}" + (f"-{since.isoformat()}" if since else ""))


def _label(case: Case, issue: str | None, option: str | None) -> str | None:
    if issue is None or option is None:
        return None
    try:
        return case.issue(issue).option(option).label
    except KeyError:
        return option


def evidence_of(case: Case, source_ids: Iterable[str]) -> tuple[Evidence, ...]:
    """The sources behind a fact, resolved to URL, date, publisher and quote."""
    known = {s.id: s for s in case.sources}
    out = []
    for sid in source_ids:
        s = known.get(sid)
        if s is None:
            continue
        out.append(Evidence(source=s.id, url=s.url, date=s.date, publisher=s.publisher, title=s.title,
                            quote=s.quote, reliability=s.reliability))
    return tuple(out)


def claim_ref(c: Claim) -> ClaimRef:
    return ClaimRef(id=c.id, doc=c.doc, holder=c.holder, issue=c.issue, stance=c.stance, basis=c.basis,
                    text=c.text, quote=c.quote, url=c.url, date=c.date)


# -- sections -------------------------------------------------------------------------------------

def matrix_section(case: Case, plan: str, assessment: Assessment | None = None) -> PlanMatrix:
    """Provisions × actors for one plan, each cell its verdict and a link to its evidence."""
    a = assessment if assessment is not None else assess_plan(case, plan)
    p = case.plan(plan)
    actors = tuple(a.actors)
    by_key = {(c.provision, c.actor): c for c in a.cells}
    rows = []
    counts = dict.fromkeys(VERDICTS, 0)
    for prov in p.provisions:
        cells = []
        for actor in actors:
            c = by_key[(prov.id, actor)]
            counts[c.verdict] += 1
            held = case.position(actor, c.issue) if c.issue is not None else None
            anchor = position_anchor(actor, held.issue, held.since) if held is not None else None
            cells.append(MatrixCell(provision=prov.id, actor=actor, verdict=c.verdict, utility=c.utility,
                                    ideal=c.ideal, ideal_label=_label(case, c.issue, c.ideal), evidence=anchor))
        option = a.package.get(prov.issue) if prov.issue else None
        rows.append(MatrixRow(
            provision=prov.id, title=prov.title, text=prov.text, basket=prov.basket, issue=prov.issue,
            issue_name=case.issue(prov.issue).name if prov.issue else None, option=option,
            option_label=_label(case, prov.issue, option), sources=evidence_of(case, prov.sources),
            cells=tuple(cells),
        ))
    summary = []
    for actor in actors:
        x = a.actors[actor]
        summary.append(ActorSummary(
            actor=actor, name=case.actor(actor).name, party=case.actor(actor).party, utility=x.utility,
            batna=x.batna, margin=x.margin, accepts=x.accepts,
            red_lines=tuple(
                RedLine(issue=r.issue, issue_name=case.issue(r.issue).name, option=r.option,
                        option_label=_label(case, r.issue, r.option) or r.option, provisions=r.provisions)
                for r in x.red_lines
            ),
            conditional=x.conditional,
        ))
    t = a.tilt
    return PlanMatrix(
        plan=p.id, name=p.name, kind=p.kind, date=p.date, based_on=p.based_on, authors=p.authors,
        as_of=case.as_of, actors=actors, rows=tuple(rows), summary=tuple(summary),
        tilt=TiltView(plan=p.id, pair=t.pair, index=t.index, favours=t.favours, per_issue=t.per_issue,
                      weights=t.weights),
        counts=counts,
    )


def positions_section(case: Case, claims: Sequence[Claim] = ()) -> tuple[PositionView, ...]:
    """Every position of the view with its evidence, in actor then issue order of the case.

    Each carries the states before it (``earlier``), so a verdict judged as of
    an earlier date can link to the state it rests on. Claims dated after the
    view's date are left out (no knowledge from after the date).
    """
    known = [c for c in claims if case.as_of is None or c.date is None or c.date <= case.as_of]
    by_id = {c.id: c for c in known if c.id}
    by_key: dict[tuple[str, str], list[Claim]] = {}
    for c in known:
        by_key.setdefault((c.holder, c.issue), []).append(c)
    out = []
    order = {a: k for k, a in enumerate(case.actor_ids)}
    iorder = {i: k for k, i in enumerate(case.issue_ids)}
    for pos in sorted(case.positions, key=lambda p: (order.get(p.actor, 0), iorder.get(p.issue, 0))):
        cited = [by_id[c] for c in pos.claims if c in by_id]
        cited += [c for c in by_key.get((pos.actor, pos.issue), []) if c not in cited]
        earlier = [s for s in case.states(pos.actor, pos.issue)
                   if s.since is not None and (pos.since is None or s.since < pos.since)]
        view = state_view(case, pos).model_copy(update={
            "claims": tuple(claim_ref(c) for c in cited),
            "earlier": tuple(state_view(case, s) for s in earlier),
        })
        out.append(view)
    return tuple(out)


def state_view(case: Case, pos: Position) -> PositionView:
    """One state of a position with its sources resolved (no claims, no earlier states)."""
    return PositionView(
        anchor=position_anchor(pos.actor, pos.issue, pos.since), actor=pos.actor,
        actor_name=case.actor(pos.actor).name, issue=pos.issue, issue_name=case.issue(pos.issue).name,
        since=pos.since, ideal=pos.ideal, ideal_label=_label(case, pos.issue, pos.ideal) or pos.ideal,
        salience=pos.salience.value, salience_note=pos.salience.estimate,
        acceptable=tuple(_label(case, pos.issue, o) or o for o in pos.acceptable),
        red_line=tuple(_label(case, pos.issue, o) or o for o in pos.red_line),
        firmness=pos.firmness.value if pos.firmness is not None else None,
        firmness_note=pos.firmness.estimate if pos.firmness is not None else "",
        note=pos.note, inferred=pos.inferred, sources=evidence_of(case, pos.sources),
    )


def diff_pairs(case: Case) -> list[tuple[str, str]]:
    """The plan versions worth comparing: each plan against the one it is ``based_on``."""
    ids = {p.id for p in case.plans}
    return [(p.based_on, p.id) for p in case.plans if p.based_on and p.based_on in ids]


def diff_section(case: Case, a: str, b: str) -> DiffView:
    """Plan ``a`` → plan ``b``, provisions and issues, with option labels."""
    d = diff_plans(case, a, b)
    counts = {k: 0 for k in ("added", "removed", "changed", "same")}
    rows = []
    for p in d.provisions:
        counts[p.change] += 1
        rows.append(DiffRow(
            provision=p.provision, change=p.change, issue=p.issue,
            before=_label(case, p.issue, p.before), after=_label(case, p.issue, p.after),
            title_before=p.title_before, title_after=p.title_after, fields=p.fields,
        ))
    issues = tuple(
        IssueMove(issue=i.issue, issue_name=case.issue(i.issue).name,
                  before=_label(case, i.issue, i.before) or i.before,
                  after=_label(case, i.issue, i.after) or i.after, changed=i.changed)
        for i in d.issues
    )
    return DiffView(a=a, b=b, provisions=tuple(rows), issues=issues, counts=counts)


def solve_section(case: Case) -> SolveView:
    """Solve results from :mod:`accord.analysis.solve` when it is installed (see :mod:`.engines`)."""
    from accord.report.engines import solve_view

    return solve_view(case)


def forecast_section(case: Case, *, runs: int = 2000, seed: int = 0) -> ForecastView:
    """Forecast results from :mod:`accord.analysis.forecast` when it is installed (see :mod:`.engines`)."""
    from accord.report.engines import forecast_view

    return forecast_view(case, runs=runs, seed=seed)


def compliance_section(board: ComplianceView | None) -> ComplianceView:
    """The compliance board the caller read from a database, or "no agreement signed"."""
    if board is None:
        return ComplianceView(available=False, note="no agreement signed")
    return board


SectionName = Literal["matrix", "positions", "diff", "tilt", "solve", "forecast", "compliance"]


def report_data(
    case: Case,
    *,
    plans: Sequence[str] | None = None,
    claims: Sequence[Claim] = (),
    compliance: ComplianceView | None = None,
    solve: bool | SolveView = True,
    forecast: bool | ForecastView = True,
    forecast_runs: int = 2000,
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
    from accord.report.timeline import time_section

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
        fv = forecast_section(case, runs=forecast_runs, seed=seed)
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

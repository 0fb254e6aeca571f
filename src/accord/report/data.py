"""The report's view types and the sections built from the case (assess, diff, positions), as plain models.

Every type the report, the dashboard and the API's report endpoints show lives
here; :func:`accord.report.build.report_data` assembles them (running solve and
forecast through :mod:`accord.report.engines`, the time section through
:mod:`accord.report.timeline`). Nothing here touches files, sockets or clocks,
and nothing here imports another module of the report but :mod:`.safe`.

Sections built here:

- **matrix** — per plan, provisions × actors, each cell the actor's verdict
  (``accepts`` / ``conditional`` / ``red_line`` / ``none``, from
  :func:`accord.analysis.assess.assess_plan`) and a link to its evidence: the
  actor's position on the provision's issue and that position's sources;
- **positions** — every position with its sources (URL, date, quote) and claims;
- **diffs** — each plan against the plan it is ``based_on``
  (:func:`accord.analysis.diff.diff_plans`);
- **compliance** — the board passed in by the caller, or "no agreement signed".

>>> from accord.model import DEFAULT_CASE, load_case
>>> case = load_case(DEFAULT_CASE)
>>> m = matrix_section(case, case.plans[0].id)
>>> len(m.rows) == len(case.plans[0].provisions), compliance_section(None).available
(True, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.analysis.assess import Assessment, Degree, Verdict, assess_plan, degree, verdict
from accord.analysis.diff import diff_plans
from accord.analysis.results import BacktestResult, Constraint, PlanChange, PredictorInfo, Scored
from accord.model import Case, Claim, Position
from accord.model.plan import WEAK, Verification
from accord.report.safe import dom_id

VERDICTS: tuple[Verdict, ...] = ("accepts", "conditional", "red_line", "none")
VERDICT_LABEL: dict[str, str] = {
    "accepts": "accepts",
    "conditional": "wants it changed",
    "red_line": "crosses a red line",
    "none": "no position",
}


def verdict_label(verdict: str, degree: str | None = None) -> str:
    """A verdict in words, with its degree when it has one.

    >>> verdict_label("conditional", "small"), verdict_label("red_line")
    ('wants it changed: small', 'crosses a red line')
    """
    return VERDICT_LABEL[verdict] + (f": {degree}" if degree else "")


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

    @property
    def weak(self) -> bool:
        """Low-rated or partisan: a source that cannot carry a fact alone."""
        return self.reliability in WEAK


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
    degree: Degree | None = None
    """For ``conditional``: ``small`` (the option is next to one the actor accepts) or ``large``."""
    settled_by: str | None = None
    """The verdict is on the option another provision sets (this one sets none)."""
    utility: float | None = None
    ideal: str | None = None
    ideal_label: str | None = None
    evidence: str | None = Field(None, description="anchor of the position this verdict rests on")


class MatrixRow(_Out):
    """One provision: its own text, the option it sets (if any), its verification status and sources.

    A provision that speaks to an issue without setting an option names the
    provision that does (``settled_by``) and where the plan lands the issue
    (``lands_label``); ``status_quo`` says that no provision of the plan sets it.
    """

    provision: str
    title: str
    text: str
    basket: str | None = None
    issue: str | None = None
    issue_name: str | None = None
    option: str | None = None
    option_label: str | None = None
    settled_by: str | None = None
    lands_label: str | None = None
    status_quo: bool = False
    shared: tuple[str, ...] = ()
    """The other provisions of the plan on the same issue."""
    status: Verification = "verified"
    weak: bool = False
    """Marked verified, but every source it cites is low-rated or partisan."""
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
    large: tuple[str, ...] = ()
    """The subset of ``conditional`` the actor wants moved a large way."""
    positions: int = 1
    stance: str = ""
    """'accepts', 'rejects' or 'no position' (no position on any issue of the plan: no verdict)."""


class Leaning(_Out):
    issue: str
    name: str
    contribution: float
    """The issue's share of the tilt index (salience-weighted)."""


class TiltView(_Out):
    plan: str
    pair: tuple[str, str]
    index: float
    favours: str
    per_issue: dict[str, float]
    weights: dict[str, float]
    leaning: tuple[Leaning, ...] = ()
    """The issues that pull the plan most towards the side it favours, weightiest first."""


class SilentIssue(_Out):
    """An issue the plan sets no option for: it is scored at the status quo."""

    issue: str
    name: str
    status_quo: str
    objections: dict[str, str] = Field(default_factory=dict)
    """Party → its verdict on the status quo, where it is not 'accepts' (with the degree)."""


class PlanMatrix(_Out):
    """One plan assessed: the matrix, each actor's summary and the tilt."""

    plan: str
    name: str
    kind: str
    date: dt.date | None = None
    based_on: str | None = None
    authors: tuple[str, ...] = ()
    description: str = ""
    as_of: dt.date | None = None
    """The date of the positions the plan was judged against (None: the latest state of each)."""
    actors: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    summary: tuple[ActorSummary, ...]
    tilt: TiltView
    counts: dict[str, int]
    """Cells per verdict (provisions that set an option, actors that hold a position on the plan)."""
    silent: tuple[SilentIssue, ...] = ()
    """Issues where a party holds a position that the plan leaves at the status quo."""
    weak: tuple[str, ...] = ()
    """Provisions marked verified whose every source is low-rated or partisan."""


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
    status_quo: str | None = None
    """A removed provision whose issue no provision of the later plan sets: the status quo it falls back to."""
    status: Verification | None = None
    """The later version's verification status (the earlier one's for a removed provision)."""
    sources: tuple[Evidence, ...] = ()
    """The sources of the later version (of the earlier one for a removed provision)."""


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


class ConflictView(_Out):
    """A minimal conflict: the constraints to drop, in words and as data, and the package dropping them allows."""

    rank: int
    drop: tuple[str, ...]
    constraints: tuple[Constraint, ...]
    witness: Scored


class FrontierPoint(Scored):
    """A point of the Pareto frontier; ``segment`` 0 or 1 says from which end it was computed."""

    segment: int = 0


class BargainView(Scored):
    """A bargaining package (Nash, Kalai–Smorodinsky) with its value and each issue's option label."""

    status: str
    value: float | None = None
    labels: dict[str, str] = Field(default_factory=dict, description="issue name → option label")


class AmendmentView(_Out):
    """A plan's fewest amendments (options as labels)."""

    plan: str
    status: str
    rejecting: tuple[str, ...] = ()
    changes: tuple[PlanChange, ...] = ()


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
    conflicts: tuple[ConflictView, ...] = ()
    """Smallest first."""
    conflicts_complete: bool = True
    relaxed: str | None = None
    pair: tuple[str, str] | None = None
    pareto: tuple[FrontierPoint, ...] = ()
    """Frontier points in the utilities of ``pair``; when the frontier is not complete, segment 0 holds the points
    best for ``pair[0]``, segment 1 those best for ``pair[1]`` (points between them exist but were not computed)."""
    pareto_complete: bool = True
    nash: BargainView | None = None
    kalai_smorodinsky: BargainView | None = None
    amendments: tuple[AmendmentView, ...] = ()
    """Per plan, its fewest amendments."""
    explain: dict[str, str] = Field(default_factory=dict)
    """The engine's own one-paragraph explanation per goal."""


class OptionP(_Out):
    """The share of draws in which an issue lands on an option."""

    option: str
    label: str
    p: float


class PointView(_Out):
    """A predictor's point forecast on an issue: axis position, option and its label."""

    axis: float
    option: str
    label: str


class DistributionView(_Out):
    """One issue's forecast: the share of draws per option, the spread, every predictor's point forecast."""

    issue: str
    name: str
    options: tuple[OptionP, ...]
    mean_axis: float
    point_option: str
    top_option: str
    quantiles: dict[str, float]
    points: dict[str, PointView] = Field(default_factory=dict)


class ScenarioView(_Out):
    """One scenario: ``p`` with its interval ``low``–``high`` (None, and ``fixed`` a sentence, when the case
    decides it), and every other predictor's probability ``beside`` it."""

    scenario: str
    name: str
    rule: str
    resolution: str
    remainder: bool
    p: float
    low: float | None
    high: float | None
    point: bool
    fixed: str | None = None
    beside: dict[str, float] = Field(default_factory=dict)


class ForecastView(_Out):
    """Forecast distributions and scenario probabilities (from :mod:`accord.analysis.forecast`), or why none.

    Every number comes with the predictor it is from: ``model`` is the one the run is
    about, ``predictors`` every model and baseline computed on the same draws beside it.
    """

    available: bool
    note: str = ""
    model: str | None = None
    draws: int | None = None
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
    predictors: tuple[PredictorInfo, ...] = ()
    """The model first."""
    distributions: tuple[DistributionView, ...] = ()
    scenarios: tuple[ScenarioView, ...] = ()
    """In the case's order."""
    backtest: BacktestResult | None = None
    """The case's own backtest (``case.yaml: backtest``), in the latest view only (``accord backtest --json``)."""


class PartyCompliance(_Out):
    """One party of a duty that binds several, judged on the reports about it (naming it, or no party)."""

    actor: str
    status: str
    reason: str = ""
    reports: int = 0
    disputed: bool = False


class ComplianceRow(_Out):
    agreement: str
    obligation: str
    provision: str | None = None
    title: str = ""
    obliged: tuple[str, ...] = ()
    """The obliged parties (one for most duties)."""
    parties: tuple[PartyCompliance, ...] = ()
    """For a duty of several parties: each party's own status (the row's ``status`` is the worst of them)."""
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


class WhatIfRow(_Out):
    """One party's verdict on one plan before and after a what-if."""

    plan: str
    actor: str
    name: str
    before: str
    after: str
    """'accepts', 'rejects' or 'no position'."""
    utility_before: float
    utility_after: float
    red_lines_before: int
    red_lines_after: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


class WhatIfScenario(_Out):
    scenario: str
    name: str
    before: float
    after: float


class WhatIfView(_Out):
    """A what-if (:mod:`accord.analysis.whatif`): the changes, and assess, solve and forecast before and after."""

    case: str
    as_of: dt.date | None = None
    changes: tuple[str, ...] = ()
    """The changes as URL texts (``drop:actor:issue`` …), in order."""
    described: tuple[str, ...] = ()
    rows: tuple[WhatIfRow, ...] = ()
    feasible_before: bool | None = None
    feasible_after: bool | None = None
    conflicts_before: tuple[str, ...] = ()
    conflicts_after: tuple[str, ...] = ()
    scenarios: tuple[WhatIfScenario, ...] = ()
    draws: int = 0


class Finding(_Out):
    """One key finding (:mod:`accord.report.findings`): a sentence and where its evidence is."""

    kind: Literal["plan", "conflict", "forecast", "moves", "sources"]
    text: str
    section: str
    """The report section that holds the evidence (an id of ``accord.report.render.SECTIONS``)."""
    anchor: str
    """The element id of the evidence in the report (the section itself or, for a plan, its matrix)."""
    plan: str | None = None


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
    """Provisions × actors for one plan, each cell its verdict and a link to its evidence.

    Each row shows the provision's own option; a provision that sets none names
    the one that sets its issue. Actors that hold no position on any issue of
    the plan are shown as such, not as rejecting it.
    """
    a = assessment if assessment is not None else assess_plan(case, plan)
    p = case.plan(plan)
    actors = tuple(a.actors)
    by_key = {(c.provision, c.actor): c for c in a.cells}
    rows = []
    counts = dict.fromkeys(VERDICTS, 0)
    settled = p.settled()
    rating = {s.id: s.reliability for s in case.sources}
    for prov in p.provisions:
        cells = []
        for actor in actors:
            c = by_key[(prov.id, actor)]
            if c.settled_by is None and a.actors[actor].positions:
                counts[c.verdict] += 1
            held = case.position(actor, c.issue) if c.issue is not None else None
            anchor = position_anchor(actor, held.issue, held.since) if held is not None else None
            cells.append(MatrixCell(provision=prov.id, actor=actor, verdict=c.verdict, degree=c.degree,
                                    settled_by=c.settled_by, utility=c.utility, ideal=c.ideal,
                                    ideal_label=_label(case, c.issue, c.ideal), evidence=anchor))
        lands = a.package.get(prov.issue) if prov.issue else None
        setter = next((q.id for q in p.provisions if q.issue == prov.issue and q.option is not None), None)
        rows.append(MatrixRow(
            provision=prov.id, title=prov.title, text=prov.text, basket=prov.basket, issue=prov.issue,
            issue_name=case.issue(prov.issue).name if prov.issue else None, option=prov.option,
            option_label=_label(case, prov.issue, prov.option),
            settled_by=setter if prov.option is None and setter != prov.id else None,
            lands_label=_label(case, prov.issue, lands),
            status_quo=prov.issue is not None and prov.issue not in settled,
            shared=tuple(q.id for q in p.provisions if prov.issue and q.issue == prov.issue and q.id != prov.id),
            status=prov.status,
            weak=prov.status == "verified" and bool(prov.sources)
            and all(rating.get(x) in WEAK for x in prov.sources),
            sources=evidence_of(case, prov.sources), cells=tuple(cells),
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
            conditional=x.conditional, large=x.large, positions=x.positions, stance=x.stance,
        ))
    t = a.tilt
    return PlanMatrix(
        plan=p.id, name=p.name, kind=p.kind, date=p.date, based_on=p.based_on, authors=p.authors,
        description=p.description, as_of=case.as_of, actors=actors, rows=tuple(rows), summary=tuple(summary),
        tilt=TiltView(plan=p.id, pair=t.pair, index=t.index, favours=t.favours, per_issue=t.per_issue,
                      weights=t.weights,
                      leaning=tuple(Leaning(issue=i, name=case.issue(i).name, contribution=v)
                                    for i, v in t.leaning())),
        counts=counts, silent=silent_issues(case, a, settled),
        weak=tuple(r.provision for r in rows if r.weak),
    )


def silent_issues(case: Case, a: Assessment, settled: dict[str, str]) -> tuple[SilentIssue, ...]:
    """The issues a plan sets no option for that some party holds a position on (scored at the status quo)."""
    out = []
    for issue in case.issue_ids:
        if issue in settled or issue not in a.package:
            continue
        option = a.package[issue]
        held = [p for p in case.parties if p in a.actors and case.position(p, issue) is not None]
        if not held:
            continue
        objections = {
            p: verdict_label(v, degree(case, p, issue, option))
            for p in held if (v := verdict(case, p, issue, option)) != "accepts"
        }
        out.append(SilentIssue(issue=issue, name=case.issue(issue).name,
                               status_quo=_label(case, issue, option) or option, objections=objections))
    return tuple(out)


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
    """Plan ``a`` → plan ``b``, provisions and issues, with option labels, status and sources."""
    d = diff_plans(case, a, b)
    pa, pb = case.plan(a), case.plan(b)
    later = pb.settled()
    sq = case.status_quo()
    counts = {k: 0 for k in ("added", "removed", "changed", "same")}
    rows = []
    for p in d.provisions:
        counts[p.change] += 1
        prov = next((q for q in (pa if p.change == "removed" else pb).provisions if q.id == p.provision), None)
        fallback = (_label(case, p.issue, sq.get(p.issue))
                    if p.change == "removed" and p.issue and p.issue not in later else None)
        rows.append(DiffRow(
            provision=p.provision, change=p.change, issue=p.issue,
            before=_label(case, p.issue, p.before), after=_label(case, p.issue, p.after),
            title_before=p.title_before, title_after=p.title_after, fields=p.fields, status_quo=fallback,
            status=prov.status if prov else None, sources=evidence_of(case, prov.sources) if prov else (),
        ))
    issues = tuple(
        IssueMove(issue=i.issue, issue_name=case.issue(i.issue).name,
                  before=_label(case, i.issue, i.before) or i.before,
                  after=_label(case, i.issue, i.after) or i.after, changed=i.changed)
        for i in d.issues
    )
    return DiffView(a=a, b=b, provisions=tuple(rows), issues=issues, counts=counts)


def compliance_section(board: ComplianceView | None) -> ComplianceView:
    """The compliance board the caller read from a database, or "no agreement signed"."""
    if board is None:
        return ComplianceView(available=False, note="no agreement signed")
    return board


SectionName = Literal["matrix", "positions", "diff", "tilt", "solve", "forecast", "compliance"]

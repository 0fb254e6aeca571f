"""The REST API under ``/api/v1``: cases, plans, positions, claims, assess, diff, solve, forecast, jobs, tokens.

Every case read takes ``?as_of=YYYY-MM-DD``: the case as known on that date
(positions in effect then; plans, outcomes and claims dated by then); a date
that does not parse is a 422. Without it reads use the latest state (or the
server's ``--as-of``). Assessments judge each plan against the positions as of
the plan's own date unless ``as_of`` is given; each says which date it used.
Reads are cached per case version and date (the JSON bytes, see :mod:`accord.web.state`).
Writes need a bearer token: ``editor`` (or ``admin``) for case data and
claims, ``admin`` for tokens. Long runs (forecast, solve) are jobs:
``POST …/forecast`` answers 202 with the job, ``GET /api/v1/jobs/{id}`` polls it.
Monitoring (agreements, reports, compliance, ledger proofs) lives in
:mod:`accord.web.api_monitor`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from accord.analysis.assess import Assessment, PlanComparison, assess_package, assess_plan, plan_view, plans_compared
from accord.analysis.models import REGISTRY
from accord.analysis.moves import ActorMoves, Move, by_actor, moves
from accord.analysis.results import ForecastResult, SolveOut
from accord.errors import AccordError
from accord.model import Actor, Case, Claim, Issue, Plan, Position, load_case
from accord.report import data as rd
from accord.report.build import report_data
from accord.store.tokens import Role, TokenInfo
from accord.web.auth import admin, editor, reader, starts_work, state_of
from accord.web.edits import CaseEdit, check_claim, position_key
from accord.web.errors import ERROR_RESPONSES, ApiError
from accord.web.jobs import Job, TooBusy
from accord.web.security import csp_with_scripts
from accord.web.state import State

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
JSON = "application/json"
MAX_DRAWS = 20000

CaseId = Annotated[str, "case id"]
AsOf = Annotated[dt.date | None, Query(
    description="View the case as known on this date (YYYY-MM-DD): positions in effect then; plans, outcomes "
                "and claims dated by then. Default: the latest state (or the server's --as-of).")]


CACHEABLE = {"x-accord-cache": "case"}
"""Marks a response that depends only on the cases and the URL (see :mod:`accord.web.cache`)."""


def _json(data: bytes, status: int = 200) -> Response:
    return Response(content=data, media_type=JSON, status_code=status, headers=CACHEABLE)


def _plan(case: Case, plan_id: str, field: str = "plan") -> Plan:
    try:
        return case.plan(plan_id)
    except KeyError:
        later = next((p for p in case.at(None).plans if p.id == plan_id), None) if case.as_of else None
        if later is not None and later.date is not None and case.as_of is not None:
            raise ApiError(404, f"plan '{plan_id}' is dated {later.date.isoformat()}, after as_of "
                           f"{case.as_of.isoformat()}: not known then", field=field) from None
        raise ApiError(404, f"no plan '{plan_id}' in case '{case.id}'", field=field) from None


# -- models of requests and summaries -----------------------------------------------------------

class CaseSummary(BaseModel):
    id: str
    name: str
    description: str = ""
    date: Any = None
    as_of: dt.date | None = Field(None, description="the date of this view (null: the latest state)")
    dates: list[dt.date] = Field([], description="the dates on which any position changed")
    version: int
    issues: int
    actors: int
    positions: int
    plans: list[str]
    sources: int
    scenarios: int
    claims: int


class CaseLoad(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(description="a case folder inside the server's workspace", min_length=1, max_length=1000)


class PositionIn(BaseModel):
    """A position without its actor and issue (they are in the URL)."""

    model_config = ConfigDict(extra="forbid")
    ideal: str
    salience: float | dict[str, Any]
    acceptable: list[str] = []
    red_line: list[str] = []
    utility: dict[str, float] | None = None
    axis_low: float | None = None
    axis_high: float | None = None
    sources: list[str] = []
    claims: list[str] = []
    note: str = ""


class PackageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    package: dict[str, str] = Field(description="issue → option; issues left out take the status quo")
    actors: list[str] | None = None


class ForecastIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: str = Field("eu", description="the registered model the run is about (every other model and baseline "
                       "is computed beside it on the same draws); GET /api/v1/models lists them",
                       json_schema_extra={"enum": list(REGISTRY)})
    draws: int = Field(2000, ge=1, le=MAX_DRAWS, description="Monte Carlo draws")
    seed: int = Field(0, ge=0, le=2**32 - 1)

    @field_validator("model")
    @classmethod
    def _registered(cls, v: str) -> str:
        if v not in REGISTRY:
            raise ValueError(f"unknown model '{v}'; expected one of {', '.join(REGISTRY)}")
        return v


class ModelOut(BaseModel):
    """A registered forecast model or baseline."""

    name: str
    title: str
    kind: str = Field(description="model, baseline or ensemble")
    reference: str
    members: list[str] = Field(description="the predictors an ensemble combines")
    parameters: dict[str, Any]


class SolveIn(BaseModel):
    """One solve goal and its settings, as ``accord solve`` takes them (``{}``: goal feasible)."""

    model_config = ConfigDict(extra="forbid")
    goal: Literal["feasible", "conflicts", "pareto", "nash", "ks", "maximin", "amend"] = "feasible"
    actors: list[str] | None = Field(None, max_length=100, description="who must agree (default: the parties)")
    plan: str | None = Field(None, max_length=200, description="the plan to amend (goal amend)")
    k: int | None = Field(None, ge=0, le=50, description="amend: also the best plan within k changes")
    objective: Literal["nash", "maximin"] = Field("nash", description="amend within k: what the best plan maximises")
    among: list[str] | None = Field(None, min_length=1, max_length=3, description="pareto: the actors compared")
    limit: int | None = Field(None, ge=1, le=1000, description="most conflict sets (20) or Pareto points (200)")
    without: list[str] = Field(default_factory=list, max_length=100,
                               description="red lines set aside, each actor:issue (a what-if)")


class SolveJob(Job):
    """A solve job; when done, ``result`` is the goal's result (the JSON of ``accord solve --json``)."""

    kind: Literal["solve"]
    result: SolveOut | None = None


class ForecastJob(Job):
    """A forecast job; when done, ``result`` is the forecast (the JSON of ``accord forecast --json``)."""

    kind: Literal["forecast"]
    result: ForecastResult | None = None


AnyJob = Annotated[SolveJob | ForecastJob, Field(discriminator="kind")]
"""A job of any kind, told apart by ``kind`` (its ``result`` is that kind's typed result)."""


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role
    name: str = Field("", max_length=200)
    monitor: str | None = Field(None, max_length=200, description="for a monitor token: the monitor it speaks for")


class TokenOut(BaseModel):
    token: str = Field(description="shown once; only its hash is stored")
    info: TokenInfo


class ClaimPage(BaseModel):
    total: int
    offset: int
    limit: int
    claims: list[Claim]


def summary(state: State, case_id: str, as_of: dt.date | None = None) -> CaseSummary:
    e = state.entry(case_id)
    c = state.view(case_id, as_of)
    return CaseSummary(id=c.id, name=c.name, description=c.description, date=c.date, as_of=c.as_of,
                       dates=c.dates(), version=e.version, issues=len(c.issues), actors=len(c.actors),
                       positions=len(c.positions), plans=[p.id for p in c.plans], sources=len(c.sources),
                       scenarios=len(c.scenarios), claims=len(known_claims(c, e.claims.values())))


def known_claims(case: Case, claims: Any) -> list[Claim]:
    """The claims known on the view's date: dated by then, or undated."""
    day = case.as_of
    return [c for c in claims if day is None or c.date is None or c.date <= day]


# -- cases --------------------------------------------------------------------------------------

@router.get("/cases", response_model=list[CaseSummary], dependencies=[Depends(reader)], tags=["cases"])
def list_cases(request: Request, as_of: AsOf = None) -> Response:
    """Every case the service has loaded."""
    state = state_of(request)
    day = state.day(as_of)
    return _json(state.global_bytes(f"cases:{day}", lambda: [summary(state, c, day) for c in list(state.cases)]))


@router.post("/cases", response_model=CaseSummary, status_code=201, tags=["cases"])
def load_case_folder(request: Request, body: CaseLoad, _: TokenInfo = Depends(editor)) -> CaseSummary:
    """Load a case folder from the workspace (paths cannot leave it). 409 if a case with its id is loaded."""
    state = state_of(request)
    folder = state.workspace_path(body.path)
    if not folder.is_dir():
        raise ApiError(404, f"no case folder at '{body.path}' in the workspace", field="path")
    case = load_case(folder)
    state.add_case(case, origin=str(folder))
    return summary(state, case.id)


@router.get("/cases/{case_id}", response_model=CaseSummary, dependencies=[Depends(reader)], tags=["cases"])
def get_case(request: Request, case_id: str, as_of: AsOf = None) -> Response:
    state = state_of(request)
    day = state.day(as_of)
    return _json(state.json_bytes("summary", case_id, day, lambda: summary(state, case_id, day)))


@router.get("/cases/{case_id}/issues", response_model=list[Issue], dependencies=[Depends(reader)], tags=["cases"])
def list_issues(request: Request, case_id: str, as_of: AsOf = None) -> Response:
    """The issues and their options (the same at every date)."""
    state = state_of(request)
    return _json(state.json_bytes("issues", case_id, None, lambda: state.case(case_id).issues))


@router.get("/cases/{case_id}/actors", response_model=list[Actor], dependencies=[Depends(reader)], tags=["cases"])
def list_actors(request: Request, case_id: str, as_of: AsOf = None) -> Response:
    """The actors (the same at every date)."""
    state = state_of(request)
    return _json(state.json_bytes("actors", case_id, None, lambda: state.case(case_id).actors))


# -- plans --------------------------------------------------------------------------------------

@router.get("/cases/{case_id}/plans", response_model=list[Plan], dependencies=[Depends(reader)], tags=["plans"])
def list_plans(request: Request, case_id: str, as_of: AsOf = None) -> Response:
    """The plans (with ``as_of``: those dated by then, and undated ones)."""
    state = state_of(request)
    day = state.day(as_of)
    return _json(state.json_bytes("plans", case_id, day, lambda: state.view(case_id, day).plans))


@router.get("/cases/{case_id}/plans/{plan_id}", response_model=Plan, dependencies=[Depends(reader)],
            tags=["plans"])
def get_plan(request: Request, case_id: str, plan_id: str, as_of: AsOf = None) -> Response:
    """One plan (404 when it is dated after ``as_of``)."""
    state = state_of(request)
    day = state.day(as_of)
    return _json(state.json_bytes("plan", case_id, (plan_id, day), lambda: _plan(state.view(case_id, day), plan_id)))


def _put_plan(state: State, case_id: str, plan: Plan, author: TokenInfo, *, create: bool) -> Plan:
    with state.lock:  # the check and the write as one step: of two simultaneous creates, the second gets 409
        if create and plan.id in {p.id for p in state.case(case_id).plans}:
            raise ApiError(409, f"plan '{plan.id}' already exists in case '{case_id}'", field="id")
        state.edit_case(case_id, "plan", plan.id, plan, author=author.name or author.id)
    return plan


@router.post("/cases/{case_id}/plans", response_model=Plan, status_code=201, tags=["plans"])
def create_plan(request: Request, case_id: str, plan: Plan, who: TokenInfo = Depends(editor)) -> Plan:
    """Add a plan (a new version: set ``based_on``). 409 if its id is taken. Kept in the database."""
    return _put_plan(state_of(request), case_id, plan, who, create=True)


@router.put("/cases/{case_id}/plans/{plan_id}", response_model=Plan, tags=["plans"])
def replace_plan(request: Request, case_id: str, plan_id: str, plan: Plan,
                 who: TokenInfo = Depends(editor)) -> Plan:
    """Replace a plan (or create it under this id)."""
    if plan.id != plan_id:
        raise ApiError(422, f"the body's id '{plan.id}' differs from the URL's '{plan_id}'", field="id")
    return _put_plan(state_of(request), case_id, plan, who, create=False)


@router.delete("/cases/{case_id}/plans/{plan_id}", status_code=204, tags=["plans"])
def delete_plan(request: Request, case_id: str, plan_id: str, who: TokenInfo = Depends(editor)) -> Response:
    """Remove a plan. 409 when another plan is based on it."""
    state_of(request).edit_case(case_id, "plan", plan_id, None, author=who.name or who.id)
    return Response(status_code=204)


@router.get("/cases/{case_id}/plans/{plan_id}/matrix", response_model=rd.PlanMatrix,
            dependencies=[Depends(reader)], tags=["assess"])
def plan_matrix(request: Request, case_id: str, plan_id: str, as_of: AsOf = None) -> Response:
    """Provisions × actors with verdicts and the anchor of each cell's evidence (the report's matrix).

    Judged against the positions as of the plan's date unless ``as_of`` is given (``as_of`` in the answer).
    """
    state = state_of(request)
    day = state.day(as_of)
    return _json(state.json_bytes("matrix", case_id, (plan_id, day), lambda: matrix_of(state, case_id, plan_id, day)))


def judged_case(state: State, case_id: str, plan_id: str, as_of: dt.date | None = None) -> Case:
    """The view a plan is judged against: as of ``as_of`` (or the service's date), else the plan's own date."""
    view = state.view(case_id, as_of)
    return plan_view(view, _plan(view, plan_id))


def assessment_of(state: State, case_id: str, plan_id: str, as_of: dt.date | None = None) -> Assessment:
    day = state.day(as_of)
    return state.memo("assess", case_id, (plan_id, day),
                      lambda: assess_plan(judged_case(state, case_id, plan_id, day), plan_id))


def matrix_of(state: State, case_id: str, plan_id: str, as_of: dt.date | None = None) -> rd.PlanMatrix:
    day = state.day(as_of)
    return state.memo("matrix", case_id, (plan_id, day), lambda: rd.matrix_section(
        judged_case(state, case_id, plan_id, day), plan_id, assessment_of(state, case_id, plan_id, day)))


# -- positions ----------------------------------------------------------------------------------

def positions_of(state: State, case_id: str, as_of: dt.date | None = None) -> tuple[rd.PositionView, ...]:
    e = state.entry(case_id)
    day = state.day(as_of)
    return state.memo("positions", case_id, day,
                      lambda: rd.positions_section(state.view(case_id, day), list(e.claims.values())))


@router.get("/cases/{case_id}/positions", response_model=list[rd.PositionView], dependencies=[Depends(reader)],
            tags=["positions"])
def list_positions(request: Request, case_id: str, actor: str | None = None, issue: str | None = None,
                   as_of: AsOf = None) -> Response:
    """Positions in effect (on ``as_of``) with their sources, claims and earlier states; filter by ``actor`` and
    ``issue``."""
    state = state_of(request)
    day = state.day(as_of)
    return _json(state.json_bytes("positions", case_id, (actor, issue, day), lambda: [
        p for p in positions_of(state, case_id, day)
        if (actor is None or p.actor == actor) and (issue is None or p.issue == issue)
    ]))


@router.get("/cases/{case_id}/positions/{actor}/{issue}", response_model=rd.PositionView,
            dependencies=[Depends(reader)], tags=["positions"])
def get_position(request: Request, case_id: str, actor: str, issue: str, as_of: AsOf = None) -> Response:
    """One position with its evidence (what a matrix cell links to), as in effect on ``as_of``."""
    state = state_of(request)
    day = state.day(as_of)

    def find() -> rd.PositionView:
        for p in positions_of(state, case_id, day):
            if p.actor == actor and p.issue == issue:
                return p
        when = f" on {day.isoformat()}" if day else ""
        raise ApiError(404, f"actor '{actor}' holds no position on '{issue}'{when} in case '{case_id}'",
                       field="issue")

    return _json(state.json_bytes("position", case_id, (actor, issue, day), find))


@router.put("/cases/{case_id}/positions/{actor}/{issue}", response_model=Position, tags=["positions"])
def put_position(request: Request, response: Response, case_id: str, actor: str, issue: str, body: PositionIn,
                 who: TokenInfo = Depends(editor)) -> Position:
    """Set an actor's position on an issue (201 when it had none). Kept in the database."""
    state = state_of(request)
    case = state.case(case_id)
    try:
        pos = Position.model_validate({"actor": actor, "issue": issue, **body.model_dump(exclude_none=True)})
    except ValueError as e:
        raise ApiError(422, str(e).splitlines()[-1].strip().removeprefix("Value error, "), field="body") from None
    existed = case.position(actor, issue) is not None
    state.edit_case(case_id, "position", position_key(actor, issue), pos, author=who.name or who.id)
    response.status_code = 200 if existed else 201
    return pos


@router.delete("/cases/{case_id}/positions/{actor}/{issue}", status_code=204, tags=["positions"])
def delete_position(request: Request, case_id: str, actor: str, issue: str,
                    who: TokenInfo = Depends(editor)) -> Response:
    state_of(request).edit_case(case_id, "position", position_key(actor, issue), None, author=who.name or who.id)
    return Response(status_code=204)


@router.get("/cases/{case_id}/edits", response_model=list[CaseEdit], dependencies=[Depends(reader)],
            tags=["cases"])
def list_edits(request: Request, case_id: str) -> list[CaseEdit]:
    """Every edit of plans and positions made through the API, oldest first, with who made it.

    With a database the edits are kept and replayed over the case's YAML at
    start; one that no longer applies (the YAML changed under it) is listed
    with ``applied: false`` and the problem.
    """
    return list(state_of(request).entry(case_id).edits)


# -- claims -------------------------------------------------------------------------------------

def filter_claims(claims: list[Claim], holder: str | None = None, issue: str | None = None,
                  stance: str | None = None, basis: str | None = None, doc: str | None = None,
                  q: str | None = None) -> list[Claim]:
    """Claims matching every filter given (``q``: case-insensitive text search in sentence and quote)."""
    needle = q.casefold() if q else None
    return [
        c for c in claims
        if (holder is None or c.holder == holder) and (issue is None or c.issue == issue)
        and (stance is None or c.stance == stance) and (basis is None or c.basis == basis)
        and (doc is None or c.doc == doc)
        and (needle is None or needle in c.text.casefold() or needle in (c.quote or "").casefold())
    ]


@router.get("/cases/{case_id}/claims", response_model=ClaimPage, dependencies=[Depends(reader)], tags=["claims"])
def list_claims(
    request: Request, case_id: str,
    holder: str | None = None, issue: str | None = None, stance: str | None = None, basis: str | None = None,
    doc: str | None = None, q: Annotated[str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=500)] = 100,
    as_of: AsOf = None,
) -> Response:
    """Claims of the case, filtered; ``q`` searches the sentence and quote; ``as_of`` leaves out later claims."""
    state = state_of(request)
    day = state.day(as_of)

    def page() -> ClaimPage:
        known = known_claims(state.view(case_id, day), state.entry(case_id).claims.values())
        hits = filter_claims(known, holder, issue, stance, basis, doc, q)
        return ClaimPage(total=len(hits), offset=offset, limit=limit, claims=hits[offset:offset + limit])

    return _json(state.json_bytes("claims", case_id, (holder, issue, stance, basis, doc, q, offset, limit, day),
                                  page))


@router.get("/cases/{case_id}/claims/{claim_id}", response_model=Claim, dependencies=[Depends(reader)],
            tags=["claims"])
def get_claim(request: Request, case_id: str, claim_id: str) -> Claim:
    c = state_of(request).entry(case_id).claims.get(claim_id)
    if c is None:
        raise ApiError(404, f"no claim '{claim_id}' in case '{case_id}'", field="claim")
    return c


@router.post("/cases/{case_id}/claims", response_model=Claim, status_code=201, tags=["claims"])
def create_claim(request: Request, case_id: str, claim: Claim, _: TokenInfo = Depends(editor)) -> Claim:
    """Add a reviewed claim (an id is assigned when it has none). 409 if its id is taken."""
    state = state_of(request)
    check_claim(state.case(case_id), claim)
    stored = state.add_claim(case_id, claim)
    if state.store is not None:
        state.store.save_claim(case_id, stored)
    return stored


@router.delete("/cases/{case_id}/claims/{claim_id}", status_code=204, tags=["claims"])
def delete_claim(request: Request, case_id: str, claim_id: str, _: TokenInfo = Depends(editor)) -> Response:
    state = state_of(request)
    state.delete_claim(case_id, claim_id)
    if state.store is not None:
        state.store.delete_claim(case_id, claim_id)
    return Response(status_code=204)


# -- moves --------------------------------------------------------------------------------------

class MovesOut(BaseModel):
    """Who moved between two dates (as ``accord moves --json``)."""

    model_config = ConfigDict(populate_by_name=True)
    case: str
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")
    moves: list[Move]
    actors: list[ActorMoves]


@router.get("/cases/{case_id}/moves", response_model=MovesOut, dependencies=[Depends(reader)], tags=["positions"])
def list_moves(
    request: Request, case_id: str,
    start: Annotated[dt.date | None, Query(alias="from", description="moves after this date")] = None,
    end: Annotated[dt.date | None, Query(alias="to", description="moves up to and on this date "
                                         "(default: as_of)")] = None,
    actor: Annotated[list[str] | None, Query(description="only these actors")] = None,
    issue: Annotated[list[str] | None, Query(description="only these issues")] = None,
    as_of: AsOf = None,
) -> Response:
    """Every change of ideal, acceptable set, red line, firmness or salience between two dates: direction
    (towards which actors' ideals, as held that day), size, and the evidence for both ends."""
    state = state_of(request)
    day = end or state.day(as_of)

    def run() -> MovesOut:
        case = state.case(case_id)
        try:
            found = moves(case, start=start, end=day, actors=actor, issues=issue)
        except AccordError as e:
            field = next((f for f in ("actor", "issue", "from") if f"--{f}" in str(e)), None)
            raise ApiError(422, str(e).replace("--", ""), field=field) from None
        return MovesOut(case=case_id, start=start, end=day, moves=found, actors=by_actor(found, case))

    key = (start, day, tuple(actor or ()), tuple(issue or ()))
    return _json(state.json_bytes("moves", case_id, key, run))


# -- assess, tilt, diff -------------------------------------------------------------------------

@router.get("/cases/{case_id}/assess", response_model=Assessment | PlanComparison, dependencies=[Depends(reader)],
            tags=["assess"])
def assess_get(request: Request, case_id: str,
               plan: Annotated[str | None, Query(description="plan id (default: every plan known by the date)")]
               = None,
               as_of: AsOf = None) -> Response:
    """Assess the package a plan induces: verdict per provision and actor, utility, red lines, batna, tilt.

    Judged against the positions as of the plan's own date unless ``as_of`` is given; ``as_of`` in the
    answer says which date was used. Without ``plan``: ``{"case", "as_of", "plans"}``, every plan known by
    the date side by side, as ``accord assess --json`` prints it.
    """
    state = state_of(request)
    day = state.day(as_of)
    if plan is None:
        return _json(state.json_bytes("assess-all", case_id, day,
                                      lambda: plans_compared(state.view(case_id, day))))
    return _json(state.json_bytes("assess", case_id, (plan, day), lambda: assessment_of(state, case_id, plan, day)))


@router.post("/cases/{case_id}/assess", response_model=Assessment, dependencies=[Depends(reader)],
             tags=["assess"])
def assess_post(request: Request, case_id: str, body: PackageIn, as_of: AsOf = None) -> Assessment:
    """Assess any package (a computation: it changes nothing, so it needs no token) against the positions
    in effect on ``as_of`` (default: the latest)."""
    case = state_of(request).view(case_id, as_of)
    for a in body.actors or ():
        if a not in case.actor_ids:
            raise ApiError(422, f"unknown actor '{a}'", field="actors")
    for i, o in body.package.items():
        if i not in case.issue_ids:
            raise ApiError(422, f"unknown issue '{i}'", field=f"package.{i}")
        if o not in case.issue(i).option_ids:
            raise ApiError(422, f"unknown option '{o}' of issue '{i}'", field=f"package.{i}")
    return assess_package(case, body.package, actors=body.actors)


@router.get("/cases/{case_id}/tilt", response_model=list[rd.TiltView], dependencies=[Depends(reader)],
            tags=["assess"])
def tilt_all(request: Request, case_id: str, as_of: AsOf = None) -> Response:
    """Every plan's tilt index (each plan judged as of its date, or as of ``as_of``)."""
    state = state_of(request)
    day = state.day(as_of)
    return _json(state.json_bytes("tilt", case_id, day, lambda: [
        matrix_of(state, case_id, p.id, day).tilt for p in state.view(case_id, day).plans]))


@router.get("/cases/{case_id}/diff", response_model=rd.DiffView, dependencies=[Depends(reader)], tags=["plans"])
def diff(request: Request, case_id: str, a: str | None = None, b: str | None = None,
         as_of: AsOf = None) -> Response:
    """Plan ``a`` → plan ``b`` (default: the first plan that is based on another, against it); both must be
    dated by ``as_of``."""
    state = state_of(request)
    case = state.view(case_id, as_of)
    if a is None or b is None:
        pairs = rd.diff_pairs(case)
        if not pairs:
            raise ApiError(404, f"no plan of case '{case_id}' is based on another; give a and b", field="a")
        a, b = a or pairs[0][0], b or pairs[0][1]
    _plan(case, a, "a")
    _plan(case, b, "b")
    return _json(state.json_bytes("diff", case_id, (a, b, case.as_of), lambda: rd.diff_section(case, a, b)))


# -- solve and forecast (jobs) ------------------------------------------------------------------

def submit(state: State, kind: str, case_id: str, params: dict[str, Any], fn: Any, key: Any) -> Job:
    """Queue a job; 429 when too many are queued or running."""
    try:
        return state.jobs.submit(kind, case_id, params, fn, key=key)
    except TooBusy as e:
        raise ApiError(429, str(e), field=None, headers={"Retry-After": "5"}) from None


def solve_of(state: State, case_id: str, as_of: dt.date | None = None) -> rd.SolveView:
    from accord.report.engines import solve_view

    day = state.day(as_of)
    return state.memo("solve", case_id, day, lambda: solve_view(state.view(case_id, day)))


@router.get("/cases/{case_id}/solve", response_model=rd.SolveView, dependencies=[Depends(reader)], tags=["solve"])
def solve_get(request: Request, case_id: str, as_of: AsOf = None) -> Response:
    """Conflicts, Pareto frontier, Nash and Kalai–Smorodinsky packages (computed once per case version and date)."""
    state = state_of(request)
    day = state.day(as_of)
    return _json(state.json_bytes("solve", case_id, day, lambda: solve_of(state, case_id, day)))


@router.post("/cases/{case_id}/solve", response_model=SolveJob, status_code=202, dependencies=[Depends(starts_work)],
             tags=["solve"])
def solve_job(request: Request, case_id: str, body: Annotated[SolveIn, Body()], as_of: AsOf = None) -> Job:
    """Run one solve goal as a job (on the case as of ``as_of``); poll ``GET /api/v1/jobs/{id}``. The result is
    what ``accord solve --goal GOAL --json`` prints for the same settings.

    Send JSON (``{}``: goal feasible) with a token of any role (or the dashboard's CSRF token).
    """
    from accord.analysis.results import solve_result
    from accord.analysis.solve import solve as run_solve

    state = state_of(request)
    e = state.entry(case_id)
    day = state.day(as_of)
    case = state.view(case_id, day)
    _check_solve(case, body)
    params = body.model_dump()

    def run(progress: Any) -> Any:
        progress(0.0, f"solving: {body.goal}")
        r = run_solve(case, body.goal, actors=body.actors, plan=body.plan, k=body.k, among=body.among,
                      limit=body.limit, without=tuple(body.without), objective=body.objective)
        return solve_result(r).model_dump(mode="json")

    key = ("solve", case_id, e.version, day, repr(sorted(params.items())))
    return submit(state, "solve", case_id, {**params, "as_of": _iso(day)}, run, key=key)


def _check_solve(case: Case, body: SolveIn) -> None:
    """422 for what the solver would refuse: an unknown actor, plan or issue, a plan outside goal amend."""
    for name in ("actors", "among"):
        for a in getattr(body, name) or ():
            if a not in case.actor_ids:
                raise ApiError(422, f"unknown actor '{a}'", field=name)
    if body.goal == "amend" and body.plan is None:
        raise ApiError(422, "the amend goal needs a plan", field="plan")
    if body.plan is not None:
        if body.goal != "amend":
            raise ApiError(422, f"plan is only used by the amend goal, not '{body.goal}'", field="plan")
        _plan(case, body.plan)
    for w in body.without:
        actor, _, issue = w.partition(":")
        if actor not in case.actor_ids or issue not in case.issue_ids:
            raise ApiError(422, f"'{w}' is not actor:issue of this case", field="without")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def forecast_of(state: State, case_id: str, params: ForecastIn, progress: Any = None,
                as_of: dt.date | None = None) -> ForecastResult:
    """The forecast ``params`` ask for (computed once per case version and date): ``accord forecast --json``."""
    from accord.analysis.forecast import forecast
    from accord.analysis.montecarlo import in_draws
    from accord.analysis.results import forecast_result

    day = state.day(as_of)
    key = (params.model, params.draws, params.seed, day)
    return state.memo("forecast", case_id, key, lambda: forecast_result(forecast(
        state.view(case_id, day), model=params.model, draws=params.draws, seed=params.seed,
        progress=in_draws(progress))))


def forecast_view_of(state: State, case_id: str, job: Job | None) -> rd.ForecastView:
    """The dashboard's view of a finished forecast job (with the case's backtest), or why there is none."""
    from accord.report.engines import view_of_forecast

    if job is None:
        return rd.ForecastView(available=False, note="no forecast has run on this server yet (start one from the "
                               "forecast page or POST …/forecast)")
    day = dt.date.fromisoformat(job.params["as_of"]) if job.params.get("as_of") else None
    return state.memo("forecast-view", case_id, job.id, lambda: view_of_forecast(
        state.view(case_id, day), ForecastResult.model_validate(job.result)))


def latest_forecast(state: State, case_id: str, as_of: dt.date | None = None) -> Job | None:
    """The latest finished forecast job of the case as of ``as_of`` (see :meth:`State.day`)."""
    return state.jobs.latest("forecast", case_id, as_of=_iso(state.day(as_of)))


@router.get("/models", response_model=list[ModelOut], dependencies=[Depends(reader)], tags=["forecast"])
def list_models() -> list[ModelOut]:
    """Every registered forecast model and baseline (the names ``POST …/forecast`` takes as ``model``)."""
    return [ModelOut(name=p.name, title=p.title, kind=p.kind, reference=p.reference, members=list(p.members),
                     parameters=p.parameters()) for p in REGISTRY.values()]


@router.post("/cases/{case_id}/forecast", response_model=ForecastJob, status_code=202,
             dependencies=[Depends(starts_work)], tags=["forecast"])
def forecast_job(request: Request, case_id: str, body: Annotated[ForecastIn, Body()], as_of: AsOf = None) -> Job:
    """Start a Monte Carlo forecast (a job with progress) of the case as of ``as_of``; the same parameters again
    return the same job. The result is what ``accord forecast --model M --draws N --seed S --json`` prints.

    The body is JSON (``{}`` for the defaults), sent with a token of any role or the dashboard's CSRF token.
    """
    state = state_of(request)
    e = state.entry(case_id)
    params = body
    day = state.day(as_of)

    def run(progress: Any) -> Any:
        return forecast_of(state, case_id, params, progress, day).model_dump(mode="json")

    return submit(state, "forecast", case_id, {**params.model_dump(), "as_of": _iso(day)}, run,
                  key=("forecast", case_id, e.version, params.model, params.draws, params.seed, day))


@router.get("/cases/{case_id}/forecast", response_model=rd.ForecastView, dependencies=[Depends(reader)],
            tags=["forecast"])
def forecast_get(request: Request, case_id: str, as_of: AsOf = None) -> Any:
    """The dashboard's view of the latest finished forecast of the case as of ``as_of`` (404 until such a
    forecast job has run); the job's own ``result`` is the engine's shape."""
    state = state_of(request)
    state.entry(case_id)
    job = latest_forecast(state, case_id, as_of)
    if job is None:
        when = f"?as_of={state.day(as_of)}" if state.day(as_of) else ""
        raise ApiError(404, f"no forecast of case '{case_id}' yet; POST /api/v1/cases/{case_id}/forecast{when}",
                       field="case")
    return forecast_view_of(state, case_id, job)


@router.get("/jobs", response_model=list[AnyJob], dependencies=[Depends(reader)], tags=["jobs"])
def list_jobs(request: Request) -> list[Job]:
    """The jobs the server keeps (queued, running and the latest finished), without their results."""
    return [j.model_copy(update={"result": None}) for j in state_of(request).jobs.list()]


@router.get("/jobs/{job_id}", response_model=AnyJob, dependencies=[Depends(reader)], tags=["jobs"])
def get_job(request: Request, job_id: str) -> Job:
    """A job's status (queued, running, done, failed), progress in [0, 1] and, when done, its result: a
    ``SolveJob``'s is what ``accord solve --json`` prints, a ``ForecastJob``'s what ``accord forecast --json``
    prints (told apart by ``kind``)."""
    job = state_of(request).jobs.get(job_id)
    if job is None:
        raise ApiError(404, f"no job '{job_id}'", field="job")
    return job


# -- the report ---------------------------------------------------------------------------------

def report_of(state: State, case_id: str, as_of: dt.date | None = None) -> rd.ReportData:
    """The report's data from the service's caches (solve, plan matrices, the latest forecast job)."""
    e = state.entry(case_id)
    day = state.day(as_of)
    job = latest_forecast(state, case_id, day)

    def build() -> rd.ReportData:
        board = None
        if state.store is not None:
            board = state.store.compliance_view(case_id, day)
        fv = forecast_view_of(state, case_id, job)
        view = state.view(case_id, day)
        return report_data(
            view, claims=list(e.claims.values()), compliance=board, solve=solve_of(state, case_id, day),
            forecast=fv, matrices=[matrix_of(state, case_id, p.id, day) for p in view.plans])

    return state.memo("report", case_id, report_key(state, case_id, day), build)


def report_key(state: State, case_id: str, as_of: dt.date | None = None) -> Any:
    """What the report depends on beyond the case version: the date, the latest forecast, the store's state."""
    day = state.day(as_of)
    job = latest_forecast(state, case_id, day)
    stamp = state.store.stamp() if state.store is not None else None
    return (day, job.id if job else None, stamp)


@router.get("/cases/{case_id}/report.html", response_class=HTMLResponse, dependencies=[Depends(reader)],
            tags=["report"])
def report_html(request: Request, case_id: str, as_of: AsOf = None) -> HTMLResponse:
    """The self-contained HTML report of the case (as ``accord report [--as-of DATE]`` writes it)."""
    from accord.report.render import render_html, report_script_hashes

    state = state_of(request)
    html = state.memo("report.html", case_id, report_key(state, case_id, as_of),
                      lambda: render_html(report_of(state, case_id, as_of)))
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in case_id)
    return HTMLResponse(html, headers={"Content-Disposition": f'attachment; filename="{name}-report.html"',
                                       "Content-Security-Policy": csp_with_scripts(report_script_hashes())})


@router.get("/cases/{case_id}/report.md", response_class=PlainTextResponse, dependencies=[Depends(reader)],
            tags=["report"])
def report_md(request: Request, case_id: str, as_of: AsOf = None) -> PlainTextResponse:
    """The report's Markdown twin."""
    from accord.report.render import render_markdown

    state = state_of(request)
    md = state.memo("report.md", case_id, report_key(state, case_id, as_of),
                    lambda: render_markdown(report_of(state, case_id, as_of)))
    return PlainTextResponse(md, media_type="text/markdown; charset=utf-8")


# -- tokens -------------------------------------------------------------------------------------

@router.post("/tokens", response_model=TokenOut, status_code=201, tags=["tokens"])
def create_token(request: Request, body: TokenIn, _: TokenInfo = Depends(admin)) -> TokenOut:
    """Create a token (admin). Its secret is in the answer, once."""
    if body.role == "monitor" and not body.monitor:
        raise ApiError(422, "a monitor token names the monitor it speaks for", field="monitor")
    info, token = state_of(request).tokens.create(body.role, name=body.name, monitor=body.monitor)
    return TokenOut(token=token, info=info)


@router.get("/tokens", response_model=list[TokenInfo], tags=["tokens"])
def list_tokens(request: Request, _: TokenInfo = Depends(admin)) -> list[TokenInfo]:
    return state_of(request).tokens.list()


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(request: Request, token_id: str, _: TokenInfo = Depends(admin)) -> Response:
    if not state_of(request).tokens.revoke(token_id):
        raise ApiError(404, f"no token '{token_id}'", field="token")
    return Response(status_code=204)


"""Monitoring endpoints: agreements, monitors, reports (monitors post them), compliance, ledger proofs.

Everything here is recorded in the signed, hash-chained ledger of the
database (:mod:`accord.store.monitoring`); without ``--db`` each endpoint
answers 404 saying so.

Who may write: ``editor`` (or ``admin``) signs agreements; ``admin``
registers monitors' public keys (one active key per monitor: a second is 409),
rotates them (``POST /monitors/{id}/rotate``) and revokes them from an effective
moment (``POST /monitors/{id}/revoke``); a ``monitor`` token posts reports for the
monitor it names, each report signed with that monitor's Ed25519 key over its
canonical JSON (:func:`accord.monitor.reports.signing_payload`) — a signature
that does not verify is a 401.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as FPath
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.errors import AccordError
from accord.monitor.obligations import Agreement
from accord.report.data import ComplianceView
from accord.store.appender import AppendInterrupted
from accord.store.tokens import TokenInfo
from accord.web.auth import admin, editor, monitor, reader, state_of
from accord.web.boards import board_key
from accord.web.errors import ERROR_RESPONSES, ApiError
from accord.web.state import State

if TYPE_CHECKING:
    from accord.web.store_adapter import ServiceStore

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

MAX_SEQ = 2**62
"""Ledger positions and sizes beyond any real ledger (and within a database integer): 422 past it."""
Seq = Annotated[int, FPath(ge=0, le=MAX_SEQ, description="an entry's position in the ledger, from 0")]


def _store(state: State) -> ServiceStore:
    if state.store is None:
        raise ApiError(404, "monitoring needs a database: start the server with --db URL", field="db")
    return state.store


# -- models -------------------------------------------------------------------------------------

class AgreementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case: str = Field(min_length=1, max_length=200)
    plan: str = Field(min_length=1, max_length=200)
    signed: dt.date


class AgreementOut(Agreement):
    """An agreement as stored, with its ledger position and obligations."""

    seq: int | None = None
    obligations: list[dict[str, Any]] = []


class MonitorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=200)
    public_key: str = Field(min_length=64, max_length=64, description="Ed25519 public key, 64 hex characters")
    name: str = Field("", max_length=200)


class MonitorOut(BaseModel):
    """One key of a monitor: ``active`` (signs its reports), ``retired`` by a rotation, or ``revoked``."""

    id: str
    name: str = ""
    public_key: str
    key_id: str
    status: str = "active"
    registered: int | None = Field(None, description="ledger entry that registered the key")
    retired: int | None = Field(None, description="ledger entry of the rotation that retired it")
    revoked_from: dt.datetime | None = Field(None, description="reports reaching the ledger from then on "
                                             "do not count")
    revoke_reason: str = ""


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    public_key: str = Field(min_length=64, max_length=64, description="the new Ed25519 public key, 64 hex")
    reason: str = Field("", max_length=500)


class RevokeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key_id: str | None = Field(None, max_length=64, description="default: the monitor's current key")
    effective: dt.datetime | None = Field(None, description="from when (default now; may be in the past)")
    reason: str = Field("", max_length=500)


class KeyChangeOut(BaseModel):
    """A rotation or revocation as recorded in the ledger, and the monitor's keys after it."""

    event: dict[str, Any]
    seq: int
    keys: list[MonitorOut]


class ReportIn(BaseModel):
    """A monitor's signed observation (see :mod:`accord.monitor.reports` for what is signed)."""

    model_config = ConfigDict(extra="forbid")
    monitor: str = Field(min_length=1, max_length=200)
    indicator: str = Field(min_length=1, max_length=200)
    value: float = Field(allow_inf_nan=False)
    observed_at: str = Field(min_length=10, max_length=40, description="YYYY-MM-DD or an ISO date-time")
    source: str = Field(min_length=1, max_length=2000)
    location: str | None = Field(None, max_length=500)
    confidence: float = Field(1.0, ge=0.0, le=1.0)
    signature: str = Field(min_length=1, max_length=256, description="Ed25519 signature, hex")


class ReportOut(BaseModel):
    id: str
    seq: int | None = None
    monitor: str
    indicator: str
    value: float
    observed_at: str
    source: str
    location: str | None = None
    confidence: float
    signature: str | None = None


class ImportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=1, max_length=1000, description="a CSV or JSON Lines file inside the workspace")


class ImportOut(BaseModel):
    stored: int
    duplicate: int
    rejected: list[dict[str, Any]]


class LedgerOut(BaseModel):
    size: int
    head: dict[str, Any] | None
    log_keys: dict[str, str]


# -- agreements ---------------------------------------------------------------------------------

def _agreement_out(rec: Any, a: Any) -> AgreementOut:
    obligations = [o.model_dump(mode="json") | {"rule": o.rule} for o in rec.obligations if o.agreement == a.id]
    return AgreementOut(**a.model_dump(), seq=rec.seqs.get(a.id), obligations=obligations)


@router.get("/agreements", response_model=list[AgreementOut], dependencies=[Depends(reader)], tags=["monitoring"])
def list_agreements(request: Request, case: str | None = None) -> list[AgreementOut]:
    """Signed plans recorded in the ledger, with their obligations."""
    rec = _store(state_of(request)).records()
    return [_agreement_out(rec, a) for a in rec.agreements if case is None or a.case == case]


@router.get("/agreements/{agreement_id}", response_model=AgreementOut, dependencies=[Depends(reader)],
            tags=["monitoring"])
def get_agreement(request: Request, agreement_id: str) -> AgreementOut:
    rec = _store(state_of(request)).records()
    for a in rec.agreements:
        if a.id == agreement_id:
            return _agreement_out(rec, a)
    raise ApiError(404, f"no agreement '{agreement_id}' in the ledger", field="agreement")


@router.post("/agreements", response_model=AgreementOut, status_code=201, tags=["monitoring"])
def sign_agreement(request: Request, body: AgreementIn, _: TokenInfo = Depends(editor)) -> AgreementOut:
    """Record that a plan was signed on a date; its provisions' obligations start running. 409 if recorded."""
    from accord.store.monitoring import sign_agreement as _sign

    state = state_of(request)
    ws = _store(state)
    case = state.case(body.case)
    if body.plan not in {p.id for p in case.plans}:
        raise ApiError(404, f"no plan '{body.plan}' in case '{body.case}'", field="plan")
    with ws.ledger_write() as store:
        signed = _sign(store, case, body.plan, body.signed, ws.signer())
    if not signed.new:
        raise ApiError(409, f"agreement '{signed.agreement.id}' is already in the ledger", field="plan")
    return _agreement_out(ws.records(), signed.agreement)


# -- monitors and reports -----------------------------------------------------------------------

def _key_out(k: Any, now: dt.datetime) -> MonitorOut:
    return MonitorOut(id=k.monitor, name=k.name, public_key=k.public_key, key_id=k.key_id, status=k.status(now),
                      registered=k.registered, retired=k.retired, revoked_from=k.revoked_from,
                      revoke_reason=k.revoke_reason)


@router.get("/monitors", response_model=list[MonitorOut], dependencies=[Depends(reader)], tags=["monitoring"])
def list_monitors(request: Request) -> list[MonitorOut]:
    """Every monitor key in the ledger with its status (active, retired, revoked)."""
    now = dt.datetime.now(dt.UTC)
    return [_key_out(k, now) for k in _store(state_of(request)).records().roster.keys.values()]


@router.post("/monitors", response_model=MonitorOut, status_code=201, tags=["monitoring"])
def register_monitor(request: Request, body: MonitorIn, _: TokenInfo = Depends(admin)) -> MonitorOut:
    """Register a new monitor's public key (admin). 409 if the monitor already has a key: rotate it instead."""
    from accord.store.monitoring import register_monitor as _register

    ws = _store(state_of(request))
    pub = _public_key(body.public_key)
    try:
        with ws.ledger_write() as store:
            m, new = _register(store, body.id, pub, ws.signer(), body.name)
    except AccordError as e:
        raise ApiError(409, "; ".join(e.lines()).replace("`accord keys rotate --monitor",
                                                         f"POST /api/v1/monitors/{body.id}/rotate or `accord keys "
                                                         "rotate --monitor"), field="public_key") from None
    if not new:
        raise ApiError(409, f"monitor '{m.id}' already has key {m.key_id}", field="public_key")
    return MonitorOut(**m.model_dump())


def _public_key(text: str) -> str:
    """The body's public key, canonical (64 lower-case hex), or a 422 naming the field."""
    from accord.monitor.keys import check_public_key_hex

    try:
        return check_public_key_hex(text)
    except AccordError as e:
        raise ApiError(422, "; ".join(e.lines()), field="public_key") from None


def _key_change_out(change: Any) -> KeyChangeOut:
    now = dt.datetime.now(dt.UTC)
    return KeyChangeOut(event=change.event.to_json(), seq=change.seq, keys=[_key_out(k, now) for k in change.keys])


@router.post("/monitors/{monitor_id}/rotate", response_model=KeyChangeOut, status_code=201, tags=["monitoring"])
def rotate_monitor_key(request: Request, monitor_id: str, body: RotateIn,
                       token: TokenInfo = Depends(admin)) -> KeyChangeOut:
    """Replace a monitor's key (admin): the new key is registered and the old one retired, in one ledger entry."""
    from accord.store.monitoring import rotate_key

    ws = _store(state_of(request))
    pub = _public_key(body.public_key)
    try:
        with ws.ledger_write() as store:
            change = rotate_key(store, monitor_id, pub, ws.signer(), reason=body.reason, by=token.name or token.id)
    except AccordError as e:
        status = 404 if "no monitor" in str(e) else 409
        raise ApiError(status, "; ".join(e.lines()), field="monitor" if status == 404 else "public_key") from None
    return _key_change_out(change)


@router.post("/monitors/{monitor_id}/revoke", response_model=KeyChangeOut, tags=["monitoring"])
def revoke_monitor_key(request: Request, monitor_id: str, body: RevokeIn,
                       token: TokenInfo = Depends(admin)) -> KeyChangeOut:
    """Revoke a monitor's key from ``effective`` (admin; default now, may be in the past): reports signed with it
    that reached the ledger from then on do not count. A key is judged by when a report reached the ledger,
    not by the date its signer claims."""
    from accord.store.monitoring import revoke_key

    ws = _store(state_of(request))
    try:
        with ws.ledger_write() as store:
            change = revoke_key(store, monitor_id, ws.signer(), body.key_id, body.effective, reason=body.reason,
                                by=token.name or token.id)
    except AccordError as e:
        status = 404 if "no monitor" in str(e) or "is not a key of" in str(e) else 409
        raise ApiError(status, "; ".join(e.lines()), field="monitor" if status == 404 else "key_id") from None
    return _key_change_out(change)


def _report_out(r: Any, seq: int | None) -> ReportOut:
    return ReportOut(id=r.id, seq=seq, **r.to_json())


@router.get("/reports", response_model=list[ReportOut], dependencies=[Depends(reader)], tags=["monitoring"])
def list_reports(request: Request, monitor: str | None = None, indicator: str | None = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[ReportOut]:
    """Reports in the ledger (newest last), filtered by monitor and indicator."""
    rec = _store(state_of(request)).records()
    hits = [r for r in rec.reports if (monitor is None or r.monitor == monitor)
            and (indicator is None or r.indicator == indicator)]
    return [_report_out(r, rec.seqs.get(r.id)) for r in hits[-limit:]]




@router.post("/reports", response_model=ReportOut, status_code=201, tags=["monitoring"])
def post_report(request: Request, body: ReportIn, token: TokenInfo = Depends(monitor)) -> ReportOut:
    """A monitor posts one signed report. 401 if the signature does not verify, 409 if already recorded."""
    from accord.monitor.reports import Report, Row

    ws = _store(state_of(request))
    if token.monitor != body.monitor:
        raise ApiError(403, f"this token speaks for monitor '{token.monitor}', not '{body.monitor}'",
                       field="monitor")
    try:
        report = Report.model_validate(body.model_dump())
    except ValidationError as e:
        first = e.errors()[0]
        raise ApiError(422, str(first["msg"]).removeprefix("Value error, "),
                       field=".".join(str(x) for x in first["loc"]) or "report") from None
    try:
        result = ws.add_reports([Row(1, report)], "report")
    except AppendInterrupted as e:
        raise ApiError(503, "; ".join(e.lines()), field="report") from None
    outcome = result.rows[0]
    if outcome.outcome == "rejected":
        status, field = {"monitor": (403, "monitor"), "signature": (401, "signature")}.get(
            outcome.reason, (422, _observation_field(outcome.message)))
        raise ApiError(status, outcome.message, field=field)
    if outcome.outcome == "duplicate":
        raise ApiError(409, f"report {report.id} is {outcome.message}", field="signature")
    return _report_out(report, outcome.seq)


def _observation_field(message: str) -> str:
    for name in ("indicator", "observed_at", "value"):
        if message.startswith(name):
            return name
    return "report"


@router.post("/reports/import", response_model=ImportOut, tags=["monitoring"])
def import_reports(request: Request, body: ImportIn, token: TokenInfo = Depends(monitor)) -> ImportOut:
    """Import a CSV or JSON Lines file of signed reports from the workspace (paths cannot leave it).

    Every row must be the token's monitor's; valid rows are stored, the others listed with their row number.
    """
    from accord.monitor.reports import parse_reports

    state = state_of(request)
    ws = _store(state)
    path = state.workspace_path(body.path)
    if not path.is_file():
        raise ApiError(404, f"no file '{body.path}' in the workspace", field="path")
    if path.stat().st_size > state.max_body * 10:
        raise ApiError(422, f"'{body.path}' is larger than {state.max_body * 10} bytes", field="path")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ApiError(422, f"cannot read '{body.path}': {e}", field="path") from None
    rows = parse_reports(text, path.name)
    for row in rows:
        if row.report is not None and row.report.monitor != token.monitor:
            raise ApiError(403, f"row {row.number}: monitor '{row.report.monitor}' is not this token's "
                           f"('{token.monitor}')", field="path")
    try:
        result = ws.add_reports(rows, path.name)
    except AppendInterrupted as e:
        raise ApiError(503, "; ".join(e.lines()), field="path") from None
    return ImportOut(stored=result.count("stored"), duplicate=result.count("duplicate"),
                     rejected=[{"row": o.number, "message": o.message} for o in result.rejected])


# -- compliance and the ledger ------------------------------------------------------------------

@router.get("/compliance", response_model=ComplianceView, dependencies=[Depends(reader)], tags=["monitoring"])
async def compliance(request: Request, case: str | None = None, agreement: str | None = None,
                     as_of: dt.date | None = None) -> Response:
    """The compliance board: each obligation's status (compliant, breach, overdue, due, unknown) and reports.

    Answered from memory (:mod:`accord.web.boards`): a write through this service refreshes the board before
    its 201, so a client never reads a board older than its own accepted write; writes by other processes
    show within a second.
    """
    state = state_of(request)
    ws = _store(state)
    key = board_key(case, agreement, as_of)
    snap = ws.boards.get(key) if state.caching else None  # on the event loop: no database, thread or lock
    if snap is None:
        try:
            snap = await run_in_threadpool(ws.boards.load if state.caching else ws.boards.compute, key)
        except AccordError as e:
            raise ApiError(404, "; ".join(e.lines()), field="agreement") from None
    return Response(snap.body, media_type="application/json")


@router.get("/ledger", response_model=LedgerOut, dependencies=[Depends(reader)], tags=["ledger"])
def ledger(request: Request) -> LedgerOut:
    """The ledger's size, latest signed tree head and log keys."""
    ws = _store(state_of(request))
    head = ws.store.latest_head()
    return LedgerOut(size=ws.store.size(), head=head.to_json() if head else None, log_keys=ws.store.log_keys())


@router.get("/ledger/entries/{seq}", dependencies=[Depends(reader)], tags=["ledger"])
def ledger_entry(request: Request, seq: Seq) -> dict[str, Any]:
    """One entry (kind, ref, body) with its inclusion proof in the latest signed tree head."""
    ws = _store(state_of(request))
    try:
        e = ws.store.entry(seq)
        proof = ws.store.inclusion_proof(seq)
    except AccordError as err:
        raise ApiError(404, "; ".join(err.lines()), field="seq") from None
    return {"seq": seq, "kind": e.kind, "ref": e.ref, "body": dict(e.body), "proof": proof.to_json(),
            "verified": proof.verify()}


@router.get("/ledger/proofs/inclusion/{seq}", dependencies=[Depends(reader)], tags=["ledger"])
def inclusion_proof(request: Request, seq: Seq,
                    size: Annotated[int | None, Query(ge=1, le=MAX_SEQ)] = None) -> dict[str, Any]:
    """RFC 6962 audit path of entry ``seq`` in the tree of ``size`` entries (default: the latest head)."""
    ws = _store(state_of(request))
    try:
        proof = ws.store.inclusion_proof(seq, size)
    except AccordError as err:
        raise ApiError(404, "; ".join(err.lines()), field="seq") from None
    return {**proof.to_json(), "verified": proof.verify()}


@router.get("/ledger/proofs/consistency", dependencies=[Depends(reader)], tags=["ledger"])
def consistency_proof(request: Request, old: Annotated[int, Query(ge=0, le=MAX_SEQ)],
                      size: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None) -> dict[str, Any]:
    """RFC 6962 proof that the tree of ``size`` entries extends the tree of ``old`` entries."""
    ws = _store(state_of(request))
    try:
        proof = ws.store.consistency_proof(old, size)
    except AccordError as err:
        raise ApiError(404, "; ".join(err.lines()), field="old") from None
    return {**proof.to_json(), "verified": proof.verify()}


@router.get("/ledger/verify", dependencies=[Depends(reader)], tags=["ledger"])
def ledger_verify(request: Request) -> dict[str, Any]:
    """Recompute the whole ledger from its rows: every hash, node and signed head."""
    a = _store(state_of(request)).store.audit()
    return {"ok": a.ok, "size": a.size, "root": a.root.hex(), "heads": a.heads,
            "first_bad_entry": a.first_bad_entry, "findings": [str(f) for f in a.findings]}


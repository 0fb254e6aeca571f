"""What the monitoring desk records in the ledger: agreements, obligations, monitors, reports.

Every record is a ledger entry (``kind`` = agreement, obligation, monitor,
monitor-key or report); the ledger is the store of record, so everything here
is covered by the signed tree heads and by ``accord ledger verify``.

A monitor has one active key (:mod:`accord.monitor.roster`): registering a
second is refused, :func:`rotate_key` replaces it and :func:`revoke_key`
withdraws it from an effective moment; a report counts only when the key that
signed it was valid when the report reached the ledger (the timestamp of the
signed tree head that first covers it).

Imports keep every valid row: the valid reports of a file are appended in one
transaction (all of them or, on a database error, none), each invalid row is
reported with its row number and why, and a report already in the ledger is
counted as a duplicate, not stored again. ``strict=True`` stores nothing
unless every row is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from accord.errors import AccordError, Problem
from accord.model import Case
from accord.monitor import keys as _keys
from accord.monitor.compliance import Board, board
from accord.monitor.ledger import Entry
from accord.monitor.obligations import Agreement, Obligation, agreement_for, obligations_for
from accord.monitor.record import Record, transcriptions
from accord.monitor.reports import (
    Report,
    Row,
    as_utc,
    observation_problem,
    report_problem,
    sign_report,
    signing_payload,
)
from accord.monitor.roster import KeyEvent, KeyState, Monitor, Roster
from accord.store.board import refresh
from accord.store.ledger_store import LedgerWriter, Store
from accord.store.records import (
    AGREEMENT,
    KEY_KINDS,
    MONITOR,
    MONITOR_KEY,
    OBLIGATION,
    REPORT,
    Records,
    records,
    records_from,
    roster_of,
    verified_records,
)

__all__ = ["ImportResult", "RowOutcome", "Signed", "add_reports", "compliance", "import_record", "register_monitor",
           "revoke_key", "rotate_key", "sign_agreement"]


@dataclass(frozen=True)
class Signed:
    agreement: Agreement
    obligations: tuple[Obligation, ...]
    new: bool
    seqs: tuple[int, ...]


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one input row: stored, duplicate (already in the ledger) or rejected."""

    number: int
    outcome: Literal["stored", "duplicate", "rejected"]
    message: str = ""
    report: str | None = None
    seq: int | None = None
    reason: Literal["", "row", "monitor", "signature", "observation"] = ""
    """Why a row was rejected: unreadable, unknown monitor, bad signature, not a sensible observation."""


@dataclass(frozen=True)
class ImportResult:
    rows: tuple[RowOutcome, ...]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def rejected(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.outcome == "rejected"]


def sign_agreement(
    store: Store, case: Case, plan_id: str, signed: dt.date, signer: _keys.Ed25519PrivateKey
) -> Signed:
    """Record the signature of a plan and the obligations it creates (idempotent)."""
    try:
        plan = case.plan(plan_id)
    except KeyError as e:
        raise AccordError(str(e.args[0])) from None
    agreement = agreement_for(case.id, plan, signed)
    obligations = obligations_for(plan, agreement)
    entries = [Entry(AGREEMENT, agreement.id, agreement.model_dump(mode="json"))]
    entries += [Entry(OBLIGATION, o.id, o.model_dump(mode="json")) for o in obligations]
    with store.writer(signer) as w:
        out = w.append(entries)
        refresh(w)
    return Signed(agreement, tuple(obligations), out[0].new, tuple(o.seq for o in out))


def register_monitor(
    store: Store, monitor_id: str, public_key: str, signer: _keys.Ed25519PrivateKey, name: str = ""
) -> tuple[Monitor, bool]:
    """Record a monitor's public key; returns the monitor and whether it is new.

    Registering the key a monitor already has changes nothing; a second key for a
    monitor with an active one, a key of another monitor, or a retired or revoked
    key is refused (:meth:`~accord.monitor.roster.Roster.registration_problem`).
    """
    pub = _keys.check_public_key_hex(public_key)
    if not monitor_id.strip():
        raise AccordError("a monitor needs an id")
    m = Monitor(id=monitor_id.strip(), name=name, public_key=pub, key_id=_keys.key_id(pub))
    with store.writer(signer) as w:
        roster = roster_of(w.entries(KEY_KINDS))
        problem = roster.registration_problem(m.id, pub, w.moment)
        if problem:
            raise AccordError(problem)
        if m.key_id in roster.keys:
            return Monitor(id=m.id, name=roster.keys[m.key_id].name, public_key=pub, key_id=m.key_id), False
        (out,) = w.append([Entry(MONITOR, m.id, m.model_dump(mode="json"))])
    return m, out.new


@dataclass(frozen=True)
class KeyChange:
    """What a rotation or revocation recorded: the event, its ledger position, the key states after it."""

    event: KeyEvent
    seq: int
    keys: tuple[KeyState, ...]


def _key_change(event: KeyEvent, w: LedgerWriter) -> KeyChange:
    (out,) = w.append([Entry(MONITOR_KEY, event.monitor, event.to_json())])
    refresh(w)
    roster = roster_of(w.entries(KEY_KINDS))
    return KeyChange(event, out.seq, tuple(roster.of(event.monitor)))


def rotate_key(
    store: Store, monitor_id: str, public_key: str, signer: _keys.Ed25519PrivateKey, reason: str = "",
    by: str = "",
) -> KeyChange:
    """Replace a monitor's active key with ``public_key``: one ledger entry registers it and retires the old one.

    Reports signed with the old key that reach the ledger after the rotation are
    rejected; those already in it stay valid.
    """
    pub = _keys.check_public_key_hex(public_key)
    with store.writer(signer) as w:
        roster = roster_of(w.entries(KEY_KINDS))
        if not roster.of(monitor_id):
            raise AccordError(f"no monitor '{monitor_id}' in the ledger; register it with `accord keys create`")
        kid = _keys.key_id(pub)
        if kid in roster.keys:
            raise AccordError(f"key {kid} is already registered (to monitor '{roster.keys[kid].monitor}'); "
                              "rotate to a new key")
        old = tuple(k.key_id for k in roster.of(monitor_id) if k.retired is None)
        event = KeyEvent(action="rotate", monitor=monitor_id, key_id=kid, public_key=pub, retired=old,
                         reason=reason, by=by)
        return _key_change(event, w)


def revoke_key(
    store: Store, monitor_id: str, signer: _keys.Ed25519PrivateKey, key_id: str | None = None,
    effective: dt.datetime | None = None, reason: str = "", by: str = "",
) -> KeyChange:
    """Revoke a monitor's key from ``effective`` (default: now; may be in the past).

    Reports signed with it that reached the ledger at or after ``effective`` stop
    counting (and new ones are rejected); earlier ones stay valid. ``key_id``
    defaults to the monitor's key that is not retired.
    """
    with store.writer(signer) as w:
        roster = roster_of(w.entries(KEY_KINDS))
        mine = roster.of(monitor_id)
        if not mine:
            raise AccordError(f"no monitor '{monitor_id}' in the ledger")
        if key_id is None:
            current = [k for k in mine if k.retired is None]
            if len(current) != 1:
                ids = ", ".join(k.key_id for k in mine)
                raise AccordError(f"monitor '{monitor_id}' has keys {ids}: say which to revoke with --key-id")
            key_id = current[0].key_id
        k = roster.keys.get(key_id)
        if k is None or k.monitor != monitor_id:
            ids = ", ".join(x.key_id for x in mine)
            raise AccordError(f"key {key_id} is not a key of monitor '{monitor_id}' (its keys: {ids})")
        when = as_utc(effective) if effective is not None else w.moment
        if k.revoked_from is not None and k.revoked_from <= when:
            raise AccordError(f"key {key_id} is already revoked from {k.revoked_from.isoformat()}")
        event = KeyEvent(action="revoke", monitor=monitor_id, key_id=key_id, effective=when, reason=reason, by=by)
        return _key_change(event, w)


def add_reports(
    store: Store, rows: Sequence[Row], signer: _keys.Ed25519PrivateKey, strict: bool = False,
    name: str = "reports", now: dt.datetime | None = None, progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Verify each row's signature against the registered monitor keys and append the valid ones.

    ``progress(done, total)`` (optional) hears how many rows are checked, every 500 and
    once all are (then they are appended and tallied).

    A report must also be a sensible observation of a watched indicator
    (:func:`~accord.monitor.reports.observation_problem`, judged against
    ``now``, default the clock). All valid rows go in one locked transaction.
    With ``strict`` any rejected row raises :class:`AccordError` listing every
    bad row, and nothing is stored.
    """
    clock = now or dt.datetime.now(dt.UTC)
    with store.writer(signer) as w:
        rec = records_from(w.entries([MONITOR, MONITOR_KEY, OBLIGATION]))
        roster = rec.roster
        keys = {m: [k.public_key for k in roster.signing_keys(m, w.size, w.moment)] for m in roster.monitors()}
        watched: dict[str, dt.date] = {}
        parties: dict[str, set[str]] = {}
        for o in rec.obligations:
            watched[o.indicator] = min(o.signed, watched.get(o.indicator, o.signed))
            parties.setdefault(o.indicator, set()).update(o.parties)
        outcomes: dict[int, RowOutcome] = {}
        good: list[tuple[int, Report]] = []
        for i, row in enumerate(rows):
            if progress and i % 500 == 0:
                progress(i, len(rows))
            if row.report is None:
                outcomes[i] = RowOutcome(row.number, "rejected", row.problem or "invalid row", reason="row")
                continue
            problem = report_problem(row.report, keys)
            if problem and roster.of(row.report.monitor):
                problem = _invalid_key(roster, row.report, w.size, w.moment) or problem
            reason: Literal["monitor", "signature", "observation"] = (
                "monitor" if problem and "no registered key" in problem else "signature")
            if problem is None:
                problem, reason = observation_problem(row.report, watched, clock, parties), "observation"
            if problem:
                outcomes[i] = RowOutcome(row.number, "rejected", problem, row.report.id, reason=reason)
            else:
                good.append((i, row.report))
        if progress:
            progress(len(rows), len(rows))
        if strict and outcomes:
            raise AccordError([Problem(name, o.number, "", o.message) for o in outcomes.values()])
        appended = w.append([Entry(REPORT, r.indicator, r.to_json()) for _, r in good])
        refresh(w)
        for (i, r), a in zip(good, appended, strict=True):
            outcomes[i] = RowOutcome(rows[i].number, "stored" if a.new else "duplicate",
                                     "" if a.new else f"already in the ledger as entry #{a.seq}", r.id, a.seq)
    return ImportResult(tuple(outcomes[i] for i in range(len(rows))))


def _invalid_key(roster: Roster, r: Report, seq: int, arrived: dt.datetime) -> str | None:
    """When ``r`` is signed with a retired or revoked key of its monitor: saying so, and which key is current."""
    payload = signing_payload(r)
    for k in roster.of(r.monitor):
        why = roster.why_not(k, seq, arrived)
        if why and _keys.verify(k.public_key, r.signature or "", payload):
            now = ", ".join(x.key_id for x in roster.signing_keys(r.monitor, seq, arrived)) or "none"
            return f"signed with monitor '{r.monitor}''s key {k.key_id}, {why}; its key now: {now}"
    return None


@dataclass(frozen=True)
class RecordImport:
    """What importing a case's public record did: the agreement, the importer, the transcriptions."""

    signed: Signed
    importer: Monitor
    new_importer: bool
    result: ImportResult


def import_record(
    store: Store, case: Case, record: Record, importer: str, key: _keys.Ed25519PrivateKey,
    signer: _keys.Ed25519PrivateKey, name: str = "",
) -> RecordImport:
    """Sign the record's agreement, register the importer's key, and store every observation as a
    transcription signed by the importer (all of it, or nothing if one is refused). Idempotent."""
    signed = sign_agreement(store, case, record.agreement.plan, record.agreement.signed, signer)
    monitor, new = register_monitor(store, importer, _keys.public_key_hex(key), signer,
                                    name or f"{importer} (transcriber of published figures)")
    sources = {s.id: s for s in case.sources}
    rows = [Row(k + 1, sign_report(r, key)) for k, r in enumerate(transcriptions(record, sources, importer))]
    result = add_reports(store, rows, signer, strict=True, name=f"{case.id} public record")
    return RecordImport(signed, monitor, new, result)


def compliance(
    store: Store, as_of: dt.date, agreement: str | None = None, window_days: int = 1, *,
    case: str | None = None, known_by: dt.date | None = None, tolerance: float | None = None,
    verify: bool = True, public_key: str | None = None,
) -> tuple[Board, Records]:
    """The compliance board on ``as_of`` for one agreement (by id or plan id), the agreements of
    one case (by case id), or all of them.

    With ``verify`` (the default) every entry read is re-hashed and checked against the latest
    signed tree head (``public_key`` pins the log key); ``Records.seal`` says what was checked.
    """
    rec = verified_records(store, public_key) if verify else records(store)
    obligations = rec.obligations
    if case is not None:
        ids = {a.id for a in rec.agreements if a.case == case}
        if not ids:
            raise AccordError(f"no agreement of case '{case}' in the ledger; record one with `accord sign --case "
                              f"{case} …`, or its public record with `accord record import --case {case}`")
        obligations = [o for o in obligations if o.agreement in ids]
    if agreement is not None:
        ids = {a.id for a in rec.agreements if agreement in (a.id, a.plan)}
        if not ids:
            known = ", ".join(a.id for a in rec.agreements) or "none signed yet"
            raise AccordError(f"no agreement '{agreement}' in the ledger (known: {known})")
        obligations = [o for o in obligations if o.agreement in ids]
    extra = {} if tolerance is None else {"tolerance": tolerance}
    return board(obligations, rec.reports, as_of, window_days, known_by=known_by, **extra), rec

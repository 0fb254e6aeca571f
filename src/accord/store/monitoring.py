"""What the monitoring desk records in the ledger: agreements, obligations, monitors, reports.

Every record is a ledger entry (``kind`` = agreement, obligation, monitor or
report); the ledger is the store of record, so everything here is covered by
the signed tree heads and by ``accord ledger verify``.

Imports keep every valid row: the valid reports of a file are appended in one
transaction (all of them or, on a database error, none), each invalid row is
reported with its row number and why, and a report already in the ledger is
counted as a duplicate, not stored again. ``strict=True`` stores nothing
unless every row is valid.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from accord.errors import AccordError, Problem
from accord.model import Case
from accord.model.source import Strict
from accord.monitor import keys as _keys
from accord.monitor.compliance import Board, board
from accord.monitor.ledger import Entry
from accord.monitor.obligations import Agreement, Obligation, agreement_for, obligations_for
from accord.monitor.record import Record, transcriptions
from accord.monitor.reports import Report, Row, observation_problem, report_problem, sign_report
from accord.store.ledger_store import Store

AGREEMENT, OBLIGATION, MONITOR, REPORT = "agreement", "obligation", "monitor", "report"
KINDS = (AGREEMENT, OBLIGATION, MONITOR, REPORT)


class Monitor(Strict):
    """A monitor and one of its public keys (a monitor may register several)."""

    id: str
    name: str = ""
    public_key: str
    key_id: str


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


@dataclass
class Records:
    """Everything the desk has recorded, read back from the ledger."""

    agreements: list[Agreement] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    monitors: list[Monitor] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    seqs: dict[str, int] = field(default_factory=dict)

    def monitor_keys(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for m in self.monitors:
            out[m.id].append(m.public_key)
        return dict(out)


def _records(entries: Sequence[tuple[int, Entry]]) -> Records:
    rec = Records()
    for seq, e in entries:
        if e.kind == AGREEMENT:
            a = Agreement.model_validate(e.body)
            rec.agreements.append(a)
            rec.seqs[a.id] = seq
        elif e.kind == OBLIGATION:
            o = Obligation.model_validate(e.body)
            rec.obligations.append(o)
            rec.seqs[o.id] = seq
        elif e.kind == MONITOR:
            rec.monitors.append(Monitor.model_validate(e.body))
        elif e.kind == REPORT:
            r = Report.model_validate(e.body)
            rec.reports.append(r)
            rec.seqs[r.id] = seq
    return rec


def records(store: Store) -> Records:
    """Agreements, obligations, monitors and reports, in ledger order."""
    return _records(store.entries(KINDS))


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
    return Signed(agreement, tuple(obligations), out[0].new, tuple(o.seq for o in out))


def register_monitor(
    store: Store, monitor_id: str, public_key: str, signer: _keys.Ed25519PrivateKey, name: str = ""
) -> tuple[Monitor, bool]:
    """Record a monitor's public key (idempotent); returns the monitor and whether it is new."""
    pub = _keys.check_public_key_hex(public_key)
    if not monitor_id.strip():
        raise AccordError("a monitor needs an id")
    m = Monitor(id=monitor_id.strip(), name=name, public_key=pub, key_id=_keys.key_id(pub))
    with store.writer(signer) as w:
        (out,) = w.append([Entry(MONITOR, m.id, m.model_dump(mode="json"))])
    return m, out.new


def add_reports(
    store: Store, rows: Sequence[Row], signer: _keys.Ed25519PrivateKey, strict: bool = False,
    name: str = "reports", now: dt.datetime | None = None,
) -> ImportResult:
    """Verify each row's signature against the registered monitor keys and append the valid ones.

    A report must also be a sensible observation of a watched indicator
    (:func:`~accord.monitor.reports.observation_problem`, judged against
    ``now``, default the clock). All valid rows go in one locked transaction.
    With ``strict`` any rejected row raises :class:`AccordError` listing every
    bad row, and nothing is stored.
    """
    clock = now or dt.datetime.now(dt.UTC)
    with store.writer(signer) as w:
        rec = _records(w.entries([MONITOR, OBLIGATION]))
        keys = rec.monitor_keys()
        watched: dict[str, dt.date] = {}
        for o in rec.obligations:
            watched[o.indicator] = min(o.signed, watched.get(o.indicator, o.signed))
        outcomes: dict[int, RowOutcome] = {}
        good: list[tuple[int, Report]] = []
        for i, row in enumerate(rows):
            if row.report is None:
                outcomes[i] = RowOutcome(row.number, "rejected", row.problem or "invalid row", reason="row")
                continue
            problem = report_problem(row.report, keys)
            reason: Literal["monitor", "signature", "observation"] = (
                "monitor" if problem and "no registered key" in problem else "signature")
            if problem is None:
                problem, reason = observation_problem(row.report, watched, clock), "observation"
            if problem:
                outcomes[i] = RowOutcome(row.number, "rejected", problem, row.report.id, reason=reason)
            else:
                good.append((i, row.report))
        if strict and outcomes:
            raise AccordError([Problem(name, o.number, "", o.message) for o in outcomes.values()])
        appended = w.append([Entry(REPORT, r.indicator, r.to_json()) for _, r in good])
        for (i, r), a in zip(good, appended, strict=True):
            outcomes[i] = RowOutcome(rows[i].number, "stored" if a.new else "duplicate",
                                     "" if a.new else f"already in the ledger as entry #{a.seq}", r.id, a.seq)
    return ImportResult(tuple(outcomes[i] for i in range(len(rows))))


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
) -> tuple[Board, Records]:
    """The compliance board on ``as_of`` for one agreement (by id or plan id), the agreements of
    one case (by case id), or all of them."""
    rec = records(store)
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

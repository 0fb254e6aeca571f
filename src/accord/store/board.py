"""The compliance board kept up to date on append, so reading it costs a handful of rows at any ledger size.

Every write through :mod:`accord.store.monitoring` ends with :func:`refresh`, in
the same transaction: each report appended is added to the
:class:`~accord.monitor.tally.Tally` of every obligation watching its indicator
(O(speakers) each), a new obligation gets its tally, and ``compliance_mark``
records the ledger size the tallies reflect. What cannot be added in place is
rebuilt from the ledger: a report for an earlier window than an obligation's
latest (that obligation), a revocation or a new obligation on an indicator
that already has reports, or entries appended by anything else (a restored
backup, an older accord) — everything, once.

:func:`read_board` answers from the tallies when they reflect the whole ledger
and the day asked is on or after each obligation's last report; an obligation
judged on an earlier day, or a ratio obligation (its target follows another
indicator), is judged in full from its indicators' reports. It returns None
when the tallies lag the ledger, and the caller computes the whole board.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from accord.errors import AccordError
from accord.monitor.compliance import Board, ObligationStatus, assess, scorecard
from accord.monitor.ledger import Entry
from accord.monitor.obligations import Agreement, Obligation
from accord.monitor.reports import Report
from accord.monitor.tally import Tally
from accord.store.db import reading
from accord.store.ledger_store import LedgerWriter, Store
from accord.store.records import AGREEMENT, MONITOR, MONITOR_KEY, OBLIGATION, REPORT, records_from
from accord.store.schema import compliance_mark, compliance_tally, ledger_entry, tree_head


def _entries(conn: Connection, kinds: Sequence[str], since: int = 0,
             refs: Sequence[str] | None = None) -> list[tuple[int, Entry]]:
    if since:  # the newest entries: a range of the primary key (the kind index would scan every report)
        recent = select(ledger_entry.c.seq, ledger_entry.c.kind, ledger_entry.c.content).where(
            ledger_entry.c.seq >= since).order_by(ledger_entry.c.seq)
        return [(int(s), Entry.decode(c)) for s, k, c in conn.execute(recent) if k in kinds]
    q = select(ledger_entry.c.seq, ledger_entry.c.content).where(ledger_entry.c.kind.in_(list(kinds)))
    if refs is not None:
        q = q.where(ledger_entry.c.ref.in_(list(refs)))
    return [(int(s), Entry.decode(c)) for s, c in conn.execute(q.order_by(ledger_entry.c.seq))]


def _arrivals(conn: Connection) -> list[tuple[int, int]]:
    return [(int(s), int(t)) for s, t in conn.execute(
        select(tree_head.c.size, tree_head.c.timestamp).order_by(tree_head.c.size))]


def valid_reports(conn: Connection, indicators: Sequence[str] | None = None) -> list[Report]:
    """The reports that count (their key valid when they reached the ledger), optionally of some indicators."""
    keys = _entries(conn, (MONITOR, MONITOR_KEY))
    reports = _entries(conn, (REPORT,), refs=indicators)
    return records_from(sorted(keys + reports, key=lambda x: x[0]), _arrivals(conn)).reports


def _save(conn: Connection, tallies: dict[str, Tally], size: int, replace_all: bool) -> None:
    if replace_all:
        conn.execute(delete(compliance_tally))
    else:
        conn.execute(delete(compliance_tally).where(compliance_tally.c.obligation.in_(list(tallies))))
    if tallies:
        conn.execute(compliance_tally.insert(), [
            {"obligation": k, "agreement": t.ob.agreement, "state": json.dumps(t.to_json(), sort_keys=True)}
            for k, t in tallies.items()])
    conn.execute(delete(compliance_mark))
    conn.execute(compliance_mark.insert().values(id=1, size=size))


def rebuild(conn: Connection, size: int) -> None:
    """Every tally from the ledger (O(entries))."""
    obligations = [Obligation.model_validate(e.body) for _, e in _entries(conn, (OBLIGATION,))]
    reports = valid_reports(conn) if obligations else []
    by: dict[str, list[Report]] = {}
    for r in reports:
        by.setdefault(r.indicator, []).append(r)
    _save(conn, {o.id: Tally.of(o, by.get(o.indicator, [])) for o in obligations}, size, replace_all=True)


def refresh(w: LedgerWriter) -> None:
    """Bring the tallies up to the writer's size, in its transaction (see the module's docstring).

    When the write appended only reports and the tallies were at its start, :attr:`LedgerWriter.tallied` gets
    the tallies it changed (for :meth:`StoredBoard.advance`); otherwise it stays None."""
    w.tallied = None
    conn = w.conn
    mark = conn.execute(select(compliance_mark.c.size)).scalar()
    if mark is not None and int(mark) == w.size:
        return
    if mark is None:
        rebuild(conn, w.size)
        return
    if int(mark) != w.start_size and conn.execute(select(func.count()).select_from(ledger_entry).where(
            ledger_entry.c.seq >= int(mark), ledger_entry.c.seq < w.start_size,
            ledger_entry.c.kind.in_([REPORT, MONITOR_KEY, OBLIGATION]))).scalar():
        rebuild(conn, w.size)  # reports appended without a tally (a backup restored, an older accord)
        return
    new = _entries(conn, (OBLIGATION, REPORT, MONITOR_KEY), since=int(mark))
    if any(e.kind == MONITOR_KEY and e.body.get("action") == "revoke" for _, e in new):
        rebuild(conn, w.size)  # a revocation may take reports already counted out of the board
        return
    rows = conn.execute(select(compliance_tally.c.obligation, compliance_tally.c.state)).all()
    tallies = {k: Tally.from_json(json.loads(s)) for k, s in rows}
    reported = {t.ob.indicator for t in tallies.values() if t.n}
    changed: dict[str, Tally] = {}
    stale: set[str] = set()
    for _, e in new:
        if e.kind == OBLIGATION:
            ob = Obligation.model_validate(e.body)
            if ob.indicator in reported or conn.execute(select(func.count()).select_from(ledger_entry).where(
                    ledger_entry.c.kind == REPORT, ledger_entry.c.ref == ob.indicator,
                    ledger_entry.c.seq < int(mark))).scalar():
                stale.add(ob.id)
            tallies[ob.id] = changed[ob.id] = Tally(ob)
        elif e.kind == REPORT:
            r = Report.model_validate(e.body)  # appended by this write: checked against its monitor's key
            for k, t in tallies.items():
                if t.ob.indicator == r.indicator and k not in stale:
                    if not t.add(r):
                        stale.add(k)
                    changed[k] = t
    if stale:
        inds = sorted({tallies[k].ob.indicator for k in stale})
        reports = valid_reports(conn, inds)
        for k in stale:
            changed[k] = Tally.of(tallies[k].ob, reports)
    _save(conn, changed, w.size, replace_all=False)
    if int(mark) == w.start_size and all(kind == REPORT for kind, _ in w.added):
        w.tallied = changed


@dataclass(frozen=True)
class Piece:
    """One obligation's part of a board on a day: its status, the reports it cites (by id), and how many of the
    reports behind it are synthetic or transcriptions (per indicator, the board counts the most of any
    obligation). ``in_full``: judged from every report of its indicators, not from its tally."""

    status: ObligationStatus
    cited: tuple[tuple[str, Report], ...]
    synthetic: int
    transcribed: int
    in_full: bool = False


def _tallied(t: Tally, day: dt.date) -> Piece | None:
    """The piece of ``t``'s obligation on ``day`` from its tally (None: it must be judged in full)."""
    j = t.judge(day)
    if j is None:
        return None
    return Piece(ObligationStatus(
        obligation=t.ob, as_of=day, status=j.status, reason=j.reason, latest=j.latest, evidence=(), conflicts=(),
        disputed=j.disputed, met_on=j.met_on, late_days=j.late_days, days_past_due=j.days_past_due,
        figures_disputed=j.figures_disputed, reports_count=j.reports, parties=j.parties),
        tuple((r.id, r) for r in t.cited()), t.synthetic, t.transcribed)


def _in_full(ob: Obligation, reports: Sequence[Report], day: dt.date) -> Piece:
    full = assess(ob, reports, day)
    latest, evidence = set(full.latest), set(full.evidence)
    ids = [(r.id, r) for r in reports]
    ev = [r for i, r in ids if i in evidence]
    return Piece(full, tuple((i, r) for i, r in ids if i in latest), sum(r.synthetic for r in ev),
                 sum(r.kind == "transcription" for r in ev), in_full=True)


def _indicators(ob: Obligation) -> list[str]:
    return [ob.indicator, *([ob.per_unit_of] if ob.per_unit_of else [])]


@dataclass(frozen=True)
class StoredBoard:
    """A board on ``day`` as read from the tallies, kept in pieces so that a write can replace only the pieces
    of the obligations it touched (:meth:`advance`): the agreements in scope, one :class:`Piece` per
    obligation in ledger order, and the ledger ``size`` it reflects. :meth:`board` assembles the
    :class:`~accord.monitor.compliance.Board`."""

    day: dt.date
    agreements: tuple[Agreement, ...]
    pieces: tuple[Piece, ...]
    size: int

    def board(self) -> Board:
        statuses = [p.status for p in self.pieces]
        cited: dict[str, Report] = {}
        synthetic: dict[str, int] = {}  # per indicator: obligations on one indicator cite the same reports
        transcribed: dict[str, int] = {}
        for p in self.pieces:
            ind = p.status.obligation.indicator
            cited.update(p.cited)
            synthetic[ind] = max(synthetic.get(ind, 0), p.synthetic)
            transcribed[ind] = max(transcribed.get(ind, 0), p.transcribed)
        return Board(as_of=self.day, window_days=1, obligations=tuple(statuses),
                     scorecard=tuple(scorecard(statuses)), timeline=(), reports=dict(sorted(cited.items())),
                     ignored_future=0, synthetic=sum(synthetic.values()), transcribed=sum(transcribed.values()))

    def advance(self, start: int, size: int, tallies: Mapping[str, Tally], reported: Iterable[str]
                ) -> StoredBoard | None:
        """This board after a write that took the ledger from ``start`` to ``size`` entries, appended reports
        on the ``reported`` indicators only, and left the obligations' ``tallies`` it changed: each changed
        obligation's piece judged again from its tally, nothing else read (O(obligations), no database).
        Equal to reading the board afresh (``tests/store/test_board.py``); None when it cannot be done so — the
        board is not at ``start``, a changed obligation must be judged in full, or one judged in full watches an
        indicator reported on (the caller reads the board again)."""
        if start != self.size:
            return None
        inds = set(reported)
        pieces = list(self.pieces)
        at = {p.status.obligation.id: i for i, p in enumerate(pieces)}
        scope = {a.id for a in self.agreements}
        for p in pieces:
            if p.in_full and inds.intersection(_indicators(p.status.obligation)):
                return None
        for k, t in tallies.items():
            if k not in at:
                if t.ob.agreement in scope:
                    return None  # an obligation new to this board
                continue
            piece = _tallied(t, self.day)
            if piece is None:
                return None
            pieces[at[k]] = piece
        return StoredBoard(self.day, self.agreements, tuple(pieces), size)


def read_stored(
    store: Store, day: dt.date, case: str | None = None, agreement: str | None = None,
) -> StoredBoard | None:
    """The board on ``day`` from the tallies, in pieces (None when they lag the ledger). Raises
    :class:`AccordError` for an unknown agreement."""
    with reading(store.engine) as conn:
        mark = conn.execute(select(compliance_mark.c.size)).scalar()
        size = int(conn.execute(select(func.count()).select_from(ledger_entry)).scalar() or 0)
        if mark is None or int(mark) != size:
            return None
        agreements = [Agreement.model_validate(e.body) for _, e in _entries(conn, (AGREEMENT,))]
        if case is not None:
            agreements = [a for a in agreements if a.case == case]
        if agreement is not None:
            agreements = [a for a in agreements if agreement in (a.id, a.plan)]
            if not agreements:
                raise AccordError(f"no agreement '{agreement}' in the ledger")
        ids = {a.id for a in agreements}
        rows = conn.execute(select(compliance_tally.c.state).where(compliance_tally.c.agreement.in_(list(ids))))
        seqs = {ref: int(s) for s, ref in conn.execute(
            select(ledger_entry.c.seq, ledger_entry.c.ref).where(ledger_entry.c.kind == OBLIGATION))}
        tallies = sorted((Tally.from_json(json.loads(s)) for (s,) in rows), key=lambda t: seqs.get(t.ob.id, 0))
        pieces = []
        for t in tallies:
            piece = _tallied(t, day)  # None: a day before its last report, or a ratio obligation
            pieces.append(piece if piece is not None else _in_full(t.ob, valid_reports(conn, _indicators(t.ob)), day))
    return StoredBoard(day, tuple(agreements), tuple(pieces), size)


def read_board(
    store: Store, day: dt.date, case: str | None = None, agreement: str | None = None,
) -> tuple[Board, list[Agreement], int] | None:
    """The board on ``day`` from the tallies (None when they lag the ledger): the board, the agreements in
    scope, and the ledger size it reflects. Raises :class:`AccordError` for an unknown agreement."""
    stored = read_stored(store, day, case, agreement)
    return None if stored is None else (stored.board(), list(stored.agreements), stored.size)

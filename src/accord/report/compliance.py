"""The compliance board as the report shows it, from :class:`accord.monitor.compliance.Board`.

:func:`compliance_view` only reshapes a board the caller read;
:func:`stored_board` reads one case's board from a :class:`~accord.store.Store`
(the database work is the store's: :func:`accord.store.monitoring.compliance`),
for ``accord report --db`` and the web service alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from accord.report.data import ComplianceRow, ComplianceView, PartyCompliance

if TYPE_CHECKING:
    from accord.store import Store

STATUS_ORDER = ("compliant", "breach", "overdue", "due", "unknown")


def _observed(ob: Any, r: Any) -> str:
    """One report on the board: the figure (a rate with its count), whose, when; the source of a transcription."""
    from accord.monitor.compliance import figure

    where = f", {r.url} (published {r.published})" if getattr(r, "kind", "") == "transcription" else ""
    return f"{figure(ob, r)} ({r.speaker}, {r.observed_at.date()}{where})"


def compliance_view(board: Any, *, agreements: Sequence[str] = (), ledger_head: str | None = None,
                    ledger_length: int | None = None, seal: Any = None) -> ComplianceView:
    """Rows, counts per status and scorecard of ``board`` (a monitor ``Board``); "no agreement signed" when empty.

    ``agreements``, when given, keeps only their obligations (the agreements of one case); ``seal`` (a
    :class:`~accord.monitor.ledger.Seal`) says what was verified before the board was read.
    """
    check = {"ledger_check": seal.sentence(), "ledger_ok": seal.ok} if seal is not None else {}
    statuses = list(board.obligations)
    if agreements:
        keep = set(agreements)
        statuses = [s for s in statuses if s.obligation.agreement in keep]
    if not statuses:
        return ComplianceView(available=False, note="no agreement signed", ledger_head=ledger_head,
                              ledger_length=ledger_length, **check)
    rows = []
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for s in statuses:
        o = s.obligation
        counts[s.status] = counts.get(s.status, 0) + 1
        latest = [board.reports[r] for r in s.latest if r in board.reports]
        observed = "; ".join(_observed(o, r) for r in latest) or None
        rows.append(ComplianceRow(
            agreement=o.agreement, obligation=o.id, provision=o.provision, title=o.title, obliged=o.parties,
            parties=tuple(PartyCompliance(actor=p.actor, status=p.status, reason=p.reason, reports=p.reports,
                                          disputed=p.disputed) for p in getattr(s, "parties", ())),
            indicator=o.indicator, rule=o.rule, status=s.status, reason=s.reason, due=o.due, observed=observed,
            reports=len(s.evidence) if s.reports_count is None else s.reports_count,
            disputed=s.disputed or getattr(s, "figures_disputed", False),
        ))
    actors = {a for r in rows for a in r.obliged}
    scorecard = tuple(
        {"actor": c.actor, "compliant": c.compliant, "breach": c.breach, "overdue": c.overdue, "due": c.due,
         "unknown": c.unknown, "total": c.total, "rate": c.rate}
        for c in board.scorecard if c.actor in actors
    )
    synthetic = int(getattr(board, "synthetic", 0) or 0)
    transcribed = getattr(board, "transcribed", None)
    if transcribed is None:
        transcribed = sum(1 for r in board.reports.values() if getattr(r, "kind", "") == "transcription")
    notes = []
    if synthetic:
        notes.append(f"{synthetic} of the reports are SYNTHETIC (made-up demo data, not observations)")
    if transcribed:
        notes.append(f"{transcribed} of the reports are transcriptions of figures other bodies published, "
                     "attributed to each body and signed by the importer, not by the body")
    note = "; ".join(notes)
    return ComplianceView(
        available=True, note=note, as_of=board.as_of, agreements=tuple(dict.fromkeys(r.agreement for r in rows)),
        rows=tuple(rows), counts=counts, scorecard=scorecard, ledger_head=ledger_head, ledger_length=ledger_length,
        **check,
    )


def read_stored_board(store: Store, day: dt.date, case_id: str | None = None,
                      agreement: str | None = None) -> tuple[Any, list[str]]:
    """The board on ``day`` and the ids of the agreements it covers: from the tallies kept on append
    (:mod:`accord.store.board`), else computed from every report (:func:`accord.store.monitoring.compliance`)."""
    from accord.store.board import read_board
    from accord.store.monitoring import compliance

    fast = read_board(store, day, case_id, agreement)
    if fast is not None:
        board, agreements, _ = fast
        return board, [a.id for a in agreements]
    board, rec = compliance(store, day, agreement, 1, verify=False)
    ids = [a.id for a in rec.agreements if case_id is None or a.case == case_id]
    if agreement is not None:
        ids = [a.id for a in rec.agreements if agreement in (a.id, a.plan)]
    return board, ids


def stored_board(store: Store, case_id: str | None = None, as_of: dt.date | None = None,
                 agreement: str | None = None, seal: Any = None) -> ComplianceView:
    """The compliance board of one case's agreements (or all, or one ``agreement``) in ``store``, judged on
    ``as_of`` (default today, UTC); "no agreement signed" when there is none. ``seal`` (a
    :class:`~accord.monitor.ledger.Seal`, from :meth:`accord.store.Store.head_seal`) says what was verified.

    >>> from accord.store import Store
    >>> stored_board(Store.open("sqlite://"), "any").note
    'no agreement signed'
    """
    day = as_of or dt.datetime.now(dt.UTC).date()
    board, agreements = read_stored_board(store, day, case_id, agreement)
    return board_view(board, agreements, store.latest_head(), seal)


def board_view(board: Any, agreements: Sequence[str], head: Any, seal: Any = None) -> ComplianceView:
    """The view of ``board`` (a monitor ``Board``) for these ``agreements`` (ids; none: "no agreement
    signed"), under the ledger's latest signed tree ``head`` (None: none yet) and what was verified (``seal``)."""
    root, size = (head.root.hex()[:16], head.size) if head else (None, None)
    if not agreements:
        return ComplianceView(available=False, note="no agreement signed", ledger_head=root, ledger_length=size,
                              ledger_check=seal.sentence() if seal else "", ledger_ok=seal.ok if seal else None)
    return compliance_view(board, agreements=agreements, ledger_head=root, ledger_length=size, seal=seal)

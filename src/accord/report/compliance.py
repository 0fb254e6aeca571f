"""The compliance board as the report shows it, from :class:`accord.monitor.compliance.Board`.

Pure: the caller reads the board from the store (``accord report --db``, the
web service) and passes it in; :func:`compliance_view` only reshapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accord.report.data import ComplianceRow, ComplianceView

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
            agreement=o.agreement, obligation=o.id, provision=o.provision, title=o.title, obliged=o.obliged,
            indicator=o.indicator, rule=o.rule, status=s.status, reason=s.reason, due=o.due, observed=observed,
            reports=len(s.evidence) if s.reports_count is None else s.reports_count,
            disputed=s.disputed or getattr(s, "figures_disputed", False),
        ))
    actors = {r.obliged for r in rows}
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

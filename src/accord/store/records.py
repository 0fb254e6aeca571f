"""The monitoring desk's records read back from the ledger: the entry kinds, and who may speak when.

Both the writes (:mod:`accord.store.monitoring`) and the incremental board
(:mod:`accord.store.board`) read the ledger through :func:`records_from`, so a
report counts in one place only: when the key that signed it was valid when the
report reached the ledger (the timestamp of the first signed tree head covering it).

>>> records_from([]).reports
[]
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from accord.monitor import keys as _keys
from accord.monitor.ledger import Entry, Seal
from accord.monitor.obligations import Agreement, Obligation
from accord.monitor.reports import Report, signing_payload
from accord.monitor.roster import KeyEvent, Monitor, Roster
from accord.store.ledger_store import Store

AGREEMENT, OBLIGATION, MONITOR, MONITOR_KEY, REPORT = "agreement", "obligation", "monitor", "monitor-key", "report"
KINDS = (AGREEMENT, OBLIGATION, MONITOR, MONITOR_KEY, REPORT)
KEY_KINDS = (MONITOR, MONITOR_KEY)



@dataclass
class Records:
    """Everything the desk has recorded, read back from the ledger.

    ``reports`` are those that count; ``revoked`` the reports in the ledger whose
    key was not valid when they reached it (revoked from an earlier moment), with why.
    """

    agreements: list[Agreement] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    monitors: list[Monitor] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    seqs: dict[str, int] = field(default_factory=dict)
    roster: Roster = field(default_factory=Roster)
    revoked: list[tuple[Report, str]] = field(default_factory=list)
    seal: Seal | None = None
    """What was verified when the records were read (None: read without checking)."""


def roster_of(entries: Sequence[tuple[int, Entry]]) -> Roster:
    roster = Roster()
    for seq, e in entries:
        if e.kind == MONITOR:
            roster.register(seq, Monitor.model_validate(e.body))
        elif e.kind == MONITOR_KEY:
            roster.apply(seq, KeyEvent.model_validate(e.body))
    return roster


def signer_problem(roster: Roster, r: Report, seq: int, arrived: dt.datetime) -> str | None:
    """Why a stored report does not count: the key that signed it was not valid when it reached the ledger.

    With one key of the monitor in force at ``seq`` (the rule since rotation) that key signed it
    (the signature was checked against it on append); a ledger from before the rule may have had
    several, and then the signature says which.
    """
    in_force = [k for k in roster.of(r.monitor) if k.registered < seq and (k.retired is None or seq < k.retired)]
    if len(in_force) > 1:
        payload = signing_payload(r)
        in_force = [k for k in in_force if _keys.verify(k.public_key, r.signature or "", payload)]
    if not in_force:
        return None if not roster.of(r.monitor) else "signed with no key of its monitor in force at that position"
    why = [roster.why_not(k, seq, arrived) for k in in_force]
    return None if any(w is None for w in why) else f"key {in_force[0].key_id} {why[0]}"


def records_from(entries: Sequence[tuple[int, Entry]], arrivals: Sequence[tuple[int, int]] = ()) -> Records:
    """The records of ledger entries ``(seq, entry)`` in ledger order; ``arrivals`` are the signed tree heads
    ``(size, timestamp ms)`` that say when each entry reached the ledger (a report counts only when its key was
    valid then)."""
    rec = Records(roster=roster_of([(s, e) for s, e in entries if e.kind in KEY_KINDS]))
    sizes = [size for size, _ in arrivals]
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
            rec.seqs[r.id] = seq
            i = bisect.bisect_right(sizes, seq)
            arrived = _moment(arrivals[i][1]) if i < len(arrivals) else dt.datetime.now(dt.UTC)
            why = signer_problem(rec.roster, r, seq, arrived)
            if why is None:
                rec.reports.append(r)
            else:
                rec.revoked.append((r, why))
    return rec


def _moment(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC)


def records(store: Store) -> Records:
    """Agreements, obligations, monitors and reports, in ledger order (reports whose key was revoked apart)."""
    return records_from(store.entries(KINDS), store.arrivals())


def verified_records(store: Store, public_key: str | None = None) -> Records:
    """:func:`records`, every entry of the log re-hashed and checked against the latest signed tree head first
    (``public_key`` pins the log key); ``seal`` says what was checked and whether it held."""
    entries, seal = store.verified_entries(KINDS, public_key)
    rec = records_from(entries, store.arrivals())
    rec.seal = seal
    return rec

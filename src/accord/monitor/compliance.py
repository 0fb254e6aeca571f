"""Compliance: what the reports say about each obligation, each actor, and over time.

For an obligation ``indicator <comparator> threshold`` due on ``due``, judged on
day ``as_of``, the evidence is every report on that indicator observed between
signature and ``as_of`` (inclusive, UTC days). Reports fall into *windows* of
``window_days`` days counted from signature; within a window each monitor's
latest report speaks for it. The latest window with evidence decides:

========== =====================================================================
status     when
========== =====================================================================
compliant  the monitors in the latest window agree the threshold is met
breach     past due, and a report observed on or after the due date shows it unmet
overdue    past due, not met, and nothing observed since the due date
due        not yet due and not (yet) met — or disputed before the due date
unknown    past due with no evidence since signature, or the latest window disputed
========== =====================================================================

Two monitors *conflict* when their reports in the same window disagree on
whether the threshold is met; every such window is listed with the reports on
each side, and a conflict in the latest window makes the obligation
``disputed``. A late fulfilment shows as ``compliant`` with ``late_days``.

This follows the compliance-verification practice of arms-control regimes —
an obligation is judged on the most recent verified observations, and
disagreement between verifiers is surfaced rather than averaged away.

>>> import datetime as dt
>>> from accord.monitor.obligations import Obligation
>>> from accord.monitor.reports import Report
>>> ob = Obligation(id="a#6", agreement="a", provision="6", title="Army cap",
...                 indicator="army", comparator="<=", threshold=600000,
...                 signed=dt.date(2026, 1, 1), due=dt.date(2026, 4, 1), obliged="ukraine")
>>> r = lambda m, v, d: Report(monitor=m, indicator="army", value=v, observed_at=d, source="s")
>>> reports = [r("a", 800000, "2026-02-01"), r("a", 650000, "2026-04-10")]
>>> assess(ob, reports, dt.date(2026, 3, 1)).status
'due'
>>> assess(ob, reports, dt.date(2026, 4, 5)).status
'overdue'
>>> assess(ob, reports, dt.date(2026, 4, 10)).status
'breach'
>>> s = assess(ob, reports + [r("a", 590000, "2026-04-20")], dt.date(2026, 5, 1))
>>> s.status, s.met_on.isoformat(), s.late_days
('compliant', '2026-04-20', 19)
>>> s = assess(ob, reports + [r("b", 590000, "2026-04-10")], dt.date(2026, 4, 12))
>>> s.status, s.disputed
('unknown', True)
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from accord.monitor.obligations import Obligation, meets
from accord.monitor.reports import Report

Status = Literal["compliant", "breach", "overdue", "due", "unknown"]
STATUSES: tuple[Status, ...] = ("compliant", "breach", "overdue", "due", "unknown")


@dataclass(frozen=True)
class Conflict:
    """Monitors disagreeing about an obligation within one window."""

    start: dt.date
    end: dt.date
    meets: tuple[str, ...]
    fails: tuple[str, ...]
    monitors: tuple[str, ...]


@dataclass(frozen=True)
class ObligationStatus:
    """One obligation judged on ``as_of``, with the reports behind the judgement."""

    obligation: Obligation
    as_of: dt.date
    status: Status
    reason: str
    latest: tuple[str, ...]
    evidence: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    disputed: bool
    met_on: dt.date | None
    late_days: int | None
    days_past_due: int | None


@dataclass(frozen=True)
class Transition:
    """The day an obligation's status changed."""

    date: dt.date
    obligation: str
    status: Status
    reason: str


@dataclass(frozen=True)
class Scorecard:
    """How one obliged actor stands: obligations per status, and the share met of those decided."""

    actor: str
    compliant: int
    breach: int
    overdue: int
    due: int
    unknown: int
    total: int
    rate: float | None


@dataclass(frozen=True)
class Board:
    """The compliance board: every obligation, every actor, the timeline, and the reports cited."""

    as_of: dt.date
    window_days: int
    obligations: tuple[ObligationStatus, ...]
    scorecard: tuple[Scorecard, ...]
    timeline: tuple[Transition, ...]
    reports: dict[str, Report]
    ignored_future: int
    synthetic: int


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


class _Evidence:
    """An obligation's reports since signature, sorted and grouped into windows."""

    def __init__(self, ob: Obligation, reports: Iterable[Report], window_days: int):
        self.ob = ob
        self.window = window_days
        ev = sorted((r for r in reports if r.indicator == ob.indicator and r.observed_on >= ob.signed),
                    key=lambda r: (r.observed_at, r.monitor, r.id))
        self.reports = ev
        self.days = [r.observed_on for r in ev]
        self.buckets = [(r.observed_on - ob.signed).days // window_days for r in ev]

    def window_bounds(self, bucket: int) -> tuple[dt.date, dt.date]:
        start = self.ob.signed + dt.timedelta(days=bucket * self.window)
        return start, start + dt.timedelta(days=self.window - 1)

    def upto(self, day: dt.date) -> int:
        """How many reports were observed on or before ``day``."""
        return bisect.bisect_right(self.days, day)

    def verdicts(self, lo: int, hi: int) -> dict[str, Report]:
        """Each monitor's latest report among ``reports[lo:hi]``."""
        out: dict[str, Report] = {}
        for r in self.reports[lo:hi]:
            out[r.monitor] = r
        return out

    def bucket_range(self, n: int, k: int) -> int:
        """Start index of the bucket that ends at position ``k`` (exclusive) among the first ``n``."""
        b = self.buckets[k - 1]
        return bisect.bisect_left(self.buckets, b, 0, n)

    def judge(self, day: dt.date) -> tuple[Status, str, tuple[str, ...], bool]:
        ob = self.ob
        n = self.upto(day)
        past_due = day >= ob.due
        if n == 0:
            if past_due:
                return "unknown", "no report since signature", (), False
            return "due", "no report yet", (), False
        lo = self.bucket_range(n, n)
        latest = self.verdicts(lo, n)
        ids = tuple(r.id for r in latest.values())
        met = {m: meets(ob.comparator, r.value, ob.threshold) for m, r in latest.items()}
        need = f"needs {ob.comparator} {_fmt(ob.threshold)}"
        if len(set(met.values())) > 1:
            said = ", ".join(f"{m} {_fmt(r.value)}" for m, r in sorted(latest.items()))
            status: Status = "unknown" if past_due else "due"
            return status, f"monitors disagree: {said}", ids, True
        value = " / ".join(sorted({_fmt(r.value) for r in latest.values()}))
        last = self.days[n - 1]
        if all(met.values()):
            return "compliant", f"observed {value} on {last} ({need})", ids, False
        if not past_due:
            return "due", f"observed {value} on {last}; {need}", ids, False
        if last >= ob.due:
            return "breach", f"observed {value} on {last}, after the due date; {need}", ids, False
        return "overdue", f"last observed {value} on {last}; {need}", ids, False

    def met_since(self, n: int) -> dt.date | None:
        """The first day of the unbroken run of met, undisputed windows that ends the evidence."""
        ob, since = self.ob, None
        k = n
        while k > 0:
            lo = self.bucket_range(n, k)
            latest = self.verdicts(lo, k)
            if not all(meets(ob.comparator, r.value, ob.threshold) for r in latest.values()):
                break
            since = self.days[lo]
            k = lo
        return since

    def conflicts(self, n: int) -> tuple[Conflict, ...]:
        out = []
        lo = 0
        while lo < n:
            b = self.buckets[lo]
            hi = bisect.bisect_right(self.buckets, b, lo, n)
            latest = self.verdicts(lo, hi)
            ok = [r for r in latest.values() if meets(self.ob.comparator, r.value, self.ob.threshold)]
            bad = [r for r in latest.values() if not meets(self.ob.comparator, r.value, self.ob.threshold)]
            if ok and bad:
                start, end = self.window_bounds(b)
                out.append(Conflict(start, end, tuple(r.id for r in ok), tuple(r.id for r in bad),
                                    tuple(sorted(latest))))
            lo = hi
        return tuple(out)


def assess(ob: Obligation, reports: Iterable[Report], as_of: dt.date, window_days: int = 1) -> ObligationStatus:
    """Judge one obligation on ``as_of`` from the reports (any indicator; others are ignored)."""
    return _assess(_Evidence(ob, reports, window_days), as_of)


def _assess(ev: _Evidence, as_of: dt.date) -> ObligationStatus:
    ob = ev.ob
    status, reason, latest, disputed = ev.judge(as_of)
    n = ev.upto(as_of)
    met_on = ev.met_since(n) if status == "compliant" else None
    late = (met_on - ob.due).days if met_on and met_on > ob.due else None
    if late:
        reason += f"; met {late} days late"
    past = (as_of - ob.due).days if status in ("breach", "overdue", "unknown") and as_of >= ob.due else None
    return ObligationStatus(
        obligation=ob, as_of=as_of, status=status, reason=reason, latest=latest,
        evidence=tuple(r.id for r in ev.reports[:n]), conflicts=ev.conflicts(n), disputed=disputed,
        met_on=met_on, late_days=late, days_past_due=past,
    )


def _timeline(ev: _Evidence, as_of: dt.date) -> list[Transition]:
    ob = ev.ob
    days = sorted({d for d in ev.days if d <= as_of} | {ob.signed} | ({ob.due} if ob.due <= as_of else set()))
    out: list[Transition] = []
    for day in days:
        status, reason, _, _ = ev.judge(day)
        if not out or out[-1].status != status:
            out.append(Transition(day, ob.id, status, reason))
    return out


def scorecard(statuses: Sequence[ObligationStatus]) -> list[Scorecard]:
    """Per obliged actor: how many obligations in each status; ``rate`` = compliant / decided."""
    by: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for s in statuses:
        by[s.obligation.obliged][s.status] += 1
    out = []
    for actor in sorted(by):
        c = by[actor]
        decided = c["compliant"] + c["breach"] + c["overdue"]
        out.append(Scorecard(actor, c["compliant"], c["breach"], c["overdue"], c["due"], c["unknown"],
                             sum(c.values()), round(c["compliant"] / decided, 4) if decided else None))
    return out


def board(
    obligations: Sequence[Obligation], reports: Sequence[Report], as_of: dt.date, window_days: int = 1
) -> Board:
    """The whole compliance board on ``as_of``.

    Reports observed after ``as_of`` are ignored (and counted in ``ignored_future``).
    """
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    by_indicator: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        by_indicator[r.indicator].append(r)
    statuses, timeline = [], []
    cited: dict[str, Report] = {}
    for ob in obligations:
        ev = _Evidence(ob, by_indicator.get(ob.indicator, ()), window_days)
        s = _assess(ev, as_of)
        statuses.append(s)
        timeline.extend(_timeline(ev, as_of))
        for r in ev.reports[: ev.upto(as_of)]:
            cited[r.id] = r
    timeline.sort(key=lambda t: (t.date, t.obligation))
    return Board(
        as_of=as_of, window_days=window_days, obligations=tuple(statuses),
        scorecard=tuple(scorecard(statuses)), timeline=tuple(timeline),
        reports=dict(sorted(cited.items())),
        ignored_future=sum(1 for r in reports if r.observed_on > as_of),
        synthetic=sum(1 for r in cited.values() if r.synthetic),
    )

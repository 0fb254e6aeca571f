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
``disputed``. They also conflict, on the *figures*, when they agree on the
verdict but their figures differ by more than ``tolerance`` (a share of the
larger: COGAT's 459 trucks a day against the UN's 113); such a conflict in the
latest window marks ``figures_disputed`` without changing the status. A late
fulfilment shows as ``compliant`` with ``late_days``.

Whose word a report is — its *speaker* — is its monitor, or for a transcribed
public figure the body that published it. A rate obligation (``per: day``)
judges each report by its average per day over its period. ``known_by`` leaves
out reports that were not yet published on that day (what could be known then);
by default the board judges each day on everything observed by then, including
figures published later.

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

A rate: two bodies' truck counts to 7 December 2025 (COGAT's from 12 October, the UN's
from 10 October), both short of 600 a day but far apart:

>>> aid = Obligation(id="a#7", agreement="a", provision="7", title="Aid", indicator="trucks",
...                  comparator=">=", threshold=600, signed=dt.date(2025, 10, 10),
...                  due=dt.date(2025, 10, 12), obliged="israel", per="day")
>>> t = lambda m, v, start: Report(monitor=m, indicator="trucks", value=v, period_start=start,
...                                observed_at="2025-12-07", source="s")
>>> s = assess(aid, [t("cogat", 25700, "2025-10-12"), t("un", 6545, "2025-10-10")], dt.date(2025, 12, 7))
>>> s.status, s.disputed, s.figures_disputed, s.reason
('breach', False, True, 'observed 113 / 459 a day on 2025-12-07, after the due date; needs >= 600 a day')
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from accord.monitor.obligations import Obligation, meets
from accord.monitor.reports import Report

Status = Literal["compliant", "breach", "overdue", "due", "unknown"]
STATUSES: tuple[Status, ...] = ("compliant", "breach", "overdue", "due", "unknown")
TOLERANCE = 0.25
"""Figures that agree on the verdict conflict when they differ by more than this share of the larger."""


def measured(ob: Obligation, report: Report) -> float:
    """The figure a report gives for an obligation: its value, or for a rate obligation
    (``per: day``) its average per day over the report's period."""
    days = report.days
    if ob.per == "day" and days:
        return report.value / days
    return report.value


def about(ob: Obligation, r: Report, party: str | None = None) -> bool:
    """Whether report ``r`` speaks about ``party`` of ``ob`` (default: about the obligation's party, or any of
    its parties): it names that party, or names none.

    >>> import datetime as dt
    >>> ob = Obligation(id="a#1", agreement="a", provision="1", title="Ceasefire", indicator="violations",
    ...                 comparator="==", threshold=0, signed=dt.date(2026, 1, 1), due=dt.date(2026, 1, 1),
    ...                 obliged=["israel", "hamas"])
    >>> r = Report(monitor="m", indicator="violations", value=3, observed_at="2026-01-02", source="s", party="hamas")
    >>> about(ob, r, "hamas"), about(ob, r, "israel"), about(ob, r.model_copy(update={"party": None}), "israel")
    (True, False, True)
    """
    if r.party is None:
        return True
    return r.party == party if party is not None else r.party in ob.parties


def figures_apart(values: Iterable[float], tolerance: float) -> bool:
    """Whether the largest and smallest figure differ by more than ``tolerance`` of the larger.

    >>> figures_apart([459, 113], 0.25), figures_apart([640000, 645000], 0.25)
    (True, False)
    """
    vs = [abs(v) for v in values]
    if len(vs) < 2 or max(vs) == 0:
        return False
    return (max(vs) - min(vs)) / max(vs) > tolerance


@dataclass(frozen=True)
class Conflict:
    """Monitors disagreeing about an obligation within one window: on whether it is met
    (``kind`` verdict), or only on the figures (``kind`` figures)."""

    start: dt.date
    end: dt.date
    meets: tuple[str, ...]
    fails: tuple[str, ...]
    monitors: tuple[str, ...]
    kind: Literal["verdict", "figures"] = "verdict"


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
    figures_disputed: bool = False
    reports_count: int | None = None
    """How many reports are evidence, when their ids were not kept (the materialised board); else
    ``len(evidence)``."""
    parties: tuple[PartyStatus, ...] = ()
    """For a duty that binds several parties: each party judged on the reports about it (empty otherwise)."""


@dataclass(frozen=True)
class PartyStatus:
    """One party of a duty that binds several, judged on the reports about it: those naming it, and those
    naming no party (which speak about every party)."""

    actor: str
    status: Status
    reason: str
    latest: tuple[str, ...]
    reports: int
    disputed: bool
    late_days: int | None = None


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
    known_by: dt.date | None = None
    unpublished: int = 0
    published_later: int = 0
    tolerance: float = TOLERANCE
    transcribed: int | None = None
    """How many reports behind the board are transcriptions, when ``reports`` holds only the latest (the
    board read from tallies); None: count them in ``reports``."""


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _fig(ob: Obligation, v: float) -> str:
    """A figure as the board shows it: a rate rounded to whole units a day."""
    return f"{round(v):,} a {ob.per}" if ob.per else _fmt(v)


def figure(ob: Obligation, r: Report) -> str:
    """A report's figure for an obligation: the value, or for a rate the daily average and the count.

    >>> import datetime as dt
    >>> ob = Obligation(id="a#7", agreement="a", provision="7", title="Aid", indicator="trucks", comparator=">=",
    ...                 threshold=600, unit="trucks", signed=dt.date(2025, 10, 10), due=dt.date(2025, 10, 12),
    ...                 obliged="israel", per="day")
    >>> figure(ob, Report(monitor="cogat", indicator="trucks", value=25700, period_start="2025-10-12",
    ...                   observed_at="2025-12-07", source="s"))
    '459 trucks a day (25,700 over 56 days from 2025-10-12)'
    """
    if ob.per and r.days:
        unit = f" {ob.unit}" if ob.unit else ""
        days = f"{r.days:g} day{'s' if r.days != 1 else ''}"
        start = r.period_start.date() if r.period_start else ""
        return f"{round(measured(ob, r)):,}{unit} a {ob.per} ({_fmt(r.value)} over {days} from {start})"
    return _fmt(r.value)


def window_met(ob: Obligation, latest: dict[str, Report]) -> bool:
    """Whether every speaker's latest report in a window meets the (plain) obligation."""
    return all(meets(ob.comparator, measured(ob, r), ob.threshold) for r in latest.values())


def _plain_met(ob: Obligation) -> Callable[[Report], bool]:
    return lambda r: meets(ob.comparator, measured(ob, r), ob.threshold)


def verdict(
    ob: Obligation, latest: dict[str, Report], last: dt.date | None, day: dt.date,
    met_of: Callable[[Report], bool] | None = None, need: str | None = None,
) -> tuple[Status, str, tuple[str, ...], bool]:
    """Status, reason, the reports that decide, and whether disputed — from the latest window's reports
    (each speaker's latest) and the day of the last report (None: none yet), judged on ``day``.

    ``met_of`` and ``need`` say whether a report meets the obligation and what it needs (by default its
    plain threshold; a ratio obligation's depend on another indicator's figures).
    """
    past_due = day >= ob.due
    if last is None:
        if past_due:
            return "unknown", "no report since signature", (), False
        return "due", "no report yet", (), False
    met_of = met_of or _plain_met(ob)
    need = need or f"needs {ob.comparator} {_fig(ob, ob.threshold)}"
    ids = tuple(r.id for r in latest.values())
    met = {m: met_of(r) for m, r in latest.items()}
    if len(set(met.values())) > 1:
        said = ", ".join(f"{m} {_fig(ob, measured(ob, r))}" for m, r in sorted(latest.items()))
        status: Status = "unknown" if past_due else "due"
        return status, f"monitors disagree: {said}", ids, True
    figures = sorted({round(measured(ob, r), 6) for r in latest.values()})
    value = " / ".join(_fmt(v) for v in figures) if not ob.per else \
        " / ".join(f"{round(v):,}" for v in figures) + f" a {ob.per}"
    if all(met.values()):
        return "compliant", f"observed {value} on {last} ({need})", ids, False
    if not past_due:
        return "due", f"observed {value} on {last}; {need}", ids, False
    if last >= ob.due:
        return "breach", f"observed {value} on {last}, after the due date; {need}", ids, False
    return "overdue", f"last observed {value} on {last}; {need}", ids, False


def late_reason(ob: Obligation, status: Status, reason: str, met_on: dt.date | None) -> tuple[str, int | None]:
    """The reason with how late a fulfilment came, and the days late (None when on time or not met)."""
    late = (met_on - ob.due).days if status == "compliant" and met_on and met_on > ob.due else None
    return (reason + f"; met {late} days late" if late else reason), late


class _Evidence:
    """An obligation's reports since signature, sorted and grouped into windows."""

    def __init__(self, ob: Obligation, reports: Iterable[Report], window_days: int, tolerance: float = TOLERANCE,
                 scale: Iterable[Report] = (), party: str | None = None):
        self.ob = ob
        self.window = window_days
        self.tolerance = tolerance
        self.scale = sorted((r for r in scale if r.indicator == ob.per_unit_of and r.observed_on >= ob.signed),
                            key=lambda r: r.order)
        self.scale_days = [r.observed_on for r in self.scale]
        ev = sorted((r for r in reports if r.indicator == ob.indicator and r.observed_on >= ob.signed
                     and about(ob, r, party)),
                    key=lambda r: r.order)
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
        """Each speaker's latest report among ``reports[lo:hi]``."""
        out: dict[str, Report] = {}
        for r in self.reports[lo:hi]:
            out[r.speaker] = r
        return out

    def units_on(self, day: dt.date) -> tuple[float, dt.date | None]:
        """For a ratio obligation: the latest figure of the indicator it counts per, and its day."""
        k = bisect.bisect_right(self.scale_days, day)
        if k == 0:
            return 0.0, None
        last = self.scale_days[k - 1]
        return max(r.value for r in self.scale[:k] if r.observed_on == last), last

    def threshold_on(self, day: dt.date) -> float:
        """What the obligation asks on ``day``: its threshold, times the units owed for a ratio."""
        if not self.ob.per_unit_of:
            return self.ob.threshold
        return self.ob.threshold * self.units_on(day)[0]

    def need(self, day: dt.date) -> str:
        ob = self.ob
        if not ob.per_unit_of:
            return f"needs {ob.comparator} {_fig(ob, ob.threshold)}"
        units, when = self.units_on(day)
        base = f"{_fmt(ob.threshold)} per {ob.per_unit_of}"
        said = f"{_fmt(units)} on {when}" if when else "none yet"
        return f"needs {ob.comparator} {_fmt(self.threshold_on(day))} ({base}: {said})"

    def met(self, r: Report) -> bool:
        return meets(self.ob.comparator, measured(self.ob, r), self.threshold_on(r.observed_on))

    def bucket_range(self, n: int, k: int) -> int:
        """Start index of the bucket that ends at position ``k`` (exclusive) among the first ``n``."""
        b = self.buckets[k - 1]
        return bisect.bisect_left(self.buckets, b, 0, n)

    def judge(self, day: dt.date) -> tuple[Status, str, tuple[str, ...], bool]:
        n = self.upto(day)
        if n == 0:
            return verdict(self.ob, {}, None, day)
        last = self.days[n - 1]
        return verdict(self.ob, self.verdicts(self.bucket_range(n, n), n), last, day, self.met, self.need(last))

    def met_since(self, n: int) -> dt.date | None:
        """The first day of the unbroken run of met, undisputed windows that ends the evidence."""
        since = None
        k = n
        while k > 0:
            lo = self.bucket_range(n, k)
            latest = self.verdicts(lo, k)
            if not all(self.met(r) for r in latest.values()):
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
            ok = [r for r in latest.values() if self.met(r)]
            bad = [r for r in latest.values() if not self.met(r)]
            apart = figures_apart((measured(self.ob, r) for r in latest.values()), self.tolerance)
            if (ok and bad) or apart:
                start, end = self.window_bounds(b)
                out.append(Conflict(start, end, tuple(r.id for r in ok), tuple(r.id for r in bad),
                                    tuple(sorted(latest)), "verdict" if ok and bad else "figures"))
            lo = hi
        return tuple(out)


def assess(
    ob: Obligation, reports: Iterable[Report], as_of: dt.date, window_days: int = 1, tolerance: float = TOLERANCE
) -> ObligationStatus:
    """Judge one obligation on ``as_of`` from the reports (any indicator: those of the obligation, and for a
    ratio those of the indicator it counts per; others are ignored)."""
    reports = list(reports)
    if len(ob.parties) > 1:
        return _assess_joint(_evidence_by_party(ob, reports, window_days, tolerance, reports), as_of)
    return _assess(_Evidence(ob, reports, window_days, tolerance, reports), as_of)


def _assess(ev: _Evidence, as_of: dt.date) -> ObligationStatus:
    ob = ev.ob
    status, reason, latest, disputed = ev.judge(as_of)
    n = ev.upto(as_of)
    conflicts = ev.conflicts(n)
    last_window = ev.window_bounds(ev.buckets[n - 1])[0] if n else None
    figures_disputed = any(c.kind == "figures" and c.start == last_window for c in conflicts)
    met_on = ev.met_since(n) if status == "compliant" else None
    reason, late = late_reason(ob, status, reason, met_on)
    past = (as_of - ob.due).days if status in ("breach", "overdue", "unknown") and as_of >= ob.due else None
    return ObligationStatus(
        obligation=ob, as_of=as_of, status=status, reason=reason, latest=latest,
        evidence=tuple(r.id for r in ev.reports[:n]), conflicts=conflicts, disputed=disputed,
        met_on=met_on, late_days=late, days_past_due=past, figures_disputed=figures_disputed,
    )


WORST: tuple[Status, ...] = ("breach", "overdue", "unknown", "due", "compliant")
"""How the statuses of a duty's parties combine: the duty takes the first status any party has."""


def _evidence_by_party(ob: Obligation, reports: Iterable[Report], window_days: int, tolerance: float,
                       scale: Iterable[Report]) -> dict[str, _Evidence]:
    reports, scale = list(reports), list(scale)
    return {p: _Evidence(ob, reports, window_days, tolerance, scale, party=p) for p in ob.parties}


def joint(statuses: Sequence[Status]) -> Status:
    """The status of a duty of several parties from theirs: any breach is a breach of the duty, and so on
    down :data:`WORST`; it is compliant only when every party is.

    >>> joint(["compliant", "breach"]), joint(["compliant", "due"]), joint(["compliant", "compliant"])
    ('breach', 'due', 'compliant')
    """
    return next(w for w in WORST if w in statuses)


def _assess_joint(evs: dict[str, _Evidence], as_of: dt.date) -> ObligationStatus:
    """A duty of several parties: each party judged on the reports about it; the duty takes the worst."""
    each = {p: _assess(ev, as_of) for p, ev in evs.items()}
    parties = tuple(PartyStatus(p, s.status, s.reason, s.latest, len(s.evidence), s.disputed, s.late_days)
                    for p, s in each.items())
    status = joint([s.status for s in each.values()])
    ob = next(iter(evs.values())).ob
    cited = {r.id: r for ev in evs.values() for r in ev.reports[: ev.upto(as_of)]}
    ids = [r.id for r in sorted(cited.values(), key=lambda r: r.order)]
    met = [s.met_on for s in each.values()]
    return ObligationStatus(
        obligation=ob, as_of=as_of, status=status,
        reason="; ".join(f"{p}: {s.status}, {s.reason}" for p, s in each.items()),
        latest=tuple(dict.fromkeys(i for s in each.values() for i in s.latest)), evidence=tuple(ids),
        conflicts=tuple(c for s in each.values() for c in s.conflicts),
        disputed=any(s.disputed for s in each.values()),
        met_on=max(m for m in met if m is not None) if status == "compliant" and all(met) else None,
        late_days=max((s.late_days for s in each.values() if s.late_days), default=None)
        if status == "compliant" else None,
        days_past_due=(as_of - ob.due).days if status in ("breach", "overdue", "unknown") and as_of >= ob.due
        else None,
        figures_disputed=any(s.figures_disputed for s in each.values()), parties=parties,
    )


def _joint_timeline(evs: dict[str, _Evidence], as_of: dt.date) -> list[Transition]:
    ob = next(iter(evs.values())).ob
    days = sorted({d for ev in evs.values() for d in [*ev.days, *ev.scale_days] if d <= as_of} | {ob.signed}
                  | ({ob.due} if ob.due <= as_of else set()))
    out: list[Transition] = []
    for day in days:
        judged = {p: ev.judge(day) for p, ev in evs.items()}
        status = joint([j[0] for j in judged.values()])
        if not out or out[-1].status != status:
            reason = "; ".join(f"{p}: {j[0]}, {j[1]}" for p, j in judged.items())
            out.append(Transition(day, ob.id, status, reason))
    return out


def _timeline(ev: _Evidence, as_of: dt.date) -> list[Transition]:
    ob = ev.ob
    days = sorted({d for d in [*ev.days, *ev.scale_days] if d <= as_of} | {ob.signed}
                  | ({ob.due} if ob.due <= as_of else set()))
    out: list[Transition] = []
    for day in days:
        status, reason, _, _ = ev.judge(day)
        if not out or out[-1].status != status:
            out.append(Transition(day, ob.id, status, reason))
    return out


def scorecard(statuses: Sequence[ObligationStatus]) -> list[Scorecard]:
    """Per obliged actor: how many obligations in each status; ``rate`` = compliant / decided. A duty of several
    parties counts for each party with its own status (:class:`PartyStatus`), never charged to one."""
    by: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for s in statuses:
        if s.parties:  # a duty of several parties counts once for each, with that party's own status
            for p in s.parties:
                by[p.actor][p.status] += 1
        else:
            by[s.obligation.parties[0]][s.status] += 1
    out = []
    for actor in sorted(by):
        c = by[actor]
        decided = c["compliant"] + c["breach"] + c["overdue"]
        out.append(Scorecard(actor, c["compliant"], c["breach"], c["overdue"], c["due"], c["unknown"],
                             sum(c.values()), round(c["compliant"] / decided, 4) if decided else None))
    return out


def board(
    obligations: Sequence[Obligation], reports: Sequence[Report], as_of: dt.date, window_days: int = 1,
    *, known_by: dt.date | None = None, tolerance: float = TOLERANCE,
) -> Board:
    """The whole compliance board on ``as_of``.

    Reports observed after ``as_of`` are ignored (and counted in ``ignored_future``);
    with ``known_by``, so are reports not yet published on that day (``unpublished``).
    ``published_later`` counts the reports behind the board that were published after
    ``as_of`` (what hindsight adds to that day).
    """
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    if not 0 <= tolerance < 1:
        raise ValueError("tolerance must lie in [0, 1)")
    by_indicator: dict[str, list[Report]] = defaultdict(list)
    unpublished = 0
    for r in reports:
        if known_by is not None and r.observed_on <= as_of and r.known_on > known_by:
            unpublished += 1
            continue
        by_indicator[r.indicator].append(r)
    statuses, timeline = [], []
    cited: dict[str, Report] = {}
    for ob in obligations:
        scale = by_indicator.get(ob.per_unit_of, ()) if ob.per_unit_of else ()
        evs = (_evidence_by_party(ob, by_indicator.get(ob.indicator, ()), window_days, tolerance, scale)
               if len(ob.parties) > 1 else {"": _Evidence(ob, by_indicator.get(ob.indicator, ()), window_days,
                                                          tolerance, scale)})
        if len(evs) > 1:
            statuses.append(_assess_joint(evs, as_of))
            timeline.extend(_joint_timeline(evs, as_of))
        else:
            statuses.append(_assess(evs[""], as_of))
            timeline.extend(_timeline(evs[""], as_of))
        for ev in evs.values():
            for r in ev.reports[: ev.upto(as_of)]:
                cited[r.id] = r
    timeline.sort(key=lambda t: (t.date, t.obligation))
    return Board(
        as_of=as_of, window_days=window_days, obligations=tuple(statuses),
        scorecard=tuple(scorecard(statuses)), timeline=tuple(timeline),
        reports=dict(sorted(cited.items())),
        ignored_future=sum(1 for r in reports if r.observed_on > as_of),
        synthetic=sum(1 for r in cited.values() if r.synthetic),
        known_by=known_by, unpublished=unpublished,
        published_later=sum(1 for r in cited.values() if r.known_on > as_of), tolerance=tolerance,
    )

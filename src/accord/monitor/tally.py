"""An obligation's standing kept up to date one report at a time: the board without re-reading the ledger.

:func:`~accord.monitor.compliance.assess` judges an obligation from all its
reports. What it needs to judge a day on or after the last report is small: how
many reports there are, each speaker's latest report in the latest one-day
window, the first and last days observed, and where the run of met windows
before the latest one began. A :class:`Tally` keeps exactly that, and
:meth:`Tally.add` updates it in O(speakers) per report — so the store can keep
one per obligation, updated in the transaction that appends the report, and
the board reads a handful of rows however long the ledger.

A report observed in a window before the latest one may change a past window's
verdict: :meth:`Tally.add` then says so (returns False) and the caller rebuilds
the tally from the obligation's reports (:meth:`Tally.of`). A ratio obligation
(``per_unit_of``: the target depends on another indicator's figures) is not
tallied; :attr:`Tally.incremental` is False and the caller judges it in full. A
duty of several parties keeps one tally per party (:attr:`Tally.parties`, each
counting the reports about its party) and is judged as the full engine judges it:
each party apart, the duty taking the worst.

>>> import datetime as dt
>>> from accord.monitor.compliance import assess
>>> from accord.monitor.obligations import Obligation
>>> from accord.monitor.reports import Report
>>> ob = Obligation(id="a#6", agreement="a", provision="6", title="Army cap", indicator="army",
...                 comparator="<=", threshold=600000, signed=dt.date(2026, 1, 1), due=dt.date(2026, 4, 1),
...                 obliged="ukraine")
>>> r = lambda m, v, d: Report(monitor=m, indicator="army", value=v, observed_at=d, source="s")
>>> t = Tally.of(ob, [])
>>> [t.add(x) for x in (r("a", 800000, "2026-02-01"), r("a", 590000, "2026-04-20"))]
[True, True]
>>> j = t.judge(dt.date(2026, 5, 1))
>>> j.status, j.reason
('compliant', 'observed 590,000 on 2026-04-20 (needs <= 600,000); met 19 days late')
>>> t.add(r("b", 700000, "2026-03-01"))   # an earlier window: rebuild
False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.monitor.compliance import (
    TOLERANCE,
    PartyStatus,
    Status,
    about,
    figures_apart,
    joint,
    late_reason,
    measured,
    verdict,
    window_met,
)
from accord.monitor.obligations import Obligation
from accord.monitor.reports import Report


def _skey(r: Report) -> list[str]:
    """:attr:`Report.order` as text that sorts the same (UTC moments in one format)."""
    return [r.observed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"), r.speaker, r.id]


@dataclass(frozen=True)
class Judgement:
    """An obligation judged on a day from its tally (what :class:`ObligationStatus` says, but the evidence ids)."""

    status: Status
    reason: str
    latest: tuple[str, ...]
    disputed: bool
    figures_disputed: bool
    met_on: dt.date | None
    late_days: int | None
    days_past_due: int | None
    reports: int
    parties: tuple[PartyStatus, ...] = ()


@dataclass
class Tally:
    """What judging ``ob`` on or after its last report needs, updated one report at a time (window: one day)."""

    ob: Obligation
    n: int = 0
    bucket: int | None = None
    latest: dict[str, Report] = field(default_factory=dict)
    order: dict[str, list[str]] = field(default_factory=dict)
    """Each speaker's first report in the latest window (its place when the board lists them)."""
    first: dt.date | None = None
    last: dt.date | None = None
    prev_run: dt.date | None = None
    synthetic: int = 0
    transcribed: int = 0
    party: str | None = None
    """The party this tally counts reports about (one of a duty of several parties); None: the obligation's."""
    parties: dict[str, Tally] = field(default_factory=dict)
    """For a duty of several parties: one tally per party."""

    def __post_init__(self) -> None:
        if self.party is None and len(self.ob.parties) > 1 and not self.parties:
            self.parties = {p: Tally(self.ob, party=p) for p in self.ob.parties}

    @property
    def incremental(self) -> bool:
        """False for a ratio obligation: the caller judges it in full."""
        return not self.ob.per_unit_of

    def cited(self) -> list[Report]:
        """The reports the board cites: each speaker's latest in the latest window (of every party)."""
        if self.parties:
            return list({r.id: r for t in self.parties.values() for r in t.latest.values()}.values())
        return list(self.latest.values())

    @classmethod
    def of(cls, ob: Obligation, reports: Iterable[Report]) -> Tally:
        """The tally of all of ``reports`` (others than the obligation's indicator are ignored)."""
        t = cls(ob)
        for r in sorted((r for r in reports if r.indicator == ob.indicator and about(ob, r)), key=lambda r: r.order):
            t.add(r)
        return t

    def _count(self, r: Report) -> None:
        self.first = min(self.first or r.observed_on, r.observed_on)
        self.last = max(self.last or r.observed_on, r.observed_on)
        self.n += 1
        self.synthetic += r.synthetic
        self.transcribed += r.kind == "transcription"

    def _run_start(self) -> dt.date | None:
        """The first day of the unbroken run of met windows that ends with the latest one."""
        if not self.latest or not window_met(self.ob, self.latest):
            return None
        return self.prev_run if self.prev_run is not None else self.first

    def add(self, r: Report) -> bool:
        """Count one more report; False when it falls in a window before the latest (rebuild instead)."""
        ob = self.ob
        if r.indicator != ob.indicator or r.observed_on < ob.signed or not about(ob, r, self.party):
            return True
        if self.parties:  # a duty of several parties: each party's tally takes the reports about it
            done = [t.add(r) for t in self.parties.values()]
            self._count(r)
            return all(done)
        bucket = (r.observed_on - ob.signed).days
        if self.bucket is not None and bucket < self.bucket:
            return False
        if self.bucket is None or bucket > self.bucket:
            self.prev_run = self._run_start()
            self.bucket, self.latest, self.order, self.first = bucket, {}, {}, r.observed_on
        old = self.latest.get(r.speaker)
        if old is None or r.order > old.order:
            self.latest[r.speaker] = r
        k = _skey(r)
        if r.speaker not in self.order or k < self.order[r.speaker]:
            self.order[r.speaker] = k
        self._count(r)
        return True

    def judge(self, day: dt.date) -> Judgement | None:
        """The obligation on ``day``; None when ``day`` is before the last report (judge it in full)."""
        if not self.incremental or (self.last is not None and day < self.last):
            return None
        if self.parties:
            return self._judge_parties(day)
        ob = self.ob
        latest = dict(sorted(self.latest.items(), key=lambda kv: self.order[kv[0]]))
        status, reason, ids, disputed = verdict(ob, latest, self.last, day)
        met_on = self._run_start() if status == "compliant" else None
        reason, late = late_reason(ob, status, reason, met_on)
        apart = not disputed and figures_apart((measured(ob, r) for r in latest.values()), TOLERANCE)
        past = (day - ob.due).days if status in ("breach", "overdue", "unknown") and day >= ob.due else None
        return Judgement(status, reason, ids, disputed, apart, met_on, late, past, self.n)

    def _judge_parties(self, day: dt.date) -> Judgement | None:
        """A duty of several parties as :func:`accord.monitor.compliance.assess` judges it: each party apart."""
        each: dict[str, Judgement] = {}
        for p, t in self.parties.items():
            j = t.judge(day)
            if j is None:
                return None
            each[p] = j
        status = joint([j.status for j in each.values()])
        met = [j.met_on for j in each.values()]
        ob = self.ob
        return Judgement(
            status, "; ".join(f"{p}: {j.status}, {j.reason}" for p, j in each.items()),
            tuple(dict.fromkeys(i for j in each.values() for i in j.latest)),
            any(j.disputed for j in each.values()), any(j.figures_disputed for j in each.values()),
            max(m for m in met if m is not None) if status == "compliant" and all(met) else None,
            max((j.late_days for j in each.values() if j.late_days), default=None) if status == "compliant"
            else None,
            (day - ob.due).days if status in ("breach", "overdue", "unknown") and day >= ob.due else None,
            self.n,
            tuple(PartyStatus(p, j.status, j.reason, j.latest, j.reports, j.disputed, j.late_days)
                  for p, j in each.items()),
        )

    # -- storage ------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        d = lambda x: x.isoformat() if x else None  # noqa: E731
        out = {"obligation": self.ob.model_dump(mode="json"), "n": self.n, "bucket": self.bucket,
               "latest": [r.to_json() for r in self.latest.values()], "order": self.order, "first": d(self.first),
               "last": d(self.last), "prev_run": d(self.prev_run), "synthetic": self.synthetic,
               "transcribed": self.transcribed}
        if self.party is not None:
            out["party"] = self.party
        if self.parties:
            out["parties"] = {p: t.to_json() for p, t in self.parties.items()}
        return out

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Tally:
        d = lambda x: dt.date.fromisoformat(x) if x else None  # noqa: E731
        latest = [Report.model_validate(x) for x in doc["latest"]]
        return cls(Obligation.model_validate(doc["obligation"]), doc["n"], doc["bucket"],
                   {r.speaker: r for r in latest}, doc["order"], d(doc["first"]), d(doc["last"]),
                   d(doc["prev_run"]), doc["synthetic"], doc.get("transcribed", 0), doc.get("party"),
                   {p: cls.from_json(x) for p, x in doc.get("parties", {}).items()})

"""The incremental tally judges as the full engine does (brute-force oracle: assess over every report)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.monitor.compliance import assess
from accord.monitor.obligations import Obligation
from accord.monitor.reports import Report
from accord.monitor.tally import Tally

SIGNED = dt.date(2026, 1, 1)
OB = Obligation(id="a#1", agreement="a", provision="1", title="Cap", indicator="x", comparator="<=",
                threshold=10, signed=SIGNED, due=dt.date(2026, 1, 8), obliged="p")

reports = st.lists(st.tuples(
    st.sampled_from(["m1", "m2", "m3"]), st.integers(0, 14), st.integers(0, 23), st.sampled_from([5, 10, 11, 30]),
    st.booleans(), st.sampled_from([None, None, "p", "q"]),
), max_size=25)


def _report(monitor: str, day: int, hour: int, value: int, synthetic: bool, party: str | None = None) -> Report:
    """A report; ``party`` q is another party's (the tally of p's obligation must leave it out)."""
    at = dt.datetime(2025, 12, 30, hour, tzinfo=dt.UTC) + dt.timedelta(days=day)
    return Report(monitor=monitor, indicator="x", value=value, observed_at=at,
                  source=("SYNTHETIC " if synthetic else "") + f"s{day}{hour}", party=party)


BOTH = OB.model_copy(update={"obliged": ("p", "q")})  # a duty of both: one tally per party


@settings(max_examples=300, deadline=None)
@given(reports, st.integers(0, 30), st.sampled_from([OB, BOTH]))
def test_the_tally_in_any_arrival_order_judges_as_assess(rows, extra_days, ob) -> None:  # type: ignore[no-untyped-def]
    rs = list({r.id: r for r in (_report(*row) for row in rows)}.values())
    t = Tally(ob)
    for r in rs:  # arrival order as given; an earlier window forces a rebuild, as the store does
        if not t.add(r):
            t = Tally.of(ob, [x for x in rs[: rs.index(r) + 1]])
    t = Tally.from_json(t.to_json())  # and it survives storage
    last = max((r.observed_on for r in rs if r.observed_on >= SIGNED), default=SIGNED)
    day = last + dt.timedelta(days=extra_days)
    j = t.judge(day)
    full = assess(ob, rs, day)
    assert j is not None
    assert (j.status, j.reason, j.latest, j.disputed, j.met_on, j.late_days, j.days_past_due, j.reports) == (
        full.status, full.reason, full.latest, full.disputed, full.met_on, full.late_days, full.days_past_due,
        len(full.evidence))
    assert j.figures_disputed == full.figures_disputed and j.parties == full.parties
    about = ("p", "q", None) if ob is BOTH else ("p", None)
    assert t.synthetic == sum(1 for r in rs if r.observed_on >= SIGNED and r.synthetic and r.party in about)


def test_a_day_before_the_last_report_is_left_to_the_full_engine() -> None:
    t = Tally.of(OB, [_report("m1", 5, 0, 5, False)])
    assert t.judge(dt.date(2026, 1, 2)) is None and t.judge(dt.date(2026, 1, 4)) is not None


def test_a_ratio_obligation_is_not_tallied() -> None:
    ratio = OB.model_copy(update={"per_unit_of": "y"})
    assert Tally.of(ratio, []).judge(dt.date(2026, 3, 1)) is None


def test_a_duty_of_several_parties_keeps_a_tally_per_party() -> None:
    t = Tally.of(BOTH, [_report("m1", 12, 0, 30, False, "q"), _report("m1", 5, 1, 5, False, None)])
    assert set(t.parties) == {"p", "q"} and (t.parties["p"].n, t.parties["q"].n, t.n) == (1, 2, 2)
    j = t.judge(dt.date(2026, 3, 1))
    assert j is not None and j.status == "breach" and [(p.actor, p.status) for p in j.parties] == [
        ("p", "compliant"), ("q", "breach")]

"""Obligations from plans, and compliance: hand-worked cases and a brute-force oracle."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.model import ObligationSpec, Plan, Provision
from accord.monitor.compliance import assess, board, scorecard
from accord.monitor.obligations import UNASSIGNED, Obligation, agreement_for, meets, obligations_for, plan_digest
from accord.monitor.reports import Report

D0 = dt.date(2026, 1, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def ob(comparator: str = "<=", threshold: float = 100, due: int = 30, indicator: str = "army",
       obliged: str = "u") -> Obligation:
    return Obligation(id=f"a#{indicator}", agreement="a", provision="1", title="t", indicator=indicator,
                      comparator=comparator, threshold=threshold, signed=D0, due=day(due), obliged=obliged)


def rep(monitor: str, value: float, d: int, indicator: str = "army", hour: int = 12) -> Report:
    return Report(monitor=monitor, indicator=indicator, value=value,
                  observed_at=dt.datetime.combine(day(d), dt.time(hour), tzinfo=dt.UTC), source="s")


# -- obligations -------------------------------------------------------------------------------
def synthetic_plan() -> Plan:
    return Plan(id="p", name="P", version="2", provisions=[
        Provision(id="a", title="Cap", text="...", obliged=("u", "r"),
                  obligation=ObligationSpec(indicator="army", comparator="<=", threshold=100, unit="k",
                                            deadline_days=30, verifier="council")),
        Provision(id="b", title="Prose only", text="..."),
        Provision(id="c", title="Swap", text="...", verifier="committee",
                  obligation=ObligationSpec(indicator="prisoners_unreturned", comparator="==", threshold=0,
                                            deadline_days=0, obliged="r")),
        Provision(id="d", title="Nobody", text="...",
                  obligation=ObligationSpec(indicator="x", comparator=">", threshold=1, deadline_days=5)),
    ])


def test_obligations_from_a_synthetic_plan() -> None:
    plan = synthetic_plan()
    ag = agreement_for("toy", plan, D0)
    assert ag.id == "p@2026-01-01" and ag.plan_version == "2" and ag.plan_digest == plan_digest(plan)
    obs = obligations_for(plan, ag)
    assert [(o.provision, o.obliged, o.verifier, o.due) for o in obs] == [
        ("a", "u", "council", day(30)), ("c", "r", "committee", D0), ("d", UNASSIGNED, None, day(5))]
    assert obs[0].rule == "army <= 100 k"
    assert plan_digest(plan) != plan_digest(plan.model_copy(update={"version": "3"}))


def test_bundled_plan_declares_checkable_obligations(bundled_case) -> None:  # type: ignore[no-untyped-def]
    case = bundled_case
    plan = case.plan("us-28-point")
    obs = obligations_for(plan, agreement_for(case.id, plan, D0))
    assert len(obs) >= 5
    by = {o.provision: o for o in obs}
    assert by["6"].comparator == "<=" and by["6"].threshold == 600000 and by["6"].obliged == "ukraine"
    assert by["25"].due == day(100)  # "elections within 100 days"
    assert by["24"].indicator == "prisoners_unreturned" and by["24"].comparator == "=="  # all-for-all
    assert all(set(o.parties) <= set(case.actor_ids) for o in obs)
    assert by["24"].parties == by["28"].parties == ("russia", "ukraine")  # all-for-all, ceasefire: both sides


@pytest.mark.parametrize(("cmp", "value", "thr", "expected"), [
    ("<=", 5, 5, True), ("<", 5, 5, False), (">=", 5, 5, True), (">", 6, 5, True),
    ("==", 0, 0, True), ("!=", 0, 0, False)])
def test_meets(cmp: str, value: float, thr: float, expected: bool) -> None:
    assert meets(cmp, value, thr) is expected


# -- statuses, hand-worked ---------------------------------------------------------------------
def test_each_status() -> None:
    o = ob(due=30)
    assert assess(o, [], day(10)).status == "due"
    assert assess(o, [], day(30)).status == "unknown"
    assert assess(o, [rep("a", 150, 5)], day(10)).status == "due"
    assert assess(o, [rep("a", 90, 5)], day(10)).status == "compliant"  # met early
    s = assess(o, [rep("a", 150, 5)], day(40))
    assert (s.status, s.days_past_due) == ("overdue", 10)
    s = assess(o, [rep("a", 150, 5), rep("b", 120, 31)], day(40))
    assert (s.status, s.latest) == ("breach", (rep("b", 120, 31).id,))
    s = assess(o, [rep("a", 150, 5), rep("b", 120, 31), rep("a", 100, 35)], day(40))
    assert (s.status, s.met_on, s.late_days) == ("compliant", day(35), 5)
    assert "met 5 days late" in s.reason


def test_reports_outside_the_period_and_on_other_indicators_are_not_evidence() -> None:
    o = ob()
    before = Report(monitor="a", indicator="army", value=1, observed_at="2025-12-31", source="s")
    s = assess(o, [before, rep("a", 1, 5, indicator="navy"), rep("a", 1, 50)], day(40))
    assert (s.status, s.evidence) == ("unknown", ())
    b = board([o], [before, rep("a", 1, 50)], day(40))
    assert b.ignored_future == 1 and b.reports == {}


def test_dispute_and_conflicts() -> None:
    o = ob(comparator="==", threshold=0, due=0)
    reports = [rep("a", 0, 3), rep("b", 4, 3, hour=18), rep("a", 0, 5), rep("b", 0, 5), rep("a", 0, 9),
               rep("b", 2, 9)]
    s = assess(o, reports, day(9))
    assert s.status == "unknown" and s.disputed
    assert "a 0, b 2" in s.reason
    assert [(c.start, c.meets, c.fails) for c in s.conflicts] == [
        (day(3), (reports[0].id,), (reports[1].id,)), (day(9), (reports[4].id,), (reports[5].id,))]
    s = assess(o, reports[:4], day(6))
    assert s.status == "compliant" and not s.disputed and len(s.conflicts) == 1
    # before the due date a dispute leaves the obligation due
    assert assess(ob(comparator="==", threshold=0, due=20), reports, day(9)).status == "due"


def test_a_monitor_correcting_itself_is_not_a_conflict() -> None:
    o = ob(comparator="==", threshold=0, due=0)
    s = assess(o, [rep("a", 3, 4, hour=8), rep("a", 0, 4, hour=20)], day(4))
    assert s.status == "compliant" and not s.conflicts


def test_window_days_groups_reports() -> None:
    o = ob(comparator="==", threshold=0, due=0)
    reports = [rep("a", 0, 6), rep("b", 3, 7)]
    assert assess(o, reports, day(8), window_days=1).status == "breach"
    s = assess(o, reports, day(8), window_days=7)  # days 0–6 and 7–13: different windows
    assert s.status == "breach" and not s.conflicts
    s = assess(o, [rep("a", 0, 7), rep("b", 3, 8)], day(8), window_days=7)
    assert s.disputed and s.conflicts[0].start == day(7) and s.conflicts[0].end == day(13)


def test_timeline_and_scorecard() -> None:
    army = ob(due=30)
    vote = ob(comparator="==", threshold=1, due=20, indicator="vote", obliged="v")
    reports = [rep("a", 150, 5), rep("a", 120, 31), rep("a", 90, 45), rep("c", 0, 10, "vote")]
    b = board([army, vote], reports, day(50))
    assert [(t.date, t.obligation, t.status) for t in b.timeline] == [
        (D0, army.id, "due"), (D0, vote.id, "due"), (day(20), vote.id, "overdue"),
        (day(30), army.id, "overdue"), (day(31), army.id, "breach"), (day(45), army.id, "compliant")]
    assert [(s.actor, s.compliant, s.overdue, s.rate) for s in b.scorecard] == [("u", 1, 0, 1.0), ("v", 0, 1, 0.0)]
    assert len(b.reports) == 4
    assert scorecard([]) == []


# -- duties of several parties -----------------------------------------------------------------
def ceasefire() -> Obligation:
    return Obligation(id="a#cf", agreement="a", provision="9", title="Ceasefire", indicator="violations",
                      comparator="==", threshold=0, signed=D0, due=day(10), obliged=["east", "west"])


def cf(monitor: str, value: float, d: int, party: str | None) -> Report:
    return rep(monitor, value, d, "violations").model_copy(update={"party": party})


def test_each_party_of_a_two_sided_duty_is_judged_on_the_reports_about_it() -> None:
    reports = [cf("m1", 0, 3, None),  # before the due date, nobody violates: speaks for both
               cf("m1", 4, 12, "west"), cf("m1", 0, 12, "east"),  # after it: west violates, east does not
               cf("m2", 0, 14, "east")]
    s = board([ceasefire()], reports, day(20)).obligations[0]
    assert [(p.actor, p.status, p.reports) for p in s.parties] == [("east", "compliant", 3), ("west", "breach", 2)]
    assert s.status == "breach" and not s.disputed  # the duty is breached, by west alone: no dispute between sides
    assert s.reason.startswith("east: compliant, observed 0 on 2026-01-15") and "west: breach, observed 4" in s.reason
    assert len(s.evidence) == 4
    sc = {c.actor: (c.compliant, c.breach, c.total) for c in board([ceasefire()], reports, day(20)).scorecard}
    assert sc == {"east": (1, 0, 1), "west": (0, 1, 1)}  # charged to the party that breached, not to the first
    assert assess(ceasefire(), reports, day(20)) == s  # one obligation judged alone says the same


def test_a_report_naming_no_party_speaks_about_every_party() -> None:
    s = assess(ceasefire(), [cf("m1", 2, 12, None)], day(13))
    assert s.status == "breach" and [p.status for p in s.parties] == ["breach", "breach"]
    late = assess(ceasefire(), [cf("m1", 2, 12, None), cf("m1", 0, 15, "east")], day(16))
    assert [(p.actor, p.status) for p in late.parties] == [("east", "compliant"), ("west", "breach")]
    assert late.status == "breach"
    ok = assess(ceasefire(), [cf("m1", 0, 12, None)], day(13))
    assert ok.status == "compliant" and ok.met_on == day(12)


def test_the_timeline_of_a_two_sided_duty_follows_its_worst_party() -> None:
    reports = [cf("m1", 0, 3, None), cf("m1", 4, 12, "west"), cf("m1", 0, 15, "west")]
    b = board([ceasefire()], reports, day(20))
    assert [(t.date, t.status) for t in b.timeline] == [(D0, "due"), (day(3), "compliant"), (day(12), "breach"),
                                                       (day(15), "compliant")]


def test_a_single_party_duty_leaves_out_reports_about_another_party() -> None:
    one = ceasefire().model_copy(update={"obliged": "east"})
    s = assess(one, [cf("m1", 5, 12, "west"), cf("m1", 0, 12, "east")], day(13))
    assert s.status == "compliant" and len(s.evidence) == 1 and s.parties == ()


def test_an_obligation_spec_names_its_parties_once_each() -> None:
    with pytest.raises(ValueError, match="names 'east' twice"):
        ObligationSpec(indicator="v", comparator="==", threshold=0, deadline_days=1, obliged=["east", "east"])
    with pytest.raises(ValueError, match="non-empty list"):
        ObligationSpec(indicator="v", comparator="==", threshold=0, deadline_days=1, obliged=[])


def test_synthetic_marker_is_counted() -> None:
    r = Report(monitor="a", indicator="army", value=1, observed_at="2026-01-02", source="SYNTHETIC: demo")
    assert board([ob()], [r, rep("b", 1, 1)], day(5)).synthetic == 1


# -- oracle ------------------------------------------------------------------------------------
def oracle(o: Obligation, reports: list[Report], as_of: dt.date, w: int) -> tuple[str, bool, dt.date | None]:
    """The status rules of accord.monitor.compliance, written out naively."""
    ev = [r for r in reports if r.indicator == o.indicator and o.signed <= r.observed_on <= as_of]
    past_due = as_of >= o.due
    if not ev:
        return ("unknown" if past_due else "due"), False, None

    def window(r: Report) -> int:
        return (r.observed_on - o.signed).days // w

    def verdicts(k: int) -> set[bool]:
        last: dict[str, Report] = {}
        for r in sorted((r for r in ev if window(r) == k), key=lambda r: (r.observed_at, r.monitor, r.id)):
            last[r.monitor] = r
        return {meets(o.comparator, r.value, o.threshold) for r in last.values()}

    k = max(window(r) for r in ev)
    v = verdicts(k)
    if len(v) == 2:
        return ("unknown" if past_due else "due"), True, None
    if v == {True}:
        windows = sorted({window(r) for r in ev}, reverse=True)
        start = k
        for j in windows:
            if verdicts(j) != {True}:
                break
            start = j
        return "compliant", False, min(r.observed_on for r in ev if window(r) == start)
    if not past_due:
        return "due", False, None
    return ("breach" if max(r.observed_on for r in ev) >= o.due else "overdue"), False, None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 3), st.integers(-2, 40), st.integers(0, 23)),
             max_size=14),
    st.sampled_from(["<=", "<", ">=", ">", "==", "!="]), st.integers(0, 3), st.integers(0, 40),
    st.integers(0, 45), st.integers(1, 5),
)
def test_assess_agrees_with_oracle(rows, comparator, threshold, due, as_of, window) -> None:  # type: ignore[no-untyped-def]
    o = ob(comparator=comparator, threshold=threshold, due=due)
    reports = [Report(monitor=m, indicator="army", value=v,
                      observed_at=dt.datetime.combine(day(d), dt.time(h), tzinfo=dt.UTC), source="s")
               for m, v, d, h in rows]
    s = assess(o, reports, day(as_of), window)
    assert (s.status, s.disputed, s.met_on) == oracle(o, reports, day(as_of), window)

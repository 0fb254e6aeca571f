"""The bundled case ``ukraine_2025``: complete, sourced, and written in our own words."""

from __future__ import annotations

import datetime as dt
import doctest
import re
from pathlib import Path

import pytest

from accord.analysis.assess import assess_package
from accord.model import Case, load_case
from tests.conftest import SHARED

MAIN = ("russia", "ukraine", "us", "europe")
PLANS = {
    "us-28-point": "plan",
    "geneva-revision": "plan",
    "europe-counter": "plan",
    "framework-20-point": "plan",
    "russia-demands": "reference",
    "ukraine-principles": "reference",
}
NOTES = SHARED / "case-notes" / "ukraine-2025.md"

# Sentences of the case notes (section A) that a lazy encoding would copy verbatim.
NOTE_LINES = (
    "Ukraine's sovereignty is to be confirmed.",
    "The Armed Forces of Ukraine are capped at 600,000.",
    "NATO agrees not to station troops in Ukraine.",
    "Ukraine agrees to remain a non-nuclear-weapon state under the NPT.",
    "Ukraine holds elections within 100 days.",
    "ZNPP restarted under IAEA supervision; its output divided equally between Russia and Ukraine.",
    "Russia writes a non-aggression policy toward Europe and Ukraine into law.",
    "A joint US–Russian working group on security to promote and enforce compliance with all provisions.",
)


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case("ukraine_2025")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def test_every_cited_source_exists_with_an_http_url(case: Case) -> None:
    known = {s.id: s for s in case.sources}
    cited: set[str] = set()
    for p in case.positions:
        cited |= set(p.sources)
    for plan in case.plans:
        cited |= set(plan.sources)
        for prov in plan.provisions:
            cited |= set(prov.sources)
    assert cited, "nothing is cited"
    assert cited <= set(known), sorted(cited - set(known))
    for sid in cited:
        assert known[sid].url.startswith(("http://", "https://")), sid


def test_news_pravda_pages_are_marked_partisan(case: Case) -> None:
    pravda = [s for s in case.sources if "news-pravda.com" in s.url]
    assert pravda
    assert all(s.reliability == "partisan" for s in pravda), [s.id for s in pravda if s.reliability != "partisan"]


def test_quotes_are_short(case: Case) -> None:
    assert all(len(s.quote) <= 200 for s in case.sources)


def test_every_position_and_provision_has_a_source(case: Case) -> None:
    assert [(p.actor, p.issue) for p in case.positions if not p.sources] == []
    bare = [(plan.id, prov.id) for plan in case.plans for prov in plan.provisions if not prov.sources]
    assert bare == []


def test_every_estimate_carries_its_reasoning(case: Case) -> None:
    for p in case.positions:
        assert p.salience.estimate.strip(), (p.actor, p.issue)
        assert p.salience.low is not None and p.salience.high is not None, (p.actor, p.issue)
    for a in case.actors:
        assert a.capability.estimate.strip(), a.id
        assert a.batna.estimate.strip(), a.id


def test_all_six_plans_are_present(case: Case) -> None:
    assert {p.id: p.kind for p in case.plans} == PLANS


def test_us_plan_has_28_points_in_order(case: Case) -> None:
    plan = case.plan("us-28-point")
    assert [p.id for p in plan.provisions] == [str(i) for i in range(1, 29)]
    assert plan.authors == ("us",)
    assert str(plan.date) == "2025-11-20"
    assert plan.provision("6").option == "600k"
    assert plan.provision("21").option == "donetsk-withdrawal"


def test_us_plan_obligations(case: Case) -> None:
    plan = case.plan("us-28-point")
    specs = {p.id: p.obligation for p in plan.provisions if p.obligation is not None}
    assert set(specs) == {"6", "14", "19", "23", "24", "25", "28"}
    assert (specs["6"].indicator, specs["6"].comparator, specs["6"].threshold) == (
        "ukraine_armed_forces_headcount", "<=", 600000)
    assert (specs["25"].indicator, specs["25"].deadline_days) == ("election_held", 100)
    assert specs["14"].threshold == 100e9
    assert specs["24"].threshold == 0 and specs["28"].threshold == 0
    # deadlines the plan does not state are labelled as accord's assumption
    for pid in ("6", "14", "19", "23", "24", "28"):
        assert "assumption" in specs[pid].description, pid


def test_revisions_number_and_omissions(case: Case) -> None:
    geneva = [p.id for p in case.plan("geneva-revision").provisions]
    assert not {"13", "14", "26"} & set(geneva)
    assert len(geneva) == 25
    e3 = [p.id for p in case.plan("europe-counter").provisions]
    assert "3" not in e3 and len(e3) == 27
    assert [p.id for p in case.plan("framework-20-point").provisions] == [str(i) for i in range(1, 21)]
    for pid in ("geneva-revision", "europe-counter", "framework-20-point"):
        assert case.plan(pid).based_on == "us-28-point"


def test_revisions_move_the_army_cap(case: Case) -> None:
    for pid in ("geneva-revision", "europe-counter", "framework-20-point"):
        assert case.package(pid)["military_limits"] == "800k", pid
    assert case.package("europe-counter")["territory"] == "line-of-contact"
    assert case.package("framework-20-point")["territory"] == "signing-line-zones"


def test_unreported_geneva_points_are_unverified(case: Case) -> None:
    for p in case.plan("geneva-revision").provisions:
        if "carried over from v1" in p.note:
            assert p.status == "unverified", p.id


def test_main_actors_hold_positions_on_every_issue(case: Case) -> None:
    issues = set(case.issue_ids)
    assert len(issues) == 24
    for actor in MAIN:
        held = {p.issue for p in case.positions if p.actor == actor}
        assert held == issues, (actor, sorted(issues - held))
        total = sum(case.salience(actor, i) for i in issues)
        assert abs(total - 1) <= 0.011, (actor, total)
    assert not [p for p in case.positions if p.actor in ("nato", "china")]


def test_ukraine_red_lines(case: Case) -> None:
    territory = case.position("ukraine", "territory")
    assert territory is not None
    assert {"donetsk-withdrawal", "four-regions"} <= set(territory.red_line)
    army = case.position("ukraine", "military_limits")
    assert army is not None and "800k" in army.acceptable and "600k" in army.red_line
    # the constitutional NATO ban is not sourced as a Ukrainian red line
    nato = case.position("ukraine", "nato_membership")
    assert nato is not None and nato.red_line == ()


def test_us_and_europe_state_no_red_lines(case: Case) -> None:
    assert [p.issue for p in case.positions if p.actor in ("us", "europe") and p.red_line] == []


def test_provision_texts_are_not_copied_from_the_notes(case: Case) -> None:
    texts = [_norm(p.text) for plan in case.plans for p in plan.provisions]
    for line in NOTE_LINES:
        n = _norm(line)
        assert all(n not in t and t not in n for t in texts), line


@pytest.mark.skipif(not NOTES.is_file(), reason="case notes not available")
def test_no_provision_text_appears_verbatim_in_the_notes(case: Case) -> None:
    notes = _norm(NOTES.read_text(encoding="utf-8"))
    copied = [
        (plan.id, p.id)
        for plan in case.plans
        for p in plan.provisions
        if len(p.text) > 30 and _norm(p.text) in notes
    ]
    assert copied == []


# --- time: the record as histories of dated states -------------------------------------------

D = dt.date
DOCS = Path(__file__).resolve().parents[2] / "docs" / "case-ukraine-2025.md"
MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
# "21 Nov", "28–29 Dec", "25 Apr 2025", "14 June 2024": a day (or a range of days) and a month
DAY_MONTH = re.compile(
    r"\b(?:\d{1,2}[–-])?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?: (\d{4}))?")


def _mentioned(text: str) -> list[dt.date]:
    """Every day a text names, e.g. '(25 Nov)' or '14 June 2024'; a year left out is 2025."""
    return [D(int(y or 2025), MONTHS[m], int(d)) for d, m, y in DAY_MONTH.findall(text)]


def test_mentioned_days_are_read_as_written() -> None:
    assert _mentioned("Putin (27 Nov) and Ushakov/Peskov (28–29 Dec); June 2024: 14 June 2024") == [
        D(2025, 11, 27), D(2025, 12, 29), D(2024, 6, 14)]


def test_every_state_is_dated_and_rests_on_dated_evidence(case: Case) -> None:
    published = {s.id: s.date for s in case.sources}
    for p in case.history:
        assert p.since is not None, (p.actor, p.issue)
        dated = [published[s] for s in p.sources if published[s] is not None]
        assert dated, ("only undated sources", p.actor, p.issue, p.since)
        assert max(dated) <= p.since, (p.actor, p.issue, p.since)


def test_no_note_or_estimate_speaks_of_a_later_day(case: Case) -> None:
    """A state's note and the estimates in effect with it were written as of its date."""
    for p in case.history:
        assert p.since is not None
        texts = [p.note, p.salience.estimate, p.firmness.estimate if p.firmness else ""]
        later = [d for t in texts for d in _mentioned(t) if d > p.since]
        assert not later, (p.actor, p.issue, p.since, later)


def test_every_red_line_has_a_firmness_estimate(case: Case) -> None:
    for p in case.history:
        if p.red_line:
            f = p.firmness
            assert f is not None and f.low is not None and f.high is not None, (p.actor, p.issue, p.since)
            assert 0 < f.low <= f.value <= f.high < 1 and f.estimate.strip(), (p.actor, p.issue, p.since)


def test_moving_ideals_carry_a_range_and_say_why(case: Case) -> None:
    ranged = [p for p in case.history if p.axis_low is not None]
    assert {(p.actor, p.issue) for p in ranged} >= {
        ("russia", "territory"), ("russia", "military_limits"), ("ukraine", "military_limits"), ("us", "territory")}
    for p in ranged:
        assert p.axis_high is not None
        issue = case.issue(p.issue)
        assert p.axis_low <= issue.axis(p.ideal) <= p.axis_high, (p.actor, p.issue, p.since)
    for p in ranged:  # the state that sets a range says why
        before = [q for q in case.states(p.actor, p.issue) if q.since is not None and p.since is not None
                  and q.since < p.since]
        if not before or (before[-1].axis_low, before[-1].axis_high) != (p.axis_low, p.axis_high):
            assert "drawn between" in p.note, (p.actor, p.issue, p.since)


def test_no_position_before_the_first_evidence(case: Case) -> None:
    """Before 2024 only Russia's 2021 and 2022 demands stand; no one holds a position on elections before
    the record speaks of them."""
    early = case.at(D(2025, 1, 1))
    assert {(p.actor, p.issue) for p in early.positions} == {
        ("russia", i) for i in ("territory", "nato_membership", "sanctions", "ceasefire", "language_religion",
                                "sovereignty", "nuclear_status", "nato_enlargement")}
    nov21 = case.at(D(2025, 11, 21))
    assert nov21.position("ukraine", "elections") is None and nov21.position("russia", "elections") is None
    assert case.at(D(2025, 12, 24)).position("ukraine", "elections") is not None


def test_ukraine_army_cap_moves_from_no_cap_to_800k(case: Case) -> None:
    """Every cap refused on 21 November; 800,000 accepted in the revised text (FT, 25 Nov) and on 28 December."""
    before, after = case.at(D(2025, 11, 21)), case.at(D(2025, 12, 28))
    early = before.position("ukraine", "military_limits")
    late = after.position("ukraine", "military_limits")
    assert early is not None and late is not None
    assert {"800k", "600k"} <= set(early.red_line) and early.acceptable == ()
    assert "800k" in late.acceptable and "600k" in late.red_line and "800k" not in late.red_line
    assert late.holds > early.holds  # firmer once the line has settled at 800,000
    # so the Geneva revision's 800,000 crosses Ukraine's red line as of 21 November, not as of 28 December
    plan = case.plan("geneva-revision")
    crossed = {
        d: {r.issue for r in assess_package(case.at(d), case.package(plan), plan=plan).actors["ukraine"].red_lines}
        for d in (D(2025, 11, 21), D(2025, 12, 28))
    }
    assert "military_limits" in crossed[D(2025, 11, 21)] and "military_limits" not in crossed[D(2025, 12, 28)]
    assert "territory" in crossed[D(2025, 11, 21)] and "territory" in crossed[D(2025, 12, 28)]


def test_the_turning_points_of_the_record(case: Case) -> None:
    def pos(actor: str, issue: str, day: dt.date):  # type: ignore[no-untyped-def]
        p = case.at(day).position(actor, issue)
        assert p is not None, (actor, issue, day)
        return p

    # Putin calls the plan a basis (21 Nov): its Donetsk withdrawal becomes acceptable to Moscow, as a reading
    assert pos("russia", "territory", D(2025, 11, 20)).acceptable == ()
    p = pos("russia", "territory", D(2025, 11, 21))
    assert p.acceptable == ("donetsk-withdrawal",) and p.inferred and p.red_line == ()
    # Bishkek (27 Nov): troops out of the land Kyiv holds, or by force; repeated after Mar-a-Lago, firmer
    assert "line-of-contact" in pos("russia", "territory", D(2025, 11, 27)).red_line
    assert pos("russia", "territory", D(2025, 12, 29)).holds > pos("russia", "territory", D(2025, 11, 27)).holds
    # Russia's ceasefire red line rests on 28–29 December and not before
    assert pos("russia", "ceasefire", D(2025, 12, 28)).red_line == ()
    assert pos("russia", "ceasefire", D(2025, 12, 29)).red_line == ("ceasefire-first",)
    # Berlin: Zelensky offers to drop the NATO bid (14 Dec); the US answers with Article-5-like guarantees (15 Dec)
    assert "bid-dropped" not in pos("ukraine", "nato_membership", D(2025, 12, 13)).acceptable
    assert "bid-dropped" in pos("ukraine", "nato_membership", D(2025, 12, 14)).acceptable
    assert "article5-like" not in pos("us", "security_guarantees", D(2025, 12, 14)).acceptable
    assert "article5-like" in pos("us", "security_guarantees", D(2025, 12, 15)).acceptable
    # the 20-point framework (24 Dec): Kyiv accepts the signing-day line, the US moves on the nuclear plant
    assert pos("ukraine", "territory", D(2025, 12, 23)).acceptable == ()
    assert pos("ukraine", "territory", D(2025, 12, 24)).acceptable == ("signing-line-zones",)
    assert pos("us", "zaporizhzhia_npp", D(2025, 12, 23)).ideal == "iaea-split"
    assert pos("us", "zaporizhzhia_npp", D(2025, 12, 24)).ideal == "trilateral"
    # Europe accepts 800,000 with the E3 text (23 Nov)
    assert pos("europe", "military_limits", D(2025, 11, 22)).acceptable == ()
    assert pos("europe", "military_limits", D(2025, 11, 23)).acceptable == ("800k",)


def test_outcomes_of_the_record(case: Case) -> None:
    by_id = {o.id: o for o in case.outcomes}
    kyiv = by_id["ukraine-not-as-it-stands"]
    assert (kyiv.decision, kyiv.plan) == ("reject", "us-28-point")
    assert by_id["russia-basis-21-nov"].decision == "basis" and by_id["russia-basis-27-nov"].decision == "basis"
    accept = by_id["ukraine-accepts-800k"]
    assert (accept.date, accept.issue, accept.option, accept.decision) == (D(2025, 11, 25), "military_limits", "800k",
                                                                           "accept")
    talks = [o.date for o in case.outcomes if o.kind == "talks"]
    assert talks == sorted(talks) and talks[-1] == D(2025, 12, 28)
    # the scenarios' resolutions by their horizon: talks went on with nothing signed (stalemate), nobody walked out
    resolved = {o.scenario: o.occurred for o in case.outcomes if o.scenario is not None}
    assert resolved == {"stalemate": True, "collapse": False}
    assert all(o.date <= case.horizon for o in case.outcomes if o.scenario is not None)  # type: ignore[operator]
    published = {s.id: s.date for s in case.sources}
    for o in case.outcomes:  # each outcome rests on reports of that day or the next morning
        days = [published[s] for s in o.sources]
        assert all(d is not None and d <= o.date + dt.timedelta(days=1) for d in days), o.id


@pytest.mark.skipif(not DOCS.is_file(), reason="docs not available")
def test_the_docs_list_every_undated_source(case: Case) -> None:
    undated = {s.id for s in case.sources if s.undated}
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", DOCS.read_text(encoding="utf-8"), re.M))
    assert undated and undated <= listed
    assert len(undated) == 12


@pytest.mark.skipif(not DOCS.is_file(), reason="docs not available")
def test_the_case_guide_examples_run() -> None:
    result = doctest.testfile(str(DOCS), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3 and result.failed == 0

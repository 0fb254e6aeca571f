"""The bundled case ``ukraine_2025``: complete, sourced, and written in our own words."""

from __future__ import annotations

import re

import pytest

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

"""Position histories: dated states, the leakage rule, views as of a date, outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import CaseError
from accord.model import Position, load_case
from accord.model.case import view_of
from tests.conftest import TOY, write_case

D = dt.date

HISTORY = {
    **TOY,
    "sources.yaml": """\
        - {id: s1, url: https://example.org/toy, date: 2025-11-21, publisher: Example}
        - {id: s2, url: https://example.org/later, date: 2025-12-11, publisher: Example}
        - {id: s3, url: https://example.org/undated, undated: true, publisher: Example}
        """,
    "positions.yaml": """\
        a:
          land:
            - since: 2025-11-21
              ideal: all-a
              red_line: [all-b, split]
              firmness: {value: 0.9, low: 0.8, high: 1.0, estimate: stated often}
              salience: {value: 0.75, estimate: core}
              sources: [s1]
            - since: 2025-12-11
              acceptable: [split]
              red_line: [all-b]
              sources: [s2]
              note: accepts the split in the revised text
          army: {ideal: "100", salience: {value: 0.25, estimate: secondary}, sources: [s1]}
        b:
          land: {ideal: all-b, salience: {value: 0.5, estimate: core}, acceptable: [split], sources: [s1]}
          army:
            - {since: 2025-12-11, ideal: "0", salience: {value: 0.5, estimate: core}, sources: [s2]}
        """,
}


def problems(root: Path) -> list[str]:
    with pytest.raises(CaseError) as e:
        load_case(root)
    return e.value.lines()


def edit(root: Path, name: str, old: str, new: str) -> None:
    p = root / name
    text = p.read_text()
    assert old in text, f"{old!r} not in {name}"
    p.write_text(text.replace(old, new, 1))


@pytest.fixture
def hist_dir(tmp_path: Path) -> Path:
    return write_case(tmp_path / "hist", HISTORY)


def test_history_loads_and_later_states_inherit(hist_dir: Path) -> None:
    case = load_case(hist_dir)
    first, second = case.states("a", "land")
    assert (first.since, second.since) == (D(2025, 11, 21), D(2025, 12, 11))
    assert second.ideal == "all-a" and second.salience.value == 0.75  # inherited
    assert second.red_line == ("all-b",) and second.acceptable == ("split",)
    assert second.firmness is None  # a new red line does not keep the old one's firmness
    assert first.firmness is not None and first.holds == 0.9
    assert len(case.history) == 5 and len(case.positions) == 4
    assert case.dates() == [D(2025, 11, 21), D(2025, 12, 11)]


def test_views_as_of_a_date(hist_dir: Path) -> None:
    case = load_case(hist_dir)
    early = case.at(D(2025, 11, 30))
    assert early.position("a", "land").red_line == ("all-b", "split")
    assert early.position("b", "army") is None  # not yet held
    # b held only land then: its salience is rescaled to b's latest total
    assert early.position("b", "land").salience.value == pytest.approx(1.0)
    assert "rescaled" in early.position("b", "land").salience.estimate
    before_all = case.at(D(2025, 1, 1))
    assert before_all.position("a", "land") is None
    assert before_all.position("a", "army") is not None  # undated snapshot: in effect at every date
    late = case.at(D(2026, 1, 1))
    assert late.positions == case.positions  # after the last state: the latest view, unchanged
    assert case.at(D(2025, 11, 30)) is early  # cached


def test_a_state_may_not_cite_a_later_source(hist_dir: Path) -> None:
    edit(hist_dir, "positions.yaml", "sources: [s1]\n    - since: 2025-12-11",
         "sources: [s1, s2]\n    - since: 2025-12-11")
    (line,) = problems(hist_dir)
    assert "positions.yaml:" in line and "a.land[0]: cites s2 (2025-12-11) but takes effect 2025-11-21" in line


def test_states_out_of_order(hist_dir: Path) -> None:
    edit(hist_dir, "positions.yaml", "- since: 2025-12-11\n      acceptable",
         "- since: 2025-11-01\n      acceptable")
    lines = problems(hist_dir)
    assert any("a.land[1].since: state takes effect 2025-11-01 but the state before it took effect 2025-11-21"
               in x for x in lines), lines


def test_each_state_of_a_history_needs_a_date(hist_dir: Path) -> None:
    edit(hist_dir, "positions.yaml", "- since: 2025-12-11\n      acceptable", "- acceptable")
    lines = problems(hist_dir)
    assert any("a.land[1].since: required field is missing" in x for x in lines), lines


def test_the_first_state_needs_the_required_fields(hist_dir: Path) -> None:
    edit(hist_dir, "positions.yaml", "      ideal: all-a\n", "")
    lines = problems(hist_dir)
    assert any("positions.yaml:3: a.land[0].ideal: required field is missing" in x for x in lines), lines


def test_a_state_that_changes_nothing(hist_dir: Path) -> None:
    edit(hist_dir, "positions.yaml", "      acceptable: [split]\n      red_line: [all-b]\n", "")
    edit(hist_dir, "positions.yaml", "      firmness: {value: 0.9, low: 0.8, high: 1.0, estimate: stated often}\n", "")
    lines = problems(hist_dir)
    assert any("a.land[1]: changes nothing from the state before it" in x for x in lines), lines


def test_firmness_needs_a_red_line_and_a_probability(hist_dir: Path) -> None:
    edit(hist_dir, "positions.yaml", "value: 0.9, low: 0.8, high: 1.0", "value: 1.2, low: 0.8, high: 1.3")
    lines = problems(hist_dir)
    assert any("a.land[0].firmness: firmness value 1.2 must lie in [0, 1]" in x for x in lines), lines


def test_undated_sources_are_counted(hist_dir: Path) -> None:
    case = load_case(hist_dir)
    (w,) = case.warnings
    assert w.startswith("1 of 3 sources have no publication date (1 marked undated") and "s3" in w


def test_a_source_is_dated_or_undated(hist_dir: Path) -> None:
    edit(hist_dir, "sources.yaml", "undated: true", "undated: true, date: 2025-01-01")
    (line,) = problems(hist_dir)
    assert "sources.yaml:3: s3: a source with a date (2025-01-01) cannot be marked undated" in line


def test_snapshot_case_is_a_history_of_one(toy_dir: Path) -> None:
    case = load_case(toy_dir)
    assert case.history == case.positions and case.dates() == []
    assert case.at(D(2020, 1, 1)).positions == case.positions


def test_plans_and_outcomes_after_the_date_are_left_out(hist_dir: Path) -> None:
    edit(hist_dir, "plans/p2.yaml", "based_on: p1", "based_on: p1\ndate: 2025-12-20")
    (hist_dir / "outcomes.yaml").write_text(
        "- {id: o1, date: 2025-12-12, kind: decision, actor: a, plan: p1, decision: reject,"
        " description: A says no, sources: [s2]}\n"
    )
    case = load_case(hist_dir)
    assert [p.id for p in case.at(D(2025, 12, 1)).plans] == ["p1"]
    assert [o.id for o in case.at(D(2025, 12, 1)).outcomes] == []
    assert [o.id for o in case.at(D(2025, 12, 12)).outcomes] == ["o1"]
    assert case.outcome("o1").decision == "reject"


def test_outcomes_are_checked(hist_dir: Path) -> None:
    (hist_dir / "outcomes.yaml").write_text(
        "- {id: o1, date: 2025-12-12, kind: decision, actor: zeta, plan: p9, decision: reject,"
        " description: x, sources: [nope]}\n"
        "- {id: o2, date: 2025-12-12, kind: event, description: y, sources: []}\n"
    )
    lines = problems(hist_dir)
    assert any("o1.actor: unknown actor 'zeta'" in x for x in lines), lines
    assert any("o1.plan: unknown plan 'p9'" in x for x in lines), lines
    assert any("o1.sources: unknown source 'nope'" in x for x in lines), lines
    assert any("outcomes.yaml:2: o2.sources:" in x for x in lines), lines


def test_no_state_of_the_bundled_case_leaks() -> None:
    """Every dated state of the bundled case cites only sources published by its date."""
    case = load_case("ukraine_2025")
    published = {s.id: s.date for s in case.sources}
    for p in case.history:
        if p.since is None:
            continue
        for ref in p.sources:
            assert published[ref] is None or published[ref] <= p.since, (p.actor, p.issue, p.since, ref)


@st.composite
def histories(draw: st.DrawFn) -> list[Position]:
    out = []
    for actor in ("a", "b"):
        for issue in ("x", "y", "z"):
            days = sorted(draw(st.sets(st.integers(0, 60), min_size=0, max_size=3)))
            for d in days:
                out.append(Position(actor=actor, issue=issue, since=D(2025, 1, 1) + dt.timedelta(days=d),
                                    ideal=draw(st.sampled_from(["p", "q"])),
                                    salience=draw(st.floats(0.05, 0.5))))
    return out


@settings(max_examples=200, deadline=None)
@given(histories(), st.integers(-5, 70))
def test_a_view_uses_only_states_in_effect_and_keeps_each_actors_total(h: list[Position], day: int) -> None:
    as_of = D(2025, 1, 1) + dt.timedelta(days=day)
    view = view_of(h, as_of)
    latest = view_of(h, None)
    for p in view:
        assert p.since is not None and p.since <= as_of
        later = [q for q in h if (q.actor, q.issue) == (p.actor, p.issue) and q.since and p.since < q.since <= as_of]
        assert not later  # the latest state in effect
    for actor in ("a", "b"):
        now = [p.salience.value for p in view if p.actor == actor]
        total = sum(p.salience.value for p in latest if p.actor == actor)
        if now:
            assert sum(now) == pytest.approx(total)

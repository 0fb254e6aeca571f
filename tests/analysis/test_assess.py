"""assess: a hand-worked toy case, and properties over random cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from accord.analysis.assess import assess_package, assess_plan, tilt, utility, verdict
from accord.errors import AccordError
from accord.model import Case, load_case
from tests.strategies import case_and_package, cases


@pytest.fixture
def toy(toy_dir: Path) -> Case:
    return load_case(toy_dir)


def test_plan_one_by_hand(toy: Case) -> None:
    r = assess_plan(toy, "p1")  # land → all-b, army → 50
    a, b = r.actors["a"], r.actors["b"]
    # a: land u = 1 - |100 - 0|/100 = 0, army u = 1 - |50 - 0|/100 = 0.5 → 0.75·0 + 0.25·0.5
    assert a.utility == pytest.approx(0.125)
    assert not a.accepts and a.margin == pytest.approx(0.125 - 0.3)
    assert [(x.issue, x.option, x.provisions) for x in a.red_lines] == [("land", "all-b", ("1",))]
    # b: land at its ideal (1), army halfway (0.5) → 0.5·1 + 0.5·0.5
    assert b.utility == pytest.approx(0.75) and b.accepts and not b.red_lines
    assert r.cell("1", "b").verdict == "accepts" and r.cell("2", "b").verdict == "conditional"
    assert r.cell("1", "a").verdict == "red_line"
    assert b.conditional == ("2",)
    # tilt (a, b): land t = (100 - 0)/100 = 1, w = (0.75 + 0.5)/2; army t = 0, w = (0.25 + 0.5)/2
    assert r.tilt.per_issue == {"land": pytest.approx(1.0), "army": pytest.approx(0.0)}
    assert r.tilt.index == pytest.approx(0.625 / 1.0)
    assert r.tilt.favours == "b"


def test_plan_two_by_hand_with_silent_issue(toy: Case) -> None:
    r = assess_plan(toy, "p2")  # land → split; army silent → status quo "100"
    assert r.package == {"land": "split", "army": "100"}
    assert r.actors["a"].utility == pytest.approx(0.75 * 0.5 + 0.25 * 1.0)
    assert r.actors["b"].utility == pytest.approx(0.5 * 0.5 + 0.5 * 0.0)
    assert r.actors["a"].accepts and r.actors["b"].accepts
    assert r.cell("1", "b").verdict == "accepts"  # split is on b's acceptable list
    assert r.cell("1", "a").verdict == "conditional"
    assert r.cell("3", "a").verdict == "none"  # a clause that settles no issue
    # land t = 0 (w .625), army t = (0 - 100)/100 = -1 (w .375)
    assert r.tilt.index == pytest.approx(-0.375)
    assert r.tilt.favours == "a"


def test_red_line_of_a_silent_issue_counts(toy_dir: Path) -> None:
    p = toy_dir / "positions.yaml"
    p.write_text(p.read_text().replace('army: {ideal: "0",', 'army: {ideal: "0", red_line: ["100"],'))
    r = assess_plan(load_case(toy_dir), "p2")
    (x,) = r.actors["b"].red_lines
    assert (x.issue, x.option, x.provisions) == ("army", "100", ())
    assert not r.actors["b"].accepts


def test_unknown_plan_and_option_are_clear_errors(toy: Case) -> None:
    with pytest.raises(AccordError, match="no plan 'p9'"):
        assess_plan(toy, "p9")
    with pytest.raises(AccordError, match="package.land: unknown option 'nowhere'"):
        assess_package(toy, {"land": "nowhere"})


@settings(max_examples=150, deadline=None)
@given(case_and_package())
def test_utility_in_unit_interval(cp: tuple[Case, dict[str, str]]) -> None:
    case, package = cp
    for a in case.actor_ids:
        assert -1e-12 <= utility(case, a, package) <= 1 + 1e-12
    t = tilt(case, package)
    assert -1 - 1e-12 <= t.index <= 1 + 1e-12


@settings(max_examples=150, deadline=None)
@given(cases())
def test_ideal_package_gives_one_and_crosses_nothing(case: Case) -> None:
    for a in case.actor_ids:
        ideal = {i: case.position(a, i).ideal for i in case.issue_ids}  # type: ignore[union-attr]
        r = assess_package(case, ideal, actors=[a])
        assert r.actors[a].utility == pytest.approx(1.0)
        assert r.actors[a].red_lines == ()
        assert r.actors[a].accepts
        assert all(c.verdict == "accepts" for c in r.cells)


@settings(max_examples=100, deadline=None)
@given(cases(max_actors=3))
def test_tilt_is_plus_one_at_the_second_ideals(case: Case) -> None:
    a, b = case.tilt_pair
    if a == b:
        return
    at_b = {i: case.position(b, i).ideal for i in case.issue_ids}  # type: ignore[union-attr]
    t = tilt(case, at_b)
    if t.weights and sum(t.weights.values()) > 0:
        assert t.index == pytest.approx(1.0)


@settings(max_examples=100, deadline=None)
@given(case_and_package())
def test_verdict_matches_red_lines(cp: tuple[Case, dict[str, str]]) -> None:
    case, package = cp
    r = assess_package(case, package)
    for a, x in r.actors.items():
        crossed = {c.issue for c in x.red_lines}
        expect = {i for i, o in package.items() if verdict(case, a, i, o) == "red_line"}
        assert crossed == expect
        assert x.accepts == (not crossed and x.utility >= x.batna - 1e-12)


def test_degree_settled_by_and_no_position_by_hand(toy_dir: Path) -> None:
    """Hand-worked: the army ladder is 100 · 50 · 0; a's ideal is 100, b's is 0."""
    (toy_dir / "actors.yaml").write_text(
        (toy_dir / "actors.yaml").read_text()
        + "- id: c\n  name: Gamma\n  capability: {value: 0.1, estimate: small}\n"
        "  batna: {value: 0.5, estimate: aloof}\n"
    )
    (toy_dir / "plans" / "p3.yaml").write_text(
        "id: p3\nname: Plan three\nprovisions:\n"
        "  - {id: '1', title: Detail, text: Land details., issue: land, sources: [s1]}\n"
        "  - {id: '2', title: Army, text: No army., issue: army, option: '0', sources: [s1]}\n"
        "  - {id: '3', title: Army detail, text: Army details., issue: army, sources: [s1]}\n"
    )
    case = load_case(toy_dir)
    r = assess_plan(case, "p1")  # army → 50: one step from both ideals
    assert (r.cell("2", "a").verdict, r.cell("2", "a").degree) == ("conditional", "small")
    assert r.cell("2", "b").degree == "small" and r.cell("1", "b").degree is None  # accepts: no degree
    r3 = assess_plan(case, "p3")  # army → 0: two steps from a's ideal; land silent → status quo split
    assert (r3.cell("2", "a").verdict, r3.cell("2", "a").degree) == ("conditional", "large")
    assert r3.actors["a"].large == ("2",)
    # point 3 sets no option: judged on point 2's, named, and not counted again as a point to change
    assert (r3.cell("3", "a").option, r3.cell("3", "a").settled_by, r3.cell("3", "a").degree) == ("0", "2", "large")
    # point 1 speaks to land but no point sets it: judged on the status quo (split), which it leaves in place
    assert (r3.cell("1", "a").option, r3.cell("1", "a").settled_by) == ("split", None)
    assert r3.actors["a"].conditional == ("1", "2")
    assert r3.actors["b"].conditional == ()  # b: army 0 is its ideal, split acceptable
    # c holds no position: no verdict, not a rejection
    c = r3.actors["c"]
    assert (c.positions, c.stance) == (0, "no position")
    assert r3.actors["a"].stance == ("accepts" if r3.actors["a"].accepts else "rejects")


def test_tilt_leaning_pulls_towards_the_side_it_favours(toy: Case) -> None:
    for plan in ("p1", "p2"):
        t = assess_plan(toy, plan).tilt
        assert sum(t.contributions().values()) == pytest.approx(t.index)
        side = 1 if t.index > 0 else -1
        assert t.leaning() and all(c * side > 0 for _, c in t.leaning())
    assert [i for i, _ in assess_plan(toy, "p2").tilt.leaning()] == ["army"]  # favours a; land is neutral

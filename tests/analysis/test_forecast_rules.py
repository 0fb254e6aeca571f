"""The scenario rule language: parsing, checking against a case, vectorised evaluation, intervals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.scenarios import Outcome, evaluate, wilson_interval
from accord.errors import AccordError, CaseError
from accord.model import load_case
from accord.model.rules import Between, BoolOp, Call, Compare, In, Not, Num, RuleError, Str, parse_rule, rule_problems

ISSUES = {"land": ["all-a", "split", "all-b"], "army": ["100", "50", "0"]}
ACTORS = {"a", "b"}


def outcome() -> Outcome:
    """Four draws of a two-issue, two-actor case, written out by hand."""
    return Outcome(
        issues=("land", "army"), actors=("a", "b"),
        options=(("all-a", "split", "all-b"), ("100", "50", "0")),
        option_axis=(np.array([0.0, 50.0, 100.0]), np.array([0.0, 50.0, 100.0])),
        status_quo=np.array([1, 0]),
        position=np.array([[10.0, 0.0], [45.0, 60.0], [90.0, 100.0], [50.0, 40.0]]),
        option=np.array([[0, 0], [1, 1], [2, 2], [1, 1]]),
        utility=np.array([[0.9, 0.1], [0.5, 0.5], [0.1, 0.9], [0.6, 0.4]]),
        batna=np.array([[0.3, 0.2], [0.3, 0.2], [0.3, 0.2], [0.3, 0.45]]),
        capability=np.array([[0.6, 0.4]] * 4),
        salience=np.array([[[0.75, 0.25], [0.5, 0.5]]] * 4),
        crossed=np.array([[0, 1], [0, 0], [1, 0], [0, 0]]),
    )


def test_parse_tree_and_precedence() -> None:
    t = parse_rule("not position(land) < 1 and batna(a) > 0 or accepts(b)")
    assert isinstance(t, BoolOp) and t.op == "or"
    left = t.items[0]
    assert isinstance(left, BoolOp) and left.op == "and" and isinstance(left.items[0], Not)
    assert parse_rule("position(land) between 25 and 60") == Between(Call("position", ("land",)), Num(25), Num(60))
    assert parse_rule("option(land) not in ['split']") == In(Call("option", ("land",)), (Str("split"),), True)
    assert parse_rule("-batna(a) * 2 + 1 >= 0.5").__class__ is Compare
    with pytest.raises(RuleError, match="column 35: unexpected '=='"):
        parse_rule("(utility(a) - batna(a)) / 2 > 0.1 == true")  # comparisons do not chain


@pytest.mark.parametrize("text,col,fragment", [
    ("position(land) >", 17, "unexpected 'end of rule'"),
    ("position(land) > 3 3", 20, "unexpected '3'"),
    ("foo(land) > 1", 1, "unknown function 'foo'"),
    ("salience(a) > 1", 1, "takes 2 argument(s)"),
    ("position(land) between 1 or 2", 26, "expected 'and'"),
    ("position(land) > 1 $", 20, "unexpected character '$'"),
    ("option(land) in ['split'", 25, "expected ']'"),
])
def test_syntax_errors_give_the_column(text: str, col: int, fragment: str) -> None:
    with pytest.raises(RuleError) as e:
        parse_rule(text)
    assert e.value.col == col and fragment in str(e.value)


def test_rule_problems_name_what_is_wrong() -> None:
    assert rule_problems("option(land) == 'split' and accepts(a)", ISSUES, ACTORS) == []
    assert rule_problems("position(x) > 1", ISSUES, ACTORS) == ["unknown issue 'x'; expected one of ['army', 'land']"]
    assert rule_problems("utility(c) > 1", ISSUES, ACTORS) == ["unknown actor 'c'; expected one of ['a', 'b']"]
    assert rule_problems("option(land) == 'none'", ISSUES, ACTORS) == [
        "issue 'land' has no option 'none'; expected one of ['all-a', 'split', 'all-b']"]
    assert rule_problems("option(land) == option(army)", ISSUES, ACTORS) == [
        "cannot compare options of different issues (land and army)"]
    assert rule_problems("option(land) > 3", ISSUES, ACTORS) == [
        "an option (land) compares with a quoted option id, not a number"]
    assert rule_problems("utility(a)", ISSUES, ACTORS) == ["expected a condition (true/false), got number"]
    assert rule_problems("accepts(a) < accepts(b)", ISSUES, ACTORS) == ["cannot compare bool < bool"]
    assert rule_problems("position(land) >", ISSUES, ACTORS)[0].startswith("syntax error at column 17")


def test_evaluation_by_hand() -> None:
    out = outcome()
    ev = lambda r: evaluate(r, out).tolist()  # noqa: E731
    assert ev("option(land) == 'split'") == [False, True, False, True]
    assert ev("option(land) >= 'split'") == [False, True, True, True]  # by place on the axis
    assert ev("option(land) in ['all-a', 'all-b']") == [True, False, True, False]
    assert ev("option(army) not in ['100']") == [False, True, True, True]
    assert ev("option(land) == status_quo(land)") == [False, True, False, True]
    assert ev("position(land) between 40 and 60") == [False, True, False, True]
    assert ev("utility(a) < batna(a) or utility(b) < batna(b)") == [True, False, True, True]
    assert ev("accepts(a) and accepts(b)") == [False, True, False, False]
    assert ev("crossed(a) + crossed(b) == 0") == [False, True, False, True]
    assert ev("salience(a, land) * capability(a) > 0.4") == [True] * 4
    assert ev("-batna(b) < -0.3") == [False, False, False, True]
    assert ev("(utility(a) - batna(a)) / 2 > 0.1") == [True, False, False, True]
    assert ev("true and not false") == [True] * 4


def test_evaluation_errors() -> None:
    with pytest.raises(AccordError, match="must be a condition"):
        evaluate("position(land)", outcome())
    with pytest.raises(AccordError, match="syntax error at column 1"):
        evaluate("@", outcome())
    with pytest.raises(AccordError, match="has no option 'none'"):
        evaluate("option(land) == 'none'", outcome())


def test_wilson_interval() -> None:
    lo, hi = wilson_interval(30, 100)
    assert (round(lo, 4), round(hi, 4)) == (0.2189, 0.3958)  # textbook values
    assert wilson_interval(0, 50)[0] == 0.0 and 0 < wilson_interval(0, 50)[1] < 0.08
    assert wilson_interval(50, 50)[1] == 1.0 and wilson_interval(50, 50)[0] > 0.92


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5000), st.data())
def test_wilson_interval_contains_the_estimate(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    lo, hi = wilson_interval(k, n)
    assert 0 <= lo <= k / n <= hi <= 1


def test_loader_reports_unknown_issue_in_a_rule(toy_dir: Path) -> None:
    (toy_dir / "scenarios.yaml").write_text(
        "horizon: 2026-01-31\nscenarios:\n"
        "  - id: ok\n    name: Fine\n    rule: accepts(a)\n    resolution: a signs\n"
        "  - id: bad\n    name: Broken\n    rule: position(x) > 50 and option(land) == 'nowhere'\n"
        "    resolution: never\n"
        "  - id: rest\n    name: The rest\n    remainder: true\n    resolution: neither\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError) as e:
        load_case(toy_dir)
    lines = [ln.replace(str(toy_dir) + "/", "") for ln in e.value.lines()]
    lines = [ln[ln.index("scenarios.yaml"):] for ln in lines]
    assert lines == [
        "scenarios.yaml:9: bad.rule: issue 'land' has no option 'nowhere'; expected one of ['all-a', 'split', 'all-b']",
        "scenarios.yaml:9: bad.rule: unknown issue 'x'; expected one of ['army', 'land']",
    ]


def test_bundled_scenarios_parse_and_cite_known_sources() -> None:
    case = load_case("ukraine_2025")
    ids = [s.id for s in case.scenarios]
    assert {"de-escalation", "armistice", "collapse"} <= set(ids)
    assert case.scenarios[-1].remainder and not any(s.remainder for s in case.scenarios[:-1])
    assert case.horizon is not None and all(s.horizon == case.horizon for s in case.scenarios)
    known = {s.id for s in case.sources}
    for s in case.scenarios:
        assert s.description and s.resolution
        assert set(s.sources) <= known, set(s.sources) - known
        if not s.remainder:
            assert s.sources
            assert rule_problems(s.rule, {i.id: i.option_ids for i in case.issues}, set(case.actor_ids)) == []

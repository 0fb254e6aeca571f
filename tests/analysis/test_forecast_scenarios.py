"""Scenarios that add up (ordered rules, a remainder, a horizon), red lines that may break, and what the
case fixes: hand-worked cases, the loader's refusals, and properties over random cases."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis.forecast import forecast
from accord.analysis.models import resolve
from accord.analysis.montecarlo import draws_of, problem_of, values_of
from accord.analysis.scenarios import fixed_by_case
from accord.errors import CaseError
from accord.model import Case, Estimate, Scenario, load_case
from accord.model.rules import parse_rule, truth
from tests.conftest import TOY, write_case
from tests.strategies import cases

# -- the toy case: a's red line is all-b, b's is all-a; split is the only way to a deal -------------
SCEN = """\
    horizon: 2026-01-31
    scenarios:
      - id: walkout
        name: Talks collapse
        rule: utility(a) < batna(a) or utility(b) < batna(b)
        resolution: a side declares the talks over
      - id: vetoed
        name: A red line blocks the deal
        rule: crossed(a) > 0 or crossed(b) > 0
        resolution: talks go on, nobody signs
      - id: deal
        name: Both sign
        rule: accepts(a) and accepts(b)
        resolution: both sign
      - id: other
        name: Anything else
        remainder: true
        resolution: none of the above
    """


def toy_with(tmp_path: Path, positions: str | None = None, scenarios: str = SCEN, **files: str) -> Case:
    f = dict(TOY)
    f["scenarios.yaml"] = scenarios
    if positions is not None:
        f["positions.yaml"] = positions
    f.update(files)
    return load_case(write_case(tmp_path / "case", f))


COVERED = """\
    a:
      land: {ideal: all-a, salience: {value: 0.75, estimate: core}, red_line: [all-b, split], sources: [s1]}
      army: {ideal: "100", salience: {value: 0.25, low: 0.2, high: 0.3, estimate: secondary}, sources: [s1]}
    b:
      land: {ideal: all-b, salience: {value: 0.5, estimate: core}, red_line: [all-a], sources: [s1]}
      army: {ideal: "0", salience: {value: 0.5, estimate: core}, sources: [s1]}
    """


def test_every_option_on_a_certain_red_line_fixes_the_deal_out(tmp_path: Path) -> None:
    # land: all-a on b's red line, split and all-b on a's → every package crosses one: no deal, ever
    case = toy_with(tmp_path, COVERED)
    fixed = fixed_by_case(problem_of(case, resolve(["median"])))
    assert set(fixed) == {2, 3}
    assert fixed[2][0] is False and "the rule of 'vetoed', which comes first, holds for every package" in fixed[2][1]
    assert "every option of land is on a red line held as certain by a (split, all-b) or b (all-a)" in fixed[2][1]
    f = forecast(case, "median", draws=300, seed=1)
    deal = f.scenario("deal")
    assert deal.probability == 0 and deal.low is None and deal.high is None
    assert deal.fixed is not None and deal.fixed.startswith("fixed by the case: ")
    # walkout and vetoed share the draws; they can move (a's army salience is drawn), so each keeps its interval
    assert f.scenario("vetoed").fixed is None and f.scenario("vetoed").low is not None
    assert f.scenario("walkout").probability + f.scenario("vetoed").probability == pytest.approx(1.0)


def test_a_firmness_below_one_lets_the_deal_happen(tmp_path: Path) -> None:
    firm = COVERED.replace("red_line: [all-a], sources",
                           "red_line: [all-a], firmness: {value: 0.6, low: 0.4, high: 0.8, estimate: may give}, "
                           "sources")
    case = toy_with(tmp_path, firm)
    p = problem_of(case, resolve(["median"]))
    assert [(i.name, i.kind, i.low, i.high) for i in p.inputs if i.kind in ("firmness", "red_line")] == [
        ("b.land.firmness", "firmness", 0.4, 0.8), ("b.land.red_line", "red_line", 0.0, 1.0)]
    assert fixed_by_case(p) == {}  # nothing is certain any more
    # b's red line holds in a share of draws equal to its mean firmness (triangular 0.4, 0.6, 0.8 → 0.6)
    d = draws_of(p, values_of(p, np.random.default_rng(0).random((40_000, len(p.inputs)))))
    assert d.holds[:, 1, 0].mean() == pytest.approx(0.6, abs=0.01)
    assert d.holds[:, 0, 0].all() and d.holds[:, :, 1].all()  # a's land red line and every army: certain
    f = forecast(case, "median", draws=2000, seed=4, sensitivity=True, sensitivity_draws=200)
    # the median lands on all-a (a's ideal): a deal exactly when b's red line breaks and both gain from it
    assert f.issue("land").point_option == "all-a"
    assert 0.25 < f.scenario("vetoed").probability < 0.75
    assert sum(s.probability for s in f.scenarios) == pytest.approx(1.0)
    # --sensitivity ranks the red line and its firmness: pinned holding, every draw is vetoed; breaking, none
    rows = {r.input: r for r in f.sensitivity if r.scenario == "vetoed"}
    assert rows["b.land.red_line"].p_low == 1.0 and rows["b.land.red_line"].p_high == 0.0
    assert rows["b.land.firmness"].p_low < rows["b.land.firmness"].p_high
    top = [r for r in f.sensitivity if r.scenario == "vetoed"][0]
    assert top.input == "b.land.red_line"


def test_without_ranges_every_scenario_is_fixed(tmp_path: Path) -> None:
    plain = COVERED.replace("salience: {value: 0.25, low: 0.2, high: 0.3, estimate: secondary}",
                            "salience: {value: 0.25, estimate: secondary}").replace(
        "split], sources", "split], sources").replace("red_line: [all-b, split]", "red_line: [all-b]")
    actors = TOY["actors.yaml"].replace("{value: 0.6, low: 0.5, high: 0.7, estimate: bigger army}",
                                        "{value: 0.6, estimate: bigger army}")
    f = forecast(toy_with(tmp_path, plain, **{"actors.yaml": actors}), "median", draws=50, seed=0)
    assert f.inputs == 0
    assert all(s.fixed is not None and s.low is None for s in f.scenarios)
    assert sum(s.probability for s in f.scenarios) == 1.0 and {s.probability for s in f.scenarios} == {0.0, 1.0}


# -- the loader's refusals ----------------------------------------------------------------------------
def refusal(tmp_path: Path, scenarios: str, outcomes: str | None = None) -> list[str]:
    files = {"outcomes.yaml": outcomes} if outcomes else {}
    with pytest.raises(CaseError) as e:
        toy_with(tmp_path, scenarios=scenarios, **files)
    return [ln[ln.index("scenarios.yaml") if "scenarios.yaml" in ln else ln.index("outcomes.yaml"):]
            for ln in e.value.lines()]


def test_loader_rejects_a_list_without_a_horizon(tmp_path: Path) -> None:
    old = "- id: deal\n  name: Both sign\n  rule: accepts(a)\n  resolution: signs\n"
    assert refusal(tmp_path, old) == [
        "scenarios.yaml:1: expected a mapping: horizon (a date) and scenarios (an ordered list ending in a "
        "remainder); see docs/case-format.md#scenariosyaml"]
    no_horizon = textwrap.dedent(SCEN).replace("horizon: 2026-01-31\n", "")
    assert refusal(tmp_path, no_horizon) == [
        "scenarios.yaml:1: horizon: required field is missing: the date by which the scenarios resolve"]


def test_loader_rejects_sets_that_cannot_add_up(tmp_path: Path) -> None:
    text = textwrap.dedent(SCEN)
    no_rest = text[:text.index("  - id: other")]
    assert refusal(tmp_path, no_rest) == [
        "scenarios.yaml:2: scenarios: no remainder: end the list with one scenario marked remainder: true (what "
        "happens when no rule matches), so that the scenarios cover every outcome"]
    rest = text[text.index("  - id: other"):]
    early = text.replace(rest, "").replace("  - id: walkout", rest.rstrip("\n") + "\n  - id: walkout")
    assert refusal(tmp_path, early) == [
        "scenarios.yaml:5: other.remainder: the remainder must come last: scenarios are read in order, "
        "first match wins"]
    always = text.replace("rule: crossed(a) > 0 or crossed(b) > 0", "rule: crossed(a) >= 0 or true")
    assert refusal(tmp_path, always) == [
        "scenarios.yaml:9: vetoed.rule: always holds, so the scenarios after it (deal, other) could never match"]
    twice = text.replace("rule: accepts(a) and accepts(b)", "rule: crossed(a) > 0   or crossed(b) > 0")
    assert refusal(tmp_path, twice) == [
        "scenarios.yaml:13: deal.rule: the same rule as vetoed, which comes first: this scenario could never match"]
    ruled_rest = text.replace("remainder: true", "remainder: true\n    rule: accepts(a)")
    assert refusal(tmp_path, ruled_rest) == [
        "scenarios.yaml:15: other: the remainder has no rule: it is what happens when no earlier rule matches"]
    own_horizon = text.replace("    resolution: both sign\n", "    resolution: both sign\n    horizon: 2026-02-01\n")
    assert refusal(tmp_path, own_horizon) == [
        "scenarios.yaml:15: deal.horizon: the horizon belongs to the whole set; give it once, at the top of "
        "scenarios.yaml"]
    unresolved = text.replace("    resolution: both sign\n", "")
    assert refusal(tmp_path, unresolved) == ["scenarios.yaml:11: deal.resolution: required field is missing"]


def test_loader_rejects_outcomes_that_break_exclusivity(tmp_path: Path) -> None:
    outcomes = """\
        - {id: o1, date: 2026-01-10, kind: talks, scenario: vetoed, occurred: true, description: x, sources: [s1]}
        - {id: o2, date: 2026-01-20, kind: talks, scenario: deal, occurred: true, description: y, sources: [s1]}
        - {id: o3, date: 2026-02-02, kind: talks, scenario: walkout, occurred: false, description: z, sources: [s1]}
        """
    assert refusal(tmp_path, SCEN, outcomes) == [
        "outcomes.yaml:2: o2.occurred: records that 'deal' occurred, but o1 records 'vetoed': a case's scenarios "
        "are exclusive, at most one can occur",
        "outcomes.yaml:3: o3.date: dated 2026-02-02, after the scenarios' horizon 2026-01-31; a scenario resolves "
        "by its horizon",
    ]


# -- properties over random cases ------------------------------------------------------------------------
@st.composite
def rules(draw: st.DrawFn, case: Case) -> str:
    """A random rule over the case's names."""
    a = draw(st.sampled_from(case.actor_ids))
    iss = draw(st.sampled_from(case.issues))
    atoms = [
        f"accepts({a})", f"not accepts({a})", f"crossed({a}) > 0", f"crossed({a}) == 0",
        f"utility({a}) < batna({a})", f"option({iss.id}) == '{draw(st.sampled_from(iss.option_ids))}'",
        f"position({iss.id}) > {draw(st.integers(0, 100))}", f"batna({a}) > {draw(st.sampled_from([0.1, 0.5, 0.9]))}",
        f"option({iss.id}) == status_quo({iss.id})",
    ]
    k = draw(st.integers(1, 3))
    picked = draw(st.lists(st.sampled_from(atoms), min_size=k, max_size=k))
    joins = draw(st.lists(st.sampled_from([" and ", " or "]), min_size=k - 1, max_size=k - 1))
    text = picked[0]
    for j, atom in zip(joins, picked[1:], strict=True):
        text += j + atom
    return text


@st.composite
def uncertain_cases(draw: st.DrawFn) -> Case:
    """A random case with ranges on capability and batna, firmness on some red lines, and ordered scenarios."""
    case = draw(cases(max_issues=3, max_options=3, max_actors=3))
    actors = []
    for a in case.actors:
        spread = draw(st.sampled_from([0.0, 0.1, 0.3]))
        b = a.batna.value
        actors.append(a.model_copy(update={
            "batna": Estimate(value=b, low=max(0.0, b - spread), high=min(1.0, b + spread)) if spread else a.batna,
            "capability": Estimate(value=a.capability.value, low=a.capability.value * 0.5,
                                   high=a.capability.value * 1.5) if draw(st.booleans()) else a.capability,
        }))
    positions = []
    for p in case.positions:
        if p.red_line and draw(st.booleans()):
            v = draw(st.sampled_from([0.0, 0.3, 0.7, 1.0]))
            p = p.model_copy(update={"firmness": Estimate(value=v, low=max(0.0, v - 0.2), high=v)
                                     if draw(st.booleans()) else Estimate(value=v)})
        positions.append(p)
    n = draw(st.integers(0, 3))
    scen = [Scenario(id=f"s{k}", name=f"s{k}", rule=draw(rules(case)), resolution="-", horizon="2026-01-01")
            for k in range(n)]
    scen.append(Scenario(id="rest", name="rest", remainder=True, resolution="-", horizon="2026-01-01"))
    return case.replace(actors=tuple(actors), positions=tuple(positions), scenarios=tuple(scen))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uncertain_cases(), st.integers(0, 2**16))
def test_scenario_probabilities_add_up_and_what_is_fixed_never_moves(case: Case, seed: int) -> None:
    f = forecast(case, "median", draws=60, seed=seed, beside=("mean", "status-quo", "plan"))
    assert sum(s.hits for s in f.scenarios) == 60
    assert sum(s.probability for s in f.scenarios) == pytest.approx(1.0, abs=1e-12)
    for name in ("mean", "status-quo", "plan"):
        assert sum(s.beside[name] for s in f.scenarios) == pytest.approx(1.0, abs=1e-12)
    fixed = fixed_by_case(problem_of(case, resolve(["median"])))
    for k, s in enumerate(f.scenarios):
        if k in fixed:  # a proof: every draw under every predictor agrees with it
            value = float(fixed[k][0])
            assert s.probability == value and all(v == value for v in s.beside.values())
            assert s.low is None and s.fixed is not None
        elif f.inputs:
            assert s.fixed is None and s.low is not None and s.high is not None


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_truth_is_sound_on_random_rules(data: st.DataObject) -> None:
    case = data.draw(cases(max_issues=2, max_options=3, max_actors=2))
    text = data.draw(rules(case))
    tree = parse_rule(text)
    verdict = truth(tree)  # nothing known: only constant rules are decided
    if verdict is not None:
        # then no evaluation of the rule can disagree: try it on random outcomes
        from accord.analysis.montecarlo import outcome_of

        p = problem_of(case, resolve(["mean"]))
        vals = values_of(p, np.random.default_rng(0).random((50, len(p.inputs))))
        d = draws_of(p, vals)
        pos = np.random.default_rng(1).uniform(0, 100, (50, len(p.issues)))
        from accord.analysis.scenarios import evaluate

        assert (evaluate(tree, outcome_of(p, d, pos)) == verdict).all()

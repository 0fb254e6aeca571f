"""Hand-worked examples and edge cases of the solve engine (values worked out on paper)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from accord.analysis import solve as S
from accord.analysis.solve_toy import toy_case
from accord.analysis.space import space_of
from accord.errors import AccordError
from accord.model import Actor, Axis, Case, Issue, Option, Plan, Position, Provision

# -- the toy case (solve_toy): north 0.6·a + 0.4·b, south 0.5·a' + 0.5·b', south's red line a2 ----
# acceptable packages at batna 0.3/0.3: a0b1 (north 0.4, south 0.5) and a1b0 (0.3, 0.75).


def test_toy_feasible_is_the_acceptable_package_nearest_the_status_quo() -> None:
    r = S.feasible(toy_case())
    assert r.status == "feasible"
    assert r.package is not None
    assert r.package.package == {"a": "a0", "b": "b1"}  # ranks (0, 1) beat a1b0's (1, 0)
    assert r.package.utilities == pytest.approx({"north": 0.4, "south": 0.5})
    assert "acceptable" in r.explain()


def test_toy_bargains() -> None:
    case = toy_case()
    nash, mm, ks = S.nash(case), S.maximin(case), S.ks(case)
    # gains: a0b1 (0.1, 0.2) → product 0.02; a1b0 (0.0, 0.45) → product 0
    assert nash.package.package == {"a": "a0", "b": "b1"} and nash.value == pytest.approx(0.02)
    assert nash.status == "optimal" and nash.gap <= 1e-9 and nash.bound >= nash.value
    assert mm.package.package == {"a": "a0", "b": "b1"} and mm.value == pytest.approx(0.1)
    # ideals 0.4 / 0.75; ratios a0b1 (1, 0.2/0.45), a1b0 (0, 1)
    assert ks.ideal == pytest.approx({"north": 0.4, "south": 0.75})
    assert ks.value == pytest.approx(0.2 / 0.45)


def test_toy_pareto_frontier_best_for_first_actor_first() -> None:
    r = S.pareto(toy_case())
    assert [p.package for p in r.points] == [{"a": "a0", "b": "b1"}, {"a": "a1", "b": "b0"}]
    assert r.complete and r.among == ("north", "south")


def test_toy_conflicts_are_minimal_and_smallest_first() -> None:
    # at batna 0.8/0.8 no package works; violation sets: a0b0 {north's batna},
    # a2b1 {south's red line, south's batna}; every other package violates a superset.
    r = S.conflicts(toy_case(batna=(0.8, 0.8)))
    assert r.status == "conflicts" and r.complete
    assert [[(c.kind, c.actor, c.issue) for c in x.drop] for x in r.conflicts] == [
        [("batna", "north", None)],
        [("red_line", "south", "a"), ("batna", "south", None)],
    ]
    assert r.conflicts[0].witness.package == {"a": "a0", "b": "b0"}
    assert r.conflicts[1].witness.package == {"a": "a2", "b": "b1"}
    assert "No deal unless" in r.explain()


def test_toy_conflicts_when_feasible_and_limit() -> None:
    assert S.conflicts(toy_case()).status == "feasible"
    r = S.conflicts(toy_case(batna=(0.8, 0.8)), limit=1)
    assert len(r.conflicts) == 1 and not r.complete
    assert "stops at 1" in r.explain()


def toy_with_plan(option: str = "a2") -> Case:
    plan = Plan(id="p", name="P", provisions=[Provision(id="1", title="t", text="t", issue="a", option=option)])
    return toy_case().model_copy(update={"plans": (plan,)})


def test_amend_fewest_and_best_within_k() -> None:
    r = S.amend(toy_with_plan(), "p", k=2)
    assert r.rejecting == ("south",)  # a2 crosses south's red line
    assert r.status == "amendable"
    assert [(c.issue, c.before, c.after, c.provisions) for c in r.fewest.changes] == [("a", "a2", "a1", ("1",))]
    # within 2 changes a0b1 (product 0.02) beats a1b0 (product 0)
    assert [(c.issue, c.after, c.provisions) for c in r.best.changes] == [("a", "a0", ("1",)), ("b", "b1", ())]
    assert r.best_value == pytest.approx(0.02)
    assert "new provision" in str(r.best.changes[1])
    k1 = S.amend(toy_with_plan(), "p", k=1, objective="maximin")
    assert k1.best.package.package == {"a": "a1", "b": "b0"} and k1.best_value == pytest.approx(0.0)


def test_amend_accepted_plan_and_unknown_plan() -> None:
    r = S.amend(toy_with_plan("a1"), "p", k=0)
    assert r.status == "accepted" and r.fewest.changes == () and r.best.changes == ()
    with pytest.raises(AccordError, match="no plan 'nope'"):
        S.amend(toy_with_plan(), "nope")
    with pytest.raises(AccordError, match="k must be"):
        S.amend(toy_with_plan(), "p", k=-1)


def test_without_sets_a_red_line_aside() -> None:
    # with south's red line on a set aside, a2b0 (north 0.6, south 0.5) becomes acceptable: gains (0.3, 0.2)
    r = S.nash(toy_case(), without=["south:a"])
    assert r.package.package == {"a": "a2", "b": "b0"} and r.value == pytest.approx(0.06)
    assert any("set aside" in n for n in r.notes)
    with pytest.raises(AccordError, match="unknown issue"):
        S.nash(toy_case(), without=["south:zz"])
    with pytest.raises(AccordError, match="not one of the actors"):
        S.nash(toy_case(), without=["east:a"])


# -- one issue, two actors: Nash, KS and maximin disagree ----------------------------------------


def one_issue(utils: dict[str, dict[str, float]], batna: dict[str, float], sq: str = "o0",
              red: dict[str, list[str]] | None = None) -> Case:
    opts = sorted(next(iter(utils.values())))
    issue = Issue(id="x", name="X", status_quo=sq,
                  options=[Option(id=o, label=o.upper(), axis=100 * n / (len(opts) - 1)) for n, o in enumerate(opts)])
    actors, positions = [], []
    for a, u in utils.items():
        actors.append(Actor(id=a, name=a, capability=1.0, batna=batna[a]))
        positions.append(Position(actor=a, issue="x", ideal=max(u, key=lambda o: u[o]), salience=1.0, utility=u,
                                  red_line=(red or {}).get(a, [])))
    return Case(id="one", name="one", axis=Axis(low=actors[0].id, high=actors[-1].id), issues=(issue,),
                actors=tuple(actors), positions=tuple(positions))


def test_nash_ks_maximin_disagree_by_hand() -> None:
    # gains (A, B): o0 (0.6, 0.15) product 0.09 min 0.15; o1 (0.25, 0.25) product 0.0625 min 0.25;
    # o2 (0.2, 0.2) dominated by o1. Ideals 0.6 / 0.25: KS ratios o0 (1, 0.6), o1 (0.417, 1).
    case = one_issue({"A": {"o0": 0.6, "o1": 0.25, "o2": 0.2}, "B": {"o0": 0.15, "o1": 0.25, "o2": 0.2}},
                     {"A": 0.0, "B": 0.0})
    assert S.nash(case).package.package == {"x": "o0"}
    assert S.nash(case).value == pytest.approx(0.09)
    assert S.maximin(case).package.package == {"x": "o1"}
    ks = S.ks(case)
    assert ks.package.package == {"x": "o0"} and ks.value == pytest.approx(0.6)
    assert [p.package["x"] for p in S.pareto(case).points] == ["o0", "o1"]  # o2 weakly dominated: left out


def test_ties_go_to_the_status_quo_then_listed_order() -> None:
    # o1 and o2 give both actors the same utilities; the status quo (o2) wins the tie
    case = one_issue({"A": {"o0": 0.0, "o1": 0.5, "o2": 0.5}, "B": {"o0": 0.0, "o1": 0.5, "o2": 0.5}},
                     {"A": 0.1, "B": 0.1}, sq="o2")
    for r in (S.feasible(case), S.nash(case), S.maximin(case), S.ks(case)):
        assert r.package.package == {"x": "o2"}
    case = case.model_copy(update={"issues": (case.issues[0].model_copy(update={"status_quo": "o0"}),)})
    assert S.nash(case).package.package == {"x": "o1"}  # o0 is no deal; o1 is listed before o2


def test_degenerate_nash_falls_back_to_maximin() -> None:
    # north's batna 0.4: the only acceptable package a0b1 leaves north exactly at its batna
    r = S.nash(toy_case(batna=(0.4, 0.3)))
    assert r.status == "degenerate" and r.value == 0.0
    assert r.package.package == {"a": "a0", "b": "b1"}
    assert "exactly at its batna" in r.explain()


# -- edge cases --------------------------------------------------------------------------------


def test_issue_nobody_cares_about_stays_at_status_quo() -> None:
    base = toy_case()
    idle = Issue(id="c", name="C", status_quo="c1",
                 options=[Option(id="c0", label="c0", axis=0), Option(id="c1", label="c1", axis=50),
                          Option(id="c2", label="c2", axis=100)])
    case = base.model_copy(update={"issues": (*base.issues, idle)})
    for r in (S.feasible(case), S.nash(case), S.ks(case), S.maximin(case)):
        assert r.package.package["c"] == "c1"
        assert any("matter to none" in n and "(c)" in n for n in r.notes)
    assert all(p.package["c"] == "c1" for p in S.pareto(case).points)


def test_every_option_on_someones_red_line() -> None:
    case = one_issue({"A": {"o0": 1.0, "o1": 0.0}, "B": {"o0": 0.0, "o1": 1.0}}, {"A": 0.0, "B": 0.0},
                     red={"A": ["o1"], "B": ["o0"]})
    f = S.feasible(case)
    assert f.status == "infeasible"
    assert any("every option is on someone's red line" in n for n in f.notes)
    assert "every option is on someone's red line" in f.explain()
    c = S.conflicts(case)
    assert [[(d.actor, d.issue) for d in x.drop] for x in c.conflicts] == [[("A", "x")], [("B", "x")]]
    for goal in ("pareto", "nash", "ks", "maximin"):
        r = S.solve(case, goal)
        assert r.status == "infeasible" and "no " in r.explain().lower()


def test_actor_with_no_acceptable_option() -> None:
    # a Position cannot put its own ideal on its red line, so build the view directly
    space = space_of(toy_case())
    allowed = [list(row) for row in space.allowed]
    allowed[0][1] = np.zeros(2, dtype=bool)  # north rejects every option of b
    space = dataclasses.replace(space, allowed=tuple(tuple(r) for r in allowed))
    f = S.feasible(space)
    assert f.status == "infeasible"
    assert any("north has no acceptable option on b" in n for n in f.notes)
    c = S.conflicts(space)
    assert c.conflicts[0].drop[0].kind == "red_line" and c.conflicts[0].drop[0].actor == "north"


def test_all_batnas_above_reach() -> None:
    case = one_issue({"A": {"o0": 0.5, "o1": 0.2}, "B": {"o0": 0.2, "o1": 0.5}}, {"A": 0.9, "B": 0.9})
    f = S.feasible(case)
    assert f.status == "infeasible"
    assert any("All batnas are above reach" in n for n in f.notes)
    assert any("A's batna (0.900) is above reach" in n for n in f.notes)
    c = S.conflicts(case)
    assert [[(d.kind, d.actor) for d in x.drop] for x in c.conflicts] == [[("batna", "A"), ("batna", "B")]]


def test_single_actor_gets_its_best_acceptable_package() -> None:
    case = toy_case()
    r = S.nash(case, actors=["north"])
    assert r.package.package == {"a": "a2", "b": "b1"}  # north alone: no red line of south applies
    assert r.value == pytest.approx(0.7)
    assert any("Only one actor" in n for n in r.notes)
    assert [p.package for p in S.pareto(case, actors=["south"]).points] == [{"a": "a0", "b": "b0"}]
    assert S.ks(case, actors=["north"]).value == pytest.approx(1.0)


def test_bad_requests_raise_accord_errors() -> None:
    case = toy_case()
    with pytest.raises(AccordError, match="unknown actor 'east'"):
        S.feasible(case, actors=["north", "east"])
    with pytest.raises(AccordError, match="no actors"):
        S.feasible(case, actors=[])
    with pytest.raises(AccordError, match="unknown goal"):
        S.solve(case, "best")
    with pytest.raises(AccordError, match="needs a plan"):
        S.solve(case, "amend")
    with pytest.raises(AccordError, match="only used by the amend goal"):
        S.solve(case, "nash", plan="p")
    with pytest.raises(AccordError, match="not among the required actors"):
        S.pareto(case, actors=["north"], among=["south"])


def test_pareto_among_defaults_to_the_tilt_pair_for_four_actors() -> None:
    base = toy_case()
    extra = [Actor(id=a, name=a, capability=1.0, batna=0.0) for a in ("east", "west")]
    case = base.model_copy(update={"actors": (*base.actors, *extra), "tilt": ("south", "north")})
    r = S.pareto(case)
    assert r.among == ("south", "north")
    with pytest.raises(AccordError, match="1 to 3 actors"):
        S.pareto(case.model_copy(update={"tilt": ("south", "nobody")}))


# -- the bundled case: properties that hold whatever its data say ------------------------------


def test_bundled_case_conflicts_resolve_when_set_aside() -> None:
    from accord.model import load_case

    case = load_case("ukraine_2025")
    r = S.conflicts(case)
    if r.status == "feasible":
        assert S.feasible(case).status == "feasible"
        return
    assert r.conflicts and r.complete
    sizes = [len(c.drop) for c in r.conflicts]
    assert sizes == sorted(sizes)
    for c in r.conflicts:
        if all(d.kind == "red_line" for d in c.drop):
            without = [f"{d.actor}:{d.issue}" for d in c.drop]
            assert S.feasible(case, without=without).status == "feasible"
            n = S.nash(case, without=without)
            assert n.status == "optimal" and n.gap <= 1e-9 and math.isfinite(n.value)


def test_highs_solve_error_after_presolve_is_retried_without_presolve() -> None:
    # a 20-column model (from a random case) on which HiGHS 1.16's presolve "solves" the model
    # but postsolve breaks a row and HiGHS reports "Solve error"; it is feasible.
    from accord.analysis.solve_highs import Milp

    m = Milp()
    m.add_cols(20, integer=True)
    for cols in ([0, 1], [2], [3, 4, 5, 6], [7], [8, 9, 10, 11], [12, 13, 14, 15], [16, 17, 18, 19]):
        m.add_row(cols, [1.0] * len(cols), 1.0, 1.0)
    m.add_row([6, 10, 11, 12, 15, 16, 17, 18], [0.0012, 0.0012, 0.0003, 0.0004, 0.0004, 0.0002, 0.0008, 0.0008],
              lo=0.0026999990000000002)
    m.add_row([4, 5, 8, 9, 10, 12, 13, 17, 18, 19],
              [1 / 6000, 0.0005, 1 / 6000, 1 / 3000, 0.0005, 0.004 / 3, 0.004 / 3, 1 / 3000, 0.001, 0.002 / 3],
              lo=0.0024999989999999997)
    m.add_row([0, 2, 6, 7, 10, 12, 18], [1.0] * 7, hi=6.0)
    m.hi[1] = 0.0
    sol = m.solve({}, confirm=False)
    assert sol.status == "optimal"
    x = np.round(sol.x)
    assert all(lo - 1e-9 <= float(x[i] @ v) <= hi + 1e-9 for i, v, lo, hi in m.rows)


# -- the two defects of issue 17, on their minimal cases ----------------------------------------


def two_issue_standoff() -> Case:
    """Two issues, two options each; a0 wants west with a red line on east of `land`, a1 the reverse."""
    land = Issue(id="land", name="Land", status_quo="west",
                 options=[Option(id="west", label="West", axis=0), Option(id="east", label="East", axis=100)])
    sea = Issue(id="sea", name="Sea", status_quo="open",
                options=[Option(id="open", label="Open", axis=0), Option(id="closed", label="Closed", axis=100)])
    positions = [
        Position(actor="a0", issue="land", ideal="west", salience=0.5, red_line=["east"]),
        Position(actor="a0", issue="sea", ideal="open", salience=0.5),
        Position(actor="a1", issue="land", ideal="east", salience=0.5, red_line=["west"]),
        Position(actor="a1", issue="sea", ideal="closed", salience=0.5),
    ]
    actors = tuple(Actor(id=a, name=a, capability=1.0, batna=0.0) for a in ("a0", "a1"))
    return Case(id="standoff", name="standoff", axis=Axis(low="a0", high="a1"), issues=(land, sea), actors=actors,
                positions=tuple(positions))


def test_conflicts_limit_equal_to_the_number_of_sets_is_complete() -> None:
    case = two_issue_standoff()
    r = S.conflicts(case, limit=2)
    assert [[(d.actor, d.issue) for d in c.drop] for c in r.conflicts] == [[("a0", "land")], [("a1", "land")]]
    assert r.complete and "These are all the minimal ways" in r.explain()
    cut = S.conflicts(case, limit=1)
    assert len(cut.conflicts) == 1 and not cut.complete and "stops at 1" in cut.explain()


def degenerate_amend_case() -> Case:
    """Three p/q issues (status quo p); a1 holds no position, so every Nash product is 0."""
    issues = tuple(
        Issue(id=f"i{n}", name=f"issue {n}", status_quo="p",
              options=[Option(id="p", label="P", axis=0), Option(id="q", label="Q", axis=100)])
        for n in range(3)
    )
    positions = [
        *(Position(actor="a0", issue=f"i{n}", ideal="q", salience=s, utility={"p": 0.0, "q": 1.0})
          for n, s in enumerate((0.55, 0.225, 0.225))),
        *(Position(actor="a2", issue=f"i{n}", ideal="p", salience=s, utility={"p": 1.0, "q": 0.5})
          for n, s in enumerate((0.6, 0.2, 0.2))),
    ]
    actors = (Actor(id="a0", name="a0", capability=1.0, batna=0.0),
              Actor(id="a1", name="a1", capability=1.0, batna=0.0),
              Actor(id="a2", name="a2", capability=1.0, batna=0.7))
    plan = Plan(id="p1", name="plan", provisions=[Provision(id="1", title="t", text="t", issue="i0", option="p")])
    return Case(id="degenerate", name="degenerate", axis=Axis(low="a0", high="a2"), issues=issues, actors=actors,
                positions=tuple(positions), plans=(plan,))


@pytest.mark.parametrize("objective", ["nash", "maximin"])
def test_degenerate_nash_within_k_then_fewest_changes(objective: str) -> None:
    # within 2 changes: q on i0 alone (a0 0.55, a2 0.70) and q on i1, i2 (a0 0.45, a2 0.80) tie on the
    # Nash product (0: a1 gains nothing), the smallest gain (0) and the total (1.25); one change beats two
    r = S.amend(degenerate_amend_case(), "p1", k=2, objective=objective)  # type: ignore[arg-type]
    assert r.status == "accepted"
    assert r.best is not None and [(c.issue, c.after) for c in r.best.changes] == [("i0", "q")]
    assert r.best_value == pytest.approx(0.0)


# -- feasible: the fewest issues off the status quo ---------------------------------------------


def test_feasible_moves_the_fewest_issues_not_the_first_in_tie_order() -> None:
    # A (batna 0.5) weighs x 0.5, y and z 0.25 each, all at o0 in the status quo. (x0, y1, z1) comes
    # first in the tie order (x kept at its status quo) but moves two issues; (x1, y0, z0) moves one.
    opts = [Option(id="o0", label="0", axis=0), Option(id="o1", label="1", axis=100)]
    issues = tuple(Issue(id=i, name=i, status_quo="o0", options=opts) for i in ("x", "y", "z"))
    u = {"o0": 0.0, "o1": 1.0}
    positions = [
        Position(actor="A", issue="x", ideal="o1", salience=0.5, utility=u),
        Position(actor="A", issue="y", ideal="o1", salience=0.25, utility=u),
        Position(actor="A", issue="z", ideal="o1", salience=0.25, utility=u),
    ]
    case = Case(id="near", name="near", axis=Axis(low="A", high="A"), issues=issues,
                actors=(Actor(id="A", name="A", capability=1.0, batna=0.5),), positions=tuple(positions))
    r = S.feasible(case)
    assert r.package is not None and r.package.package == {"x": "o1", "y": "o0", "z": "o0"}
    assert r.moved == ("x",) and "moves 1 issue (x)" in r.explain()
    assert any("not necessarily A's best" in n for n in r.notes)


# -- one acceptability rule for assess and solve ------------------------------------------------


@pytest.mark.parametrize("delta", [-1e-6, -1e-9, 0.0, 5e-10, 9e-10, 1.1e-9, 2e-9, 1e-6])
def test_assess_and_solve_share_the_acceptability_rule(delta: float) -> None:
    from accord.analysis.acceptance import accepts
    from accord.analysis.assess import assess_plan

    # one issue, one actor: the plan gives it utility 0.3; its batna is 0.3 + delta
    case = one_issue({"A": {"o0": 0.3, "o1": 0.2}}, {"A": 0.3 + delta})
    plan = Plan(id="p", name="P", provisions=[Provision(id="1", title="t", text="t", issue="x", option="o0")])
    case = case.model_copy(update={"plans": (plan,)})
    want = accepts(0.3, 0.3 + delta)
    assert want == (delta < 1e-9)
    assert assess_plan(case, "p").actors["A"].accepts is want
    amended = S.amend(case, "p")
    assert (amended.status == "accepted") is want
    assert (amended.rejecting == ()) is want
    assert (S.feasible(case).status == "feasible") is want

"""The solve engine agrees exactly with brute force on random cases (up to 8 issues × 4 options × 4 actors).

Every goal on every drawn case: the same verdict, the same optimal values
(within 1e-9), the same canonical package (ties to the status quo), the same
minimal conflict sets and the same Pareto points. Half the cases use
quarter-grid utilities, where sums are exact and ties are frequent; the other
half arbitrary floats. Infeasible cases are drawn on purpose (batnas up to
1.25 × reach, red lines). 120 cases per goal (derandomized, so every run draws
the same ones); ``SOLVE_EXAMPLES=2000`` to hunt longer.
"""

from __future__ import annotations

import math
import os

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accord.analysis import solve as S
from accord.analysis.space import space_of
from accord.model import Case
from tests.analysis import oracle as O

EPS = 1e-9
SETTINGS = settings(max_examples=int(os.environ.get('SOLVE_EXAMPLES', '120')), deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def pkg(space, idx):  # noqa: ANN001, ANN201
    return None if idx is None else space.package_of(idx)


def describe(case: Case, b: O.Brute) -> None:
    event(f"packages ~10^{int(math.log10(len(b.idx)))}")
    event(f"{len(case.actors)} actors")
    event("feasible" if b.acc.any() else "infeasible")


def check_bargains(case: Case) -> None:
    space = space_of(case, case.parties)
    b = O.brute(space)
    describe(case, b)
    # feasible
    f = S.feasible(space)
    want = O.feasible(b)
    assert (f.status == "feasible") == (want is not None)
    assert (f.package.package if f.package else None) == pkg(space, want)
    # maximin
    p, vals = O.maximin(b)
    r = S.maximin(space)
    assert (r.package.package if r.package else None) == pkg(space, p)
    if p is not None:
        assert abs(r.value - vals[0]) <= EPS
    # ks
    p, vals, ideal = O.ks(b)
    r = S.ks(space)
    assert (r.package.package if r.package else None) == pkg(space, p)
    if p is not None:
        assert np.allclose(list(r.ideal.values()), ideal, atol=EPS, rtol=0)
        if any(ideal - space.batna > O.TOL):
            assert abs(r.value - vals[0]) <= EPS
    # nash
    status, p, prod = O.nash(b)
    r = S.nash(space)
    assert r.status == status
    assert (r.package.package if r.package else None) == pkg(space, p)
    if status == "optimal":
        assert abs(r.value - prod) <= 1e-9 * max(prod, 1e-300) + 1e-15
        assert r.gap <= 1e-9 and r.bound >= r.value


def check_conflicts(case: Case) -> None:
    space = space_of(case, case.parties)
    b = O.brute(space)
    want = O.conflicts(b)
    r = S.conflicts(space, limit=max(1, len(want)))  # a limit equal to the number of sets: still complete
    assert r.complete
    assert (r.status == "feasible") == (O.feasible(b) is not None)
    got = [([(c.kind, c.actor, c.issue) for c in x.drop], x.witness.package) for x in r.conflicts]
    assert got == [(cs, space.package_of(w)) for cs, w in want]
    if len(want) >= 2:  # one fewer: cut short, and what is listed are minimal sets of the smallest sizes
        cut = S.conflicts(space, limit=len(want) - 1)
        assert not cut.complete and len(cut.conflicts) == len(want) - 1
        listed = [[(c.kind, c.actor, c.issue) for c in x.drop] for x in cut.conflicts]
        assert all(cs in [w for w, _ in want] for cs in listed)
        assert sorted(len(cs) for cs in listed) == sorted(len(w) for w, _ in want)[: len(want) - 1]


def check_pareto(case: Case, among_n: int, method: str = "merge") -> None:
    space = space_of(case, case.parties)
    b = O.brute(space)
    among = space.actors[: min(among_n, len(space.actors))]
    ks = [space.actors.index(a) for a in among]
    want = O.pareto(b, ks)
    r = S.pareto(space, among=among, limit=max(1, len(want)), method=method)  # type: ignore[arg-type]
    assert r.complete  # a limit equal to the number of points: still complete
    assert len(r.points) == len(want)
    for got, (u, p) in zip(r.points, want, strict=True):
        assert np.allclose([got.utilities[a] for a in among], u, atol=EPS, rtol=0)
        assert got.package == space.package_of(p)
    if len(want) >= 2:  # one fewer: cut short, the best for among[0] first
        cut = S.pareto(space, among=among, limit=len(want) - 1, method=method)  # type: ignore[arg-type]
        assert not cut.complete
        assert [p.package for p in cut.points] == [p.package for p in r.points[: len(want) - 1]]


def check_amend(case: Case, k: int) -> None:
    space = space_of(case, case.parties)
    plan = case.plan("p")
    plan_idx = space.package_index(case.package(plan))
    sq = space.package_index(case.status_quo())
    ranks = []
    for i in range(len(space.issues)):
        order = [plan_idx[i]] + ([sq[i]] if sq[i] != plan_idx[i] else [])
        order += [j for j in range(len(space.options[i])) if j not in order]
        ranks.append([order.index(j) for j in range(len(space.options[i]))])
    b = O.brute(space, ranks)
    C = (b.idx != np.asarray(plan_idx)).sum(axis=1).astype(float)
    least, total = O.maximin_objectives(b)
    fewest, vals = O.lexi(b, b.acc, [-C, least, total])
    r = S.amend(case, "p", k=k, objective="maximin")
    row = np.flatnonzero((b.idx == np.asarray(plan_idx)).all(axis=1))[0]
    assert r.rejecting == tuple(
        a for n, a in enumerate(space.actors) if not (b.ok[row, n] and b.U[row, n] >= space.batna[n] - O.TOL)
    )
    if fewest is None:
        assert r.status == "infeasible" and r.fewest is None
        return
    assert r.fewest is not None and r.fewest.package.package == space.package_of(fewest)
    assert len(r.fewest.changes) == -vals[0]
    assert r.status == ("accepted" if vals[0] == 0 else "amendable")
    within = b.acc & (k >= C)
    best, bvals = O.lexi(b, within, [least, total, -C])
    assert (r.best.package.package if r.best else None) == pkg(space, best)
    if best is not None:
        assert abs(r.best_value - bvals[0]) <= EPS
    rn = S.amend(case, "p", k=k, objective="nash")
    status, p, prod = O.nash(b, within, after=[-C])
    assert (rn.best.package.package if rn.best else None) == pkg(space, p)
    if status == "optimal":
        assert math.isclose(rn.best_value, prod, rel_tol=1e-9)


@SETTINGS
@given(O.random_cases())
def test_feasible_maximin_ks_nash_agree_with_brute_force(case: Case) -> None:
    check_bargains(case)


@SETTINGS
@given(O.random_cases())
def test_conflicts_agree_with_brute_force(case: Case) -> None:
    check_conflicts(case)


@SETTINGS
@given(O.random_cases(max_actors=4), st.integers(1, 3))
def test_pareto_agrees_with_brute_force(case: Case, among_n: int) -> None:
    check_pareto(case, among_n)


@SETTINGS
@given(O.random_cases(max_actors=4), st.sampled_from([(1,), (2, 5), (3,)]))
def test_pareto_merge_bounded_by_narrow_passes_agrees_with_brute_force(case: Case, beams: tuple[int, ...]) -> None:
    """Quick passes cut to a few partials per step: their packages bound the exact pass, which stays exact."""
    from accord.analysis.solve_core import instance
    from accord.analysis.solve_frontier import frontier

    space = space_of(case, case.parties)
    if len(space.actors) < 2:
        return
    b = O.brute(space)
    ks = [0, 1]
    want = O.pareto(b, ks)
    inst = instance(space)
    got, complete = frontier(inst, ks, beams=beams) if not inst.empty else ([], True)
    assert complete
    assert [space.package_of(p) for p in got] == [space.package_of(p) for _, p in want]


@settings(SETTINGS, max_examples=max(1, SETTINGS.max_examples // 4))
@given(O.random_cases(max_actors=4), st.integers(1, 3))
def test_pareto_by_milp_agrees_with_brute_force(case: Case, among_n: int) -> None:
    """The earlier ε-constraint / Sylva–Crema method (the benchmark's baseline) is exact too."""
    check_pareto(case, among_n, method="milp")


@SETTINGS
@given(O.random_cases(), st.integers(0, 4))
def test_amend_agrees_with_brute_force(case: Case, k: int) -> None:
    check_amend(case, k)


@SETTINGS
@given(O.random_cases(silent=True), st.integers(0, 4))
def test_amend_with_a_degenerate_nash_product_agrees_with_brute_force(case: Case, k: int) -> None:
    """An actor with no position and batna 0 gains nothing anywhere: every Nash product is 0 (degenerate)."""
    check_amend(case, k)

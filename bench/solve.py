"""Solve benchmarks: the exact engine against baselines run in the same process.

    python bench/solve.py [--negmas-python /work/venv-negmas/bin/python] [--skip-whatif] [--only pareto]

1. every goal on the bundled case (target: all together < 1 s), and again with the first
   minimal conflict's red lines set aside (a feasible what-if, where the goals have work to do);
2. Nash and amend (fewest changes + best within k by Nash product) on a synthetic case of
   100 issues × 6 options × 6 actors (about 10^78 packages; target < 5 s each);
3. 10 issues × 4 options × 3 actors (4^10 ≈ 1M packages): the engine against a numpy-vectorised
   brute force over every package, for feasibility, maximin, Nash and the Pareto frontier
   of two actors (all three must accept) — with a check that both give the same answer;
4. the same Pareto frontier with negmas' ``pareto_frontier`` when a Python with negmas is
   available (negmas is AGPL: it runs in its own virtual environment, through a subprocess,
   and is never imported by accord);
5. the complete Pareto frontier (issue 17): the merge of issues (``method="merge"``, the
   default) against the earlier point-by-point MILP method (``method="milp"``: ε-constraint)
   and, where it fits in memory, brute force — on the bundled what-if without Russia's
   territory red line (target: complete in < 2 s), on 40 issues × 5 options × 4 actors
   (target < 10 s; the MILP method is timed on its first points and extrapolated, labelled
   so) and on 10 × 4 × 4 (1M packages, brute force). Times are wall clock and CPU (the
   process's own time, which a busy shared machine does not inflate).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from accord.analysis import solve as S
from accord.analysis.solve_core import TOL
from accord.analysis.space import Space, space_of
from accord.model import Actor, Axis, Case, Issue, Option, Plan, Position, Provision, load_case

NEGMAS_PYTHON = "/work/venv-negmas/bin/python"


def front_of(V: np.ndarray) -> list[tuple[float, float]]:
    """The Pareto frontier of rows of two utilities (a, b): by a descending, keeping each strict gain in b."""
    order = np.lexsort((-V[:, 1], -V[:, 0]))  # by U_a desc, then U_b desc
    front, best_b = [], -math.inf
    for a, b in V[order]:
        if b > best_b + TOL:
            front.append((float(a), float(b)))
            best_b = b
    return front


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock seconds, CPU seconds of this process, and the result."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t, time.process_time() - c, out


def synthetic(n_issues: int, n_options: int, n_actors: int, seed: int = 0, red: float = 0.03,
              batna: float = 0.5) -> Case:
    """Random utilities in thousandths, Dirichlet saliences, a few red lines, one random plan ``p``."""
    rng = np.random.default_rng(seed)
    issues = [Issue(id=f"i{i}", name=f"issue {i}", status_quo="o0",
                    options=[Option(id=f"o{j}", label=f"option {j}", axis=100 * j / (n_options - 1))
                             for j in range(n_options)])
              for i in range(n_issues)]
    actors, positions = [], []
    for k in range(n_actors):
        sal = rng.dirichlet(np.ones(n_issues))
        for i, iss in enumerate(issues):
            u = rng.integers(0, 1001, n_options) / 1000
            ideal = int(np.argmax(u))
            rl = [f"o{j}" for j in range(n_options) if j != ideal and rng.random() < red]
            positions.append(Position(actor=f"a{k}", issue=iss.id, ideal=f"o{ideal}", salience=float(sal[i]),
                                      utility={f"o{j}": float(u[j]) for j in range(n_options)}, red_line=rl))
        actors.append(Actor(id=f"a{k}", name=f"actor {k}", capability=1.0, batna=batna))
    plan = Plan(id="p", name="random plan", provisions=[
        Provision(id=str(i + 1), title=f"on {iss.id}", text="-", issue=iss.id,
                  option=f"o{rng.integers(n_options)}")
        for i, iss in enumerate(issues)
    ])
    return Case(id="synthetic", name="synthetic", axis=Axis(low="a0", high="a1"), issues=tuple(issues),
                actors=tuple(actors), positions=tuple(positions), plans=(plan,))


# -- 1. the bundled case ------------------------------------------------------------------------


def bundled(skip_whatif: bool) -> None:
    case = load_case("ukraine_2025")
    plan = case.plans[0].id if case.plans else None
    conf = S.conflicts(case)
    variants: list[tuple[str, tuple[str, ...]]] = [("as it is", ())]
    first = conf.conflicts[0].drop if conf.conflicts else ()
    if not skip_whatif and first and all(d.kind == "red_line" for d in first):
        variants.append((f"what-if without {', '.join(f'{d.actor}:{d.issue}' for d in first)}",
                         tuple(f"{d.actor}:{d.issue}" for d in first)))
    for title, without in variants:
        print(f"\n1. bundled case ({len(case.issues)} issues, parties {', '.join(case.parties)}), {title}")
        total = 0.0
        for goal in S.GOALS:
            if goal == "amend" and plan is None:
                continue
            kw: dict[str, Any] = {"plan": plan, "k": 3} if goal == "amend" else {}
            t, r = timed(lambda goal=goal, kw=kw, w=without: S.solve(case, goal, without=w, **kw))
            total += t
            extra = f", {len(r.points)} points{'' if r.complete else ' (limit)'}" if goal == "pareto" else ""
            print(f"   {goal:10s} {t * 1000:8.1f} ms  {r.status}{extra}")
        verdict = "ok" if total < 1.0 else "over"
        print(f"   all goals  {total * 1000:8.1f} ms  (target < 1 s: {verdict})")


# -- 2. large synthetic --------------------------------------------------------------------------


def large() -> None:
    case = synthetic(100, 6, 6)
    print("\n2. synthetic 100 issues × 6 options × 6 actors (~10^78 packages)")
    t, r = timed(lambda: S.nash(case))
    print(f"   nash       {t:6.2f} s  {r.status}, product {r.value:.6g}, gap {r.gap:.1e}, "
          f"{r.iterations} rounds  (target < 5 s: {'ok' if t < 5 else 'over'})")
    t0, few = timed(lambda: S.amend(case, "p"))
    k = len(few.fewest.changes) + 5 if few.fewest else 5
    t, r = timed(lambda: S.amend(case, "p", k=k))
    n = len(r.fewest.changes) if r.fewest else None
    print(f"   amend      {t:6.2f} s  fewest changes {n}, best within k={k}: Nash product "
          f"{r.best_value:.6g}  (fewest alone {t0:.2f} s; target < 5 s: {'ok' if t < 5 else 'over'})")


# -- 3. brute force ------------------------------------------------------------------------------


def brute_arrays(space: Space) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every package (P × I option indices), utilities (P × K) and acceptance (P), vectorised."""
    n = [len(o) for o in space.options]
    grids = np.meshgrid(*[np.arange(m, dtype=np.int8) for m in n], indexing="ij")
    idx = np.stack([g.reshape(-1) for g in grids], axis=1)
    K = len(space.actors)
    U = np.zeros((len(idx), K))
    ok = np.ones(len(idx), dtype=bool)
    for i in range(len(n)):
        Wi = np.array([space.weighted[k][i] for k in range(K)])
        Ai = np.array([space.allowed[k][i] for k in range(K)]).all(axis=0)
        U += Wi[:, idx[:, i]].T
        ok &= Ai[idx[:, i]]
    acc = ok & (space.batna - TOL <= U).all(axis=1)
    return idx, U, acc


def brute_goals(space: Space) -> tuple[float, dict[str, tuple[Any, float]]]:
    """Enumeration time, and per goal (answer, time of its reduction over the enumerated packages)."""
    te, (idx, U, acc) = timed(lambda: brute_arrays(space))
    G = U - space.batna
    out: dict[str, tuple[Any, float]] = {}
    out["feasible"] = timed(lambda: bool(acc.any()))[::-1]

    def maximin() -> float | None:
        Ga = G[acc]
        return float(Ga.min(axis=1).max()) if len(Ga) else None

    def nash() -> float | None:
        Ga = G[acc]
        pos = Ga[(Ga > TOL).all(axis=1)]
        return float(np.exp(np.log(pos).sum(axis=1).max())) if len(pos) else None

    def pareto() -> list[tuple[float, float]]:
        return front_of(U[acc][:, :2])

    for name, fn in (("maximin", maximin), ("nash", nash), ("pareto", pareto)):
        out[name] = timed(fn)[::-1]
    return te, out


def versus_brute(negmas_python: str | None) -> None:
    case = synthetic(10, 4, 3, seed=1, red=0.05, batna=0.5)
    space = space_of(case)
    print("\n3. 10 issues × 4 options × 3 actors (4^10 = 1,048,576 packages): engine vs numpy brute force")
    te, want = brute_goals(space)
    print(f"   brute force: enumerating and scoring every package {te:.2f} s, then a reduction per goal")
    rows = [
        ("feasible", lambda: S.feasible(space), lambda r: r.status == "feasible"),
        ("maximin", lambda: S.maximin(space), lambda r: r.value),
        ("nash", lambda: S.nash(space), lambda r: r.value),
        ("pareto", lambda: S.pareto(space, among=space.actors[:2]),
         lambda r: [(p.utilities[space.actors[0]], p.utilities[space.actors[1]]) for p in r.points]),
    ]
    ours = 0.0
    t_pareto = 0.0
    for name, run, value in rows:
        t, r = timed(run)
        ours += t
        got = value(r)
        expected, tr = want[name]
        if name == "pareto":
            t_pareto = t
            same = len(got) == len(expected) and np.allclose(got, expected, atol=1e-9, rtol=0)
            shown = f"{len(got)} points"
        else:
            same = (got == expected) if isinstance(expected, bool) else math.isclose(got, expected, rel_tol=1e-9)
            shown = f"{got:.6g}" if not isinstance(got, bool) else str(got)
        print(f"   {name:9s} engine {t * 1000:7.1f} ms, brute force {(te + tr) * 1000:7.1f} ms "
              f"→ {(te + tr) / t:5.1f}×  {shown:>10s}  same answer: {same}")
    total_brute = te + sum(v[1] for v in want.values())
    print(f"   all four: engine {ours:.2f} s, brute force {total_brute:.2f} s (one enumeration shared) "
          f"→ {total_brute / ours:.1f}×")
    if negmas_python:
        versus_negmas(negmas_python, space, want["pareto"][0], ours_pareto=t_pareto)


NEGMAS_SCRIPT = r"""
import json, sys, time
import numpy as np
from negmas import make_issue, make_os
from negmas.preferences import LinearAdditiveUtilityFunction as LU, pareto_frontier
d = json.load(open(sys.argv[1]))
W, A, batna = d["weighted"], d["allowed"], np.array(d["batna"])
I, K = len(W[0]), len(W)
issues = [make_issue([f"o{j}" for j in range(len(W[0][i]))], name=f"i{i}") for i in range(I)]
os_ = make_os(issues)
ufuns = [LU(values=[{f"o{j}": W[k][i][j] for j in range(len(W[k][i]))} for i in range(I)], weights=[1.0] * I,
            outcome_space=os_) for k in range(2)]
t0 = time.perf_counter()
outs = list(os_.enumerate())
idx = np.array([[int(o[1:]) for o in out] for out in outs])
U = sum(np.array([[W[k][i][j] for j in idx[:, i]] for k in range(K)]).T for i in range(I))
ok = np.all([np.array(A[k][i])[idx[:, i]] for k in range(K) for i in range(I)], axis=0)
acc = ok & (U >= batna - 1e-9).all(axis=1)
cand = [o for o, a in zip(outs, acc) if a]
t1 = time.perf_counter()
front, _ = pareto_frontier(ufuns, outcomes=cand, sort_by_welfare=False)
t2 = time.perf_counter()
print(json.dumps({"points": len(front), "filter_s": t1 - t0, "pareto_s": t2 - t1}))
"""


def versus_negmas(python: str, space: Space, front: list[tuple[float, float]], ours_pareto: float) -> None:
    print("\n4. the same Pareto frontier with negmas.preferences.pareto_frontier (subprocess, own venv)")
    data = {
        "weighted": [[list(map(float, w)) for w in row] for row in space.weighted],
        "allowed": [[list(map(bool, a)) for a in row] for row in space.allowed],
        "batna": list(map(float, space.batna)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "inst.json"
        p.write_text(json.dumps(data))
        s = Path(tmp) / "neg.py"
        s.write_text(NEGMAS_SCRIPT)
        r = subprocess.run([python, str(s), str(p)], capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        print(f"   negmas failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
        return
    out = json.loads(r.stdout.strip().splitlines()[-1])
    print(f"   negmas pareto_frontier {out['pareto_s']:.2f} s over the acceptable packages "
          f"(+ {out['filter_s']:.2f} s enumerating them), {out['points']} points "
          f"(engine and brute force: {len(front)})")
    print(f"   engine {ours_pareto:.2f} s  →  negmas / engine = {out['pareto_s'] / ours_pareto:.1f}×")


# -- 5. the complete Pareto frontier ------------------------------------------------------------


def brute_frontier(space: Space, among: tuple[int, int]) -> list[tuple[float, float]]:
    """The Pareto frontier of two actors over every acceptable package, by enumeration."""
    _, U, acc = brute_arrays(space)
    return front_of(U[acc][:, list(among)])


def frontier_row(name: str, case: Case | Space, without: tuple[str, ...], milp_points: int | None,
                 brute: bool) -> None:
    w, c, r = timed_cpu(lambda: S.pareto(case, without=without, limit=100_000))
    pts = [(p.utilities[r.among[0]], p.utilities[r.among[1]]) for p in r.points]
    print(f"   {name}")
    print(f"     merge      {w:7.2f} s wall {c:7.2f} s CPU  {len(r.points)} points, complete={r.complete}, "
          f"method={r.method}")
    if milp_points is None:
        mw, mc, m = timed_cpu(lambda: S.pareto(case, without=without, limit=100_000, method="milp"))
        same = [p.package for p in m.points] == [p.package for p in r.points]
        print(f"     ε-MILP     {mw:7.2f} s wall {mc:7.2f} s CPU  {len(m.points)} points, complete={m.complete}, "
              f"same packages: {same}  → MILP / merge = {mw / w:.0f}× wall, {mc / c:.0f}× CPU")
    else:
        mw, mc, m = timed_cpu(lambda: S.pareto(case, without=without, limit=milp_points, method="milp"))
        same = [p.package for p in m.points] == [p.package for p in r.points[:milp_points]]
        per_w, per_c = mw / len(m.points), mc / len(m.points)
        print(f"     ε-MILP     {mw:7.2f} s wall {mc:7.2f} s CPU  for its first {len(m.points)} points "
              f"(same packages: {same}); at {per_w:.2f} s wall / {per_c:.2f} s CPU a point, all "
              f"{len(r.points)} would take about {per_w * len(r.points):.0f} s wall / "
              f"{per_c * len(r.points):.0f} s CPU (a rough extrapolation, not a measurement) → about "
              f"{per_c * len(r.points) / c:.0f}× the merge's CPU")
    if brute:
        space = case if isinstance(case, Space) else S.required_space(case, None, without)
        among = (space.actors.index(r.among[0]), space.actors.index(r.among[1]))
        bw, bc, front = timed_cpu(lambda: brute_frontier(space, among))
        same = len(front) == len(pts) and np.allclose(front, pts, atol=1e-9, rtol=0)
        print(f"     brute force{bw:7.2f} s wall {bc:7.2f} s CPU  {len(front)} points, same utilities: {same}  "
              f"→ brute / merge = {bw / w:.0f}× wall")


def frontiers() -> None:
    print("\n5. the complete Pareto frontier: merge of issues vs ε-constraint MILP vs brute force")
    case = load_case("ukraine_2025")
    frontier_row(f"bundled case without russia:territory ({', '.join(case.tilt_pair)}), "
                 "target: complete in < 2 s", case, ("russia:territory",), None, False)
    big = synthetic(40, 5, 4, seed=0)
    frontier_row("synthetic 40 issues × 5 options × 4 actors (a0, a1; a2, a3 must accept), target < 10 s",
                 big, (), 40, False)
    small = space_of(synthetic(10, 4, 4, seed=2, red=0.05, batna=0.3))
    frontier_row("synthetic 10 issues × 4 options × 4 actors (4^10 packages)", small, (), None, True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--negmas-python", default=NEGMAS_PYTHON if os.path.exists(NEGMAS_PYTHON) else None,
                    help="A Python with negmas installed (default: /work/venv-negmas if present).")
    ap.add_argument("--skip-whatif", action="store_true", help="Only the bundled case as it is.")
    ap.add_argument("--only", choices=["pareto"], help="Run only section 5 (the complete Pareto frontier).")
    args = ap.parse_args()
    if args.only == "pareto":
        frontiers()
        return
    bundled(args.skip_whatif)
    large()
    versus_brute(args.negmas_python)
    if not args.negmas_python:
        print("\n4. negmas not available (pass --negmas-python PATH): skipped")
    frontiers()


if __name__ == "__main__":
    main()

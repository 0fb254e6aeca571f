"""Forecast benchmarks, each against a baseline run in the same process.

    python bench/forecast.py [--draws 10000]

1. the vectorised Monte Carlo (EU model, bundled case) against a per-draw Python loop of the
   same model, and that both give the same numbers;
2. the Dask engine with 2 workers against 1 worker (clusters started beforehand, so the
   times are compute, not start-up), and against the local engine;
3. the SMP on KTAB's dummyData_6Dim (27 actors × 6 dimensions) — KTAB's own ``smpc`` takes
   3.4 s on it (shared/oracles/ktab-smp/README.md; a different build, same kind of machine);
4. 10,000 draws of the bundled case with the EU model (target < 10 s on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from accord.analysis.ktab import parse_ktab_csv
from accord.analysis.montecarlo import evaluate_values, problem_of, run, values_of
from accord.analysis.smp import smp_run
from accord.model import load_case

KTAB_6DIM = Path(os.environ.get("ACCORD_ORACLES", "/work/shared/oracles")) / "ktab-smp" / "dummyData_6Dim.csv"


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--draws", type=int, default=10_000)
    args = ap.parse_args()
    case = load_case("ukraine_2025")
    p = problem_of(case, "eu")
    print(f"bundled case: {len(p.issues)} issues, {int(p.active.sum())} active actors, "
          f"{len(p.inputs)} uncertain inputs")

    # 1. vectorised vs per-draw loop ---------------------------------------------------------
    n_vec, n_loop = 2000, 200
    vals = values_of(p, np.random.default_rng(0).random((n_vec, len(p.inputs))))
    t_vec, (pos, _, hits) = timed(lambda: evaluate_values(p, vals), repeat=2)

    def loop() -> tuple[np.ndarray, np.ndarray]:
        ps, hs = [], []
        for k in range(n_loop):
            a, _, h = evaluate_values(p, vals[k:k + 1])
            ps.append(a[0])
            hs.append(h[0])
        return np.array(ps), np.array(hs)

    t_loop, (lpos, lhits) = timed(loop)
    agree = float(np.abs(lpos - pos[:n_loop]).max())
    same = bool((lhits == hits[:n_loop]).all())
    r_vec, r_loop = n_vec / t_vec, n_loop / t_loop
    print(f"[1] EU, vectorised: {r_vec:9.0f} draws/s   per-draw loop: {r_loop:7.0f} draws/s   "
          f"ratio {r_vec / r_loop:6.1f}×   max |Δposition| {agree:.1e}, scenarios equal: {same}")

    # 2. Dask: 2 workers vs 1 (and vs local) -------------------------------------------------
    try:
        from dask.distributed import LocalCluster
    except ImportError:
        print("[2] Dask not installed: pip install 'accord[dask]'")
        LocalCluster = None  # noqa: N806
    draws = args.draws
    t_local, local = timed(lambda: run(p, draws, seed=1))
    if LocalCluster is not None:
        times = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:
                addr = cluster.scheduler_address
                run(p, 1000, seed=1, engine="dask", address=addr)  # warm the workers
                times[workers], dist = timed(lambda a=addr: run(p, draws, seed=1, engine="dask", address=a))
                assert np.array_equal(dist.position, local.position), "dask and local differ"
        print(f"[2] EU, {draws} draws: dask 1 worker {times[1]:.2f} s, 2 workers {times[2]:.2f} s "
              f"(speed-up {times[1] / times[2]:.2f}×); local engine {t_local:.2f} s; identical results: True")

    # 3. SMP on KTAB's 27 × 6 example --------------------------------------------------------
    if KTAB_6DIM.is_file():
        k = parse_ktab_csv(KTAB_6DIM.read_text(), str(KTAB_6DIM))
        t_smp, r = timed(lambda: smp_run(k.power, k.position, k.salience), repeat=5)
        print(f"[3] SMP on dummyData_6Dim ({len(k.actors)}×{len(k.dims)}): {t_smp * 1000:.0f} ms, {r.turns} turns "
              f"(KTAB smpc, as reported: 3.4 s → {3.4 / t_smp:.0f}× faster; target well under 1 s)")
    else:
        print(f"[3] {KTAB_6DIM} not found: skipped")

    # 4. 10,000 draws of the bundled case with the EU model ----------------------------------
    ok = "ok" if t_local < 10 else "MISSED"
    print(f"[4] EU, {draws} draws of the bundled case, local engine (1 core): {t_local:.2f} s "
          f"({draws / t_local:.0f} draws/s; target < 10 s on 2 cores: {ok})")


if __name__ == "__main__":
    main()

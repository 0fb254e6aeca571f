"""Forecast benchmarks, each against a baseline run in the same process.

    python bench/forecast.py [--draws 10000] [--no-dask]

1. the expected-utility model and the SMP on the bundled case: ``--draws`` draws through the
   vectorised Monte Carlo (best of 3, CPU seconds in this process; targets: EU < 2 s, SMP < 3 s for
   10,000 draws) beside a per-draw Python loop of the same model on a sample of the same draws,
   and that both give the same numbers;
2. the EU model's previous kernel (actors on the last axis, numpy powers, no cycle read-off:
   ``_previous_eu_final`` below) against the current one on the same positions;
3. the Dask engine with 2 workers against 1 worker (clusters started beforehand, so the
   times are compute, not start-up), and against the local engine;
4. the SMP on KTAB's dummyData_6Dim (27 actors × 6 dimensions) — KTAB's own ``smpc`` takes
   3.4 s on it (shared/oracles/ktab-smp/README.md; a different build, same kind of machine);
5. the default forecast (2,000 draws, every predictor) with a progress callback (the bar moves from
   inside the models, after each block of runs) against without one: the cost of watching (the same
   one batch of 2,000 either way), how often the bar moves, and that the numbers are the same; beside
   it the previous way of moving a bar (8 batches of 250 draws) on the Monte Carlo alone.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from accord.analysis.eu_model import EUParams, eu_final
from accord.analysis.forecast import Forecast, forecast
from accord.analysis.ktab import parse_ktab_csv
from accord.analysis.models import predict_all, resolve
from accord.analysis.montecarlo import (
    DEFAULT_BATCH,
    Problem,
    draws_of,
    evaluate_values,
    outcome_of,
    problem_of,
    run,
    values_of,
)
from accord.analysis.scenarios import assign
from accord.analysis.smp import smp_run
from accord.model import DEFAULT_CASE, load_case

KTAB_6DIM = Path(os.environ.get("ACCORD_ORACLES", "/work/shared/oracles")) / "ktab-smp" / "dummyData_6Dim.csv"


def cpu(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    """Best CPU time of ``repeat`` runs (process time: other jobs on the machine do not count) and the result."""
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t)
    return best, out


def _previous_eu_final(x: np.ndarray, c: np.ndarray, s: np.ndarray, m: np.ndarray, params: EUParams) -> np.ndarray:
    """The kernel before this change, for the ratio: actors on the last axis (inner loops over 4 actors),
    ``**`` for powers, every live run to the last round."""
    w = c * s
    hi = np.where(m, x, -np.inf).max(axis=-1)
    lo = np.where(m, x, np.inf).min(axis=-1)
    span = hi - lo
    fixed = ~(np.isfinite(span) & (span > 0))
    rng = np.where(fixed, 1.0, span)
    n = x.shape[-1]
    cur = x.reshape(-1, n).copy()
    wf, sf, mf, rf = w.reshape(-1, n), s.reshape(-1, n), m.reshape(-1, n), rng.reshape(-1)

    def prob(x, w, r, m, rng):  # type: ignore[no-untyped-def]
        g = np.abs(x[..., :, None] - x[..., None, :]) / rng[..., None, None]
        if r is not None:
            g = g ** r[..., :, None]
        wk = np.where(m, w, 0.0)[..., :, None, None]
        v = (g[..., :, None, :] - g[..., :, :, None]) * wk
        num = np.maximum(v, 0.0).sum(axis=-3)
        num = np.where(m[..., :, None] & m[..., None, :], num, 0.0)
        tot = 2.0 * num.sum(axis=(-2, -1))
        p = np.where(tot[..., None, None] > 0, num / np.where(tot > 0, tot, 1.0)[..., None, None], 0.0)
        return np.where(x[..., :, None] == x[..., None, :], 0.0, p)

    def one(x, w, s, m, rng):  # type: ignore[no-untyped-def]
        p = prob(x, w, None, m, rng)
        d = np.abs(x[..., :, None] - x[..., None, :]) / rng[..., None, None]
        eu = s[..., None, :] * (p * 2 * d + (1 - p) * -2 * d) + (1 - s[..., None, :]) * 2 * d
        valid = m[..., :, None] & m[..., None, :] & ~np.eye(n, dtype=bool)
        danger = np.sum(np.where(valid, eu, 0.0), axis=-2)
        big = np.where(m, danger, -np.inf).max(axis=-1, keepdims=True)
        small = np.where(m, danger, np.inf).min(axis=-1, keepdims=True)
        sp = big - small
        ok = np.isfinite(sp) & (sp > 0)
        rr = np.where(ok, (2 * danger - big - small) / np.where(ok, sp, 1.0), 0.0)
        r = (1 - rr / 3) / (1 + rr / 3)
        p = prob(x, w, r, m, rng)
        ra = r[..., :, None]
        us, uf, usq = 2 - 4 * (0.5 - 0.5 * d) ** ra, 2 - 4 * (0.5 + 0.5 * d) ** ra, 2 - 4 * 0.5**ra
        pt = np.swapaxes(p, -1, -2)
        e_ao = s[..., None, :] * (p * us + (1 - p) * uf) + (1 - s[..., None, :]) * us - usq
        e_oa = s[..., :, None] * (pt * us + (1 - pt) * uf) + (1 - s[..., :, None]) * us - usq
        xa, xo = x[..., :, None], x[..., None, :]
        pair = m[..., :, None] & m[..., None, :] & (xa != xo)
        conf = pair & (e_oa > e_ao) & (e_ao > 0)
        comp = pair & (e_oa > 0) & (e_ao < 0) & (e_oa > np.abs(e_ao))
        with np.errstate(divide="ignore", invalid="ignore"):
            cpos = xa + (xo - xa) * np.abs(e_ao / np.where(comp, e_oa, 1.0))
            ckey = (np.abs(e_ao) * xa + np.abs(e_oa) * xo) / (np.abs(e_ao) + np.abs(e_oa))
        dist = np.abs(xa - xo)

        def pick(a, k):  # type: ignore[no-untyped-def]
            return np.take_along_axis(a, k[..., None], axis=-1)[..., 0]

        xo_full = np.broadcast_to(xo, conf.shape)
        new = np.where(conf.any(-1), pick(xo_full, np.argmin(np.where(conf, dist, np.inf), -1)),
                       np.where(comp.any(-1), pick(cpos, np.argmin(np.where(comp, ckey, np.inf), -1)), x))
        return np.where(m, new, x)

    live = np.flatnonzero(~fixed.reshape(-1))
    for _ in range(params.max_rounds):
        if live.size == 0:
            break
        xs = cur[live]
        new = one(xs, wf[live], sf[live], mf[live], rf[live])
        cur[live] = new
        live = live[np.abs(new - xs).max(axis=-1) > params.tol * rf[live]]
    return cur.reshape(x.shape)


def breakdown(p: Problem, u: np.ndarray, batch: int = DEFAULT_BATCH) -> str:
    """CPU seconds of each stage of a run on the uniforms ``u``, in the local engine's batches."""
    t = dict.fromkeys(("inputs", "model", "scoring"), 0.0)
    for k in range(0, len(u), batch):
        t0 = time.process_time()
        d = draws_of(p, values_of(p, u[k:k + batch]))  # inverse CDFs, firmness and red-line draws
        t1 = time.process_time()
        pos = predict_all(p, d)
        t2 = time.process_time()
        for x in pos.values():  # the package's options, utilities, red lines crossed; scenarios
            assign(p.rules, outcome_of(p, d, x))
        t3 = time.process_time()
        t["inputs"] += t1 - t0
        t["model"] += t2 - t1
        t["scoring"] += t3 - t2
    return ", ".join(f"{k} {v:.2f} s" for k, v in t.items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    case = load_case(DEFAULT_CASE)
    draws = args.draws
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.1f}" for v in os.getloadavg())
          + " — CPU seconds are this process's own, but contention inflates them too")

    # 1. EU and SMP: vectorised Monte Carlo vs a per-draw loop -------------------------------------
    for name, target in (("eu", 2.0), ("smp", 3.0)):
        p = problem_of(case, resolve([name]))
        if name == "eu":
            print(f"bundled case: {len(p.issues)} issues, {int(p.active.sum())} active actors, "
                  f"{len(p.inputs)} uncertain inputs; {draws} draws")
        run(p, 200, seed=0)  # warm up
        t_vec, res = cpu(lambda p=p: run(p, draws, seed=1), repeat=3)  # best of 3: the machine is shared
        n_loop = 100
        vals = values_of(p, res.u[:n_loop])

        def loop(p=p, vals=vals):  # type: ignore[no-untyped-def]
            return [evaluate_values(p, vals[k:k + 1]) for k in range(len(vals))]

        t_loop, rows = cpu(loop)
        same = all(np.allclose(r[0][name][0], res.position[name][k], atol=1e-9)
                   and r[2][name][0] == res.scenario[name][k] for k, r in enumerate(rows))
        r_vec, r_loop = draws / t_vec, n_loop / t_loop
        ok = "ok" if t_vec < target else "MISSED"
        print(f"[1] {name:3s}: {draws} draws in {t_vec:5.2f} CPU s ({r_vec:6.0f} draws/s; target < {target:.0f} s: "
              f"{ok})   per-draw loop {r_loop:5.0f} draws/s   ratio {r_vec / r_loop:5.1f}×   same numbers: {same}")
        print(f"      where the time goes: {breakdown(p, res.u)}")

    # 2. EU kernel: previous vs current on the same positions -------------------------------------
    p = problem_of(case, resolve(["eu"]))
    d = draws_of(p, values_of(p, np.random.default_rng(3).random((2000, len(p.inputs)))))
    act = p.active
    cap, sal = d.capability[:, act], d.salience[:, act, :]
    s_eu = sal / sal.max(axis=2, keepdims=True)
    x = np.swapaxes(d.ideal[:, act, :], 1, 2)
    c = np.broadcast_to(cap[:, None, :], x.shape)
    s = np.swapaxes(s_eu, 1, 2)
    m = np.ones(x.shape, dtype=bool)
    t_old, old = cpu(lambda: _previous_eu_final(x, c, s, m, EUParams()))
    t_new, new = cpu(lambda: eu_final(x, c, s, m))
    print(f"[2] EU kernel, 2000 draws × {len(p.issues)} issues: previous {t_old:.2f} CPU s, current {t_new:.2f} CPU s "
          f"({t_old / t_new:.1f}×); max |Δ final position| {np.abs(old - new).max():.1e}")

    # 3. Dask: 2 workers vs 1 (and vs local) --------------------------------------------------------
    if not args.no_dask:
        try:
            from dask.distributed import LocalCluster
        except ImportError:
            print("[3] Dask not installed: pip install 'accord[dask]'")
        else:
            p = problem_of(case, resolve(["eu"]))
            t0 = time.perf_counter()
            local = run(p, draws, seed=1)
            t_local = time.perf_counter() - t0
            times = {}
            for workers in (1, 2):
                with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
                    addr = cluster.scheduler_address
                    run(p, 1000, seed=1, engine="dask", address=addr)  # warm the workers
                    t0 = time.perf_counter()
                    dist = run(p, draws, seed=1, engine="dask", address=addr)
                    times[workers] = time.perf_counter() - t0
                    assert np.array_equal(dist.position["eu"], local.position["eu"]), "dask and local differ"
            print(f"[3] EU, {draws} draws, wall: dask 1 worker {times[1]:.2f} s, 2 workers {times[2]:.2f} s "
                  f"(speed-up {times[1] / times[2]:.2f}×); local engine {t_local:.2f} s; identical results: True")

    # 4. SMP on KTAB's 27 × 6 example --------------------------------------------------------------
    if KTAB_6DIM.is_file():
        k = parse_ktab_csv(KTAB_6DIM.read_text(), str(KTAB_6DIM))
        t_smp, r = cpu(lambda: smp_run(k.power, k.position, k.salience), repeat=5)
        print(f"[4] SMP on dummyData_6Dim ({len(k.actors)}×{len(k.dims)}): {t_smp * 1000:.0f} ms, {r.turns} turns "
              f"(KTAB smpc, as reported: 3.4 s → {3.4 / t_smp:.0f}× faster)")
    else:
        print(f"[4] {KTAB_6DIM} not found: skipped")

    # 5. progress: the CLI's default forecast watched (ticks from inside the models) vs unwatched, alternating --
    n = 2000
    forecast(case, draws=200, seed=0)  # warm up
    seen: list[int] = []

    def watched() -> Forecast:
        seen.clear()
        return forecast(case, draws=n, seed=1, progress=lambda done, total: seen.append(done))

    p = problem_of(case, resolve(["ensemble", "status-quo"]))
    best = {k: float("inf") for k in ("quiet", "shown", "one", "small")}
    result: dict[str, Forecast] = {}
    for _ in range(5):  # alternating, best of 5 each: the load drifts
        for k, fn in (("quiet", lambda: forecast(case, draws=n, seed=1)), ("shown", watched),
                      ("one", lambda: run(p, n, seed=1)), ("small", lambda: run(p, n, seed=1, batch=n // 8))):
            t, out = cpu(fn)
            best[k] = min(best[k], t)
            if k in ("quiet", "shown"):
                result[k] = out
    quiet, shown = result["quiet"], result["shown"]
    print(f"[5] default forecast ({quiet.model} beside every predictor), {n} draws in one batch: unwatched "
          f"{best['quiet']:.2f} CPU s; watched {best['shown']:.2f} CPU s ({best['shown'] / best['quiet']:.2f}×), "
          f"{len(seen)} progress reports, increasing: {seen == sorted(set(seen))}; "
          f"identical forecast: {shown == quiet}")
    print(f"    the previous way to move a bar, 8 batches of {n // 8} draws: {best['small']:.2f} CPU s against "
          f"{best['one']:.2f} for one batch ({best['small'] / best['one']:.2f}×, the Monte Carlo alone)")

if __name__ == "__main__":
    main()

"""Time benchmarks (issue 11): loading a case with histories, and what ``--as-of`` adds to ``assess``.

    python bench/time.py [--case ukraine_2025] [--repeat 20]

1. Loading the case: the first load in the process (parse, validate, cross-check, the
   leakage rule over every dated state), a re-parse with the files in the OS cache
   ("warm", the figure the issue bounds: target < 0.2 s), and a cached load
   (``load_case`` again: the folder's stamp, then the in-process cache). Baseline beside
   it, in the same process: the same case flattened to one undated snapshot per
   position (the latest state; what the case was before histories), parsed the same way
   — so the ratio is what histories cost.
2. ``assess`` with and without ``--as-of`` (target: < 10 ms added): each run takes a
   fresh copy of the loaded case (no cached views), then judges one plan against the
   latest view (no date), against the view of the plan's own date (``assess --plan P``,
   the default) and against the view of ``--as-of DATE``; and every plan known by that
   date (``assess --as-of DATE`` without ``--plan``). The difference to the latest-view
   run is the date's cost: building the view (positions in effect that day, saliences
   rescaled).

Times are medians of ``--repeat`` runs, wall clock and CPU (the process's own time,
which a busy shared machine does not inflate; the targets on time spent computing are
judged on CPU, the cached load on wall clock).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from timeit import default_timer as perf_counter
from typing import Any

from accord.analysis.assess import assess_plan, compare_plans, plan_view
from accord.model import DEFAULT_CASE, Case, load_case
from accord.model.dump import positions_yaml
from accord.model.load import _load_cached, _stamp, case_dir


def process_time() -> float:
    """This process's CPU seconds (``time`` is this file's own name, so the standard module is not imported)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def nothing() -> None:
    return None


def timed(fn: Callable[[Any], Any], repeat: int, setup: Callable[[], Any] = nothing) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn(setup())`` (``setup`` runs before each run, untimed)."""
    walls, cpus = [], []
    for _ in range(repeat):
        arg = setup()
        w, c = perf_counter(), process_time()
        fn(arg)
        walls.append(perf_counter() - w)
        cpus.append(process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def ms(t: tuple[float, float]) -> str:
    return f"{t[0] * 1000:8.1f} ms wall {t[1] * 1000:8.1f} ms CPU"


def flattened(case: Case, folder: Path, out: Path) -> Path:
    """A copy of the case folder whose positions.yaml holds one undated snapshot per position (the latest)."""
    shutil.copytree(folder, out)
    latest = tuple(p.model_copy(update={"since": None}) for p in case.at(None).positions)
    snap = case.replace(history=latest, positions=latest)
    (out / "positions.yaml").write_text(positions_yaml(case.replace(history=(), positions=()), snap, ""),
                                        encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", default=DEFAULT_CASE)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    n = args.repeat

    folder = case_dir(args.case).resolve()
    w, c = perf_counter(), process_time()
    case = load_case(folder)
    first = (perf_counter() - w, process_time() - c)
    uncached = timed(lambda _: _load_cached.__wrapped__(folder, _stamp(folder)), n)
    cached = timed(lambda _: load_case(folder), n)
    with tempfile.TemporaryDirectory() as tmp:
        flat = flattened(case, folder, Path(tmp) / "flat")
        snapshot = timed(lambda _: _load_cached.__wrapped__(flat, _stamp(flat)), n)
        flat_case = load_case(flat)
    dated = sum(1 for p in case.history if p.since is not None)
    print(f"1. load {case.id}: {len(case.history)} states ({dated} dated) of {len(case.positions)} positions, "
          f"{len(case.sources)} sources")
    print(f"   first load in the process      {ms(first)}")
    print(f"   warm, parsed again             {ms(uncached)}   (< 200 ms CPU: "
          f"{'ok' if uncached[1] < 0.2 else 'MISSED'})")
    print(f"   warm, cached (load_case again) {ms(cached)}   target < 200 ms: {'ok' if cached[0] < 0.2 else 'MISSED'}")
    print(f"   baseline: latest snapshots     {ms(snapshot)}   ({len(flat_case.history)} states; "
          f"histories cost ×{uncached[1] / snapshot[1]:.2f} CPU)")

    plans = [p for p in case.plans if p.date is not None]
    plan = plans[0]
    day = max(d for d in case.dates() if d is not None)
    print(f"\n2. assess {plan.id} (dated {plan.date}); --as-of {day}; fresh case copy per run (no cached views)")

    def fresh() -> Case:
        return case.replace()

    plain = timed(lambda c: assess_plan(c.at(None), plan.id), n, fresh)
    own = timed(lambda c: assess_plan(plan_view(c, plan.id), plan.id), n, fresh)
    as_of = timed(lambda c: assess_plan(plan_view(c.at(day), plan.id), plan.id), n, fresh)
    view = timed(lambda c: c.at(day), n, fresh)
    print(f"   latest view, no date           {ms(plain)}")
    print(f"   the plan's own date (default)  {ms(own)}   +{(own[1] - plain[1]) * 1000:.1f} ms CPU")
    print(f"   --as-of {day}             {ms(as_of)}   +{(as_of[1] - plain[1]) * 1000:.1f} ms CPU, "
          f"+{(as_of[0] - plain[0]) * 1000:.1f} ms wall; target < 10 ms (CPU): "
          f"{'ok' if as_of[1] - plain[1] < 0.010 else 'MISSED'}")
    print(f"   of which the view of the date  {ms(view)}")
    everyone = timed(compare_plans, n, fresh)
    everyone_as_of = timed(lambda c: compare_plans(c.at(day)), n, fresh)
    print(f"   every plan, each its own date  {ms(everyone)}   ({len(case.plans)} plans)")
    print(f"   every plan, --as-of {day} {ms(everyone_as_of)}   ({len(case.at(day).plans)} plans)")


if __name__ == "__main__":
    main()

"""Start-up of the ``accord`` command line, run as a process, against ``python -c pass`` in the same run.

    python bench/cli.py [--repeat 7]

Each row runs one command ``--repeat`` times as a fresh process (the same
interpreter as this script, through the console script's own entry point)
and prints the median wall time, its overhead over ``python -c pass`` (the
baseline, measured interleaved with the commands so load on the machine hits
both alike) and the ratio. Rows: ``accord --help`` and ``accord COMMAND --help``
for every command and group, plus ``accord validate`` on the bundled case (a
command that loads a case, to show what real work costs on top).

Targets (issue 15): ``accord --help`` under 0.3 s; every command's overhead
under 0.5 s. The last lines say whether they are met. On a loaded machine run
it twice: the medians of the baseline and the commands move together.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

ENTRY = "from accord.cli import main; main()"
HELP_TARGET = 0.3
OVERHEAD_TARGET = 0.5


def wall(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def commands() -> list[list[str]]:
    """Every command and group of the CLI, as argument lists (``[name]`` or ``[group, sub]``)."""
    import typer

    from accord.cli import app

    root = typer.main.get_command(app)
    out: list[list[str]] = []
    for name, cmd in sorted(getattr(root, "commands", {}).items()):  # a click (or typer's own) Group
        out.append([name])
        out += [[name, sub] for sub in sorted(getattr(cmd, "commands", {}))]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    rows: list[tuple[str, list[str]]] = [("accord --help", ["-c", ENTRY, "--help"])]
    rows += [(f"accord {' '.join(c)} --help", ["-c", ENTRY, *c, "--help"]) for c in commands()]
    rows.append(("accord validate ukraine_2025", ["-c", ENTRY, "validate", "ukraine_2025"]))
    base: list[float] = []
    times: dict[str, list[float]] = {name: [] for name, _ in rows}
    for _ in range(args.repeat):
        for name, argv in rows:
            base.append(wall(["-c", "pass"]))  # interleaved: the baseline sees the same load
            times[name].append(wall(argv))
    b = statistics.median(base)
    print(f"baseline  python -c pass: median {b:.3f} s over {len(base)} runs")
    print(f"{'command':<44} {'median s':>9} {'overhead s':>11} {'ratio':>7}")
    worst = 0.0
    for name, _ in rows:
        m = statistics.median(times[name])
        print(f"{name:<44} {m:9.3f} {m - b:11.3f} {m / b:7.1f}")
        if name != "accord validate ukraine_2025":
            worst = max(worst, m - b)
    help_s = statistics.median(times["accord --help"])
    print(f"accord --help: {help_s:.3f} s (target < {HELP_TARGET} s): {'met' if help_s < HELP_TARGET else 'NOT met'}")
    print(f"worst command overhead (--help of each): {worst:.3f} s (target < {OVERHEAD_TARGET} s): "
          f"{'met' if worst < OVERHEAD_TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()

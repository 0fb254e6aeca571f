"""Start-up of the ``accord`` command line, run as a process, against ``python -c pass`` in the same run.

    python bench/cli.py [--repeat 7]

Each row runs one command ``--repeat`` times as a fresh process (the same
interpreter as this script, through the console script's own entry point)
and prints the median wall time, its overhead over ``python -c pass`` (the
baseline, measured interleaved with the commands so load on the machine hits
both alike) and the ratio. Rows: ``accord --help`` and ``accord COMMAND --help``
for every command and group, plus ``accord validate`` on the bundled case (a
command that loads a case, to show what real work costs on top), and the
previous method: typer's own group over the same commands, which imports
every command module and builds every command before printing ``--help``.

Besides wall time it prints each process's CPU time (user + system, from
``getrusage`` of the children): on a loaded machine wall time stretches with
the queue for the CPU, CPU time does not.

Targets (issue 15): ``accord --help`` under 0.3 s; every command's overhead
under 0.5 s. The last lines say whether they are met, in wall and in CPU time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

ENTRY = "from accord.cli import main; main()"
# before the lazy group (accord.cli.commands): typer builds every registered command up front
EAGER = ("import typer; from accord.cli.app import app, registry; from accord.cli.commands import load_all; "
         "load_all(); eager = typer.Typer(help=app.info.help, add_completion=False, rich_markup_mode=None); "
         "eager.registered_commands = registry.registered_commands; "
         "eager.registered_groups = registry.registered_groups; eager()")
PREVIOUS = "previous: every command built, --help"
HELP_TARGET = 0.3
OVERHEAD_TARGET = 0.5


def wall(args: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of the interpreter with ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    rows.append((PREVIOUS, ["-c", EAGER, "--help"]))
    base: list[tuple[float, float]] = []
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in rows}
    for _ in range(args.repeat):
        for name, argv in rows:
            base.append(wall(["-c", "pass"]))  # interleaved: the baseline sees the same load
            times[name].append(wall(argv))

    def med(xs: list[tuple[float, float]], k: int) -> float:
        return statistics.median(x[k] for x in xs)

    bw, bc = med(base, 0), med(base, 1)
    print(f"baseline  python -c pass: median {bw:.3f} s wall, {bc:.3f} s CPU over {len(base)} runs")
    print(f"{'command':<44} {'wall s':>7} {'overhead':>9} {'ratio':>6} {'CPU s':>7} {'overhead':>9} {'ratio':>6}")
    worst = [0.0, 0.0]
    for name, _ in rows:
        w, c = med(times[name], 0), med(times[name], 1)
        print(f"{name:<44} {w:7.3f} {w - bw:9.3f} {w / bw:6.1f} {c:7.3f} {c - bc:9.3f} {c / max(bc, 1e-3):6.1f}")
        if name.startswith("accord") and not name.startswith("accord validate"):
            worst = [max(worst[0], w - bw), max(worst[1], c - bc)]
    hw, hc = med(times["accord --help"], 0), med(times["accord --help"], 1)
    pw, pc = med(times[PREVIOUS], 0), med(times[PREVIOUS], 1)
    print(f"accord --help against the previous method (every command built): {pw / hw:.1f}x faster in wall time, "
          f"{pc / max(hc, 1e-3):.1f}x in CPU time; overhead {pw - bw:.3f} -> {hw - bw:.3f} s wall")
    for what, h, o in (("wall", hw, worst[0]), ("CPU", hc, worst[1])):
        print(f"{what}: accord --help {h:.3f} s (target < {HELP_TARGET} s: {'met' if h < HELP_TARGET else 'NOT met'}); "
              f"worst overhead of a command's --help {o:.3f} s (target < {OVERHEAD_TARGET} s: "
              f"{'met' if o < OVERHEAD_TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()

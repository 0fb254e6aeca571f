"""``accord calibrate``: fit each actor's batna and utility curvature to the decisions it made.

Usage::

    accord calibrate [--case C] [--as-of DATE] [--write DIR] [--json]

Prints every recorded decision on a plan with the actor's utility and batna
before and after the fit and whether each reproduces it, the fitted values per
actor (with the leave-one-out count), the decisions not scored and why, and one
line: how many of the recorded decisions the utilities reproduce before and
after. ``--as-of`` uses only the decisions recorded by that date. ``--write DIR``
writes a copy of the case folder whose ``actors.yaml`` carries the calibrated
batna and curvature, each labelled as calibrated, for any command
(``accord assess --case DIR``, ``accord forecast --case DIR``); ``accord forecast
--calibrated`` does the same in memory.

JSON output (``--json``): ``{"case", "decisions": [{"outcome", "date", "actor", "plan",
"decision", "accepted", "utility_before", "batna_before", "reproduced_before",
"utility_after", "batna_after", "reproduced_after", "red_lines"}], "actors": [{"actor",
"decisions", "curvature_before", "curvature", "batna_before", "batna", "reproduced_before",
"reproduced", "leave_one_out"}], "skipped": [[outcome, why]], "total", "reproduced_before",
"reproduced_after", "leave_one_out"}``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from accord.cli.app import (
    DEFAULT_CASE,
    AsOfOpt,
    CaseOpt,
    DemoContext,
    JsonOpt,
    as_of_date,
    console,
    demo_section,
    emit_json,
    registry,
)
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.analysis.calibrate import Calibration


@registry.command()
def calibrate(
    case: CaseOpt = DEFAULT_CASE,
    as_of: AsOfOpt = None,
    write: Annotated[
        Path | None, typer.Option("--write", metavar="DIR", help="Write a copy of the case folder with the "
                                  "calibrated batna and curvature in actors.yaml, labelled as calibrated.")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Fit each actor's batna and utility curvature to its recorded decisions on plans; before and after."""
    from accord.analysis.calibrate import calibrate as run_calibrate
    from accord.cli.progress import progress
    from accord.model import case_dir, load_case

    full = load_case(case)
    with progress("fit batna and curvature"):  # a grid search per actor, no count to show: a spinner
        cal = run_calibrate(full, as_of=as_of_date(as_of))
    if write is not None:
        write_calibrated(case_dir(case), write, cal)
    if json:
        emit_json(cal)
        return
    if cal.total:
        console.print(decision_table(cal))
        console.print(fit_table(cal))
    for outcome, why in cal.skipped:
        console.print(f"[dim]not scored: {outcome} — {why}[/]")
    console.print(summary(cal))
    if write is not None:
        console.print(f"wrote the calibrated case to {write} (use it with --case {write})")


def summary(cal: Calibration) -> str:
    """One line: how many recorded decisions the utilities reproduce, before and after."""
    if not cal.total:
        return "No recorded decision on a plan to calibrate to (outcomes.yaml: kind decision, with a plan)."
    return (f"The utilities reproduce {cal.reproduced_before} of {cal.total} recorded decisions on plans before "
            f"calibration and {cal.reproduced_after} after (leave-one-out: {cal.leave_one_out} of {cal.total}).")


def decision_table(cal: Calibration) -> Table:
    t = Table(title="Recorded decisions on plans: the actor's utility of the plan against its batna, before → after")
    for col, just in (("date", "left"), ("actor", "left"), ("plan", "left"), ("decision", "left"),
                      ("before: u / batna", "right"), ("", "center"), ("after: u / batna", "right"), (" ", "center"),
                      ("red lines crossed", "left")):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for d in cal.decisions:
        t.add_row(str(d.date), d.actor, d.plan, d.decision, f"{d.utility_before:.2f} / {d.batna_before:.2f}",
                  "✓" if d.reproduced_before else "✗", f"{d.utility_after:.2f} / {d.batna_after:.3f}",
                  "✓" if d.reproduced_after else "✗", ", ".join(d.red_lines) or "—")
    return t


def fit_table(cal: Calibration) -> Table:
    t = Table(title="Fitted per actor (u = 1 − d^curvature; each actor on its own decisions)")
    for col in ("actor", "decisions", "curvature", "batna", "reproduced", "leave-one-out"):
        t.add_column(col, justify="left" if col == "actor" else "right")
    for a in cal.actors:
        t.add_row(a.actor, str(a.decisions), f"{a.curvature_before:g} → {a.curvature:.2f}",
                  f"{a.batna_before:g} → {a.batna:.3f}", f"{a.reproduced_before} → {a.reproduced}",
                  str(a.leave_one_out))
    return t


def write_calibrated(src: Path, dest: Path, cal: Calibration) -> None:
    """Copy the case folder to ``dest`` with the calibrated estimates in its actors.yaml (comments kept)."""
    from ruamel.yaml import YAML

    from accord.analysis.calibrate import calibrated_case
    from accord.model import load_case

    if dest.exists() and any(dest.iterdir()):
        raise AccordError([Problem(str(dest), None, "--write", "the folder exists and is not empty; give a new one")])
    fitted = {a.id: a for a in calibrated_case(load_case(src), cal).actors}
    yaml = YAML(typ="rt")
    doc = yaml.load((src / "actors.yaml").read_text(encoding="utf-8"))
    for row in doc:
        a = fitted.get(str(row.get("id")))
        if a is None or str(row.get("id")) not in {f.actor for f in cal.actors}:
            continue
        for field in ("batna", "curvature"):
            est = getattr(a, field)
            row[field] = {k: v for k, v in est.model_dump().items() if v is not None and not (k == "dist" and
                                                                                           v == "triangular")}
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp)
    with (tmp / "actors.yaml").open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    load_case(tmp)  # what is written loads, or nothing is written
    if dest.exists():
        dest.rmdir()
    tmp.rename(dest)


@demo_section(46, "Calibrate: the utilities against the decisions the parties made")
def _calibrate_section(ctx: DemoContext) -> None:
    from accord.analysis.calibrate import calibrate as run_calibrate

    cal = run_calibrate(ctx.case)
    ctx.outputs["calibration"] = cal
    if cal.actors:
        ctx.console.print(fit_table(cal))
    ctx.console.print(summary(cal))

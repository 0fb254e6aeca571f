"""``accord demo``: the main job on the bundled case, section by section.

Each capability registers a section with :func:`accord.cli.app.demo_section`;
the demo runs them in order on the bundled case and writes its files (report,
database) under ``--workdir`` (default ``./accord-demo``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.rule import Rule

from accord.analysis.assess import compare_plans
from accord.cli.app import (
    DEFAULT_CASE,
    DEMO_SECTIONS,
    AsOfOpt,
    CaseOpt,
    DemoContext,
    app,
    console,
    demo_section,
    open_case,
)
from accord.cli.case import actor_table, red_line_lines
from accord.model import case_dir


@app.command()
def demo(
    case: CaseOpt = DEFAULT_CASE,
    workdir: Annotated[
        Path, typer.Option("--workdir", help="Folder for the files the demo writes (report, database).")
    ] = Path("accord-demo"),
    as_of: AsOfOpt = None,
) -> None:
    """Run the main job on the bundled case: assess every plan, solve, forecast, monitor, report."""
    c = open_case(case, as_of)
    workdir.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(case=c, console=console, workdir=workdir, folder=case_dir(case))
    console.print(f"[bold]{c.name}[/]")
    for _, title, section in DEMO_SECTIONS:
        console.print(Rule(title))
        section(ctx)


@demo_section(10, "Assess: every plan for every party")
def _assess_section(ctx: DemoContext) -> None:
    results = compare_plans(ctx.case)
    ctx.outputs["assessments"] = results
    ctx.console.print(actor_table(ctx.case, results, title="Plans side by side"))
    for r in results:
        ctx.console.print(f"[bold]{r.plan}[/]")
        ctx.console.print(red_line_lines(ctx.case, r))

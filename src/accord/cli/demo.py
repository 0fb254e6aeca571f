"""``accord demo``: the main job on every bundled case, section by section.

Each capability registers a section with :func:`accord.cli.app.demo_section`;
the demo runs them in order on each case (every bundled case unless ``--case``
names some) and writes its files (report, database) under ``--workdir``
(default ``./accord-demo``), one folder per case, with an ``index.html`` to
pick a case's report.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.rule import Rule

from accord.cli.app import (
    DEMO_SECTIONS,
    AsOfOpt,
    DemoContext,
    console,
    demo_section,
    open_case,
    registry,
)
from accord.cli.case import actor_table, red_line_lines

if TYPE_CHECKING:
    from accord.model import Case


@registry.command()
def demo(
    case: Annotated[list[str] | None, typer.Option("--case", "-c", help="A case folder or bundled case; repeat "
                                                   "for several (default: every bundled case).")] = None,
    workdir: Annotated[
        Path, typer.Option("--workdir", help="Folder for the files the demo writes (one folder per case, and "
                           "index.html: a page to pick a case's report).")
    ] = Path("accord-demo"),
    as_of: AsOfOpt = None,
) -> None:
    """Run the main job on every bundled case: assess every plan, solve, forecast, monitor, report."""
    from accord.cli.commands import load_all
    from accord.cli.progress import progress
    from accord.model import bundled_cases, case_dir

    load_all()  # every module's demo section
    names = case or bundled_cases()
    cases = [(name, open_case(name, as_of)) for name in names]
    workdir.mkdir(parents=True, exist_ok=True)
    reports: list[tuple[Case, Path]] = []
    serving: list[tuple[str, dict[str, object]]] = []
    with progress("demo", total=len(cases) * len(DEMO_SECTIONS)) as bar:
        for name, c in cases:
            folder = workdir / c.id
            folder.mkdir(parents=True, exist_ok=True)
            ctx = DemoContext(case=c, console=console, workdir=folder, folder=case_dir(name))
            console.print(Rule(f"[bold]{c.name}[/]", characters="═"))
            for _, title, section in DEMO_SECTIONS:
                bar.phase(f"{c.id}: {title}")
                console.print(Rule(title))
                section(ctx)
                bar.advance()
            if isinstance(ctx.outputs.get("report"), Path):
                reports.append((c, ctx.outputs["report"]))
            serving.append((name, ctx.outputs))
    if reports:
        index = write_index(workdir, reports)
        console.print(f"cases: {index.resolve()}", markup=False, highlight=False)
    # the dashboard on what the demo wrote: its claims and its monitoring database
    console.print(f"dashboard: {serve_command(serving)}", markup=False, highlight=False, soft_wrap=True)


def serve_command(runs: list[tuple[str, dict[str, object]]]) -> str:
    """The ``accord serve`` line that shows the demo's cases with the claims and the database it wrote.

    ``serve`` loads ``--claims`` into its first case and reads one ``--db``: the first case with
    extracted claims goes first, and the first monitoring database is the one served.

    >>> serve_command([("a", {"db": "sqlite:///d/a/monitor/demo.db"}), ("b", {"claims_file": Path("d/b/c.jsonl")})])
    'accord serve --case b --case a --claims d/b/c.jsonl --db sqlite:///d/a/monitor/demo.db'
    >>> serve_command([("a", {})])
    'accord serve --case a'
    """
    ordered = sorted(runs, key=lambda r: not isinstance(r[1].get("claims_file"), Path))
    parts = ["accord serve", *(f"--case {name}" for name, _ in ordered)]
    claims = next((o["claims_file"] for _, o in ordered if isinstance(o.get("claims_file"), Path)), None)
    db = next((o["db"] for _, o in ordered if isinstance(o.get("db"), str)), None)
    parts += [f"--claims {claims}"] if claims is not None else []
    parts += [f"--db {db}"] if db is not None else []
    return " ".join(parts)


def write_index(workdir: Path, reports: list[tuple[Case, Path]]) -> Path:
    """``index.html`` in ``workdir``: a page to pick one case's report (links relative to it)."""
    items = "".join(
        f'<li><a href="{html.escape(path.relative_to(workdir).as_posix())}">{html.escape(c.name)}</a> '
        f"<code>{html.escape(c.id)}</code></li>"
        for c, path in reports
    )
    out = workdir / "index.html"
    out.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>accord demo</title></head>'
                   f"<body><h1>accord demo: pick a case</h1><ul>{items}</ul></body></html>\n", encoding="utf-8")
    return out


@demo_section(10, "Assess: every plan for every party")
def _assess_section(ctx: DemoContext) -> None:
    from accord.analysis.assess import compare_plans

    results = compare_plans(ctx.case)
    ctx.outputs["assessments"] = results
    ctx.console.print(actor_table(ctx.case, results, title="Plans side by side"))
    for r in results:
        ctx.console.print(f"[bold]{r.plan}[/]")
        ctx.console.print(red_line_lines(ctx.case, r))

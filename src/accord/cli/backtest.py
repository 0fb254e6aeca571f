"""``accord backtest``: forecast with only what was known on a date; score every model and baseline.

Usage::

    accord backtest [--as-of DATE] [--target PLAN_OR_OUTCOME] [--case C] [--models NAMES]
                    [--draws N] [--seed S] [--json]

Without ``--as-of`` it runs the case's own backtest (``case.yaml: backtest``).

The forecast is made from the case as known on ``--as-of`` (positions in effect
then, plans and outcomes dated by then); the target — a plan dated after it, or a
recorded outcome on one issue and option — and the scenario outcomes recorded
after it come from the full case. The text output is the score table (every
predictor's axis distance, ordinal distance and exact hits over the target's
issues, and the Brier score of its scenario probabilities, with the uniform
forecast as the no-skill reference), which predictor did best by each measure,
and the issue-by-issue table.

JSON output (``--json``; stable keys): ``{"case", "as_of", "target", "target_kind",
"target_date", "model", "draws", "seed", "horizon", "plan", "issues": [{"issue", "name",
"option", "axis", "forecast": {name: option}, "forecast_axis": {name: position}}],
"scores": [{"name", "title", "kind", "axis", "ordinal", "hits", "issues", "brier",
"brier_all"}], "best": {"axis" | "ordinal" | "hits" | "brier": [names]}, "resolutions":
[{"outcome", "date", "scenario", "occurred"}], "uniform_brier", "uniform_brier_all", "notes"}``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from accord.cli.app import (
    DEFAULT_CASE,
    CaseOpt,
    DemoContext,
    JsonOpt,
    as_of_date,
    console,
    demo_section,
    emit_json,
    registry,
)
from accord.cli.forecast import model_names
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.analysis.backtest import Backtest

BEST = {"axis": "axis distance", "ordinal": "ordinal distance", "hits": "exact hits", "brier": "Brier score"}


@registry.command()
def backtest(
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Forecast with only what was known "
                                              "on DATE (YYYY-MM-DD); default: the case's own backtest.")] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="A plan dated after --as-of, or an outcome on one issue and "
                                 "option, to score the forecasts against (default: scenario outcomes only).")
    ] = None,
    case: CaseOpt = DEFAULT_CASE,
    models: Annotated[
        str | None, typer.Option("--models", help="Comma-separated predictors to score, the first being the model "
                                 "the run is about (default: every registered one).")
    ] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws for the scenario probabilities.")]
    = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Seed: the same seed gives the same numbers.")] = 0,
    json: JsonOpt = False,
) -> None:
    """Score every model and baseline, forecasting as of a date, against a later plan or recorded outcomes."""
    from accord.analysis.backtest import backtest as run_backtest
    from accord.cli.progress import progress
    from accord.model import load_case

    full = load_case(case)
    day = as_of_date(as_of)
    if day is None:
        if full.backtest is None:
            raise AccordError([Problem("", None, "--as-of", "required: this case declares no backtest of its own "
                                       "(case.yaml: backtest: {as_of: DATE, target: ID})")])
        day, target = full.backtest.as_of, target or full.backtest.target
    if draws < 1:
        raise AccordError([Problem("", None, "--draws", f"must be at least 1 (got {draws})")])
    chosen = model_names(models, "--models")
    with progress(f"backtest × {draws} draws") as bar:
        b = run_backtest(full, day, target, predictors=chosen, draws=draws, seed=seed, progress=bar.count)
    if json:
        from accord.analysis.results import backtest_result

        emit_json(backtest_result(b))
        return
    console.print(score_table(b))
    for line in verdict(b):
        console.print(line)
    if b.issues:
        console.print(issue_table(b))


def score_table(b: Backtest) -> Table:
    """Every predictor's distances to the target and its Brier score; the best of each in bold."""
    what = f"against {b.target} ({b.target_kind}, {b.target_date}): the {len(b.issues)} issues it settles" \
        if b.target else "against the scenario outcomes recorded after the date"
    t = Table(title=f"Backtest: forecast as of {b.as_of} (plan on the table: {b.plan or 'none'}) {what}")
    t.add_column("predictor")
    t.add_column("kind")
    if b.issues:
        t.add_column("axis distance", justify="right")
        t.add_column("ordinal distance", justify="right")
        t.add_column("exact hits", justify="right")
    if b.resolutions:
        t.add_column(f"Brier ({len(b.resolutions)} outcomes)", justify="right")

    def mark(key: str, name: str, text: str) -> str:
        return f"[bold]{text}[/]" if name in b.best.get(key, ()) else text

    for s in b.scores:
        row = [s.name, s.kind]
        if b.issues:
            row += [mark("axis", s.name, f"{s.axis:.1f}"), mark("ordinal", s.name, f"{s.ordinal:.2f}"),
                    mark("hits", s.name, f"{s.hits}/{s.issues}")]
        if b.resolutions:
            row.append(mark("brier", s.name, f"{s.brier:.4f}"))
        t.add_row(*row)
    if b.resolutions and b.uniform_brier is not None:
        t.add_row("uniform", "no skill", *([""] * 3 if b.issues else []), f"{b.uniform_brier:.4f}")
    t.caption = ("axis distance: mean |forecast − target| on the 0–100 axes; ordinal distance: mean number of "
                 "options between; exact hits: issues on the target's option; Brier: mean (p − o)² over the "
                 "recorded scenario outcomes (0 is perfect). Each predictor at the estimates' values.")
    return t


def verdict(b: Backtest) -> list[str]:
    """Which predictor did best by each measure, in words, and what could not be scored."""
    out = []
    for key, label in BEST.items():
        if key in b.best:
            names = b.best[key]
            out.append(f"Best by {label}: {', '.join(names)}")
    out += [f"[dim]{n}[/]" for n in b.notes]
    return out


def issue_table(b: Backtest) -> Table:
    """Issue by issue: the target's option and each predictor's (✓ where it hits)."""
    names = [s.name for s in b.scores]
    t = Table(title=f"Issue by issue: {b.target}'s option and each predictor's forecast (✓ = exact hit)")
    t.add_column("issue", no_wrap=True)
    t.add_column("target")
    for n in names:
        t.add_column(n)
    for i in b.issues:
        t.add_row(i.issue, i.option, *(("✓ " if i.forecast[n] == i.option else "") + i.forecast[n] for n in names))
    return t


@demo_section(45, "Backtest: every model and baseline against what came after")
def _backtest_section(ctx: DemoContext) -> None:
    from accord.analysis.backtest import backtest as run_backtest

    spec = ctx.case.backtest
    if spec is None:
        ctx.console.print("[dim]this case declares no backtest (case.yaml: backtest)[/]")
        return
    b = run_backtest(ctx.case, spec.as_of, spec.target)  # the command's defaults, as docs/forecast.md shows
    ctx.outputs["backtest"] = b
    ctx.console.print(score_table(b))
    for line in verdict(b):
        ctx.console.print(line)

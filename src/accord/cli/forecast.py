"""``accord forecast``: bargaining models over the case's uncertainty; scenario probabilities.

Usage::

    accord forecast [--case C] [--model eu|smp|median|mean] [--draws N] [--seed S]
                    [--engine local|dask] [--address tcp://host:8786] [--sensitivity]
                    [--claims CLAIMS.jsonl] [--json]
    accord forecast --from-ktab FILE.csv --model smp [--json]

The text output is three tables: every issue (the model's point forecast beside the
weighted mean and median baselines, and the Monte Carlo spread), the scenarios
(probability with its 95 % Wilson interval) and, with ``--sensitivity``, the
inputs that move each scenario most. A progress bar runs on stderr.

JSON output (``--json``; stable keys):

- case: ``{"case", "model", "draws", "seed", "engine", "inputs",
  "issues": [{"issue", "name", "point", "point_option", "baseline_mean", "baseline_median",
  "mean", "quantiles": {"q05", "q25", "q50", "q75", "q95"}, "options": [{"option", "label",
  "axis", "share"}], "top_option"}],
  "scenarios": [{"id", "name", "rule", "probability", "low", "high", "hits", "draws", "point"}],
  "sensitivity": [{"scenario", "input", "kind", "low", "high", "p_low", "p_high", "swing",
  "first_order"}]}`` — positions on the issue's 0–100 axis;
- ``--from-ktab``: ``{"scenario", "model", "turns", "dims", "actors",
  "final": {actor: {dim: position}}, "win_probability": {actor: p},
  "history": [turn][actor][dim]}`` — positions on KTAB's 0–100 scale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from accord.cli.app import (
    DEFAULT_CASE,
    CaseOpt,
    DemoContext,
    JsonOpt,
    app,
    console,
    demo_section,
    emit_json,
    err_console,
    open_case,
)
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.analysis.forecast import Forecast, KtabForecast
    from accord.model import Case

MODELS = ("eu", "smp", "median", "mean")
ENGINES = ("local", "dask")


@app.command()
def forecast(
    case: CaseOpt = DEFAULT_CASE,
    model: Annotated[str, typer.Option("--model", "-m", help="eu | smp | median | mean.")] = "eu",
    draws: Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Seed: the same seed gives the same numbers.")] = 0,
    engine: Annotated[str, typer.Option("--engine", help="local | dask (Dask distributed).")] = "local",
    address: Annotated[
        str | None, typer.Option("--address", help="Dask scheduler, e.g. tcp://host:8786 (default: local cluster).")
    ] = None,
    from_ktab: Annotated[
        Path | None, typer.Option("--from-ktab", help="Run the SMP on a KTAB input CSV instead of a case.")
    ] = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Rank the inputs that move each scenario most.")
    ] = False,
    sensitivity_draws: Annotated[int, typer.Option("--sensitivity-draws", help="Draws per pinned input.")] = 200,
    top: Annotated[int, typer.Option("--top", help="Rows per scenario in the sensitivity table.")] = 8,
    claims: Annotated[
        Path | None,
        typer.Option("--claims", help="JSONL of claims ({id, confidence, …} per line): their confidence scales "
                     "the ranges of the positions that cite them."),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Forecast the outcome: model (eu, smp, median, mean) over Monte Carlo draws; scenario probabilities."""
    if model not in MODELS:
        known = ", ".join(MODELS)
        raise AccordError([Problem("", None, "--model", f"unknown model '{model}'; expected one of {known}")])
    if engine not in ENGINES:
        raise AccordError([Problem("", None, "--engine", f"unknown engine '{engine}'; expected local or dask")])
    if draws < 1:
        raise AccordError([Problem("", None, "--draws", f"must be at least 1 (got {draws})")])
    if from_ktab is not None:
        _from_ktab(from_ktab, model, json)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from accord.analysis.forecast import forecast as run_forecast

    c = open_case(case)
    confidence = read_confidence(claims) if claims is not None else None
    with Progress(
        TextColumn(f"{model} × {draws} draws"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("draws", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        f = run_forecast(
            c, model, draws, seed, engine=engine, address=address, sensitivity=sensitivity,
            sensitivity_draws=sensitivity_draws, sensitivity_top=top, progress=tick, confidence=confidence,
        )
    if json:
        emit_json(f)
        return
    console.print(issue_table(f))
    console.print(scenario_table(f))
    if f.sensitivity:
        console.print(sensitivity_table(f))


def read_confidence(path: Path) -> dict[str, float]:
    """Claim id → confidence from a JSONL file (one claim object per line)."""
    import json as js

    if not path.is_file():
        raise AccordError([Problem(str(path), None, "--claims", "no such file")])
    out: dict[str, float] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = js.loads(line)
        except ValueError as e:
            raise AccordError([Problem(str(path), n, "", f"not JSON: {e}")]) from None
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not obj["id"]:
            raise AccordError([Problem(str(path), n, "id", "expected an object with a claim id")])
        conf = obj.get("confidence", 0.5)
        if not isinstance(conf, int | float) or isinstance(conf, bool) or not 0 <= conf <= 1:
            raise AccordError([Problem(str(path), n, f"{obj['id']}.confidence", f"{conf!r} is not a number in [0, 1]")])
        out[obj["id"]] = float(conf)
    return out


def _from_ktab(path: Path, model: str, json: bool) -> None:
    from accord.analysis.forecast import forecast_ktab
    from accord.analysis.ktab import parse_ktab_csv

    if not path.is_file():
        raise AccordError([Problem(str(path), None, "--from-ktab", "no such file")])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise AccordError([Problem(str(path), None, "", f"not UTF-8 text ({e.reason})")]) from None
    result = forecast_ktab(parse_ktab_csv(text, str(path)), model)
    if json:
        emit_json(result)
        return
    console.print(ktab_table(result))


def ktab_table(r: KtabForecast) -> Table:
    t = Table(title=f"SMP on {r.scenario}: final positions after {r.turns} turns")
    t.add_column("actor")
    for d in r.dims:
        t.add_column(d, justify="right")
    t.add_column("P(win)", justify="right")
    for a in r.actors:
        t.add_row(a, *(f"{r.final[a][d]:.1f}" for d in r.dims), f"{r.win_probability[a]:.3f}")
    return t


def weightiest_issues(case: Case, n: int) -> list[str]:
    """The ``n`` issues the actors weigh most: capability times salience, summed over actors.

    >>> from accord.model import DEFAULT_CASE, load_case
    >>> case = load_case(DEFAULT_CASE)
    >>> top = weightiest_issues(case, 3)
    >>> len(top), set(top) <= {i.id for i in case.issues}
    (3, True)
    """
    cap = {a.id: a.capability.value for a in case.actors}
    weight = dict.fromkeys((i.id for i in case.issues), 0.0)
    for p in case.positions:
        weight[p.issue] += cap.get(p.actor, 0.0) * p.salience.value
    return sorted(weight, key=lambda i: -weight[i])[:n]


def issue_table(f: Forecast, issues: list[str] | None = None) -> Table:
    t = Table(title=f"Forecast per issue — {f.model}, {f.draws} draws, seed {f.seed} (axis 0–100)")
    t.add_column("issue", no_wrap=True)
    t.add_column("model: point → option")
    t.add_column("mean / median", justify="right", no_wrap=True)
    t.add_column("5–95 %", justify="right", no_wrap=True)
    t.add_column("most frequent option")
    for i in f.issues:
        if issues and i.issue not in issues:
            continue
        top = next(o for o in i.options if o.option == i.top_option)
        t.add_row(
            i.issue, f"{i.point:.0f} → {i.point_option}", f"{i.baseline_mean:.0f} / {i.baseline_median:.0f}",
            f"{i.quantiles['q05']:.0f}–{i.quantiles['q95']:.0f}", f"{top.option} {top.share:.0%}",
        )
    return t


def scenario_table(f: Forecast) -> Table:
    t = Table(title=f"Scenarios — {f.model} model, {f.draws} draws over {f.inputs} uncertain estimates")
    t.add_column("scenario")
    t.add_column("P", justify="right")
    t.add_column("95 % CI", justify="right")
    t.add_column("at point", justify="center")
    for s in f.scenarios:
        t.add_row(s.name, f"{s.probability:.1%}", f"{s.low:.1%}–{s.high:.1%}", "yes" if s.point else "no")
    return t


def sensitivity_table(f: Forecast) -> Table:
    t = Table(title="What moves each scenario (one at a time: input pinned low / high)")
    t.add_column("scenario")
    t.add_column("input")
    t.add_column("range", justify="right")
    t.add_column("P low", justify="right")
    t.add_column("P high", justify="right")
    t.add_column("swing", justify="right")
    t.add_column("S1", justify="right")
    for sc in f.scenarios:
        rows = [r for r in f.sensitivity if r.scenario == sc.id and (r.swing != 0 or (r.first_order or 0) > 0)]
        if not rows:
            t.add_row(sc.id, "[dim]no estimate moves it within its range[/]", "", "", "", "", "")
        for k, r in enumerate(rows):
            t.add_row(
                sc.id if k == 0 else "", r.input, f"{r.low:.3g}–{r.high:.3g}",
                f"{r.p_low:.1%}", f"{r.p_high:.1%}", f"{r.swing:+.1%}", f"{(r.first_order or 0):.2f}",
            )
    return t


@demo_section(40, "Forecast: scenario probabilities")
def _forecast_section(ctx: DemoContext) -> None:
    from accord.analysis.forecast import forecast as run_forecast

    f = run_forecast(ctx.case, "eu", draws=1000, seed=0)
    ctx.outputs["forecast"] = f
    ctx.console.print(scenario_table(f))
    ctx.console.print(issue_table(f, weightiest_issues(ctx.case, 4)))

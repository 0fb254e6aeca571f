"""``accord forecast``: every model and baseline over the case's uncertainty; scenario probabilities.

Usage::

    accord forecast [--case C] [--as-of DATE] [--model NAME] [--beside NAMES] [--draws N] [--seed S]
                    [--plan PLAN] [--calibrated] [--engine local|dask] [--address tcp://host:8786]
                    [--sensitivity] [--claims CLAIMS.jsonl] [--json]
    accord forecast --from-ktab FILE.csv --model smp [--json]

``--model`` and ``--beside`` take the names of the model registry
(:mod:`accord.analysis.models`): eu, smp, mean, median, status-quo, plan, ensemble.
The text output is three tables: every issue (each predictor's point forecast on
the issue's 0–100 axis, and the chosen model's spread over the draws), the
scenarios by the case's horizon (the share of draws ending in each under the
chosen model with its 95 % Monte Carlo interval, the share under every other
predictor beside it, or "fixed by the case" and why; then how each resolves) and,
with ``--sensitivity``, the estimates that move each scenario most — red lines'
firmness among them. A progress bar runs on stderr. ``--calibrated`` uses each
actor's batna and utility curvature fitted to the decisions it made
(:mod:`accord.analysis.calibrate`; only those recorded by ``--as-of``), and says so.

JSON output (``--json``; stable keys, see docs/json.md; the typed shape of
:mod:`accord.analysis.results`, the same the API's ``POST /api/v1/cases/{case}/forecast`` job returns):

- case: ``{"case", "model", "draws", "seed", "engine", "inputs", "as_of", "horizon", "plan",
  "calibration", "interval", "spread", "predictors": [{"name", "title", "kind", "reference", "parameters"}],
  "issues": [{"issue", "name", "point", "point_option", "points": {name: {"axis", "option"}},
  "mean", "quantiles": {"q05", "q25", "q50", "q75", "q95"}, "options": [{"option", "label",
  "axis", "share"}], "top_option"}],
  "scenarios": [{"id", "name", "rule", "resolution", "remainder", "probability", "low", "high",
  "hits", "draws", "point", "fixed", "beside": {name: probability}}],
  "sensitivity": [{"scenario", "input", "kind", "low", "high", "p_low", "p_high", "swing",
  "first_order"}]}`` — positions on the issue's 0–100 axis; ``low``/``high`` null and
  ``fixed`` a sentence when the case decides a scenario;
- ``--from-ktab``: ``{"scenario", "model", "turns", "dims", "actors",
  "final": {actor: {dim: position}}, "win_probability": {actor: p},
  "history": [turn][actor][dim]}`` — positions on KTAB's 0–100 scale.
"""

from __future__ import annotations

from dataclasses import replace
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
    console,
    demo_section,
    emit_json,
    open_case,
    registry,
)
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.analysis.forecast import Forecast, KtabForecast
    from accord.model import Case

ENGINES = ("local", "dask")
MODEL_HELP = ("A registered model or baseline, e.g. eu or smp (the registry: docs/forecast.md or GET /api/v1/models; "
              "an unknown name is an error that lists them).")


def model_names(text: str | None, field: str) -> list[str] | None:
    """Registered names from a comma-separated list (None: all of them); a one-line error for an unknown one."""
    from accord.analysis.models import predictor

    if text is None:
        return None
    out = [n.strip() for n in text.split(",") if n.strip()]
    for n in out:
        predictor(n, field)
    return out


@registry.command()
def forecast(
    case: CaseOpt = DEFAULT_CASE,
    as_of: AsOfOpt = None,
    model: Annotated[str, typer.Option("--model", "-m", help=MODEL_HELP)] = "eu",
    beside: Annotated[
        str | None, typer.Option("--beside", help="Comma-separated predictors shown beside the model "
                                 "(default: every registered one).")
    ] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", help="Monte Carlo draws.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Seed: the same seed gives the same numbers.")] = 0,
    plan: Annotated[
        str | None, typer.Option("--plan", help="The plan on the table for the plan baseline "
                                 "(default: the latest plan dated by --as-of).")
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="local | dask (Dask distributed).")] = "local",
    address: Annotated[
        str | None, typer.Option("--address", help="Dask scheduler, e.g. tcp://host:8786 (default: local cluster).")
    ] = None,
    from_ktab: Annotated[
        Path | None, typer.Option("--from-ktab", help="Run the SMP on a KTAB input CSV instead of a case.")
    ] = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Rank the estimates (red lines' firmness among them) that move "
                           "each scenario most.")
    ] = False,
    sensitivity_draws: Annotated[int, typer.Option("--sensitivity-draws", help="Draws per pinned input.")] = 200,
    top: Annotated[int, typer.Option("--top", help="Rows per scenario in the sensitivity table.")] = 8,
    claims: Annotated[
        Path | None,
        typer.Option("--claims", help="JSONL of claims ({id, confidence, …} per line): their confidence scales "
                     "the ranges of the positions that cite them."),
    ] = None,
    calibrated: Annotated[
        bool, typer.Option("--calibrated", help="Use each actor's batna and utility curvature fitted to its recorded "
                           "decisions (accord calibrate; only those recorded by --as-of).")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Forecast the outcome: a model beside every baseline, over Monte Carlo draws; scenario probabilities."""
    from accord.analysis.models import predictor

    predictor(model)
    others = model_names(beside, "--beside")
    if engine not in ENGINES:
        raise AccordError([Problem("", None, "--engine", f"unknown engine '{engine}'; expected local or dask")])
    if draws < 1:
        raise AccordError([Problem("", None, "--draws", f"must be at least 1 (got {draws})")])
    if from_ktab is not None:
        _from_ktab(from_ktab, model, json)
        return
    from accord.analysis.forecast import forecast as run_forecast
    from accord.cli.progress import progress

    c = open_case(case, as_of)
    note = None
    if calibrated:
        from accord.analysis.calibrate import calibrate, calibrated_case
        from accord.cli.calibrate import summary
        from accord.model import load_case

        cal = calibrate(load_case(case), as_of=c.as_of)
        c = calibrated_case(c, cal)
        note = "calibrated: " + summary(cal)
    if plan is not None and plan not in {p.id for p in c.plans}:
        known = ", ".join(p.id for p in c.plans)
        raise AccordError([Problem("", None, "--plan", f"no plan '{plan}' in this view of the case (known: {known})")])
    confidence = read_confidence(claims) if claims is not None else None
    with progress(f"{model} × {draws} draws") as bar:
        f = run_forecast(
            c, model, draws, seed, beside=others, engine=engine, address=address, sensitivity=sensitivity,
            sensitivity_draws=sensitivity_draws, sensitivity_top=top, confidence=confidence,
            progress=bar.count,
            plan=plan,
        )
    if note:
        f = replace(f, calibration=note)
    if json:
        from accord.analysis.results import forecast_result

        emit_json(forecast_result(f))
        return
    if f.calibration:
        console.print(f.calibration)
    console.print(issue_table(f))
    console.print(scenario_table(f))
    for line in scenario_notes(f):
        console.print(line)
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


def _names(f: Forecast) -> list[str]:
    return [p.name for p in f.predictors]


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
    """Every predictor's point forecast per issue (axis 0–100), the model's option and its spread over the draws."""
    view = f"as of {f.as_of}" if f.as_of else "latest view"
    t = Table(title=f"Forecast per issue — {f.model}, {f.draws} draws, seed {f.seed}, {view} "
                    "(each predictor at the estimates' values, axis 0–100)")
    t.add_column("issue", no_wrap=True)
    t.add_column(f"{f.model} → option")
    t.add_column("5–95 %", justify="right", no_wrap=True)
    others = [n for n in _names(f) if n != f.model]
    for n in others:
        t.add_column(n, justify="right", no_wrap=True)
    for i in f.issues:
        if issues and i.issue not in issues:
            continue
        t.add_row(
            i.issue, f"{i.point:.0f} → {i.point_option}", f"{i.quantiles['q05']:.0f}–{i.quantiles['q95']:.0f}",
            *(f"{i.points[n].axis:.0f}" for n in others),
        )
    t.caption = (f"5–95 %: {f.spread}. plan = {f.plan or 'no plan dated by then: the status quo'}; "
                 "ensemble = equal-weight mean of eu, smp, mean, median and plan.")
    return t


def scenario_table(f: Forecast) -> Table:
    """Each scenario's share of the draws under the model, its interval, and the share under every other predictor."""
    horizon = f" by {f.horizon}" if f.horizon else ""
    t = Table(title=f"Scenarios{horizon} — {f.model} model, {f.draws} draws over {f.inputs} uncertain estimates "
                    "(ordered, first match wins: each column sums to 100 %)")
    t.add_column("scenario")
    t.add_column(f.model, justify="right")
    t.add_column("95 % MC interval", justify="right")
    others = [n for n in _names(f) if n != f.model]
    for n in others:
        t.add_column(n, justify="right")
    for s in f.scenarios:
        if s.fixed:
            p, ci = ("always" if s.probability == 1 else "never"), "fixed by the case"
        else:
            p, ci = f"{s.probability:.1%}", f"{s.low:.1%}–{s.high:.1%}"
        t.add_row(s.name + (" (remainder)" if s.remainder else ""), p, ci, *(f"{s.beside[n]:.0%}" for n in others))
    t.caption = f"interval: {f.interval}."
    return t


def scenario_notes(f: Forecast) -> list[str]:
    """Why the case fixes the scenarios it fixes (one line per reason), and how each scenario resolves."""
    out: list[str] = []
    reasons: dict[str, list[str]] = {}
    for s in f.scenarios:
        if s.fixed:
            reasons.setdefault(s.fixed, []).append(s.id)
    for why, ids in reasons.items():
        out.append(f"[bold]{', '.join(ids)}[/]: {why}")
    if f.scenarios:
        out.append(f"[bold]How each resolves{' by ' + str(f.horizon) if f.horizon else ''}:[/]")
        out += [f"  {s.id}: {s.resolution}" for s in f.scenarios]
    return out


def sensitivity_table(f: Forecast) -> Table:
    t = Table(title=f"What moves each scenario under {f.model} (one at a time: estimate pinned low / high; "
                    "a red line pinned holding / breaking)")
    t.add_column("scenario")
    t.add_column("estimate")
    t.add_column("range", justify="right")
    t.add_column("P low", justify="right")
    t.add_column("P high", justify="right")
    t.add_column("swing", justify="right")
    t.add_column("S1", justify="right")
    for sc in f.scenarios:
        rows = [r for r in f.sensitivity if r.scenario == sc.id and (r.swing != 0 or (r.first_order or 0) > 0)]
        if sc.fixed:
            t.add_row(sc.id, f"[dim]{sc.fixed}[/]", "", "", "", "", "")
            continue
        if not rows:
            t.add_row(sc.id, "[dim]no single estimate moves it within its range[/]", "", "", "", "", "")
        for k, r in enumerate(rows):
            rng = "holds→breaks" if r.kind == "red_line" else f"{r.low:.3g}–{r.high:.3g}"
            t.add_row(
                sc.id if k == 0 else "", r.input, rng,
                f"{r.p_low:.1%}", f"{r.p_high:.1%}", f"{r.swing:+.1%}", f"{(r.first_order or 0):.2f}",
            )
    return t


@demo_section(40, "Forecast: scenario probabilities, every model beside the baselines")
def _forecast_section(ctx: DemoContext) -> None:
    from accord.analysis.forecast import forecast as run_forecast

    f = run_forecast(ctx.case, "eu", draws=1000, seed=0)
    ctx.outputs["forecast"] = f
    ctx.console.print(scenario_table(f))
    for line in scenario_notes(f):
        ctx.console.print(line)
    ctx.console.print(issue_table(f, weightiest_issues(ctx.case, 4)))

"""Backtest: forecast as of a date, scored against a later plan and recorded scenario outcomes, by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.analysis.backtest import backtest
from accord.cli import app
from accord.errors import AccordError
from accord.model import load_case
from tests.analysis.test_forecast_scenarios import SCEN
from tests.conftest import TOY, write_case

DATED = dict(TOY)
DATED["plans/p1.yaml"] = TOY["plans/p1.yaml"].replace("authors: [b]\n", "authors: [b]\n        date: 2025-11-20\n")
DATED["plans/p2.yaml"] = TOY["plans/p2.yaml"].replace("based_on: p1\n", "based_on: p1\n        date: 2025-11-25\n")
DATED["scenarios.yaml"] = SCEN
DATED["outcomes.yaml"] = """\
    - {id: before, date: 2025-11-21, kind: talks, scenario: walkout, occurred: false, description: x, sources: [s1]}
    - {id: talks-go-on, date: 2025-12-01, kind: talks, scenario: vetoed, occurred: true, description: x,
       sources: [s1]}
    - {id: split-agreed, date: 2025-12-02, kind: decision, actor: a, issue: land, option: split, decision: accept,
       description: x, sources: [s1]}
    """
AS_OF = dt.date(2025, 11, 22)


@pytest.fixture
def dated(tmp_path: Path) -> Path:
    return write_case(tmp_path / "dated", DATED)


def test_backtest_against_a_later_plan_by_hand(dated: Path) -> None:
    b = backtest(load_case(dated), AS_OF, "p2", draws=200, seed=1)
    # as of 22 Nov the plan on the table is p1 (p2 is dated 25 Nov); p2 settles only the land, at split (axis 50)
    assert (b.plan, b.target_kind, b.target_date) == ("p1", "plan", dt.date(2025, 11, 25))
    assert [(i.issue, i.option, i.axis) for i in b.issues] == [("land", "split", 50.0)]
    s = {x.name: x for x in b.scores}
    # weighted mean on land: (.6·.75·0 + .4·.5·100) / (.45 + .2) = 30.77 → split (ordinal 0, a hit)
    assert s["mean"].axis == pytest.approx(50 - 20 / 0.65) and (s["mean"].ordinal, s["mean"].hits) == (0, 1)
    assert (s["median"].axis, s["median"].ordinal, s["median"].hits) == (50.0, 1.0, 0)  # all-a
    assert (s["status-quo"].axis, s["status-quo"].ordinal, s["status-quo"].hits) == (0.0, 0.0, 1)  # split
    assert (s["plan"].axis, s["plan"].ordinal, s["plan"].hits) == (50.0, 1.0, 0)  # p1: all-b
    assert b.best["axis"] == ["status-quo"] and "status-quo" in b.best["hits"] and "mean" in b.best["hits"]
    assert [x.name for x in b.scores] == ["eu", "smp", "mean", "median", "status-quo", "plan", "ensemble"]


def test_brier_against_recorded_scenario_outcomes(dated: Path) -> None:
    b = backtest(load_case(dated), AS_OF, None, draws=200, seed=1)
    # only outcomes after the date count: talks went on (vetoed) — the 21 Nov record was known by then
    assert [(r.outcome, r.scenario, r.occurred) for r in b.resolutions] == [("talks-go-on", "vetoed", True)]
    s = {x.name: x for x in b.scores}
    # the status quo (split, army uncapped) crosses no red line and both gain from it: a deal in every draw
    assert s["status-quo"].brier == 1.0 and s["status-quo"].brier_all == 2.0
    # p1 gives a .125 < its batna .3: a walks out in every draw
    assert s["plan"].brier == 1.0 and s["plan"].brier_all == 2.0
    assert b.uniform_brier == pytest.approx(0.75 ** 2) and b.uniform_brier_all == pytest.approx(3 / 16 + 0.75 ** 2)
    assert not b.issues and "axis" not in b.best and b.best["brier"]


def test_backtest_refuses_a_target_known_at_the_date(dated: Path) -> None:
    with pytest.raises(AccordError, match=r"--target: p1 is dated 2025-11-20, on or before --as-of 2025-11-22"):
        backtest(load_case(dated), AS_OF, "p1")
    with pytest.raises(AccordError, match=r"--target: no plan or outcome 'p9' in case 'toy'; expected one of "
                                          r"p1, p2, split-agreed"):
        backtest(load_case(dated), AS_OF, "p9")
    with pytest.raises(AccordError, match="outcome 'talks-go-on' names no issue and option"):
        backtest(load_case(dated), AS_OF, "talks-go-on")
    one = backtest(load_case(dated), AS_OF, "split-agreed", draws=50, predictors=("mean", "status-quo"))
    assert [(i.issue, i.option) for i in one.issues] == [("land", "split")] and one.target_kind == "outcome"


def test_cli_backtest(dated: Path) -> None:
    runner = CliRunner()
    args = ["backtest", "--case", str(dated), "--as-of", "2025-11-22", "--target", "p2", "--draws", "100"]
    r = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "Backtest: forecast as of 2025-11-22 (plan on the table: p1) against p2 (plan, 2025-11-25)" in r.output
    assert "Best by axis distance: status-quo" in r.output and "uniform" in r.output
    for name in ("eu", "smp", "mean", "median", "status-quo", "plan", "ensemble"):
        assert f"│ {name} " in r.output
    out = json.loads(runner.invoke(app, [*args, "--json", "--models", "mean,plan"]).stdout)
    assert [s["name"] for s in out["scores"]] == ["mean", "plan"] and out["best"]["axis"] == ["mean"]


def test_demo_sections_show_the_backtest_and_the_calibration(tmp_path: Path) -> None:
    from rich.console import Console

    from accord.cli.app import DemoContext
    from accord.cli.backtest import _backtest_section
    from accord.cli.calibrate import _calibrate_section

    con = Console(record=True, width=160)
    ctx = DemoContext(case=load_case("ukraine_2025"), console=con, workdir=tmp_path)
    _backtest_section(ctx)
    _calibrate_section(ctx)
    text = con.export_text()
    b = ctx.outputs["backtest"]
    assert (b.as_of, b.target) == (dt.date(2025, 11, 21), "framework-20-point")
    assert "Backtest: forecast as of 2025-11-21" in text and f"Best by axis distance: {b.best['axis'][0]}" in text
    assert "The utilities reproduce" in text or "No recorded decision on a plan" in text


def test_the_documented_backtest_and_calibration_are_what_the_code_gives() -> None:
    """docs/forecast.md's tables come from `accord backtest` and `accord calibrate` on the bundled case:
    when the case or the code changes, this says which figures to regenerate."""
    from accord.analysis.calibrate import calibrate
    from accord.model import DEFAULT_CASE

    doc = (Path(__file__).resolve().parents[2] / "docs" / "forecast.md").read_text(encoding="utf-8")
    case = load_case(DEFAULT_CASE)
    spec = case.backtest
    assert spec is not None
    b = backtest(case, spec.as_of, spec.target)  # the command's defaults: 2,000 draws, seed 0
    rows = {}
    for line in doc.split("## Backtest", 1)[1].split("## Calibration", 1)[0].splitlines():
        cells = [c.strip().strip("`*") for c in line.strip().strip("|").split("|")]
        if line.startswith("| `"):
            rows[cells[0]] = [c.replace("*", "") for c in cells[2:]]
    got = {s.name: [f"{s.axis:.1f}", f"{s.ordinal:.2f}", f"{s.hits}/{s.issues}", f"{s.brier:.4f}"] for s in b.scores}
    assert rows == got
    c = calibrate(case)
    said = (f"The utilities reproduce {c.reproduced_before} of the {c.total} before calibration and "
            f"{c.reproduced_after} after (leave-one-out: {c.leave_one_out} of {c.total})")
    assert said in " ".join(doc.replace("**", "").split())

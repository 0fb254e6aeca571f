"""``accord solve`` through the CLI: tables, JSON keys, one-line errors, the demo section."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from accord.cli import app
from accord.cli.app import DemoContext
from accord.model import load_case

runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from accord.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120)


def test_conflicts_json_has_stable_keys() -> None:
    r = runner.invoke(app, ["solve", "--goal", "conflicts", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)  # no solver banner may leak into stdout
    assert {"goal", "status", "actors", "notes", "conflicts", "complete"} <= set(data)
    assert data["actors"] == load_case("ukraine_2025").parties
    for c in data["conflicts"]:
        assert set(c) == {"drop", "witness"}
        assert set(c["witness"]) == {"package", "utilities", "gains"}
        assert all(set(d) == {"kind", "actor", "issue", "options", "batna"} for d in c["drop"])


def test_banner_never_reaches_stdout_in_a_fresh_process() -> None:
    r = run("solve", "--goal", "nash", "--actors", "russia,us", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["goal"] == "nash" and {"value", "bound", "gap", "iterations", "package"} <= set(data)


def test_text_output_lists_provisions_and_explains(tmp_path: Path) -> None:
    r = runner.invoke(app, ["solve", "--goal", "nash", "--actors", "russia,us"])
    assert r.exit_code == 0, r.output
    assert "Territory" in r.output  # issue names with option labels
    assert "Nash bargaining package maximises" in r.output


def test_amend_and_pareto_commands() -> None:
    case = load_case("ukraine_2025")
    plan = case.plans[0].id
    r = runner.invoke(app, ["solve", "--goal", "amend", "--plan", plan, "--actors", "russia,us", "--k", "2", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["plan"] == plan and data["k"] == 2 and data["objective"] == "nash"
    assert {"fewest", "best", "rejecting", "plan_package", "best_value"} <= set(data)
    r = runner.invoke(app, ["solve", "--goal", "pareto", "--actors", "russia,us", "--limit", "3"])
    assert r.exit_code == 0, r.output
    assert "Pareto frontier" in r.output or "no frontier" in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--goal", "best"], "unknown goal 'best'"),
        (["--goal", "amend"], "needs a plan"),
        (["--goal", "amend", "--plan", "nope"], "no plan 'nope'"),
        (["--actors", "russia,atlantis"], "unknown actor 'atlantis'"),
        (["--without", "russia"], "unknown issue"),
        (["--as-of", "21/11/2025"], "--as-of: '21/11/2025' is not a date; expected YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    r = run("solve", *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], r.stderr
    assert "Traceback" not in r.stderr


def test_demo_section_prints_conflicts_and_nash(tmp_path: Path) -> None:
    from accord.cli.solve import _solve_section

    console = Console(record=True, width=120)
    ctx = DemoContext(case=load_case("ukraine_2025"), console=console, workdir=tmp_path)
    _solve_section(ctx)
    text = console.export_text()
    assert "Nash" in text
    assert ctx.outputs["solve_nash"].goal == "nash"
    if ctx.outputs["solve_conflicts"].status == "conflicts":
        assert "no deal unless" in text


def test_conflicts_limit_equal_to_the_number_of_sets_says_complete() -> None:
    full = json.loads(runner.invoke(app, ["solve", "--goal", "conflicts", "--json"]).output)
    n = len(full["conflicts"])
    if n == 0:  # pragma: no cover - the bundled case has conflicts today
        pytest.skip("the bundled case has no conflicts")
    r = runner.invoke(app, ["solve", "--goal", "conflicts", "--limit", str(n), "--json"])
    data = json.loads(r.output)
    assert data["complete"] is True and data["conflicts"] == full["conflicts"]
    r = runner.invoke(app, ["solve", "--goal", "conflicts", "--limit", str(n)])
    assert "These are all the minimal ways" in r.output and "more minimal ways exist" not in r.output


def test_whatif_pareto_frontier_is_complete() -> None:
    r = runner.invoke(app, ["solve", "--goal", "pareto", "--without", "russia:territory", "--limit", "100000",
                            "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["complete"] is True and len(data["points"]) > 200
    first = [p["utilities"][data["among"][0]] for p in data["points"]]
    assert first == sorted(first, reverse=True)


def test_as_of_solves_the_case_as_known_then() -> None:
    import datetime as dt

    from accord.analysis.solve import conflicts

    case = load_case("ukraine_2025")
    day = dt.date(2025, 11, 25)
    r = runner.invoke(app, ["solve", "--goal", "conflicts", "--as-of", day.isoformat(), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert any(day.isoformat() in n for n in data["notes"])
    want = conflicts(case.at(day))
    assert [[(d["actor"], d["issue"]) for d in c["drop"]] for c in data["conflicts"]] == [
        [(d.actor, d.issue) for d in c.drop] for c in want.conflicts]
    later = [p.id for p in case.plans if p.date is not None and p.date > day]
    if later:  # a plan published after the date is not known then
        r = run("solve", "--goal", "amend", "--plan", later[0], "--as-of", day.isoformat())
        assert r.returncode == 2 and f"no plan '{later[0]}'" in r.stderr

"""The case commands through the real CLI entry point (exit codes, one-line errors, JSON)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accord.cli import app

runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script's code path, in a real process (no traceback may leak)."""
    return subprocess.run(
        [sys.executable, "-c", "from accord.cli import main; main()", *args],
        capture_output=True, text=True, timeout=120,
    )


def test_validate_ok(toy_dir: Path) -> None:
    r = runner.invoke(app, ["validate", str(toy_dir), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {
        "case": "toy", "as_of": None, "issues": 2, "actors": 2, "positions": 4, "states": 4, "plans": 2, "sources": 1,
        "undated_sources": 0, "scenarios": 0, "outcomes": 0, "record_observations": 0, "warnings": [],
    }


def test_validate_bad_case_exit_2_one_line_per_problem(toy_dir: Path) -> None:
    p = toy_dir / "plans" / "p1.yaml"
    p.write_text(p.read_text().replace("option: all-b", "option: all-c").replace("authors: [b]", "authors: [q]"))
    r = run("validate", str(toy_dir))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2, r.stderr
    assert all(line.startswith("error: ") and "p1.yaml:" in line for line in lines)
    assert "Traceback" not in r.stderr + r.stdout


def test_assess_json_is_stable(toy_dir: Path) -> None:
    r = runner.invoke(app, ["assess", "--case", str(toy_dir), "--plan", "p1", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) == {"plan", "as_of", "package", "actors", "cells", "tilt"}
    assert out["actors"]["a"]["red_lines"] == [
        {"actor": "a", "issue": "land", "option": "all-b", "provisions": ["1"]}
    ]
    assert out["actors"]["b"]["accepts"] is True
    assert abs(out["tilt"]["index"] - 0.625) < 1e-12


def test_assess_table(toy_dir: Path) -> None:
    r = runner.invoke(app, ["assess", "--case", str(toy_dir), "--plan", "p1"])
    assert r.exit_code == 0, r.output
    assert "a red lines crossed: land (point 1)" in r.output
    assert "b objects to point 2" in r.output


def test_unknown_plan_is_one_line(toy_dir: Path) -> None:
    r = run("assess", "--case", str(toy_dir), "--plan", "nope")
    assert r.returncode == 2
    assert r.stderr.strip() == "error: --plan: no plan 'nope' in case 'toy' (known: p1, p2)"


def test_plans_diff(toy_dir: Path) -> None:
    r = runner.invoke(app, ["plans", "diff", "p1", "p2", "--case", str(toy_dir), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    changes = {p["provision"]: p["change"] for p in d["provisions"]}
    assert changes == {"1": "changed", "2": "removed", "3": "added"}
    assert {i["issue"]: (i["before"], i["after"]) for i in d["issues"]} == {
        "land": ("all-b", "split"), "army": ("50", "100"),
    }


def test_missing_case_folder() -> None:
    r = run("validate", "/nonexistent/folder")
    assert r.returncode == 2
    assert "no such case folder" in r.stderr

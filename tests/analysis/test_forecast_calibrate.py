"""Calibration against recorded decisions, worked by hand on the toy case; the calibrated copy of a case."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.analysis.assess import assess_plan
from accord.analysis.calibrate import calibrate, calibrated_case
from accord.cli import app
from accord.model import Actor, load_case
from tests.conftest import TOY, write_case

# a: land all-a (.75), army "100" (.25), batna .3; b: land all-b (.5), army "0" (.5), batna .2.
# p1 (all-b, 50): a .75·0 + .25·.5 = .125, b .5·1 + .5·.5 = .75;  p2 (split, army stays 100): a .625, b .25.
DECIDED = dict(TOY)
DECIDED["plans/p1.yaml"] = TOY["plans/p1.yaml"].replace("authors: [b]\n", "authors: [b]\n        date: 2025-11-20\n")
DECIDED["plans/p2.yaml"] = TOY["plans/p2.yaml"].replace("based_on: p1\n", "based_on: p1\n        date: 2025-11-25\n")
DECIDED["outcomes.yaml"] = """\
    - {id: a-rejects-p1, date: 2025-11-21, kind: decision, actor: a, plan: p1, decision: reject, description: x,
       sources: [s1]}
    - {id: b-accepts-p1, date: 2025-11-21, kind: decision, actor: b, plan: p1, decision: accept, description: x,
       sources: [s1]}
    - {id: a-basis-p2, date: 2025-11-26, kind: decision, actor: a, plan: p2, decision: basis, description: x,
       sources: [s1]}
    - {id: b-rejects-p2, date: 2025-11-27, kind: decision, actor: b, plan: p2, decision: reject, description: x,
       sources: [s1]}
    - {id: b-maybe-p2, date: 2025-11-28, kind: decision, actor: b, plan: p2, decision: conditional, description: x,
       sources: [s1]}
    - {id: a-land, date: 2025-11-28, kind: decision, actor: a, issue: land, option: split, decision: accept,
       description: x, sources: [s1]}
    """


@pytest.fixture
def decided(tmp_path: Path) -> Path:
    return write_case(tmp_path / "decided", DECIDED)


def test_calibration_by_hand(decided: Path) -> None:
    c = calibrate(load_case(decided))
    assert [(d.outcome, round(d.utility_before, 4), d.reproduced_before) for d in c.decisions] == [
        ("a-rejects-p1", 0.125, True), ("b-accepts-p1", 0.75, True), ("a-basis-p2", 0.625, True),
        ("b-rejects-p2", 0.25, False)]
    assert (c.total, c.reproduced_before, c.reproduced_after) == (4, 3, 4)
    # b: rejecting p2 needs U(p2) = .5 (1 − .5^r) below its batna; the nearest fit to (r 1, batna .2) keeps the
    # batna and bends the utility: the largest grid r below ln .6 / ln .5 = .737 is .25 · 2^1.5 = .707
    b = c.actor("b")
    assert b.curvature == pytest.approx(0.25 * 2 ** 1.5) and b.batna == pytest.approx(0.2)
    assert (b.reproduced_before, b.reproduced) == (1, 2)
    a = c.actor("a")
    assert (a.curvature, a.batna, a.reproduced) == (1.0, 0.3, 2)  # already right: left as it was
    # leave-one-out: a 2 of 2; b 1 of 2 (fitted to its acceptance alone, it would accept p2 too)
    assert (a.leave_one_out, b.leave_one_out, c.leave_one_out) == (2, 1, 3)
    assert dict(c.skipped) == {
        "b-maybe-p2": "'conditional' is neither an acceptance nor a rejection",
        "a-land": "a decision on one issue, not a plan: the utilities of whole packages are fitted to decisions "
                  "on plans"}
    assert next(d for d in c.decisions if d.outcome == "a-rejects-p1").red_lines == ("land",)
    # only what was recorded by a date
    early = calibrate(load_case(decided), as_of=dt.date(2025, 11, 25))
    assert [d.outcome for d in early.decisions] == ["a-rejects-p1", "b-accepts-p1"]


def test_calibrated_values_are_used_and_labelled(decided: Path) -> None:
    case = load_case(decided)
    cal = calibrate(case)
    before, after = assess_plan(case, "p2"), assess_plan(calibrated_case(case, cal), "p2")
    assert before.actors["b"].utility == pytest.approx(0.25) and before.actors["b"].accepts
    assert after.actors["b"].utility == pytest.approx(0.5 * (1 - 0.5 ** (0.25 * 2 ** 1.5)))
    assert not after.actors["b"].accepts
    b = calibrated_case(case, cal).actor("b")
    assert b.curvature.estimate.startswith("calibrated to 2 recorded decision(s) of b on plans: 2 reproduced")
    assert "was 0.2" in b.batna.estimate


def test_curvature_bends_the_utility() -> None:
    a = Actor(id="a", name="A", capability=1, batna=0.3, curvature=2)
    assert a.curvature.value == 2.0
    with pytest.raises(ValueError, match="curvature must be > 0"):
        Actor(id="a", name="A", capability=1, batna=0.3, curvature=0)


def test_cli_calibrate_and_write(decided: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["calibrate", "--case", str(decided)], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert ("The utilities reproduce 3 of 4 recorded decisions on plans before calibration and 4 after "
            "(leave-one-out: 3 of 4).") in " ".join(r.output.split())
    assert "not scored: b-maybe-p2" in r.output
    out = tmp_path / "calibrated"
    r = runner.invoke(app, ["calibrate", "--case", str(decided), "--write", str(out), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["reproduced_after"] == 4
    again = load_case(out)
    assert again.actor("b").curvature.value == pytest.approx(0.25 * 2 ** 1.5)
    assert "calibrated" in (out / "actors.yaml").read_text() and "estimate" in (out / "actors.yaml").read_text()
    assert not assess_plan(again, "p2").actors["b"].accepts
    r = runner.invoke(app, ["calibrate", "--case", str(decided), "--write", str(out)])
    assert r.exception is not None and "the folder exists and is not empty" in str(r.exception)


def test_forecast_uses_the_calibration_known_by_its_date(decided: Path) -> None:
    runner = CliRunner()
    args = ["forecast", "--case", str(decided), "--model", "mean", "--beside", "plan", "--draws", "50", "--json"]
    late = json.loads(runner.invoke(app, [*args, "--calibrated"]).stdout)
    assert late["calibration"].startswith("calibrated: The utilities reproduce 3 of 4 recorded decisions")
    early = json.loads(runner.invoke(app, [*args, "--calibrated", "--as-of", "2025-11-25"]).stdout)
    assert "reproduce 2 of 2 recorded decisions" in early["calibration"]  # nothing from after 25 Nov
    plain = json.loads(runner.invoke(app, args).stdout)
    assert plain["calibration"] is None
    text = runner.invoke(app, [*args[:-1], "--calibrated"], env={"COLUMNS": "200"}).output
    assert text.startswith("calibrated: The utilities reproduce 3 of 4")

"""Monte Carlo, scenario probabilities, sensitivity and the forecast command on small hand-worked cases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis.forecast import forecast
from accord.analysis.models import resolve
from accord.analysis.montecarlo import (
    chunk_seeds,
    concat,
    draws_of,
    evaluate_values,
    problem_of,
    run,
    run_chunk,
    values_of,
)
from accord.analysis.sensitivity import first_order_indices, oat_swings
from accord.cli import app
from accord.cli.app import DemoContext
from accord.errors import AccordError
from accord.model import Case, load_case
from tests.conftest import SHARED, TOY, write_case

runner = CliRunner()
ORACLES = SHARED / "oracles" / "ktab-smp"

# the toy case with ranges on a's capability, on two saliences and on one ideal, plus scenarios
RANGED = dict(TOY)
RANGED["actors.yaml"] = TOY["actors.yaml"].replace(
    "capability: {value: 0.6, low: 0.5, high: 0.7, estimate: bigger army}",
    "capability: {value: 0.6, low: 0.5, high: 1.0, estimate: bigger army}",
)
RANGED["positions.yaml"] = """\
    a:
      land: {ideal: all-a, salience: {value: 0.75, low: 0.6, high: 0.8, estimate: core}, red_line: [all-b],
             sources: [s1], claims: [c1]}
      army: {ideal: "100", salience: {value: 0.25, estimate: secondary}, sources: [s1]}
    b:
      land: {ideal: all-b, salience: {value: 0.5, low: 0.4, high: 0.6, dist: uniform, estimate: core},
             acceptable: [split], axis_low: 80, axis_high: 100, sources: [s1], claims: [c2]}
      army: {ideal: "0", salience: {value: 0.5, estimate: core}, sources: [s1]}
    """
RANGED["scenarios.yaml"] = """\
    horizon: 2026-01-31
    scenarios:
      - id: capped
        name: Army capped
        rule: position(army) > 50
        resolution: the army is capped below 50
      - id: deal
        name: Both accept
        rule: accepts(a) and accepts(b)
        resolution: both sign
      - id: other
        name: Anything else
        remainder: true
        resolution: neither of the above
    """


@pytest.fixture
def ranged(tmp_path: Path) -> Case:
    return load_case(write_case(tmp_path / "ranged", RANGED))


def test_inputs_found_with_ranges(ranged: Case) -> None:
    p = problem_of(ranged, resolve(["median"]))
    assert [(i.name, i.low, i.high, i.dist) for i in p.inputs] == [
        ("a.capability", 0.5, 1.0, "triangular"),
        ("a.land.salience", 0.6, 0.8, "triangular"),
        ("b.land.salience", 0.4, 0.6, "uniform"),
        ("b.land.ideal", 80.0, 100.0, "triangular"),
    ]


def test_inverse_cdf_by_hand(ranged: Case) -> None:
    p = problem_of(ranged, resolve(["median"]))
    u = np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.2, 0.5, 0.25, 1.0]])
    v = values_of(p, u)
    np.testing.assert_allclose(v[0], [0.5, 0.6, 0.4, 80.0])
    np.testing.assert_allclose(v[1], [1.0, 0.8, 0.6, 100.0])
    # a.capability triangular(0.5, 0.6, 1.0): F(mode) = 0.2 → the mode;
    # a.land.salience triangular(0.6, 0.75, 0.8) at 0.5 < F(mode) = 0.75 → 0.6 + √(0.5·0.2·0.15);
    # b.land.salience uniform(0.4, 0.6) at 0.25 → 0.45
    np.testing.assert_allclose(v[2, :3], [0.6, 0.6 + np.sqrt(0.015), 0.45])
    big = values_of(p, np.random.default_rng(0).random((200_000, 4)))
    means = [(0.5 + 0.6 + 1) / 3, (0.6 + 0.75 + 0.8) / 3, 0.5, (80 + 100 + 100) / 3]
    np.testing.assert_allclose(big.mean(axis=0), means, rtol=2e-3)
    assert big.min(axis=0).tolist() >= [0.5, 0.6, 0.4, 80] and big.max(axis=0).tolist() <= [1.0, 0.8, 0.6, 100]


def test_saliences_keep_their_sum(ranged: Case) -> None:
    p = problem_of(ranged, resolve(["median"]))
    d = draws_of(p, values_of(p, np.random.default_rng(1).random((50, 4))))
    np.testing.assert_allclose(d.salience.sum(axis=2), 1.0)


def test_claim_confidence_scales_ranges(ranged: Case) -> None:
    def rng_of(conf: dict[str, float]) -> tuple[float, float]:
        inp = next(i for i in problem_of(ranged, resolve("eu"), confidence=conf).inputs if i.name == "b.land.ideal")
        return inp.low, inp.high

    assert rng_of({}) == (80.0, 100.0)
    assert rng_of({"c2": 0.5}) == (80.0, 100.0)  # default confidence: unchanged
    assert rng_of({"c2": 1.0}) == (90.0, 100.0)  # k = 0.5 around the mode 100
    assert rng_of({"c2": 0.0}) == (70.0, 100.0)  # k = 1.5, clipped at the axis end
    sure = problem_of(ranged, resolve("eu"), confidence={"c1": 1.0})
    sal = next(i for i in sure.inputs if i.name == "a.land.salience")
    assert (sal.low, sal.high) == pytest.approx((0.675, 0.775))


def test_point_forecast_by_hand(ranged: Case) -> None:
    # median at the values: land a (0) weight .6·.75 = .45 vs b (100) .4·.5 = .2 → 0 (all-a);
    # army a (axis 0) .6·.25 = .15 vs b (axis 100) .2 → 100 (option "0")
    f = forecast(ranged, "median", draws=300, seed=2)
    assert (f.issue("land").point, f.issue("land").point_option) == (0.0, "all-a")
    assert (f.issue("army").point, f.issue("army").point_option) == (100.0, "0")
    # the army is capped at the point, and capped comes first: the point forecast ends there
    # (a: .75·1 + .25·0 = .75 ≥ .3, no red line; b: .5·0 + .5·1 = .5 ≥ .2 → deal would hold next)
    assert f.scenario("capped").point is True and f.scenario("deal").point is False
    # every baseline beside it: the mean on land (.45·0 + .2·100)/.65, the median, the status quo, the plan (p2)
    land = f.issue("land").points
    assert land["mean"].axis == pytest.approx(20 / 0.65) and land["median"].axis == 0.0
    assert (land["status-quo"].option, land["plan"].option, f.plan) == ("split", "split", "p2")
    assert land["ensemble"].axis == pytest.approx((land["eu"].axis + land["smp"].axis + 20 / 0.65 + 0 + 50) / 5)
    # army: the median is a's axis 0 when a's weight there reaches b's, else b's 100 (capped)
    p = problem_of(ranged, resolve(["median"]))
    d = draws_of(p, values_of(p, run(p, 300, 2).u))
    wa, wb = d.capability[:, 0] * d.salience[:, 0, 1], d.capability[:, 1] * d.salience[:, 1, 1]
    assert 0 < (wa < wb).mean() < 1
    assert f.scenario("capped").probability == pytest.approx((wa < wb).mean())
    s = f.scenario("capped")
    assert s.low is not None and s.high is not None
    assert s.low <= s.probability <= s.high and s.hits == round(s.probability * 300)
    # the draws that are not capped end in deal or in the remainder: the three add up to 1
    assert sum(x.probability for x in f.scenarios) == pytest.approx(1.0)


def test_same_seed_same_numbers_and_chunks_are_independent(ranged: Case) -> None:
    p = problem_of(ranged, resolve(["eu"]))
    a = run(p, 1000, seed=11, chunk_size=250)
    b = run(p, 1000, seed=11, chunk_size=250)
    assert np.array_equal(a.position["eu"], b.position["eu"]) and np.array_equal(a.u, b.u)
    # chunks run in any order (as Dask workers would) give the same result
    seeds = chunk_seeds(11, 4)
    parts = [run_chunk(p, c, 250, seeds[c]) for c in (3, 1, 0, 2)]
    assert np.array_equal(concat(parts).position["eu"], a.position["eu"])
    # a chunk's draws do not depend on how many chunks there are, nor on how many are evaluated at once
    assert np.array_equal(run_chunk(p, 1, 250, 11).u, a.u[250:500])
    one_by_one = run(p, 1000, seed=11, chunk_size=250, batch=173)  # batches across chunks
    assert np.array_equal(one_by_one.position["eu"], a.position["eu"])
    assert np.array_equal(one_by_one.scenario["eu"], a.scenario["eu"])
    assert not np.array_equal(run(p, 1000, seed=12, chunk_size=250).u, a.u)


def test_progress_moves_inside_one_batch_and_changes_no_number(ranged: Case) -> None:
    """The default 2,000 draws, watched, are one batch like unwatched ones (the same numbers); the
    progress moves from inside the models: nothing done first, then increasing, ending at the total."""
    seen: list[tuple[int, int]] = []
    watched = forecast(ranged, draws=2000, seed=4, progress=lambda done, total: seen.append((done, total)))
    done = [d for d, _ in seen]
    assert {t for _, t in seen} == {2000} and done[0] == 0 and done[-1] == 2000
    assert done == sorted(set(done)) and len(done) >= 6  # strictly increasing: at least 4 steps in between
    assert watched == forecast(ranged, draws=2000, seed=4)
    p = problem_of(ranged, resolve(["ensemble", "status-quo"]))
    calls: list[int] = []
    run(p, 600, seed=4, batch=250, progress=lambda d, t: calls.append(d))  # batches end where they end
    assert {250, 500, 600} <= set(calls) and calls == sorted(set(calls))


def test_vectorised_equals_per_draw_loop() -> None:
    case = load_case("ukraine_2025")
    p = problem_of(case, resolve(["ensemble", "status-quo"]))  # every registered predictor
    vals = values_of(p, np.random.default_rng(4).random((12, len(p.inputs))))
    pos, opt, scen = evaluate_values(p, vals)
    assert set(pos) == {"ensemble", "eu", "smp", "mean", "median", "plan", "status-quo"}
    for k in range(12):
        pk, ok, sk = evaluate_values(p, vals[k:k + 1])
        for name in pos:
            np.testing.assert_allclose(pk[name][0], pos[name][k], atol=1e-9)
            assert np.array_equal(ok[name][0], opt[name][k]) and sk[name][0] == scen[name][k]


def test_dask_engine_matches_local(ranged: Case) -> None:
    pytest.importorskip("dask.distributed")
    p = problem_of(ranged, resolve(["smp", "mean"]))
    local = run(p, 600, seed=5, chunk_size=200)
    seen: list[int] = []
    dist = run(p, 600, seed=5, chunk_size=200, engine="dask", progress=lambda d, t: seen.append(d))
    for name in ("smp", "mean"):
        assert np.array_equal(local.position[name], dist.position[name])
        assert np.array_equal(local.scenario[name], dist.scenario[name])
    assert seen == [0, 200, 400, 600]  # nothing done first, then the draws of each chunk as it ends


def test_dask_missing_is_a_clear_error(ranged: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(AccordError, match=r"pip install 'accord\[dask\]'"):
        run(problem_of(ranged, resolve(["median"])), 10, 0, engine="dask")


def test_sensitivity_ranks_the_input_that_decides(ranged: Case) -> None:
    p = problem_of(ranged, resolve(["median"]))
    lo, hi = oat_swings(p, seed=3, draws=100)
    names = [i.name for i in p.inputs]
    cap = names.index("a.capability")
    # capped (army > 50): a's capability at its low end (0.5) never outweighs b; at 1.0 it always does
    assert lo[cap, 0] == 1.0 and hi[cap, 0] == 0.0
    f = forecast(ranged, "median", draws=2000, seed=3, sensitivity=True, sensitivity_draws=100)
    rows = [r for r in f.sensitivity if r.scenario == "capped"]
    assert rows[0].input == "a.capability" and rows[0].swing == -1.0
    assert rows[0].first_order is not None and rows[0].first_order > 0.3
    assert all(abs(r.swing) <= abs(rows[0].swing) for r in rows)


def test_first_order_indices_are_near_zero_for_noise() -> None:
    rng = np.random.default_rng(9)
    u = rng.random((5000, 3))
    y = (rng.random(5000) < 0.3)[:, None]
    assert first_order_indices(u, y).max() < 0.01


def test_bundled_case_forecast_is_complete() -> None:
    f = forecast(load_case("ukraine_2025"), "eu", draws=300, seed=0)
    assert {s.id for s in f.scenarios} >= {"de-escalation", "armistice", "collapse"}
    assert sum(s.probability for s in f.scenarios) == pytest.approx(1.0)
    for name in ("smp", "mean", "median", "status-quo", "plan", "ensemble"):
        assert sum(s.beside[name] for s in f.scenarios) == pytest.approx(1.0)
    # never a probability of 0 or 1 with an interval that only covers sampling error, unless it can move
    for s in f.scenarios:
        assert (s.fixed is None) == (s.low is not None)
    for i in f.issues:
        assert sum(o.share for o in i.options) == pytest.approx(1.0)
        q = list(i.quantiles.values())
        assert q == sorted(q) and q[0] >= 0 and q[-1] <= 100


# -- the command ---------------------------------------------------------------------------------
def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from accord.cli import main; main()", *args],
        capture_output=True, text=True, timeout=120,
    )


def test_cli_json_is_stable(tmp_path: Path) -> None:
    root = write_case(tmp_path / "ranged", RANGED)
    r = runner.invoke(app, ["forecast", "--case", str(root), "--model", "median", "--draws", "400", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out) == {"case", "model", "draws", "seed", "engine", "inputs", "issues", "scenarios", "sensitivity",
                        "predictors", "as_of", "horizon", "plan", "calibration", "interval", "spread"}
    assert set(out["scenarios"][0]) == {"id", "name", "rule", "resolution", "remainder", "probability", "low", "high",
                                        "hits", "draws", "point", "fixed", "beside"}
    assert set(out["issues"][0]) == {"issue", "name", "point", "point_option", "points", "mean", "quantiles",
                                     "options", "top_option"}
    assert [p["name"] for p in out["predictors"]] == ["median", "eu", "smp", "mean", "status-quo", "plan", "ensemble"]
    assert out["horizon"] == "2026-01-31" and out["plan"] == "p2" and out["calibration"] is None
    r2 = runner.invoke(app, ["forecast", "--case", str(root), "--model", "median", "--draws", "400", "--json"])
    assert r2.stdout == r.stdout  # same seed, same output


def test_cli_text_tables(tmp_path: Path) -> None:
    root = write_case(tmp_path / "ranged", RANGED)
    wide = {"COLUMNS": "200"}
    r = runner.invoke(app, ["forecast", "--case", str(root), "--model", "median", "--draws", "200",
                            "--sensitivity", "--sensitivity-draws", "50"], env=wide)
    assert r.exit_code == 0, r.output
    assert "Scenarios by 2026-01-31" in r.output and "Army capped" in r.output and "a.capability" in r.output
    assert "Anything else (remainder)" in r.output and "capped: the army is capped below 50" in r.output
    assert "Monte Carlo sampling error only" in r.output and "5th–95th percentile" in r.output
    assert " -0–" not in r.output  # no negative zero from the reversed army scale
    # every predictor has a column in both tables, the model first
    header = next(line for line in r.output.splitlines() if "scenario" in line and "interval" in line)
    assert [w for w in header.split() if w.isalpha() or "-" in w][-6:] == ["eu", "smp", "mean", "status-quo",
                                                                          "plan", "ensemble"]
    # under the EU model every draw is capped: nothing to rank, but nothing fixed by the case either
    r = runner.invoke(app, ["forecast", "--case", str(root), "--model", "eu", "--draws", "200", "--sensitivity",
                            "--sensitivity-draws", "20"], env=wide)
    assert r.exit_code == 0 and "Forecast per issue — eu" in r.output
    assert r.output.count("no single estimate moves it") == 3 and "fixed by the case" not in r.output


def test_cli_from_ktab_prints_final_positions() -> None:
    if not ORACLES.is_dir():
        pytest.skip("shared KTAB oracles not present")
    r = runner.invoke(app, ["forecast", "--from-ktab", str(ORACLES / "dummyData_3Dim.csv"), "--model", "smp", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["turns"] == 10
    # KTAB's history table, last column (%5.1f): SActor-00 78.6 31.8 74.1, SActor-02 82.5 90.9 0.1
    for actor, logged in (("SActor-00", [78.6, 31.8, 74.1]), ("SActor-02", [82.5, 90.9, 0.1])):
        got = [out["final"][actor][d] for d in ("Pstn1", "Pstn2", "Pstn3")]
        assert np.abs(np.array(got) - logged).max() <= 0.05 + 1e-9
    assert out["win_probability"]["SActor-05"] == pytest.approx(0.4009, abs=5e-5)


def test_cli_bad_input_names_file_and_field(tmp_path: Path) -> None:
    bad = dict(RANGED)
    bad["actors.yaml"] = RANGED["actors.yaml"].replace("low: 0.5, high: 1.0", "low: 0.9, high: 0.7")
    r = cli("forecast", "--case", str(write_case(tmp_path / "r1", bad)), "--draws", "10")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "actors.yaml:" in r.stderr and "a.capability" in r.stderr and "range min 0.9 > max 0.7" in r.stderr

    bad = dict(RANGED)
    bad["actors.yaml"] = RANGED["actors.yaml"].replace("capability: {value: 0.4, estimate: smaller}",
                                                      "capability: {value: -0.4, estimate: smaller}")
    r = cli("forecast", "--case", str(write_case(tmp_path / "r2", bad)), "--draws", "10")
    assert r.returncode == 2 and r.stderr.count("error:") == 1  # no cascade into the scenario rules
    assert "actors.yaml:7: b.capability: capability must be >= 0" in r.stderr

    bad = dict(RANGED)
    bad["scenarios.yaml"] = RANGED["scenarios.yaml"].replace("position(army) > 50", "position(navy) > 50")
    r = cli("forecast", "--case", str(write_case(tmp_path / "r3", bad)), "--draws", "10")
    assert r.returncode == 2
    expected = "scenarios.yaml:5: capped.rule: unknown issue 'navy'; expected one of ['army', 'land']"
    assert r.stderr.strip().endswith(expected)

    csv = tmp_path / "neg.csv"
    csv.write_text("S,d,3,1,\nActor,Description,Power,P,S,\nA,x,10,20,50,\nB,x,-1,60,50,\nC,x,5,90,40,\n")
    r = cli("forecast", "--from-ktab", str(csv), "--model", "smp")
    assert r.returncode == 2 and r.stderr.strip() == f"error: {csv}:4: B.Power: capability -1 is negative; expected ≥ 0"
    r = cli("forecast", "--model", "magic", "--draws", "10")
    assert r.returncode == 2 and "--model: unknown model 'magic'" in r.stderr
    r = cli("forecast", "--from-ktab", str(tmp_path / "missing.csv"))
    assert r.returncode == 2 and "missing.csv: --from-ktab: no such file" in r.stderr


def test_demo_section_shows_scenario_probabilities(tmp_path: Path) -> None:
    from rich.console import Console

    from accord.cli.forecast import _forecast_section

    con = Console(record=True, width=120)
    ctx = DemoContext(case=load_case("ukraine_2025"), console=con, workdir=tmp_path)
    _forecast_section(ctx)
    text = con.export_text()
    assert "Korean-style armistice" in text and "Collapse of talks" in text
    assert ctx.outputs["forecast"].draws == 1000


def test_cli_claims_confidence(tmp_path: Path) -> None:
    root = write_case(tmp_path / "ranged", RANGED)
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"id": "c2", "confidence": 1.0, "holder": "b"}\n\n{"id": "c1"}\n')
    args = ["forecast", "--case", str(root), "--model", "mean", "--draws", "300", "--json"]
    wide = json.loads(runner.invoke(app, args).stdout)
    narrow = json.loads(runner.invoke(app, [*args, "--claims", str(claims)]).stdout)
    spread = lambda f: f["issues"][0]["quantiles"]["q95"] - f["issues"][0]["quantiles"]["q05"]  # noqa: E731
    assert spread(narrow) < spread(wide)  # b's ideal on land now drawn from [90, 100], not [80, 100]
    claims.write_text('{"id": "c2", "confidence": 2}\n')
    r = cli("forecast", "--case", str(root), "--claims", str(claims), "--draws", "10")
    assert r.returncode == 2 and f"{claims}:1: c2.confidence: 2 is not a number in [0, 1]" in r.stderr


def test_problem_agrees_with_the_shared_numeric_view() -> None:
    from accord.analysis.space import space_of

    case = load_case("ukraine_2025")
    p, s = problem_of(case, resolve("eu")), space_of(case)
    assert p.actors == s.actors and p.issues == s.issues
    np.testing.assert_allclose(p.capability, s.capability)
    np.testing.assert_allclose(p.batna, s.batna)
    np.testing.assert_allclose(p.salience, s.salience)
    np.testing.assert_allclose(p.ideal, s.ideal)
    for a in range(len(p.actors)):
        for i in range(len(p.issues)):
            n = len(p.options[i])
            assert np.array_equal(~p.red_line[a, i, :n], s.allowed[a][i])

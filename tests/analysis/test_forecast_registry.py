"""One conformance test over every registered forecast model and baseline, and the places that read the registry."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis.models import REGISTRY, names, predict_all, predictor, resolve
from accord.analysis.problem import Predictor, draws_of, problem_of, values_of
from accord.cli import app
from accord.errors import AccordError
from accord.model import load_case
from tests.conftest import TOY, write_case

UNANIMOUS = dict(TOY)
UNANIMOUS["positions.yaml"] = """\
    a:
      land: {ideal: split, salience: {value: 0.75, low: 0.6, high: 0.8, estimate: core}, sources: [s1]}
      army: {ideal: "50", salience: {value: 0.25, estimate: secondary}, sources: [s1]}
    b:
      land: {ideal: split, salience: {value: 0.5, estimate: core}, sources: [s1]}
      army: {ideal: "50", salience: {value: 0.5, estimate: core}, sources: [s1]}
    """


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_registered_predictor_conforms(name: str) -> None:
    p = REGISTRY[name]
    # the contract: a name (its registry key), what it is, where it comes from, JSON-able settings
    assert isinstance(p, Predictor) and p.name == name and predictor(name) is p
    assert p.kind in ("model", "baseline", "ensemble") and p.title and p.reference
    json.dumps(p.parameters())
    assert all(m in REGISTRY and m != name for m in p.members)
    # predict over a batch of draws: draws × issues, finite, on the axis; each draw on its own row
    case = load_case("ukraine_2025")
    prob = problem_of(case, resolve([name]))
    vals = values_of(prob, np.random.default_rng(7).random((24, len(prob.inputs))))
    batch = predict_all(prob, draws_of(prob, vals))[name]
    assert batch.shape == (24, len(case.issues)) and np.isfinite(batch).all()
    assert batch.min() >= 0 and batch.max() <= 100
    for k in (0, 9, 23):
        alone = predict_all(prob, draws_of(prob, vals[k:k + 1]))[name]
        np.testing.assert_allclose(alone[0], batch[k], atol=1e-9)
    again = predict_all(prob, draws_of(prob, vals))[name]
    assert np.array_equal(again, batch)  # deterministic


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_predictor_forecasts_what_everyone_wants(name: str, tmp_path: Path) -> None:
    # every actor wants split / 50 and so does the plan on the table (p2 splits the land, is silent on the army):
    # the models and weighted baselines give the common ideal; status quo and plan give their packages
    case = load_case(write_case(tmp_path / "u", UNANIMOUS))
    prob = problem_of(case, resolve([name]))
    d = draws_of(prob, values_of(prob, np.random.default_rng(1).random((5, len(prob.inputs)))))
    got = predict_all(prob, d)[name]
    want = {"status-quo": [50.0, 0.0], "plan": [50.0, 0.0]}.get(name)
    if name == "ensemble":  # four members at the ideal, the plan at the status quo on the army
        want = [50.0, 40.0]
    np.testing.assert_allclose(got, np.broadcast_to(want or [50.0, 50.0], got.shape), atol=0.02)


def test_registry_names_and_resolution() -> None:
    assert names("model") == ["eu", "smp"]
    assert names("baseline") == ["mean", "median", "status-quo", "plan"]
    assert names("ensemble") == ["ensemble"]
    assert [p.name for p in resolve(["ensemble"])] == ["ensemble", "eu", "smp", "mean", "median", "plan"]
    assert [p.name for p in resolve(["mean", "mean", "median"])] == ["mean", "median"]
    with pytest.raises(AccordError, match="--beside: unknown model 'oracle'; expected one of eu, smp"):
        predictor("oracle", "--beside")


def test_cli_reads_the_registry(tmp_path: Path) -> None:
    runner = CliRunner()
    # --help stays lazy (no registry import at start-up) and points at the registry; an unknown name lists it
    help_text = " ".join(runner.invoke(app, ["forecast", "--help"]).output.split())
    assert "GET /api/v1/models" in help_text
    unknown = runner.invoke(app, ["forecast", "--model", "oracle"])
    assert unknown.exit_code != 0 and f"expected one of {', '.join(REGISTRY)}" in str(unknown.exception)
    root = write_case(tmp_path / "toy", TOY)
    for name in REGISTRY:
        r = runner.invoke(app, ["forecast", "--case", str(root), "--model", name, "--beside", "mean",
                                "--draws", "20", "--json"])
        assert r.exit_code == 0, r.output
        out = json.loads(r.stdout)
        assert out["model"] == name and out["predictors"][0]["name"] == name
    r = runner.invoke(app, ["forecast", "--case", str(root), "--beside", "mean,oracle", "--draws", "5"])
    assert isinstance(r.exception, AccordError) and "--beside: unknown model 'oracle'" in str(r.exception)

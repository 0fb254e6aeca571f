"""One shape for engine results: ``accord solve|forecast|assess --json`` and the API answer the same JSON.

For each solve goal and each registered forecast model (small draws) the CLI's ``--json`` validates against
the component of the OpenAPI schema that the endpoint declares (``SolveJob.result``, ``ForecastJob.result``,
``Assessment``), the finished job polled through ``GET /api/v1/jobs/{id}`` validates against that endpoint's
declared response, and its ``result`` equals the CLI's JSON for the same inputs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.analysis.models import REGISTRY
from accord.cli import app as cli
from accord.web.app import create_app
from tests.web.conftest import BASE, LOCAL

API = "/api/v1"
runner = CliRunner()

# (case, body): every goal on gaza_2025 (feasible), the conflicts and an infeasible amend on ukraine_2025
SOLVES: list[tuple[str, dict[str, Any]]] = [
    ("gaza_2025", {"goal": "feasible"}),
    ("gaza_2025", {"goal": "conflicts"}),
    ("gaza_2025", {"goal": "pareto", "among": ["israel", "hamas"], "limit": 5}),
    ("gaza_2025", {"goal": "nash"}),
    ("gaza_2025", {"goal": "ks", "actors": ["israel", "hamas", "us"]}),
    ("gaza_2025", {"goal": "maximin", "without": ["hamas:disarmament"]}),
    ("gaza_2025", {"goal": "amend", "plan": "plan-20-points", "k": 1, "objective": "maximin"}),
    ("ukraine_2025", {"goal": "conflicts", "limit": 3}),
    ("ukraine_2025", {"goal": "amend", "plan": "us-28-point"}),
]


class Api:
    def __init__(self) -> None:
        self.app = create_app(case=["gaza_2025", "ukraine_2025"])
        self.client = TestClient(self.app, base_url=BASE, client=LOCAL)
        token = self.app.state.accord.tokens.create("editor")[1]
        self.client.headers.update({"Authorization": f"Bearer {token}"})
        self.spec = self.app.openapi()
        got = self.spec["paths"]["/api/v1/jobs/{job_id}"]["get"]["responses"]["200"]["content"]["application/json"]
        self.polled = jsonschema_rs.validator_for({**got["schema"], "components": self.spec["components"]})

    def job(self, path: str, body: dict[str, Any]) -> Any:
        """The ``result`` of the job ``POST path`` starts, as ``GET /jobs/{id}`` answers it once done."""
        r = self.client.post(f"{API}{path}", json=body)
        assert r.status_code == 202, r.text
        done = self.app.state.accord.jobs.wait(r.json()["id"], 120)
        assert done.status == "done", done.error
        polled = self.client.get(f"{API}/jobs/{done.id}").json()
        self.polled.validate(polled)
        assert polled["kind"] == r.json()["kind"] and polled["result"] is not None
        return polled["result"]

    def validator(self, component: str, prop: str | None = None) -> Any:
        schema = self.spec["components"]["schemas"][component]
        schema = dict(schema["properties"][prop]) if prop else dict(schema)
        return jsonschema_rs.validator_for({**schema, "components": self.spec["components"]})


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    a = Api()
    yield a
    a.app.state.accord.jobs.shutdown()


def cli_json(*args: str) -> Any:
    r = runner.invoke(cli, [*args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def solve_args(case: str, body: dict[str, Any]) -> list[str]:
    args = ["solve", "--case", case]
    for k, v in body.items():
        if k == "without":
            args += [x for w in v for x in ("--without", w)]
        else:
            args += [f"--{k}", ",".join(v) if isinstance(v, list) else str(v)]
    return args


def test_the_endpoints_declare_typed_results(api: Api) -> None:
    schemas = api.spec["components"]["schemas"]
    paths = api.spec["paths"]
    solve = paths["/api/v1/cases/{case_id}/solve"]["post"]["responses"]["202"]["content"]["application/json"]
    forecast = paths["/api/v1/cases/{case_id}/forecast"]["post"]["responses"]["202"]["content"]["application/json"]
    assert solve["schema"]["$ref"].endswith("/SolveJob") and forecast["schema"]["$ref"].endswith("/ForecastJob")
    goals = {m["$ref"].rsplit("/", 1)[1] for m in schemas["SolveJob"]["properties"]["result"]["anyOf"][0]["oneOf"]}
    assert goals == {"FeasibleResult", "ConflictsResult", "ParetoResult", "BargainResult", "AmendResult"}
    # polling a job names what it holds: a solve or a forecast job, told apart by kind
    for path in ("/api/v1/jobs/{job_id}", "/api/v1/jobs"):
        got = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        got = got.get("items", got)
        assert got["discriminator"] == {"propertyName": "kind", "mapping": {
            "solve": "#/components/schemas/SolveJob", "forecast": "#/components/schemas/ForecastJob"}}
    assert schemas["SolveJob"]["properties"]["kind"]["const"] == "solve"
    assert schemas["ForecastJob"]["properties"]["result"]["anyOf"][0]["$ref"].endswith("/ForecastResult")
    # nothing reachable from the results or the dashboard's views is an untyped object, but a model's settings
    # and a job's parameters (each kind of job and model has its own)
    untyped = sorted(untyped_objects(api.spec, ("SolveJob", "ForecastJob", "SolveView", "ForecastView")))
    assert untyped == ["ForecastJob.params", "PredictorInfo.parameters", "SolveJob.params"]


def untyped_objects(spec: dict[str, Any], roots: tuple[str, ...]) -> set[str]:
    """``Component.property`` for every property reachable from ``roots`` whose values may be any JSON."""
    schemas = spec["components"]["schemas"]
    seen: set[str] = set()
    found: set[str] = set()

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                visit(node["$ref"].rsplit("/", 1)[1])
            if node.get("additionalProperties") is True or node == {}:
                found.add(where)
            for k, v in node.items():
                if k != "properties":
                    walk(v, where)
        elif isinstance(node, list):
            for v in node:
                walk(v, where)

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for prop, sub in schemas[name].get("properties", {}).items():
            walk(sub, f"{name}.{prop}")

    for r in roots:
        visit(r)
    return found


@pytest.mark.parametrize(("case", "body"), SOLVES, ids=[f"{c}-{b['goal']}" for c, b in SOLVES])
def test_solve_cli_and_api_agree(api: Api, case: str, body: dict[str, Any]) -> None:
    out = cli_json(*solve_args(case, body))
    api.validator("SolveJob", "result").validate(out)
    assert api.job(f"/cases/{case}/solve", body) == out
    assert out["goal"] == body["goal"] and out["explain"]


def test_a_drifted_key_fails_the_schema(api: Api) -> None:
    out = cli_json("solve", "--case", "gaza_2025", "--goal", "nash")
    valid = api.validator("SolveJob", "result")
    assert valid.is_valid(out)
    assert not valid.is_valid({**out, "utility": 1.0})  # a key the schema does not know
    assert not valid.is_valid({k: v for k, v in out.items() if k != "status"})
    assert not valid.is_valid({**out, "goal": "pareto"})  # nash's fields under another goal
    assert api.job("/cases/gaza_2025/solve", {"goal": "nash"}) == out
    job = next(j for j in api.client.get(f"{API}/jobs").json() if j["params"]["goal"] == "nash")
    assert api.polled.is_valid(job) and job["result"] is None  # the list leaves results out
    assert not api.polled.is_valid({**job, "kind": "forecast", "result": out})  # a solve result in a forecast job


@pytest.mark.parametrize("model", list(REGISTRY))
def test_forecast_cli_and_api_agree(api: Api, model: str) -> None:
    out = cli_json("forecast", "--case", "gaza_2025", "--model", model, "--draws", "30", "--seed", "3")
    api.validator("ForecastJob", "result").validate(out)
    assert out["scenarios"] and out["predictors"][0]["name"] == model
    assert api.job("/cases/gaza_2025/forecast", {"model": model, "draws": 30, "seed": 3}) == out


def test_assess_cli_and_api_agree(api: Api) -> None:
    out = cli_json("assess", "--case", "gaza_2025", "--plan", "phase-one")
    api.validator("Assessment").validate(out)
    assert api.client.get(f"{API}/cases/gaza_2025/assess", params={"plan": "phase-one"}).json() == out


def test_solve_job_refuses_what_the_solver_would(api: Api) -> None:
    for body, field in (({"goal": "amend"}, "plan"), ({"goal": "nash", "plan": "phase-one"}, "plan"),
                        ({"actors": ["nobody"]}, "actors"), ({"without": ["hamas"]}, "without"),
                        ({"goal": "best"}, "goal"), ({"goal": "amend", "plan": "nope"}, "plan")):
        r = api.client.post(f"{API}/cases/gaza_2025/solve", json=body)
        assert r.status_code == (404 if body.get("plan") == "nope" else 422), (body, r.text)
        assert r.json()["error"]["field"] == field, (body, r.text)

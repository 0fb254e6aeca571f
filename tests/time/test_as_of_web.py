"""``?as_of=`` on every case read of the REST API and a date control on every dashboard page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from tests.web.conftest import Service, make_service

API = "/api/v1"


@pytest.fixture
def msvc(tmp_path: Path, moving_dir: Path) -> Iterator[Service]:
    s = make_service(tmp_path, moving_dir)
    yield s
    s.app.state.accord.jobs.shutdown()


READS = ["", "/issues", "/actors", "/plans", "/plans/p1", "/plans/p1/matrix", "/positions", "/positions/a/land",
         "/claims", "/assess?plan=p1", "/tilt", "/diff?a=p1&b=p1", "/solve", "/report.md", "/moves", "/review"]


@pytest.mark.parametrize("path", READS)
def test_every_case_read_takes_as_of_and_refuses_a_bad_date(msvc: Service, path: str) -> None:
    sep = "&" if "?" in path else "?"
    ok = msvc.client.get(f"{API}/cases/toy{path}{sep}as_of=2025-12-01")
    assert ok.status_code == 200, ok.text
    bad = msvc.client.get(f"{API}/cases/toy{path}{sep}as_of=2025-13-01")
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "as_of"


def test_positions_as_of_a_date(msvc: Service) -> None:
    c = msvc.client
    early = c.get(f"{API}/cases/toy/positions/a/land", params={"as_of": "2025-11-30"}).json()
    assert early["since"] == "2025-11-21" and early["red_line"] == ["All to B", "Split"] and early["firmness"] == 0.9
    late = c.get(f"{API}/cases/toy/positions/a/land").json()
    assert late["since"] == "2025-12-11" and late["red_line"] == ["All to B"] and late["acceptable"] == ["Split"]
    assert [e["since"] for e in late["earlier"]] == ["2025-11-21"]
    r = c.get(f"{API}/cases/toy/positions/b/army", params={"as_of": "2025-11-30"})
    assert r.status_code == 404 and "on 2025-11-30" in r.json()["error"]["message"]
    summary = c.get(f"{API}/cases/toy", params={"as_of": "2025-11-30"}).json()
    assert (summary["as_of"], summary["positions"], summary["plans"]) == ("2025-11-30", 3, ["p1"])
    assert summary["dates"] == ["2025-11-21", "2025-12-11"]


def test_plans_are_judged_as_of_their_date_unless_told(msvc: Service) -> None:
    c = msvc.client
    a = c.get(f"{API}/cases/toy/assess", params={"plan": "p2"}).json()
    assert a["as_of"] == "2025-12-15" and a["actors"]["a"]["accepts"] is True
    a = c.get(f"{API}/cases/toy/assess", params={"plan": "p2", "as_of": "2025-12-20"}).json()
    assert a["as_of"] == "2025-12-20"
    m = c.get(f"{API}/cases/toy/plans/p1/matrix").json()
    assert m["as_of"] == "2025-11-25"
    cell = next(x for r in m["rows"] for x in r["cells"] if r["provision"] == "1" and x["actor"] == "a")
    assert cell["verdict"] == "red_line" and cell["evidence"] == "pos-a-land-2025-11-21"
    r = c.get(f"{API}/cases/toy/plans/p2", params={"as_of": "2025-12-01"})
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "plan 'p2' is dated 2025-12-15, after as_of 2025-12-01: not known then"
    post = c.post(f"{API}/cases/toy/assess", params={"as_of": "2025-11-30"}, json={"package": {"land": "split"}})
    assert post.json()["actors"]["a"]["red_lines"][0]["option"] == "split"


def test_assess_without_a_plan_answers_as_the_cli(msvc: Service, moving_dir: Path) -> None:
    # the CLI's `accord assess --json` (no --plan) and the API's /assess (no ?plan=) are one answer
    runner = CliRunner()
    for extra, params in (([], {}), (["--as-of", "2025-12-01"], {"as_of": "2025-12-01"})):
        r = runner.invoke(app, ["assess", "--case", str(moving_dir), "--json", *extra])
        assert r.exit_code == 0, r.output
        got = msvc.client.get(f"{API}/cases/toy/assess", params=params)
        assert got.status_code == 200, got.text
        cli, web = json.loads(r.output), got.json()
        assert web == {**cli, "case": "toy"}
    web = msvc.client.get(f"{API}/cases/toy/assess").json()
    assert web["as_of"] is None
    assert [(p["plan"], p["as_of"]) for p in web["plans"]] == [("p1", "2025-11-25"), ("p2", "2025-12-15")]
    early = msvc.client.get(f"{API}/cases/toy/assess", params={"as_of": "2025-12-01"}).json()
    assert early["as_of"] == "2025-12-01" and [(p["plan"], p["as_of"]) for p in early["plans"]] == [
        ("p1", "2025-12-01")]


def test_claims_after_the_date_are_left_out(msvc: Service) -> None:
    c = msvc.client
    for day, text in (("2025-11-22", "Alpha rejects the split."), ("2025-12-12", "Alpha accepts the split.")):
        body = {"doc": "d" + day, "holder": "a", "issue": "land", "stance": "oppose", "text": text, "date": day}
        assert c.post(f"{API}/cases/toy/claims", json=body, headers=msvc.auth(msvc.editor)).status_code == 201
    assert c.get(f"{API}/cases/toy/claims", params={"as_of": "2025-12-01"}).json()["total"] == 1
    assert c.get(f"{API}/cases/toy/claims").json()["total"] == 2


def test_forecast_job_per_date(msvc: Service) -> None:
    c = msvc.client
    job = c.post(f"{API}/cases/toy/forecast", params={"as_of": "2025-11-30"}, json={"draws": 50},
                 headers=msvc.auth(msvc.editor)).json()  # starting a job needs a token (or the CSRF token)
    assert job["params"]["as_of"] == "2025-11-30"
    msvc.app.state.accord.jobs.wait(job["id"])
    assert c.get(f"{API}/cases/toy/forecast", params={"as_of": "2025-11-30"}).status_code == 200
    assert c.get(f"{API}/cases/toy/forecast").status_code == 404  # no forecast of the latest view yet


PAGES = ["", "/plans/p1", "/positions", "/diff", "/solve", "/forecast", "/claims", "/compliance", "/moves", "/review"]


@pytest.mark.parametrize("page", PAGES)
def test_every_dashboard_page_has_a_date_control_and_links_keep_the_date(msvc: Service, page: str) -> None:
    html = msvc.client.get(f"/cases/toy{page}?as_of=2025-11-30").text
    assert re.search(r'<input type="date" name="as_of" id="as-of" value="2025-11-30"', html)
    assert 'href="/cases/toy/positions?as_of=2025-11-30"' in html
    assert "Viewing the case as known on <strong>2025-11-30</strong>" in html
    assert 'href="/cases/toy/plans/p2' not in html  # p2 (15 Dec) was not known yet
    latest = msvc.client.get(f"/cases/toy{page}").text
    assert 'value=""' in latest and "Viewing the case as known" not in latest


def test_the_date_control_keeps_the_page_filters(msvc: Service) -> None:
    html = msvc.client.get("/cases/toy/positions?actor=a&as_of=2025-11-30").text
    form = html[html.index('id="as-of-form"'):html.index("</form>", html.index('id="as-of-form"'))]
    assert '<input type="hidden" name="actor" value="a">' in form and 'name="as_of"' in form
    assert html.count('class="position"') == 2  # Alpha's two positions on 30 November


def test_plan_page_evidence_is_the_state_of_the_plans_date(msvc: Service) -> None:
    html = msvc.client.get("/cases/toy/plans/p1").text
    store = html[html.index('id="evidence-store"'):]
    assert 'id="pos-a-land-2025-11-21"' in store and 'id="pos-a-land-2025-12-11"' not in store
    assert "Judged against the positions as of 2025-11-25, the plan" in html


def test_serve_default_date(tmp_path: Path, moving_dir: Path) -> None:
    import datetime as dt

    s = make_service(tmp_path, moving_dir, as_of=dt.date(2025, 11, 30))
    try:
        assert s.client.get(f"{API}/cases/toy").json()["as_of"] == "2025-11-30"
        assert s.client.get(f"{API}/cases/toy", params={"as_of": "2025-12-31"}).json()["as_of"] == "2025-12-31"
    finally:
        s.app.state.accord.jobs.shutdown()

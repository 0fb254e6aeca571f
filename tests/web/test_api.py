"""The REST API through httpx (FastAPI's TestClient): every endpoint, auth failures, errors, safety."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.analysis.assess import assess_plan
from accord.model import load_case
from accord.web.app import create_app
from tests.web.conftest import BASE, LOCAL, Service, make_service, while_locked

API = "/api/v1"
EVIL = "<script>alert(1)</script>"


def err(r) -> dict:  # type: ignore[no-untyped-def,type-arg]
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "field"}, body
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


# -- reads ---------------------------------------------------------------------------------------

def test_cases_issues_actors_plans(svc: Service) -> None:
    c = svc.client
    cases = c.get(f"{API}/cases").json()
    assert [x["id"] for x in cases] == ["toy"] and cases[0]["plans"] == ["p1", "p2"]
    assert c.get(f"{API}/cases/toy").json()["positions"] == 4
    assert [i["id"] for i in c.get(f"{API}/cases/toy/issues").json()] == ["land", "army"]
    assert [a["id"] for a in c.get(f"{API}/cases/toy/actors").json()] == ["a", "b"]
    assert [p["id"] for p in c.get(f"{API}/cases/toy/plans").json()] == ["p1", "p2"]
    assert c.get(f"{API}/cases/toy/plans/p2").json()["based_on"] == "p1"


@pytest.mark.parametrize("path, field", [
    ("/cases/nope", "case"), ("/cases/toy/plans/nope", "plan"), ("/cases/toy/positions/a/nope", "issue"),
    ("/cases/toy/claims/nope", "claim"), ("/jobs/nope", "job"), ("/cases/toy/assess?plan=nope", "plan"),
    ("/cases/toy/plans/nope/matrix", "plan"), ("/cases/toy/diff?a=p1&b=nope", "b"), ("/nothing", None),
    ("/cases/toy/forecast", "case"),
])
def test_not_found_is_json(svc: Service, path: str, field: str | None) -> None:
    r = svc.client.get(API + path)
    assert r.status_code == 404
    assert err(r)["field"] == field


def test_method_not_allowed_is_json(svc: Service) -> None:
    r = svc.client.patch(f"{API}/cases")
    assert r.status_code == 405 and err(r)


def test_assess_matches_engine(svc: Service) -> None:
    case = load_case(svc.workspace / "toy")
    got = svc.client.get(f"{API}/cases/toy/assess", params={"plan": "p1"}).json()
    assert got == json.loads(assess_plan(case, "p1").model_dump_json())
    assert got["actors"]["a"]["utility"] == pytest.approx(0.125) and got["tilt"]["index"] == pytest.approx(0.625)
    r = svc.client.post(f"{API}/cases/toy/assess", json={"package": {"land": "split", "army": "50"}})
    assert r.status_code == 200 and r.json()["actors"]["b"]["utility"] == pytest.approx(0.5 * 0.5 + 0.5 * 0.5)
    bad = svc.client.post(f"{API}/cases/toy/assess", json={"package": {"land": "moon"}})
    assert bad.status_code == 422 and err(bad)["field"] == "package.land"
    missing = svc.client.post(f"{API}/cases/toy/assess", json={})
    assert missing.status_code == 422 and err(missing)["field"] == "package"
    notjson = svc.client.post(f"{API}/cases/toy/assess", content=b"{", headers={"Content-Type": "application/json"})
    assert notjson.status_code == 422


def test_matrix_positions_diff_tilt(svc: Service) -> None:
    c = svc.client
    m = c.get(f"{API}/cases/toy/plans/p1/matrix").json()
    cells = {(x["provision"], x["actor"]): x for r in m["rows"] for x in r["cells"]}
    assert cells[("1", "a")]["verdict"] == "red_line" and cells[("1", "a")]["evidence"] == "pos-a-land"
    assert m["counts"] == {"accepts": 1, "conditional": 2, "red_line": 1, "none": 0}
    pos = c.get(f"{API}/cases/toy/positions", params={"actor": "a"}).json()
    assert [p["issue"] for p in pos] == ["land", "army"]
    one = c.get(f"{API}/cases/toy/positions/a/land").json()
    assert one["red_line"] == ["All to B"] and one["sources"][0]["url"] == "https://example.org/toy"
    d = c.get(f"{API}/cases/toy/diff").json()
    assert (d["a"], d["b"]) == ("p1", "p2") and d["counts"]["added"] == 1
    assert c.get(f"{API}/cases/toy/diff", params={"a": "p2", "b": "p1"}).json()["counts"]["added"] == 1
    tilt = c.get(f"{API}/cases/toy/tilt").json()
    assert [round(t["index"], 3) for t in tilt] == [0.625, -0.375]


def test_solve_reads_and_job(svc: Service) -> None:
    s = svc.client.get(f"{API}/cases/toy/solve").json()
    assert s["available"] is True and s["feasible"] is True and s["pareto"]
    r = svc.client.post(f"{API}/cases/toy/solve", json={}, headers=svc.auth(svc.editor))
    assert r.status_code == 202
    job = svc.app.state.accord.jobs.wait(r.json()["id"], 30)
    assert job.status == "done" and job.result["goal"] == "feasible" and job.result["status"] == "feasible"
    assert set(job.result["package"]["package"]) == {"land", "army"} and "acceptable" in job.result["explain"]


def test_forecast_job_progress_and_result(svc: Service) -> None:
    c = svc.client
    c.headers.update(svc.auth(svc.monitor))  # starting a job needs a token of any role (or the CSRF token)
    r = c.post(f"{API}/cases/toy/forecast", json={"draws": 300, "seed": 1})
    assert r.status_code == 202 and r.json()["status"] in ("queued", "running", "done")
    jid = r.json()["id"]
    assert c.post(f"{API}/cases/toy/forecast", json={"draws": 300, "seed": 1}).json()["id"] == jid  # same job
    deadline = time.monotonic() + 60
    while (job := c.get(f"{API}/jobs/{jid}").json())["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job["status"] == "done" and job["progress"] == 1.0 and job["result"]["draws"] == 300
    f = c.get(f"{API}/cases/toy/forecast").json()
    assert f["available"] is True and [d["issue"] for d in f["distributions"]] == ["land", "army"]
    assert sum(o["p"] for o in f["distributions"][0]["options"]) == pytest.approx(1.0)
    assert any(j["id"] == jid and j["result"] is None for j in c.get(f"{API}/jobs").json())
    bad = c.post(f"{API}/cases/toy/forecast", json={"draws": 0})
    assert bad.status_code == 422 and err(bad)["field"] == "draws"


def test_forecast_chooses_a_registered_model_and_shows_its_settings(svc: Service) -> None:
    from accord.analysis.models import REGISTRY

    c = svc.client
    c.headers.update(svc.auth(svc.monitor))  # starting a job needs a token of any role (or the CSRF token)
    models = c.get(f"{API}/models").json()
    assert [m["name"] for m in models] == list(REGISTRY)
    assert next(m for m in models if m["name"] == "ensemble")["members"] == ["eu", "smp", "mean", "median", "plan"]
    r = c.post(f"{API}/cases/toy/forecast", json={"model": "smp", "draws": 200, "seed": 2})
    assert r.status_code == 202
    job = svc.app.state.accord.jobs.wait(r.json()["id"], 60)
    f = job.result
    assert job.status == "done" and f["model"] == "smp" and job.params["model"] == "smp"
    assert [p["name"] for p in f["predictors"]] == ["smp", "eu", "mean", "median", "status-quo", "plan", "ensemble"]
    assert f["predictors"][0]["parameters"]["max_turns"] == 100  # the settings of the run on display
    assert f["scenarios"] == [] and set(f["issues"][0]["points"]) == set(REGISTRY)
    bad = c.post(f"{API}/cases/toy/forecast", json={"model": "oracle"})
    assert bad.status_code == 422 and err(bad)["field"] == "model" and "unknown model 'oracle'" in err(bad)["message"]
    page = c.get("/cases/toy/forecast").text
    assert '<option value="smp" selected' in page and "spatial model of politics" in page


def test_too_many_jobs_is_429(svc: Service) -> None:
    from accord.web.jobs import MAX_PENDING

    gate = threading.Event()
    jobs = svc.app.state.accord.jobs
    for k in range(MAX_PENDING):
        jobs.submit("block", "toy", {"k": k}, lambda progress: gate.wait(10))
    r = svc.client.post(f"{API}/cases/toy/forecast", json={"draws": 10, "seed": 99}, headers=svc.auth(svc.editor))
    gate.set()
    assert r.status_code == 429 and r.headers["retry-after"] == "5"


def test_report_downloads(svc: Service) -> None:
    h = svc.client.get(f"{API}/cases/toy/report.html")
    assert h.status_code == 200 and "attachment" in h.headers["content-disposition"]
    assert 'data-section="matrix"' in h.text
    m = svc.client.get(f"{API}/cases/toy/report.md")
    assert m.status_code == 200 and m.text.startswith("# Report: Toy negotiation")


# -- writes and access -----------------------------------------------------------------------------

PLAN3 = {"id": "p3", "name": "Plan three", "based_on": "p1",
         "provisions": [{"id": "1", "title": "Land", "text": "Split.", "issue": "land", "option": "split"}]}
POSITION = {"ideal": "split", "salience": 0.75, "red_line": ["all-b"]}
CLAIM = {"doc": "d1", "holder": "a", "issue": "land", "stance": "oppose", "text": "A rejects it."}

WRITES = [
    ("post", "/cases", {"path": "toy"}, "editor"),
    ("post", "/cases/toy/plans", PLAN3, "editor"),
    ("put", "/cases/toy/plans/p3", PLAN3, "editor"),
    ("delete", "/cases/toy/plans/p2", None, "editor"),
    ("put", "/cases/toy/positions/a/land", POSITION, "editor"),
    ("delete", "/cases/toy/positions/a/land", None, "editor"),
    ("post", "/cases/toy/claims", CLAIM, "editor"),
    ("delete", "/cases/toy/claims/c1", None, "editor"),
    ("post", "/tokens", {"role": "editor"}, "admin"),
    ("get", "/tokens", None, "admin"),
    ("delete", "/tokens/abc", None, "admin"),
    ("post", "/agreements", {"case": "toy", "plan": "p1", "signed": "2026-01-01"}, "editor"),
    ("post", "/monitors", {"id": "m1", "public_key": "0" * 64}, "admin"),
    ("post", "/reports", {"monitor": "m1", "indicator": "x", "value": 1, "observed_at": "2026-01-01",
                          "source": "s", "signature": "00"}, "monitor"),
    ("post", "/reports/import", {"path": "r.csv"}, "monitor"),
]


@pytest.mark.parametrize("method, path, body, role", WRITES)
def test_writes_need_a_token_with_the_right_role(svc: Service, method: str, path: str, body: object,
                                                 role: str) -> None:
    call = getattr(svc.client, method)
    kw = {"json": body} if body is not None else {}
    r = call(API + path, **kw)
    assert r.status_code == 401 and err(r)["field"] == "Authorization" and r.headers["www-authenticate"] == "Bearer"
    r = call(API + path, headers=svc.auth("acc_nope_nope"), **kw)
    assert r.status_code == 401
    r = call(API + path, headers=svc.auth("not-a-token"), **kw)
    assert r.status_code == 401
    wrong = svc.monitor if role != "monitor" else svc.editor
    r = call(API + path, headers=svc.auth(wrong), **kw)
    assert r.status_code == 403 and err(r)["field"] == "Authorization"


def test_tokens_are_hashed_listed_and_revoked(svc: Service) -> None:
    c, adm = svc.client, svc.auth(svc.admin)
    r = c.post(f"{API}/tokens", json={"role": "editor", "name": "bob"}, headers=adm)
    assert r.status_code == 201
    token, info = r.json()["token"], r.json()["info"]
    store = svc.app.state.accord.tokens
    rec = store.lookup(info["id"])
    assert rec.hash != token and token.split("_", 2)[2] not in rec.hash and len(rec.hash) == 64
    listed = c.get(f"{API}/tokens", headers=adm).json()
    assert info["id"] in [t["id"] for t in listed] and all("hash" not in t and "token" not in t for t in listed)
    assert c.put(f"{API}/cases/toy/positions/a/land", json=POSITION, headers=svc.auth(token)).status_code == 200
    assert c.delete(f"{API}/tokens/{info['id']}", headers=adm).status_code == 204
    assert c.put(f"{API}/cases/toy/positions/a/land", json=POSITION, headers=svc.auth(token)).status_code == 401
    assert c.delete(f"{API}/tokens/nope", headers=adm).status_code == 404
    r = c.post(f"{API}/tokens", json={"role": "monitor"}, headers=adm)
    assert r.status_code == 422 and err(r)["field"] == "monitor"
    r = c.post(f"{API}/tokens", json={"role": "root"}, headers=adm)
    assert r.status_code == 422 and err(r)["field"] == "role"


def test_position_edit_changes_the_assessment(svc: Service) -> None:
    c, ed = svc.client, svc.auth(svc.editor)
    before = c.get(f"{API}/cases/toy/assess", params={"plan": "p1"}).json()
    assert before["actors"]["a"]["utility"] == pytest.approx(0.125)
    r = c.put(f"{API}/cases/toy/positions/a/land", json={**POSITION, "ideal": "all-b", "red_line": []}, headers=ed)
    assert r.status_code == 200
    after = c.get(f"{API}/cases/toy/assess", params={"plan": "p1"}).json()
    assert after["actors"]["a"]["utility"] == pytest.approx(0.75 + 0.125) and after["actors"]["a"]["red_lines"] == []
    m = c.get(f"{API}/cases/toy/plans/p1/matrix").json()
    assert m["rows"][0]["cells"][0]["verdict"] == "accepts"
    assert c.delete(f"{API}/cases/toy/positions/a/land", headers=ed).status_code == 204
    assert c.get(f"{API}/cases/toy/positions/a/land").status_code == 404
    assert c.delete(f"{API}/cases/toy/positions/a/land", headers=ed).status_code == 404
    new = c.put(f"{API}/cases/toy/positions/a/land", json=POSITION, headers=ed)
    assert new.status_code == 201
    for body, field in (({**POSITION, "ideal": "moon"}, "ideal"), ({**POSITION, "red_line": ["x"]}, "red_line.0"),
                        ({**POSITION, "sources": ["nope"]}, "sources.0"),
                        ({**POSITION, "red_line": ["split"]}, "body")):
        r = c.put(f"{API}/cases/toy/positions/a/land", json=body, headers=ed)
        assert r.status_code == 422 and err(r)["field"] == field, (body, r.json())
    assert c.put(f"{API}/cases/toy/positions/zz/land", json=POSITION, headers=ed).status_code == 404


def test_two_simultaneous_creates_of_one_plan_keep_one(tmp_path: Path, toy_dir: Path) -> None:
    # the "already exists" check and the write are one step under the state's lock: one 201, one 409, one edit
    s = make_service(tmp_path, toy_dir, db_url=f"sqlite:///{tmp_path / 'accord.db'}")
    try:
        c, ed = s.client, s.auth(s.editor)
        codes = while_locked(s, [lambda: c.post(f"{API}/cases/toy/plans", json=PLAN3, headers=ed).status_code] * 2)
        assert codes == [201, 409]
        assert [e.key for e in s.app.state.accord.store.load_edits("toy")] == ["p3"]
    finally:
        s.app.state.accord.jobs.shutdown()


def test_plans_create_replace_delete(svc: Service) -> None:
    c, ed = svc.client, svc.auth(svc.editor)
    assert c.post(f"{API}/cases/toy/plans", json=PLAN3, headers=ed).status_code == 201
    r = c.post(f"{API}/cases/toy/plans", json=PLAN3, headers=ed)
    assert r.status_code == 409 and err(r)["field"] == "id"
    assert c.get(f"{API}/cases/toy/assess", params={"plan": "p3"}).json()["package"]["land"] == "split"
    bad = {**PLAN3, "provisions": [{**PLAN3["provisions"][0], "option": "moon"}]}  # type: ignore[dict-item]
    r = c.put(f"{API}/cases/toy/plans/p3", json=bad, headers=ed)
    assert r.status_code == 422 and err(r)["field"] == "provisions.0.option"
    r = c.put(f"{API}/cases/toy/plans/p4", json=PLAN3, headers=ed)
    assert r.status_code == 422 and err(r)["field"] == "id"
    r = c.delete(f"{API}/cases/toy/plans/p1", headers=ed)
    assert r.status_code == 409  # p2 and p3 are based on it
    assert c.delete(f"{API}/cases/toy/plans/p3", headers=ed).status_code == 204
    assert c.get(f"{API}/cases/toy/plans/p3").status_code == 404


def test_claims_crud_filters_and_escaping(svc: Service) -> None:
    c, ed = svc.client, svc.auth(svc.editor)
    r = c.post(f"{API}/cases/toy/claims", json={**CLAIM, "text": f"A said {EVIL} no.", "quote": EVIL}, headers=ed)
    assert r.status_code == 201 and r.json()["id"] == "c1"
    r2 = c.post(f"{API}/cases/toy/claims", json={**CLAIM, "id": "k2", "holder": "b", "stance": "support",
                                                 "issue": "plan", "text": "B backs the plan."}, headers=ed)
    assert r2.status_code == 201
    assert c.post(f"{API}/cases/toy/claims", json={**CLAIM, "id": "k2"}, headers=ed).status_code == 409
    r = c.post(f"{API}/cases/toy/claims", json={**CLAIM, "holder": "zz"}, headers=ed)
    assert r.status_code == 422 and err(r)["field"] == "holder"
    page = c.get(f"{API}/cases/toy/claims", params={"stance": "support"}).json()
    assert page["total"] == 1 and page["claims"][0]["id"] == "k2"
    assert c.get(f"{API}/cases/toy/claims", params={"q": "SCRIPT"}).json()["total"] == 1
    assert c.get(f"{API}/cases/toy/claims/k2").json()["holder"] == "b"
    html = c.get("/cases/toy/claims").text
    assert EVIL not in html and "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in html
    assert "A rejects" not in html and "B backs the plan." in html
    # the claim shows up as evidence of a's position on land
    assert "&lt;script&gt;" in c.get("/cases/toy/positions").text
    assert c.delete(f"{API}/cases/toy/claims/k2", headers=ed).status_code == 204
    assert c.delete(f"{API}/cases/toy/claims/k2", headers=ed).status_code == 404


def test_load_case_paths_stay_in_the_workspace(svc: Service, tmp_path: Path) -> None:
    c, ed = svc.client, svc.auth(svc.editor)
    other = svc.workspace / "cases" / "other"
    shutil.copytree(svc.workspace / "toy", other)
    (other / "case.yaml").write_text((other / "case.yaml").read_text().replace("id: toy", "id: other"))
    r = c.post(f"{API}/cases", json={"path": "cases/other"}, headers=ed)
    assert r.status_code == 201 and r.json()["id"] == "other"
    r = c.post(f"{API}/cases", json={"path": "cases/other"}, headers=ed)
    assert r.status_code == 409 and err(r)["field"] == "id"
    outside = tmp_path.parent / f"outside-{os.getpid()}"
    outside.mkdir(exist_ok=True)
    (svc.workspace / "link").symlink_to(outside)
    for path in ("../", "../../etc", "/etc", str(outside), "link", "cases/../../x"):
        r = c.post(f"{API}/cases", json={"path": path}, headers=ed)
        assert r.status_code == 403 and err(r)["field"] == "path", path
    assert c.post(f"{API}/cases", json={"path": "nope"}, headers=ed).status_code == 404
    (svc.workspace / "broken").mkdir()
    (svc.workspace / "broken" / "case.yaml").write_text("id: broken\n")
    r = c.post(f"{API}/cases", json={"path": "broken"}, headers=ed)
    assert r.status_code == 422


def test_body_size_limit(tmp_path: Path, toy_dir: Path) -> None:
    s = make_service(tmp_path, toy_dir, max_body=2048)
    big = {**CLAIM, "text": "x" * 5000}
    r = s.client.post(f"{API}/cases/toy/claims", json=big, headers=s.auth(s.editor))
    assert r.status_code == 413 and err(r)["field"] == "body"

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"doc": "d", "text": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    r = s.client.post(f"{API}/cases/toy/claims", content=chunks(),
                      headers={**s.auth(s.editor), "Content-Type": "application/json"})
    assert r.status_code == 413 and err(r)["field"] == "body"
    ok = s.client.post(f"{API}/cases/toy/claims", json=CLAIM, headers=s.auth(s.editor))
    assert ok.status_code == 201


def test_read_access_policies(tmp_path: Path, toy_dir: Path) -> None:
    app = create_app(case=str(toy_dir), workspace=toy_dir.parent)
    remote = TestClient(app, base_url=BASE, client=("203.0.113.9", 4000))
    r = remote.get(f"{API}/cases")
    assert r.status_code == 401 and err(r)["field"] == "Authorization"
    assert remote.get("/cases/toy").status_code == 401
    token = app.state.accord.tokens.create("monitor", monitor="m")[1]
    assert remote.get(f"{API}/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert TestClient(app, base_url=BASE, client=("::1", 4000)).get(f"{API}/cases").status_code == 200
    opened = create_app(case=str(toy_dir), workspace=toy_dir.parent, reads="open")
    assert TestClient(opened, base_url=BASE, client=("203.0.113.9", 4000)).get(f"{API}/cases").status_code == 200
    closed = create_app(case=str(toy_dir), workspace=toy_dir.parent, reads="token")
    assert TestClient(closed, base_url=BASE, client=LOCAL).get(f"{API}/cases").status_code == 401


def test_openapi_lists_every_endpoint(svc: Service) -> None:
    spec = svc.client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/v1/cases", "/api/v1/cases/{case_id}/plans", "/api/v1/cases/{case_id}/positions",
              "/api/v1/cases/{case_id}/claims", "/api/v1/cases/{case_id}/assess", "/api/v1/cases/{case_id}/solve",
              "/api/v1/cases/{case_id}/forecast", "/api/v1/jobs/{job_id}", "/api/v1/agreements", "/api/v1/reports",
              "/api/v1/compliance", "/api/v1/ledger/proofs/inclusion/{seq}", "/api/v1/tokens"):
        assert p in paths, p
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert "401" in spec["paths"]["/api/v1/tokens"]["post"]["responses"]


# -- dashboard ---------------------------------------------------------------------------------------

def test_dashboard_pages(svc: Service) -> None:
    c = svc.client
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/cases/toy"
    for page in ("/cases/toy", "/cases/toy/plans/p1", "/cases/toy/positions?actor=a", "/cases/toy/diff",
                 "/cases/toy/diff?a=p2&b=p1", "/cases/toy/solve", "/cases/toy/forecast",
                 "/cases/toy/claims?stance=oppose", "/cases/toy/compliance"):
        r = c.get(page)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), page
    plan = c.get("/cases/toy/plans/p1").text
    assert 'data-actor="a" data-verdict="red_line"' in plan and 'id="evidence"' in plan
    assert 'id="pos-a-land"' in plan  # the evidence the panel shows
    assert c.get("/cases/toy/plans/nope").status_code == 404
    # the overview opens with the key findings, each linked to the page of its evidence
    overview = c.get("/cases/toy").text
    assert overview.index('id="key-findings"') < overview.index('class="overview"')
    assert "p1 crosses Alpha&#39;s red lines on Land (point 1)" in overview
    assert 'href="/cases/toy/plans/p1"' in overview and 'href="/cases/toy/solve"' in overview
    assert c.get("/static/app.js").status_code == 200
    js = c.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert "no agreement signed" in c.get("/cases/toy/compliance").text or "database" in c.get(
        "/cases/toy/compliance").text


def test_monitoring_needs_a_database(svc: Service) -> None:
    for path in ("/agreements", "/reports", "/compliance", "/ledger", "/monitors", "/ledger/verify"):
        r = svc.client.get(API + path)
        assert r.status_code == 404 and err(r)["field"] == "db", path


def test_documents_extract_claims_and_highlight(svc: Service) -> None:
    c, ed = svc.client, svc.auth(svc.editor)
    art = svc.workspace / "articles"
    art.mkdir()
    text = ("---\ntitle: Toy talks <b>live</b>\n---\nAlpha said it rejects the plan. "
            "Beta said the land split could be a basis, but only if the army is capped.\n")
    (art / "a1.txt").write_text(text)
    r = c.post(f"{API}/cases/toy/documents", json={"path": "articles"}, headers=ed)
    assert r.status_code == 200 and r.json()["documents"] == ["a1"]
    n = r.json()["claims"]
    assert n >= 1
    docs = c.get(f"{API}/cases/toy/documents").json()
    assert docs[0]["title"] == "Toy talks <b>live</b>" and docs[0]["claims"] == n
    d = c.get(f"{API}/cases/toy/documents/a1").json()
    claims = c.get(f"{API}/cases/toy/claims", params={"doc": "a1"}).json()["claims"]
    assert len(claims) == n
    for cl in claims:
        assert cl["start"] is not None and d["text"][cl["start"]:cl["end"]] == cl["text"]
    page = c.get("/cases/toy/documents/a1").text
    assert "Toy talks &lt;b&gt;live&lt;/b&gt;" in page and "<b>live</b>" not in page
    for cl in claims:
        assert f'<mark id="claim-{cl["id"]}"' in page
    assert f'/cases/toy/documents/a1#claim-{claims[0]["id"]}' in c.get("/cases/toy/claims").text if claims else True
    assert c.post(f"{API}/cases/toy/documents", json={"path": "articles"}, headers=ed).json()["claims"] == n
    assert c.get(f"{API}/cases/toy/claims", params={"doc": "a1"}).json()["total"] == n  # replaced, not doubled
    assert c.post(f"{API}/cases/toy/documents", json={"path": "../"}, headers=ed).status_code == 403
    assert c.post(f"{API}/cases/toy/documents", json={"path": "none"}, headers=ed).status_code == 404
    assert c.post(f"{API}/cases/toy/documents", json={"path": "articles"}).status_code == 401
    assert c.get(f"{API}/cases/toy/documents/nope").status_code == 404
    assert c.get("/cases/toy/documents/nope").status_code == 404


def test_response_cache_serves_and_invalidates(svc: Service) -> None:
    c, ed = svc.client, svc.auth(svc.editor)
    mw = next(m for m in svc.app.user_middleware if m.cls.__name__ == "ResponseCache")
    assert mw is not None
    first = c.get(f"{API}/cases/toy/plans/p1/matrix")
    second = c.get(f"{API}/cases/toy/plans/p1/matrix")
    assert first.content == second.content and "x-accord-cache" not in second.headers
    assert second.headers["content-type"] == "application/json"
    c.put(f"{API}/cases/toy/positions/b/land", json={"ideal": "split", "salience": 0.5}, headers=ed)
    third = c.get(f"{API}/cases/toy/plans/p1/matrix").json()
    assert third["rows"][0]["cells"][1]["verdict"] == "conditional"  # was accepts before the edit
    remote = TestClient(svc.app, base_url=BASE, client=("203.0.113.9", 1)).get(f"{API}/cases/toy/plans/p1/matrix")
    assert remote.status_code == 401  # the cache never bypasses the read policy

"""What the service tells browsers and which requests it refuses: CSP and friends, Host, starting work, /docs."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from accord.web.app import create_app
from accord.web.security import CSP, allowed_hosts
from tests.web.conftest import LOCAL, Service

API = "/api/v1"


@pytest.mark.parametrize("path", ["/", "/cases/toy", f"{API}/cases", f"{API}/cases/nope", "/static/app.js",
                                  "/docs", "/openapi.json", "/no/such/page"])
def test_every_response_carries_the_browser_headers(svc: Service, path: str) -> None:
    for _ in range(2):  # the second read of a cached page comes from the response cache
        r = svc.client.get(path, follow_redirects=False)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self';" in CSP and "'unsafe-inline'" not in CSP.split("script-src", 1)[1].split(";")[0]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", "localhost.evil.example"])
def test_a_foreign_host_is_refused_before_anything_runs(svc: Service, host: str) -> None:
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 reads nothing."""
    for path in (f"{API}/cases", "/cases/toy", f"{API}/cases/toy/plans/p1/matrix"):
        r = svc.client.get(path, headers={"Host": host})
        assert r.status_code == 400 and r.json()["error"]["field"] == "Host", (path, host)
        assert "--allow-host" in r.json()["error"]["message"]
    ok = svc.client.post(f"{API}/cases/toy/plans", headers={"Host": host, **svc.auth(svc.editor)},
                         json={"id": "p9", "name": "x", "provisions": []})
    assert ok.status_code == 400 and "p9" not in {p.id for p in svc.app.state.accord.case("toy").plans}


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST."])
def test_loopback_hosts_are_served(svc: Service, host: str) -> None:
    assert svc.client.get(f"{API}/cases", headers={"Host": host}).status_code == 200


def test_allowed_hosts_add_the_bind_address_and_extras(toy_dir) -> None:  # type: ignore[no-untyped-def]
    assert "10.1.2.3" in allowed_hosts("10.1.2.3") and "0.0.0.0" not in allowed_hosts("0.0.0.0")
    app = create_app(case=str(toy_dir), workspace=toy_dir.parent, hosts=allowed_hosts("10.1.2.3", ["dash.org"]))
    c = TestClient(app, base_url="http://dash.org", client=LOCAL)
    assert c.get(f"{API}/cases").status_code == 200
    assert c.get(f"{API}/cases", headers={"Host": "10.1.2.3:8000"}).status_code == 200
    assert c.get(f"{API}/cases", headers={"Host": "other.org"}).status_code == 400
    anyone = TestClient(create_app(case=str(toy_dir), workspace=toy_dir.parent, hosts=["*"]), client=LOCAL)
    assert anyone.get(f"{API}/cases", headers={"Host": "whatever.example"}).status_code == 200


@pytest.mark.parametrize("kind", ["solve", "forecast"])
def test_starting_work_needs_json_and_a_token_or_the_csrf_token(svc: Service, kind: str) -> None:
    url = f"{API}/cases/toy/{kind}"
    jobs = svc.app.state.accord.jobs
    # what a page on another site can send without a preflight: no body, a form, text/plain
    assert svc.client.post(url).status_code == 415
    assert svc.client.post(url, data={"runs": "5"}).status_code == 415
    assert svc.client.post(url, content=b"{}", headers={"Content-Type": "text/plain"}).status_code == 415
    # JSON without a token or the CSRF token: refused
    r = svc.client.post(url, json={})
    assert r.status_code == 401 and "X-CSRF-Token" in r.json()["error"]["message"]
    assert svc.client.post(url, json={}, headers={"X-CSRF-Token": "guess"}).status_code == 401
    assert not jobs.list()
    # the dashboard's page carries the token; with it (or any token) the job starts
    page = svc.client.get("/cases/toy/forecast").text
    m = re.search(r'<meta name="accord-csrf" content="([^"]+)">', page)
    assert m is not None
    assert svc.client.post(url, json={}, headers={"X-CSRF-Token": m.group(1)}).status_code == 202
    assert svc.client.post(url, json={}, headers=svc.auth(svc.monitor)).status_code == 202
    assert svc.client.post(url, json={}, headers={"Authorization": "Bearer acc_x_y"}).status_code == 401


def test_api_docs_come_from_the_package(svc: Service) -> None:
    page = svc.client.get("/docs")
    assert page.status_code == 200 and "<script>" not in page.text and "cdn" not in page.text.lower()
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert scripts and styles
    for src in scripts + styles:
        assert src.startswith("/"), src
        r = svc.client.get(src)
        assert r.status_code == 200 and len(r.content) > 300, src
    assert svc.client.get("/docs/assets/swagger-ui-bundle.js.map").status_code == 404
    assert svc.client.get("/docs/assets/..%2Fcore.py").status_code == 404

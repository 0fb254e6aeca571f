"""No script runs from data: every page and the report, filled with attacks in every text field.

The case, its claims, an article and the monitoring ledger (tests/web/hostile.py)
put script-bearing strings in every id, name, quote and URL. Two layers:

- in-process (always runs): every dashboard page, the API docs and the report
  contain no payload unescaped, no ``javascript:`` link, no inline script (the
  report: exactly its two hashed ones) and carry the security headers;
- in Chromium (``accord serve`` as a subprocess): every page, the report as the
  server hands it out (under its CSP) and the report file as ``accord report``
  writes it (opened from disk, no CSP at all) — no dialog fires, no element
  with ``data-pwned`` exists, no link has a scheme other than http(s), the plots
  are drawn and the browser reports no CSP violation.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from accord.web.app import create_app
from tests.conftest import require_services
from tests.serving import serving
from tests.web.hostile import ID, MARKERS, Hostile, fill_ledger, write_hostile
from tests.web.test_browser import ARGS, CHROMIUM

API = "/api/v1"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def q(s: str) -> str:
    return quote(s, safe="")


def page_paths(h: Hostile) -> list[str]:
    c = "/cases/" + q(h.case_id)
    return ["/", c, f"{c}/plans/{q(h.plan_id)}", f"{c}/plans/{q(h.based_id)}", f"{c}/positions",
            f"{c}/positions?actor={q(h.actors[0])}", f"{c}/moves", f"{c}/moves?actor={q(h.actors[0])}",
            f"{c}/review", f"{c}/diff", f"{c}/solve", f"{c}/forecast", f"{c}/claims",
            f"{c}/claims?q={q('<img')}", f"{c}/documents/{q(h.doc_id)}", f"{c}/compliance", "/docs",
            f"{c}/whatif", f"{c}/whatif?change={q(f'batna:{h.actors[0]}:0.1')}"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Hostile, str, Path]:
    root = tmp_path_factory.mktemp("hostile")
    h = write_hostile(root)
    url = f"sqlite:///{root / 'ledger.db'}"
    key = root / "keys" / "log-key.pem"
    fill_ledger(h, url, key)
    return h, url, key


def _forecast(client: TestClient, h: Hostile, headers: dict[str, str]) -> None:
    r = client.post(f"{API}/cases/{q(h.case_id)}/forecast", json={"draws": 200, "seed": 1}, headers=headers)
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + 60
    while client.get(f"{API}/jobs/{r.json()['id']}").json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_every_page_escapes_every_field(hostile: tuple[Hostile, str, Path]) -> None:
    h, url, key = hostile
    app = create_app(db_url=url, case=[str(h.case)], workspace=h.case.parent, log_key=key,
                     documents=[h.articles], claims={h.case_id: _claims(h)})
    client = TestClient(app, base_url="http://localhost", client=("127.0.0.1", 5000))
    token = app.state.accord.tokens.create("editor")[1]
    _forecast(client, h, {"Authorization": f"Bearer {token}"})
    for path in page_paths(h):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        html = r.text
        for marker in MARKERS:
            assert marker not in html, (path, marker)
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), path
        assert not INLINE_SCRIPT.search(html), f"{path}: inline script"
        assert not re.search(r"\son[a-z]+\s*=", re.sub(r"&[a-z#0-9]+;", "", _tags_only(html))), f"{path}: handler"
        assert "script-src 'self'" in r.headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert ID in client.get(f"/cases/{q(h.case_id)}/compliance").text.replace("&#34;", '"').replace(
        "&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")  # the data is shown, as text
    report = client.get(f"{API}/cases/{q(h.case_id)}/report.html")
    scripts = INLINE_SCRIPT.findall(report.text)
    assert len(scripts) == 2  # plotly.js and the plot drawer, nothing else
    csp = report.headers["content-security-policy"]
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'self'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    for marker in MARKERS:
        assert marker not in INLINE_SCRIPT.sub("", report.text)
    app.state.accord.jobs.shutdown()


def _tags_only(html: str) -> str:
    """The markup of a page without its text and attribute values (where an injected handler would show)."""
    html = re.sub(r'"[^"]*"', '""', html)
    return "".join(re.findall(r"<[^>]*>", html))


def _claims(h: Hostile) -> list:  # type: ignore[type-arg]
    from accord.cli.claims_file import read_claims

    return read_claims(h.claims)


# -- in Chromium ------------------------------------------------------------------------------------

pytest_browser = pytest.mark.browser

WATCH = """() => ({
  pwned: document.querySelectorAll('[data-pwned]').length,
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.protocol),
  figures: document.querySelectorAll('div.plotly-figure').length,
  drawn: Array.from(document.querySelectorAll('div.plotly-figure')).filter(f => f.querySelector('.main-svg')).length,
})"""


@pytest.fixture(scope="module")
def hostile_server(hostile: tuple[Hostile, str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if require_services():
            pytest.fail(f"{CHROMIUM} is missing and ACCORD_REQUIRE_SERVICES=1")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    h, url, key = hostile
    args = ["--db", url, "--log-key", str(key), "--case", str(h.case), "--claims", str(h.claims),
            "--documents", str(h.articles), "--workspace", str(h.case.parent)]
    with serving(args, tmp_path_factory.mktemp("serve")) as base:
        yield base


@pytest.mark.browser
def test_no_script_runs_in_the_browser(hostile: tuple[Hostile, str, Path], hostile_server: str,
                                       tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from accord.model import load_case
    from accord.report.build import report_data
    from accord.report.render import render_html

    h, _, _ = hostile
    base = hostile_server
    forecast = httpx.post(f"{base}{API}/cases/{q(h.case_id)}/forecast", json={"draws": 200, "seed": 2},
                          headers={"X-CSRF-Token": _csrf(base, h)})
    assert forecast.status_code == 202, forecast.text
    report_file = tmp_path / "report.html"
    report_file.write_text(render_html(report_data(load_case(h.case), claims=_claims(h),
                                                   generated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))),
                           encoding="utf-8")
    dialogs: list[str] = []
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            seen_plots = 0
            for path in page_paths(h):
                page.goto(base + path)
                page.wait_for_load_state("load")
                if path == "/docs":
                    page.wait_for_selector(".opblock", timeout=15_000)  # Swagger UI ran under the CSP
                got = page.evaluate(WATCH)
                assert got["pwned"] == 0, path
                assert set(got["links"]) <= {"http:", "https:"}, (path, got["links"])
                if got["figures"]:
                    page.wait_for_selector("div.plotly-figure .main-svg")
                    seen_plots += 1
                # click every evidence cell and link that stays on the page: still nothing runs
                for a in page.locator("table.matrix td.cell a").all():
                    a.click()
                assert page.evaluate(WATCH)["pwned"] == 0, path
            assert seen_plots >= 3
            # the report as the server hands it out, under its hash-only CSP (served inline, not as a download)
            served = httpx.get(f"{base}{API}/cases/{q(h.case_id)}/report.html")
            page.route(base + "/report-under-csp", lambda route: route.fulfill(
                status=200, body=served.text, content_type="text/html",
                headers={"content-security-policy": served.headers["content-security-policy"]}))
            for target in (base + "/report-under-csp", report_file.as_uri()):
                page.goto(target)
                page.wait_for_function("() => Array.from(document.querySelectorAll('div.plotly-figure'))"
                                       ".every(f => f.querySelector('.main-svg'))")
                got = page.evaluate(WATCH)
                assert got["pwned"] == 0 and got["drawn"] == got["figures"] > 0, (target, got)
                assert set(got["links"]) <= {"http:", "https:", "file:"}, (target, got["links"])
                for a in page.locator("a[href^='#']").all():
                    a.click()
                assert page.evaluate(WATCH)["pwned"] == 0
        finally:
            browser.close()
    assert not dialogs, dialogs
    assert not violations, violations[:3]


def _csrf(base: str, h: Hostile) -> str:
    html = httpx.get(f"{base}/cases/{q(h.case_id)}/forecast").text
    m = re.search(r'<meta name="accord-csrf" content="([^"]+)">', html)
    assert m is not None
    return m.group(1)

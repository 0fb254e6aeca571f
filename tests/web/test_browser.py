"""The dashboard in a real browser: ``accord serve`` as a subprocess, Debian's Chromium driven by Playwright.

Checks that the plan matrix of the 28-point plan shows all 28 points with the
colour of the verdict assess gives each cell, that clicking a cell shows its
evidence (the position and its sources), and saves a screenshot to
``$ACCORD_ARTIFACTS`` (default: a temporary folder), printing its path.

Skips when /usr/bin/chromium is missing, unless ``ACCORD_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from accord.analysis.assess import assess_plan, plan_view
from accord.model import load_case
from accord.report.plots import VERDICT_COLOURS
from tests.conftest import require_services

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if require_services():
            pytest.fail(f"{CHROMIUM} is missing and ACCORD_REQUIRE_SERVICES=1")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    port = _free_port()
    work = tmp_path_factory.mktemp("serve")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from accord.cli import main; main()", "serve", "--host", "127.0.0.1",
         "--port", str(port), "--case", "ukraine_2025"],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v1/cases", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read() if proc.stdout else ""
                pytest.fail(f"accord serve did not start: {out}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_plan_matrix_colours_and_evidence(server: str) -> None:
    from playwright.sync_api import sync_playwright

    case = load_case("ukraine_2025")
    # the dashboard judges each plan as of its own date
    judged = assess_plan(plan_view(case, "us-28-point"), "us-28-point")
    expected = {(c.provision, c.actor): c.verdict for c in judged.cells}
    artifacts = Path(os.environ.get("ACCORD_ARTIFACTS") or tempfile.mkdtemp(prefix="accord-artifacts-"))
    artifacts.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            external: list[str] = []
            page.on("request", lambda r: external.append(r.url) if not r.url.startswith(server) else None)
            page.goto(server + "/")
            page.get_by_role("link", name="us-28-point", exact=True).first.click()
            page.wait_for_selector('table.matrix[data-plan="us-28-point"]')
            rows = page.locator("table.matrix tbody tr")
            assert rows.count() == 28
            points = rows.evaluate_all("rs => rs.map(r => r.getAttribute('data-provision'))")
            assert points == [str(n) for n in range(1, 29)]
            cells = page.locator("table.matrix td.cell").evaluate_all(
                """tds => tds.map(td => [td.parentElement.getAttribute('data-provision'),
                                          td.getAttribute('data-actor'), td.getAttribute('data-verdict'),
                                          getComputedStyle(td).backgroundColor])""")
            assert len(cells) == 28 * len(case.actors)
            for provision, actor, verdict, colour in cells:
                assert verdict == expected[(provision, actor)], (provision, actor)
                assert colour == _rgb(VERDICT_COLOURS[verdict]), (provision, actor, verdict, colour)
            # click a red-line cell: the evidence panel shows the position and its sources
            provision, actor = next(k for k, v in expected.items() if v == "red_line")
            cell = page.locator(f'table.matrix tr[data-provision="{provision}"] td.cell[data-actor="{actor}"] a')
            cell.click()
            panel = page.locator("#evidence")
            panel.locator(".position").wait_for()
            issue = case.plan("us-28-point").provision(provision).issue
            assert issue is not None
            pos = plan_view(case, "us-28-point").position(actor, issue)  # the state the plan was judged by
            assert pos is not None
            text = panel.inner_text()
            assert f"{case.actor(actor).name} on {case.issue(issue).name}" in text and "red line" in text
            first = case.source(pos.sources[0])
            assert panel.locator(f'a[href="{first.url}"]').count() == 1
            assert page.url.endswith("/plans/us-28-point")  # the panel opened in place
            assert "selected" in (page.locator("td.cell.selected").first.get_attribute("class") or "")
            # a filter: only rows with a red line of that actor
            page.select_option("#f-verdict", "red_line")
            page.select_option("#f-actor", actor)
            visible = page.locator("table.matrix tbody tr:not(.hidden-row)").count()
            assert visible == sum(1 for (p_, a_), v in expected.items() if a_ == actor and v == "red_line")
            page.select_option("#f-verdict", "")
            page.select_option("#f-actor", "")
            shot = artifacts / "dashboard-us-28-point.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
            print(f"screenshot: {shot}")
            assert not external, f"the dashboard loaded from the network: {external[:3]}"
        finally:
            browser.close()

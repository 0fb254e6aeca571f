"""The dashboard in a real browser: ``accord serve`` as a subprocess, Debian's Chromium driven by Playwright.

Checks that the plan matrix of the 28-point plan shows all 28 points with the
colour of the verdict assess gives each cell, that clicking a cell shows its
evidence (the position and its sources), and saves a screenshot to
``$ACCORD_ARTIFACTS`` (default: a temporary folder), printing its path.

Skips when /usr/bin/chromium is missing, unless ``ACCORD_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from accord.analysis.assess import assess_plan, plan_view
from accord.model import load_case
from accord.report.plots import LARGE_COLOUR, VERDICT_COLOURS
from tests.conftest import require_services
from tests.serving import serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if require_services():
            pytest.fail(f"{CHROMIUM} is missing and ACCORD_REQUIRE_SERVICES=1")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with serving(["--case", "ukraine_2025"], tmp_path_factory.mktemp("serve")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    """One Chromium for the module's tests (each test opens its own page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def test_plan_matrix_colours_and_evidence(server: str, browser: Browser) -> None:
    case = load_case("ukraine_2025")
    # the dashboard judges each plan as of its own date
    judged = assess_plan(plan_view(case, "us-28-point"), "us-28-point")
    expected = {(c.provision, c.actor): c.verdict for c in judged.cells}
    large = {(c.provision, c.actor) for c in judged.cells if c.degree == "large"}
    artifacts = Path(os.environ.get("ACCORD_ARTIFACTS") or tempfile.mkdtemp(prefix="accord-artifacts-"))
    artifacts.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    try:
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
            want = LARGE_COLOUR if (provision, actor) in large else VERDICT_COLOURS[verdict]
            assert colour == _rgb(want), (provision, actor, verdict, colour)
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
        # point 15 shows its own text; it sets no option, so it names the point that sets its issue
        plan = case.plan("us-28-point")
        p15, row15 = plan.provision("15"), page.locator('table.matrix tr[data-provision="15"]')
        assert p15.option is None and " ".join(p15.text.split()) in " ".join(row15.inner_text().split())
        setter = next(q for q in plan.provisions if q.issue == p15.issue and q.option is not None)
        assert f"point {setter.id} sets it" in row15.locator('[data-field="settled_by"]').inner_text()
        p27 = page.locator('table.matrix tr[data-provision="27"] [data-field="option"]').inner_text()
        assert p27 == case.issue("oversight").option(setter.option or "").label
        # each provision's status and its own sources, each with a reliability badge
        details = row15.locator("details.prov-sources")
        assert details.get_attribute("data-status") == p15.status
        details.locator("summary").click()
        for sid in p15.sources:
            src = case.source(sid)
            link = details.locator(f'a[href="{src.url}"]')
            assert link.count() == 1 and link.is_visible()
        badges = details.locator("summary [data-reliability]").evaluate_all(
            "bs => bs.map(b => b.getAttribute('data-reliability'))")
        assert badges == [case.source(sid).reliability for sid in p15.sources]
        shot = artifacts / "dashboard-us-28-point.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
        print(f"screenshot: {shot}")
        assert not external, f"the dashboard loaded from the network: {external[:3]}"
    finally:
        page.close()


def test_docs_offline_a_404_page_and_the_findings_on_top(server: str, browser: Browser) -> None:
    page = browser.new_page()
    try:
        external: list[str] = []
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith(server) else None)
        page.goto(server + "/docs")
        page.locator(".swagger-ui .info .title").wait_for(timeout=60_000)  # Swagger UI drew the schema
        assert "accord" in page.locator(".swagger-ui .info .title").inner_text().lower()
        assert page.locator(".opblock").count() > 10
        r = page.goto(server + "/no/such/page")
        assert r is not None and r.status == 404
        assert page.locator("h1").inner_text().startswith("404")
        assert "/no/such/page" in page.locator('[data-field="message"]').inner_text()
        assert page.get_by_role("link", name="All cases").get_attribute("href") == "/"
        # the overview opens with the key findings, above everything else, each linked to its evidence
        page.goto(server + "/cases/ukraine_2025")
        findings = page.locator("#key-findings li")
        assert findings.count() >= 4
        top = page.locator("#key-findings").bounding_box()
        table = page.locator("table.overview").bounding_box()
        assert top is not None and table is not None and top["y"] < table["y"]
        kinds = findings.evaluate_all("ls => ls.map(l => l.getAttribute('data-kind'))")
        assert "plan" in kinds and "conflict" in kinds
        findings.first.locator("a.evidence-link").click()
        page.wait_for_selector("table.matrix")
        assert not external, f"loaded from the network: {external[:3]}"
    finally:
        page.close()


def test_the_what_if_panel_changes_a_verdict(server: str, browser: Browser) -> None:
    from accord.analysis.whatif import parse
    from accord.report.whatif import whatif_section

    case = load_case("ukraine_2025")
    held = [p for p in case.positions if p.actor == "ukraine" and p.red_line]
    assert len(held) >= 2
    expected = whatif_section(case, [parse(f"drop:ukraine:{p.issue}") for p in held[:2]], draws=0)
    flipped = [r for r in expected.rows if r.changed]
    assert flipped  # dropping two of Ukraine's red lines flips at least one verdict
    page = browser.new_page()
    try:
        page.goto(server + "/cases/ukraine_2025/whatif")
        for pos in held[:2]:  # the form: one change at a time, each re-run
            page.select_option("#whatif-kind", "drop")
            page.select_option("#whatif-actor", "ukraine")
            page.select_option("#whatif-issue", pos.issue)
            with page.expect_navigation(timeout=120_000):
                page.click("#whatif-form button[type=submit]")
        assert page.locator("#whatif-changes li").count() == 2
        share = page.locator("#whatif-share").get_attribute("href") or ""
        assert share.count("change=") == 2
        r = flipped[0]
        row = page.locator(f'#whatif-verdicts tr[data-plan="{r.plan}"][data-actor="{r.actor}"]')
        assert (row.get_attribute("data-before"), row.get_attribute("data-after")) == (r.before, r.after)
        assert "changed" in (row.get_attribute("class") or "")
        page.goto(server + share)  # the shared link shows the same what-if
        again = page.locator(f'#whatif-verdicts tr[data-plan="{r.plan}"][data-actor="{r.actor}"]')
        assert again.get_attribute("data-after") == r.after
    finally:
        page.close()

"""Time in a real browser: the positions-over-time chart (Moves page, report), and a review accepted in the dashboard.

``accord serve`` runs as a subprocess on a SQLite database with the claims that
``accord extract`` reads from the seed articles (``shared/corpus/seeds``); Debian's
Chromium, driven by Playwright, opens the Moves page (a screenshot of the chart
goes to ``$ACCORD_ARTIFACTS``), then the Review page, where it accepts the first
proposal that writes a state. The new dated state is then in the dashboard's
Moves table and, once ``accord edits export`` writes the case back to YAML, in
``accord moves``. The report, written by ``accord report`` and opened from disk, draws
the same chart (a second screenshot).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_case_commands import run
from tests.conftest import SHARED, require_services
from tests.serving import serving
from tests.web.test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser
SEEDS = SHARED / "corpus" / "seeds"


class Served:
    def __init__(self, url: str, db: str, token: str) -> None:
        self.url, self.db, self.token = url, db, token


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not Path(CHROMIUM).exists():
        if require_services():
            pytest.fail(f"{CHROMIUM} is missing and ACCORD_REQUIRE_SERVICES=1")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is missing (the shared corpus)")
    work = tmp_path_factory.mktemp("serve-time")
    claims = work / "seeds.jsonl"
    r = run("extract", "run", str(SEEDS), "-o", str(claims))
    assert r.returncode == 0, r.stderr
    db = f"sqlite:///{work / 'accord.db'}"
    r = run("token", "create", "--role", "editor", "--name", "analyst", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    token = json.loads(r.stdout)["token"]
    with serving(["--db", db, "--claims", str(claims)], work, wait_s=60) as url:
        yield Served(url, db, token)


def test_positions_over_time_and_a_review_accepted(served: Served, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    artifacts = Path(os.environ.get("ACCORD_ARTIFACTS") or tempfile.mkdtemp(prefix="accord-artifacts-"))
    artifacts.mkdir(parents=True, exist_ok=True)
    base = served.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            external: list[str] = []
            page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)

            # the positions-over-time chart of the army cap, with the moves since the 28-point plan
            page.goto(f"{base}/cases/ukraine_2025/moves?issue=military_limits&since=2025-11-20")
            chart = page.locator('.timeline[data-issue="military_limits"]')
            chart.locator(".main-svg").first.wait_for()
            assert chart.locator(".scatterlayer .trace").count() >= 2  # one step line per actor, at least
            rows = page.locator('table.changes tr[data-issue="military_limits"][data-actor="ukraine"]')
            assert rows.count() >= 1 and "2025-11-25" in rows.first.inner_text()
            shot = artifacts / "dashboard-positions-over-time.png"
            chart.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            print(f"screenshot: {shot}")

            # the review queue: proposals from the seed articles' claims, each with its evidence
            page.goto(f"{base}/cases/ukraine_2025/review")
            proposal = page.locator("article.proposal:has(form.review-accept)").first
            proposal.wait_for()
            pid = proposal.get_attribute("data-proposal") or ""
            actor, issue = proposal.get_attribute("data-actor"), proposal.get_attribute("data-issue")
            assert proposal.locator("blockquote.sentence").count() >= 1
            assert proposal.locator("li.source .badge").count() >= 1  # the source's reliability
            day = proposal.locator("h3").inner_text().split("— ")[1][:10]
            page.fill("#review-token", served.token)
            proposal.locator("input[name=note]").fill("read in the browser test")
            proposal.locator("button.accept").click()
            page.locator(f'table.decided tr[data-proposal="{pid}"][data-decision="accept"]').wait_for()
            assert page.locator(f'article.proposal[data-proposal="{pid}"]').count() == 0
            page.screenshot(path=str(artifacts / "dashboard-review.png"), full_page=False)

            # the new dated state is a move in the dashboard
            since = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
            page.goto(f"{base}/cases/ukraine_2025/moves?issue={issue}&actor={actor}&since={since}")
            row = page.locator(f'table.changes tr[data-actor="{actor}"][data-issue="{issue}"][data-date="{day}"]')
            assert row.count() >= 1
            assert "read in the browser test" in row.first.inner_text()
            assert not external, f"the dashboard loaded from the network: {external[:3]}"

            # the report as `accord report` writes it, opened from disk: the same chart
            report = tmp_path / "report.html"
            r = run("report", "--no-solve", "--no-forecast", "--since", "2025-11-20", "-o", str(report))
            assert r.returncode == 0, r.stderr
            doc = browser.new_page(viewport={"width": 1400, "height": 1000})
            remote: list[str] = []
            doc.on("request", lambda r: remote.append(r.url) if r.url.startswith("http") else None)
            doc.goto(report.as_uri())
            plot = doc.locator("#plot-time-military_limits")
            plot.locator(".main-svg").first.wait_for()
            plot.scroll_into_view_if_needed()
            shot = artifacts / "report-positions-over-time.png"
            plot.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000 and not remote
            print(f"screenshot: {shot}")
        finally:
            browser.close()

    # ... and in `accord moves`, once the kept edits are written back to YAML
    out = tmp_path / "reviewed"
    r = run("edits", "export", "--case", "ukraine_2025", "--db", served.db, "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    r = run("moves", "--case", str(out), "--from", since, "--to", day, "--actor", str(actor), "--issue", str(issue),
            "--json")
    assert r.returncode == 0, r.stderr
    found = [m for m in json.loads(r.stdout)["moves"] if m["date"] == day]
    assert found and all("accepted in review by analyst" in m["note"] for m in found)
    assert any(e["date"] == day for m in found for e in m["evidence_after"])

"""Positions over time and "what changed since": the report section, the dashboard's Moves page, the API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.model import DEFAULT_CASE, load_case
from accord.report import render_html, render_markdown, report_data
from accord.report.plots import TOP, time_plots
from accord.report.timeline import default_since, time_section
from tests.web.conftest import Service, make_service

D = dt.date
API = "/api/v1"


def test_tracks_bands_plans_and_changes(moving_dir: Path) -> None:
    case = load_case(moving_dir)
    assert default_since(case) == D(2025, 11, 25)  # the earliest plan's date
    tv = time_section(case)
    assert (tv.start, tv.end, tv.since, tv.dated) == (D(2025, 11, 21), D(2025, 12, 15), D(2025, 11, 25), True)
    land = tv.issue("land")
    alpha = next(t for t in land.tracks if t.actor == "a")
    # all-a (0) with red line split + all-b (50..100), then all-b alone (100..100)
    assert [(p.date, p.ideal, p.bands) for p in alpha.points] == [
        (D(2025, 11, 21), 0.0, ((50.0, 100.0),)), (D(2025, 12, 11), 0.0, ((100.0, 100.0),))]
    assert [(m.plan, m.date, m.option, m.axis) for m in land.plans] == [
        ("p1", D(2025, 11, 25), "all-b", 100.0), ("p2", D(2025, 12, 15), "split", 50.0)]
    army = tv.issue("army")
    assert [(m.plan, m.option) for m in army.plans] == [("p1", "50"), ("p2", None)]  # p2 is silent on the army
    assert [(c.actor, c.field, c.text) for c in tv.changes] == [
        ("a", "acceptable", "acceptable + Split"), ("a", "red_line", "red line − Split"),
        ("b", "position", "takes a position: ideal 0 troops")]
    assert tv.changes[1].before[0].source == "s1" and tv.changes[1].after[0].reliability == "medium"
    assert set(time_plots(tv)) == {"time:land", "time:army"}


def test_a_view_as_of_a_date_draws_only_what_was_known(moving_dir: Path) -> None:
    tv = time_section(load_case(moving_dir).at(D(2025, 12, 1)), since=D(2025, 11, 1))
    assert tv.end == D(2025, 12, 1)
    assert [p.date for t in tv.issue("land").tracks for p in t.points] == [D(2025, 11, 21), D(2025, 11, 21)]
    assert [m.plan for m in tv.issue("land").plans] == ["p1"]  # p2 (15 Dec) not yet known
    assert [c.field for c in tv.changes] == ["position"]  # Alpha's first state on 21 Nov


def test_a_case_of_snapshots_says_nothing_moves(toy_dir: Path) -> None:
    tv = time_section(load_case(toy_dir))
    assert not tv.dated and tv.changes == ()
    assert "undated snapshot" in render_markdown(report_data(load_case(toy_dir), solve=False, forecast=False))


def test_the_plot_draws_ideals_bands_and_plans(moving_dir: Path) -> None:
    plots = time_plots(time_section(load_case(moving_dir)))
    html = plots["time:land"]
    fig = json.loads(html.split('data-figure="', 1)[1].split('"></div>')[0].replace("&#34;", '"'))["figure"]
    names = [t["name"] for t in fig["data"]]
    assert names == ["Alpha ideal", "Alpha red line", "Beta ideal", "plan settles"]
    alpha = fig["data"][0]
    assert alpha["line"]["shape"] == "hv" and alpha["y"] == [0.0, 0.0, 0.0]
    rects = [s for s in fig["layout"]["shapes"] if s["type"] == "rect"]
    assert [(r["y0"], r["y1"]) for r in rects] == [(47.0, 103.0), (97.0, 103.0)]
    assert fig["layout"]["yaxis"]["ticktext"] == ["All to A", "Split", "All to B"]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["p1", "p2"]
    # the chart opens on the whole history (from 2 days before the first state) when it starts within two
    # weeks of the "what changed" date, else on the two weeks before that date
    assert fig["layout"]["xaxis"]["range"][0].startswith("2025-11-19")
    late = time_plots(time_section(load_case(moving_dir), since=D(2025, 12, 14)))["time:land"]
    fig = json.loads(late.split('data-figure="', 1)[1].split('"></div>')[0].replace("&#34;", '"'))["figure"]
    assert fig["layout"]["xaxis"]["range"][0].startswith("2025-11-30")
    assert fig["data"][0]["x"][0].startswith("2025-11-21")  # the states before are drawn all the same


def test_plan_labels_of_one_date_are_stacked_not_overlaid() -> None:
    # ukraine_2025: the Geneva revision and the European counter-proposal are both dated 23 November
    tv = time_section(load_case(DEFAULT_CASE))
    t = tv.issues[0]
    assert sum(1 for m in t.plans if m.date == D(2025, 11, 23)) == 2
    fig = figure(time_plots(tv)[f"time:{t.issue}"])
    spots = [(a["x"][:10], a["yshift"]) for a in fig["layout"]["annotations"]]
    assert len(spots) == len(t.plans) and len(set(spots)) == len(spots)
    same_day = [a["yshift"] for a in fig["layout"]["annotations"] if a["x"].startswith("2025-11-23")]
    assert sorted(same_day) == [0, 14]
    assert fig["layout"]["margin"]["t"] == TOP + max(a["yshift"] for a in fig["layout"]["annotations"])


def figure(html: str) -> dict:  # type: ignore[type-arg]
    """The plotly figure of a plot's HTML."""
    got = json.loads(html.split('data-figure="', 1)[1].split('"></div>')[0].replace("&#34;", '"'))
    return got["figure"]  # type: ignore[no-any-return]


def test_report_has_the_time_section(moving_dir: Path) -> None:
    data = report_data(load_case(moving_dir), solve=False, forecast=False, since=D(2025, 12, 1))
    html = render_html(data)
    assert 'data-section="time"' in html and 'id="plot-time-land"' in html and 'id="plot-time-army"' in html
    assert 'data-since="2025-12-01"' in html and html.count('data-field="red_line" data-date="2025-12-11"') == 1
    md = render_markdown(data)
    assert "| 2025-12-11 | Alpha | Land | red line − Split | towards b | 50 |" in md


@pytest.fixture
def msvc(tmp_path: Path, moving_dir: Path) -> Iterator[Service]:
    s = make_service(tmp_path, moving_dir)
    yield s
    s.app.state.accord.jobs.shutdown()


def test_moves_api(msvc: Service) -> None:
    c = msvc.client
    out = c.get(f"{API}/cases/toy/moves", params={"from": "2025-11-21"}).json()
    assert set(out) == {"case", "from", "to", "moves", "actors"}
    assert [(m["actor"], m["field"]) for m in out["moves"]] == [("a", "acceptable"), ("a", "red_line"),
                                                              ("b", "position")]
    assert out["actors"][0] == {"actor": "a", "moves": 2, "softened": 2, "hardened": 0, "towards": {"b": 50.0}}
    assert c.get(f"{API}/cases/toy/moves", params={"as_of": "2025-12-01"}).json()["to"] == "2025-12-01"
    assert c.get(f"{API}/cases/toy/moves", params={"issue": "army"}).json()["moves"][0]["field"] == "position"
    bad = c.get(f"{API}/cases/toy/moves", params={"actor": "zeta"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "actor"
    bad = c.get(f"{API}/cases/toy/moves", params={"from": "2025-12-20", "to": "2025-12-01"})
    assert bad.status_code == 422 and "after" in bad.json()["error"]["message"]
    assert c.get(f"{API}/cases/toy/moves", params={"to": "soon"}).status_code == 422


def test_moves_page_and_overview_panel(msvc: Service) -> None:
    c = msvc.client
    html = c.get("/cases/toy/moves").text
    assert 'id="plot-time-land"' in html and 'id="plot-time-army"' in html and "/static/plots.js" in html
    assert html.count("<tr class=\"soft\"") == 2 and 'value="2025-11-25"' in html
    one = c.get("/cases/toy/moves", params={"issue": "land", "since": "2025-12-12"}).text
    assert 'id="plot-time-army"' not in one and "No position changed since 2025-12-12" in one
    assert c.get("/cases/toy/moves", params={"actor": "zeta"}).status_code == 422
    overview = c.get("/cases/toy").text
    panel = overview[overview.index('id="changes"'):overview.index("<h2>Tilt</h2>")]
    assert "Alpha · Land: red line − Split" in panel and "(towards b)" in panel
    assert 'href="/cases/toy/moves"' in panel
    early = c.get("/cases/toy", params={"as_of": "2025-12-01"}).text
    assert 'href="/cases/toy/moves?as_of=2025-12-01"' in early and "red line − Split" not in early

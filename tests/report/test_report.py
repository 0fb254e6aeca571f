"""The report: every section present, numbers equal to the engines', offline, escaped.

Hand-worked numbers come from the toy case of ``tests/conftest.py`` (see the
CLI tests: p1 gives a 0.125, b 0.75, tilt +0.625).
"""

from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.assess import assess_plan, plan_view
from accord.analysis.diff import diff_plans
from accord.model import Claim, load_case
from accord.report import render_html, render_markdown, report_data
from accord.report.data import ComplianceRow, ComplianceView, position_anchor
from accord.report.render import SECTIONS, highlight, md
from tests.conftest import TOY, write_case

EVIL = "<script>alert('x')</script>"


class Cells(HTMLParser):
    """Collect the matrix cells (plan, provision, actor, verdict) and elements carrying data-field."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str, str], str] = {}
        self.fields: list[tuple[dict[str, str | None], str]] = []
        self.ids: set[str] = set()
        self.sections: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self._plan = self._prov = ""
        self._field: dict[str, str | None] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if a.get("data-section"):
            self.sections.add(str(a["data-section"]))
        if tag == "script":
            self.scripts.append(a)
        if tag == "link":
            self.links.append(a)
        if tag == "table" and "matrix" in (a.get("class") or ""):
            self._plan = str(a.get("data-plan"))
        if tag == "tr" and a.get("data-provision") and self._plan:
            self._prov = str(a["data-provision"])
        if tag == "td" and a.get("data-verdict"):
            self.cells[(self._plan, self._prov, str(a["data-actor"]))] = str(a["data-verdict"])
        if a.get("data-field"):
            self._field, self._text = a, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._plan = ""
        if self._field is not None and tag in ("td", "span", "strong"):
            self.fields.append((self._field, self._text.strip()))
            self._field = None

    def handle_data(self, data: str) -> None:
        if self._field is not None:
            self._text += data


def parse(page: str) -> Cells:
    p = Cells()
    p.feed(page)
    return p


@pytest.fixture
def toy(tmp_path: Path):  # type: ignore[no-untyped-def]
    files = dict(TOY)
    files["sources.yaml"] = TOY["sources.yaml"] + f'  quote: "{EVIL} said | the *minister*"\n'
    return load_case(write_case(tmp_path / "toy", files))


def test_toy_sections_and_numbers(toy) -> None:  # type: ignore[no-untyped-def]
    data = report_data(toy, solve=False, forecast=False)
    page = render_html(data, plots={})
    doc = parse(page)
    assert {s for s, _ in SECTIONS} <= doc.sections
    # every matrix cell carries the verdict assess gives
    for plan in ("p1", "p2"):
        a = assess_plan(toy, plan)
        for c in a.cells:
            assert doc.cells[(plan, c.provision, c.actor)] == c.verdict
    assert doc.cells[("p1", "1", "a")] == "red_line" and doc.cells[("p1", "1", "b")] == "accepts"
    # summary numbers: hand-worked (a: 0.75*0 + 0.25*0.5; b: 0.5*1 + 0.5*0.5) and equal to the engine's
    util = {(f[0].get("data-field"), t) for f in doc.fields for t in [f[1]]}
    assert ("utility", "0.125") in util and ("utility", "0.750") in util
    tilts = [t for f, t in doc.fields if f.get("data-field") == "tilt"]
    assert tilts == ["+0.625", "-0.375"]
    assert tilts[0] == f"{assess_plan(toy, 'p1').tilt.index:+.3f}"
    # each cell with a position links to its evidence block, which lists the source
    assert position_anchor("a", "land") in doc.ids
    assert 'href="#pos-a-land"' in page and "https://example.org/toy" in page
    # diff numbers equal the engine's
    d = diff_plans(toy, "p1", "p2")
    changed = sum(1 for p in d.provisions if p.change == "changed")
    assert f"{changed} changed, 1 added, 1 removed" in page
    # unavailable engines are said so, never faked
    assert 'data-unavailable="solve"' in page and 'data-unavailable="forecast"' in page
    assert "no agreement signed" in page


def test_quotes_are_escaped_everywhere(toy) -> None:  # type: ignore[no-untyped-def]
    claim = Claim(id="c1", doc="d1", holder="a", issue="land", stance="oppose", text=f"He wrote {EVIL} today.",
                  quote=EVIL)
    data = report_data(toy, solve=False, forecast=False, claims=[claim])
    page = render_html(data, plots={})
    assert EVIL not in page
    assert htmllib.escape(EVIL, quote=False).replace("'", "&#39;") in page or "&lt;script&gt;" in page
    assert "<mark>&lt;script&gt;" in page  # the quote is highlighted inside the sentence, as text
    text = render_markdown(data)
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\*minister\\*" in text and "\\|" in text


def test_offline_and_plotly_inlined_once(toy) -> None:  # type: ignore[no-untyped-def]
    page = render_html(report_data(toy, solve=False, forecast=False))
    doc = parse(page)
    assert all(not s.get("src") for s in doc.scripts), "no external scripts"
    assert all(not (link.get("href") or "").startswith(("http:", "https:", "//")) for link in doc.links)
    assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", page)
    assert len(re.findall(r"\* plotly\.js v\d", page)) == 1  # the library, inlined once
    assert 'id="plot-tilt"' in page and 'id="plot-utility-p1"' in page


def test_compliance_board_rendered(toy) -> None:  # type: ignore[no-untyped-def]
    board = ComplianceView(available=True, agreements=("p1@2026-01-01",), counts={"compliant": 1, "breach": 1},
                           rows=(ComplianceRow(agreement="p1@2026-01-01", obligation="o1", provision="2",
                                               indicator="army", rule="army <= 50", status="breach",
                                               observed="80 (m1, 2026-02-01)", reports=1),))
    data = report_data(toy, solve=False, forecast=False, compliance=board)
    page, text = render_html(data, plots={}), render_markdown(data)
    assert 'data-obligation="o1" data-status="breach"' in page and "no agreement signed" not in page
    assert "| 2 | o1 |" in text and "breach" in text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_md_cells_stay_one_safe_line(s: str) -> None:
    out = md(s)
    assert "\n" not in out and "<" not in out.replace("\\<", "") and "|" not in out.replace("\\|", "")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40), st.text(max_size=10))
def test_highlight_keeps_the_text(text: str, quote: str) -> None:
    out = str(highlight(text, quote))
    assert "<" not in out.replace("<mark>", "").replace("</mark>", "")
    assert htmllib.unescape(out.replace("<mark>", "").replace("</mark>", "")) == text
    assert out.count("<mark>") <= 1


# -- the bundled case, with every engine ---------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    from accord.report.engines import forecast_view, solve_view

    case = load_case("ukraine_2025")
    data = report_data(case, solve=solve_view(case, pareto_limit=6), forecast=forecast_view(case, draws=300, seed=3))
    return case, data, render_html(data), render_markdown(data)


def test_bundled_every_section(bundled) -> None:  # type: ignore[no-untyped-def]
    case, data, page, text = bundled
    doc = parse(page)
    assert {s for s, _ in SECTIONS} <= doc.sections
    for sid, title in SECTIONS[1:]:
        assert f'<a id="{sid}"></a>' in text
        assert f"## {title}" in text
    assert len(data.matrices) == len(case.plans)
    # each plan is judged against the positions as of its own date
    a = assess_plan(plan_view(case, "us-28-point"), "us-28-point")
    assert sum(1 for k in doc.cells if k[0] == "us-28-point") == 28 * len(case.actors)
    for c in a.cells:
        assert doc.cells[("us-28-point", c.provision, c.actor)] == c.verdict
    for m in data.matrices:
        assert f'<tr data-plan="{m.plan}"><th scope="row">{m.plan}</th>' in page
        assert f"{assess_plan(plan_view(case, m.plan), m.plan).tilt.index:+.3f}" in page
    assert 'id="plot-forecast"' in page and 'id="plot-scenarios"' in page
    assert ('id="plot-pareto"' in page) == data.solve.available


def test_sections_not_run_are_said_not_faked(toy) -> None:  # type: ignore[no-untyped-def]
    data = report_data(toy, solve=False, forecast=False)
    assert not data.solve.available and "not run" in data.solve.note and data.solve.nash is None
    assert not data.forecast.available and "not run" in data.forecast.note and not data.forecast.scenarios
    page = render_html(data, plots={})
    assert 'data-unavailable="solve"' in page and "not run" in page


def test_bundled_solve_numbers_match_engine(bundled) -> None:  # type: ignore[no-untyped-def]
    from accord.analysis import solve as S
    from accord.report.engines import relax

    case, data, page, text = bundled
    feas, conf = S.feasible(case), S.conflicts(case)
    assert data.solve.available and data.solve.feasible == (feas.package is not None)
    assert [list(c.drop) for c in data.solve.conflicts] == [[str(x) for x in c.drop] for c in conf.conflicts]
    target = relax(case, conf.conflicts[0].drop) if feas.package is None else case
    nash = S.nash(target)
    assert data.solve.nash is not None and nash.package is not None
    for actor, u in nash.package.utilities.items():
        assert f'data-package="nash" data-actor="{actor}" data-field="utility">{actor} {u:.3f}' in page
    if data.solve.relaxed:
        assert "what-if" in page and "what-if" in text


def test_bundled_forecast_numbers_match_engine(bundled) -> None:  # type: ignore[no-untyped-def]
    from accord.analysis.forecast import forecast

    case, data, page, text = bundled
    f = forecast(case, model="eu", draws=300, seed=3)
    assert data.forecast.draws == 300
    plain = text.replace("\\", "")
    for s in f.scenarios:
        name = s.name + (" (remainder)" if s.remainder else "")
        if s.fixed:  # what the case fixes is said to be fixed, never given an interval
            assert f'<tr data-scenario="{s.id}" data-fixed="1">' in page
            assert f"| {name} | {'always' if s.probability == 1 else 'never'} | fixed by the case |" in plain
        else:
            assert f'<tr data-scenario="{s.id}">' in page
            assert f"| {name} | {100 * s.probability:.1f}% | {100 * s.low:.1f}%–{100 * s.high:.1f}% |" in plain
        # every other predictor's share beside the model's, and how the scenario resolves
        assert " ".join(f"{100 * s.beside[n]:.0f}% |" for n in ("smp", "mean", "median", "status-quo", "plan",
                                                               "ensemble")) in plain
        assert s.resolution in plain
    assert f"scenarios by {case.horizon}" in plain and "Monte Carlo sampling error only" in plain
    for i in f.issues:
        top = max(i.options, key=lambda o: o.share)
        assert f"{100 * top.share:.1f}%" in page


def test_cli_report_writes_both_files(tmp_path: Path, toy_dir: Path) -> None:
    import json

    from typer.testing import CliRunner

    from accord.cli import app

    out = tmp_path / "out" / "r.html"
    r = CliRunner().invoke(app, ["report", "--case", str(toy_dir), "-o", str(out), "--no-forecast", "--json"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output)
    assert got["html"] == str(out) and Path(got["markdown"]).read_text().startswith("# Report: Toy negotiation")
    assert set(got["sections"]) == {"matrix", "positions", "diff", "tilt", "solve", "forecast", "compliance", "time"}
    assert got["sections"]["compliance"] == "no agreement signed"
    assert "Plan matrix" in out.read_text()
    bad = CliRunner().invoke(app, ["report", "--case", str(toy_dir), "-o", str(tmp_path / "r.md")])
    assert bad.exit_code != 0


def test_demo_section_writes_report(tmp_path: Path) -> None:
    from rich.console import Console

    from accord.cli.app import DemoContext
    from accord.cli.show import _report_section

    con = Console(record=True, width=120)
    ctx = DemoContext(case=load_case("ukraine_2025"), console=con, workdir=tmp_path)
    _report_section(ctx)
    assert (tmp_path / "report.html").is_file() and (tmp_path / "report.md").is_file()
    assert str((tmp_path / "report.html").resolve()) in con.export_text().replace("\n", "")


def test_cli_report_reads_the_compliance_board_from_a_database(tmp_path: Path) -> None:
    import datetime as dt
    import json

    from typer.testing import CliRunner

    from accord.cli import app
    from accord.monitor.keys import generate_private_key
    from accord.store import Store
    from accord.store.monitoring import sign_agreement

    url = f"sqlite:///{tmp_path / 'm.db'}"
    store = Store.open(url)
    signed = sign_agreement(store, load_case("ukraine_2025"), "us-28-point", dt.date(2026, 1, 15),
                            generate_private_key())
    store.close()
    out = tmp_path / "r.html"
    r = CliRunner().invoke(app, ["report", "--db", url, "-o", str(out), "--no-solve", "--no-forecast", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["sections"]["compliance"] == "rendered"
    page = out.read_text()
    for o in signed.obligations:
        assert f'data-obligation="{o.id}"' in page
    assert f"| {signed.obligations[0].provision} |" in out.with_suffix(".md").read_text()
    ceasefire = next(o for o in signed.obligations if o.provision == "28")  # binds both sides: both shown
    row = page.split(f'data-obligation="{ceasefire.id}"')[1].split("</tr>")[0]
    assert "<td>russia, ukraine</td>" in row
    assert 'data-party="russia" data-status="unknown"' in row and 'data-party="ukraine" data-status="unknown"' in row
    assert "| russia, ukraine |" in out.with_suffix(".md").read_text()


def test_relax_drops_a_whole_red_line_with_its_firmness() -> None:
    from accord.analysis.solve_result import Constraint
    from accord.report.engines import relax

    case = load_case("ukraine_2025")
    pos = case.position("russia", "territory")
    assert pos is not None and pos.firmness is not None
    whole = Constraint(kind="red_line", actor="russia", issue="territory", options=pos.red_line)
    p = relax(case, [whole]).position("russia", "territory")
    assert p is not None and p.red_line == () and p.firmness is None
    part = Constraint(kind="red_line", actor="russia", issue="territory", options=pos.red_line[:1])
    q = relax(case, [part]).position("russia", "territory")
    assert q is not None and q.red_line == pos.red_line[1:] and q.firmness == pos.firmness


def test_bundled_rows_are_provision_true_with_provenance(bundled) -> None:  # type: ignore[no-untyped-def]
    case, data, page, text = bundled
    plan = case.plan("us-28-point")
    m = next(x for x in data.matrices if x.plan == plan.id)
    for prov, row in zip(plan.provisions, m.rows, strict=True):
        assert (row.provision, row.text, row.option, row.status) == (prov.id, prov.text, prov.option, prov.status)
        assert [e.source for e in row.sources] == list(prov.sources)
        assert all(e.reliability == case.source(e.source).reliability for e in row.sources)
        if prov.option is None and row.settled_by is not None:  # names the point that sets its issue
            setter = plan.provision(row.settled_by)
            assert setter.issue == prov.issue and setter.option is not None
            assert all(c.settled_by == setter.id for c in row.cells)
    assert any(r.settled_by for r in m.rows)
    # actors holding no position on any issue of the plan: "no position", never "rejects"
    idle = [s for s in m.summary if not s.positions]
    assert idle and all(s.stance == "no position" for s in idle)
    assert all(not any(case.position(s.actor, i) for i in m.tilt.per_issue) for s in idle)
    # the tilt's leaning issues pull towards the side the plan favours
    for x in data.matrices:
        side = 1 if x.tilt.index > 0 else -1
        assert all(lean.contribution * side > 0 for lean in x.tilt.leaning)
    # reliability badges on provision sources, and the weakly sourced provisions flagged
    assert 'class="prov-sources"' in page and 'data-reliability="low"' in page
    from accord.model.plan import weakly_verified

    assert [f"{plan.id}:{p}" for p in m.weak] == weakly_verified(case.sources, [plan])
    assert any(m.weak for m in data.matrices)


def test_key_findings_by_hand_at_the_top_each_linked(toy) -> None:  # type: ignore[no-untyped-def]
    from accord.report.findings import key_findings

    data = report_data(toy, solve=True, forecast=False)
    found = key_findings(data)
    # p1 sets land → all-b, on Alpha's red line (point 1); Beta gets 0.75 ≥ 0.2 and accepts
    assert found[0].text == "p1 crosses Alpha's red lines on Land (point 1); accepted by Beta; rejected by Alpha."
    # p2: land split (Alpha conditional, Beta acceptable), army silent at 100: both above their batnas
    assert found[1].text == "p2 crosses no party's red line; acceptable to every party holding a position."
    assert [f.kind for f in found] == ["plan", "plan", "conflict"] and data.solve.feasible
    page, text = render_html(data, plots={}), render_markdown(data)
    doc = parse(page)
    top = page.index('id="key-findings"')
    assert top < page.index('class="overview"') < page.index('data-section="matrix"')
    for f in found:
        assert f.anchor in doc.ids and f'href="#{f.anchor}"' in page
        assert htmllib.escape(f.text, quote=False).replace("'", "&#39;") in page or f.text in page
    assert text.index("**Key findings**") < text.index("## Plan matrix") and f"(#{found[0].anchor})" in text

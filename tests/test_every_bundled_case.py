"""Every bundled case through every engine: a case is data, so a second case needs no code.

Each bundled case is loaded and validated, then assessed (every plan), diffed
(every plan against the one it is based on), solved (conflicts, feasibility,
the Nash package, the amendments of its first plan), forecast (every model,
with its scenarios), extracted from, rendered as a report and served by the
dashboard; a plan that declares obligations is signed and judged on a
synthetic stream, and a public record, where the case ships one, is imported
and its ledger verified.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.analysis.assess import assess_plan
from accord.analysis.diff import diff_plans
from accord.analysis.forecast import forecast
from accord.analysis.models import REGISTRY
from accord.analysis.solve import solve
from accord.extract.documents import Document
from accord.extract.engine import run_local
from accord.model import Case, bundled_cases, load_case
from accord.monitor import keys
from accord.monitor.compliance import board
from accord.monitor.obligations import agreement_for, obligations_for
from accord.monitor.record import load_record
from accord.monitor.synthetic import days_for, synthetic_stream
from accord.report.build import report_data
from accord.report.render import render_html, render_markdown
from accord.store import Store
from accord.store.monitoring import compliance, import_record
from accord.web.app import create_app

CASES = bundled_cases()


def test_there_are_two_bundled_cases() -> None:
    assert {"ukraine_2025", "gaza_2025"} <= set(CASES)


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> Case:
    return load_case(request.param)


def test_assess_and_diff_every_plan(case: Case) -> None:
    plans = [p for p in case.plans if p.kind == "plan"]
    assert plans
    for plan in case.plans:
        a = assess_plan(case, plan.id)
        assert set(a.actors) == {p.actor for p in case.positions if p.since is None or not plan.date
                                 or p.since <= plan.date} or a.actors
        assert -1 <= a.tilt.index <= 1
        if plan.based_on:
            d = diff_plans(case, plan.based_on, plan.id)
            assert {i.issue for i in d.issues} == {i.id for i in case.issues}


def test_solve_every_goal_that_needs_no_more(case: Case) -> None:
    c = solve(case, "conflicts")
    f = solve(case, "feasible")
    assert c.goal == "conflicts" and f.goal == "feasible"
    n = solve(case, "nash")
    if n.package is not None:
        assert set(n.package.package) == {i.id for i in case.issues}
    plan = next(p for p in case.plans if p.kind == "plan")
    assert solve(case, "amend", plan=plan.id, k=1).goal == "amend"


@pytest.mark.parametrize("model", sorted(REGISTRY))
def test_forecast_every_model_with_the_scenarios(case: Case, model: str) -> None:
    f = forecast(case, model, draws=60, seed=1, beside=())
    assert len(f.issues) == len(case.issues)
    assert {s.id for s in f.scenarios} == {s.id for s in case.scenarios}
    assert all(0 <= s.probability <= 1 for s in f.scenarios)
    assert sum(s.probability for s in f.scenarios) == pytest.approx(1.0)   # ordered: they add up


def test_extract_names_only_the_cases_own_actors_and_issues(case: Case) -> None:
    names = {a.id: (a.people or a.aliases)[0] for a in case.actors if a.people or a.aliases}
    words = {i.id: i.keywords[0] for i in case.issues if i.keywords}
    holder, name = next(iter(names.items()))
    issue, word = next(iter(words.items()))
    text = f"{name} rejected the proposal on {word}, a spokesman said."
    claims = [c for r in run_local([Document(id="d", text=text)], case) for c in r.claims]
    assert all(c.holder in names or c.holder == "unknown" for c in claims)
    assert all(c.issue in words or c.issue == "plan" for c in claims)
    assert any(c.holder == holder for c in claims), (text, claims)


def test_report_renders_every_section(case: Case) -> None:
    data = report_data(case, forecast_draws=60, solve=True, forecast=True)
    html, md = render_html(data, plots={}), render_markdown(data)
    assert case.name.split(":")[0] in html and md.startswith("# Report:")


def test_every_plan_with_obligations_is_watched(case: Case) -> None:
    signed = dt.date(2026, 1, 15)
    watched = [p for p in case.plans if any(q.obligation for q in p.provisions)]
    assert watched, f"{case.id}: no plan declares an obligation"
    for plan in watched:
        obs = obligations_for(plan, agreement_for(case.id, plan, signed))
        b = board(obs, synthetic_stream(plan, signed), signed + dt.timedelta(days=days_for(plan)))
        assert len(b.obligations) == len(obs) and b.synthetic == len(b.reports)


def test_a_public_record_imports_and_its_ledger_verifies(case: Case, tmp_path: Path) -> None:
    rec = load_record(case)
    if rec is None:
        pytest.skip(f"{case.id} ships no public record")
    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}")
    log_key, importer = keys.generate_private_key(), keys.generate_private_key()
    done = import_record(store, case, rec, "record-desk", importer, log_key)
    assert done.result.count("stored") == len(rec.observations)
    b, _ = compliance(store, max(o.observed_at.date() for o in rec.observations), case=case.id)
    assert b.obligations and all(r.kind == "transcription" for r in b.reports.values())
    assert store.audit().ok
    store.close()


def test_the_dashboard_serves_every_case_with_a_picker() -> None:
    app = create_app()
    with TestClient(app, base_url="http://localhost", client=("127.0.0.1", 5000)) as client:
        assert {c["id"] for c in client.get("/api/v1/cases").json()} == set(CASES)
        for cid in CASES:
            for page in ("", "/positions", "/diff", "/claims"):
                r = client.get(f"/cases/{cid}{page}")
                assert r.status_code == 200, (cid, page)
                assert all(f'href="/cases/{other}"' in r.text for other in CASES)   # the case picker


def test_src_names_no_case_but_the_default_one_in_one_place() -> None:
    """No case is hard-wired: a bundled case's id or a plan id appears under src/accord only in its own
    folder and in the one DEFAULT_CASE constant."""
    src = Path(__file__).resolve().parents[1] / "src" / "accord"
    plan_ids = {p.id for cid in CASES for p in load_case(cid).plans if "-" in p.id}
    found = []
    for path in src.rglob("*.py"):
        rel = path.relative_to(src).as_posix()
        if rel.startswith("cases/"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(c in line for c in CASES) or any(f'"{p}"' in line or f"'{p}'" in line for p in plan_ids):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert len(found) == 1 and found[0].startswith("defaults.py:") and "DEFAULT_CASE = " in found[0], found

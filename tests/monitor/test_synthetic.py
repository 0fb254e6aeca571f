"""The SYNTHETIC stream generator and its labelled fixture: reproducible, signed, telling its stories on any plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from accord.cli.app import DemoContext, console
from accord.cli.monitor import _monitor_section
from accord.model import DEFAULT_CASE, bundled_cases, case_dir, load_case
from accord.monitor import synthetic
from accord.monitor.compliance import board
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.obligations import agreement_for, obligations_for
from accord.monitor.reports import parse_jsonl, report_problem, to_jsonl

FOLDER = Path(__file__).parent / "fixtures" / "synthetic"
PLAN, SIGNED = "us-28-point", dt.date(2026, 1, 15)


def fixture_reports() -> list:  # type: ignore[type-arg]
    rows = parse_jsonl((FOLDER / "synthetic-stream.jsonl").read_text(encoding="utf-8"))
    assert all(r.report is not None for r in rows)
    return [r.report for r in rows]


def test_fixture_files_are_the_generators_output() -> None:
    plan = load_case(DEFAULT_CASE).plan(PLAN)
    assert (FOLDER / "synthetic-stream.jsonl").read_text(encoding="utf-8") == to_jsonl(
        synthetic.synthetic_stream(plan, SIGNED))
    assert (FOLDER / "monitors.yaml").read_text(encoding="utf-8") == synthetic.monitors_yaml()
    assert "SYNTHETIC" in (FOLDER / "README.md").read_text(encoding="utf-8")


def test_every_report_is_labelled_and_verifies_with_the_published_keys() -> None:
    monitors = YAML(typ="safe").load((FOLDER / "monitors.yaml").read_text(encoding="utf-8"))["monitors"]
    keys = {m["id"]: [m["public_key"]] for m in monitors}
    for m in monitors:
        assert public_key_hex(private_key_from_seed(bytes.fromhex(m["demo_private_seed"]))) == m["public_key"]
        assert "SYNTHETIC" in m["name"]
    reports = fixture_reports()
    assert len(reports) >= 80 and all(r.synthetic for r in reports)
    assert all(report_problem(r, keys) is None for r in reports)
    plan = load_case(DEFAULT_CASE).plan(PLAN)
    days = {(r.observed_on - SIGNED).days for r in reports}
    assert min(days) >= 0 and max(days) == synthetic.days_for(plan)


@pytest.mark.parametrize("case_id", bundled_cases())
def test_every_plan_with_obligations_tells_the_three_stories(case_id: str) -> None:
    case = load_case(case_id)
    plans = [p for p in case.plans if sum(1 for q in p.provisions if q.obligation) >= 3]
    assert plans, "a bundled case without a plan the desk can watch"
    for plan in plans:
        obligations = obligations_for(plan, agreement_for(case.id, plan, SIGNED))
        reports = synthetic.synthetic_stream(plan, SIGNED)
        assert {r.indicator for r in reports} == {o.indicator for o in obligations}
        b = board(obligations, reports, SIGNED + dt.timedelta(days=synthetic.days_for(plan)))
        statuses = [(s.status, s.late_days, s.disputed) for s in b.obligations]
        assert any(s == "breach" for s, _, _ in statuses), plan.id
        assert any(s == "compliant" and late for s, late, _ in statuses), plan.id
        assert any(d for _, _, d in statuses), plan.id
        assert b.synthetic == len(b.reports)


def test_the_fixture_tells_them_on_the_points_it_names() -> None:
    case = load_case(DEFAULT_CASE)
    plan = case.plan(PLAN)
    b = board(obligations_for(plan, agreement_for(case.id, plan, SIGNED)), fixture_reports(),
              SIGNED + dt.timedelta(days=synthetic.days_for(plan)))
    by = {s.obligation.provision: s for s in b.obligations}
    assert by["6"].status == "breach"                                # the army cap
    assert by["14"].status == "compliant" and by["14"].late_days     # late …
    assert any(t.obligation == by["14"].obligation.id and t.status == "overdue" for t in b.timeline)
    assert by["19"].disputed and by["19"].conflicts                  # two monitors disagree


def test_demo_monitor_section_runs_on_the_public_record(tmp_path: Path) -> None:
    gaza = DemoContext(case=load_case("gaza_2025"), console=console, workdir=tmp_path, folder=case_dir("gaza_2025"))
    with console.capture() as cap:
        _monitor_section(gaza)
        _monitor_section(gaza)  # runs again on the same folder
    out = " ".join(cap.get().split())
    assert "PUBLIC RECORD" in out and "not on the figures" in out and "verify ok" in out and "SYNTHETIC" not in out
    assert gaza.outputs["compliance"].synthetic == 0 and gaza.outputs["compliance"].reports
    plain = DemoContext(case=load_case(DEFAULT_CASE), console=console, workdir=tmp_path / "u")
    with console.capture() as cap:
        _monitor_section(plain)
    assert "has no signed agreement on record" in cap.get() and "compliance" not in plain.outputs

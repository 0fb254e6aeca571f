"""The SYNTHETIC demo stream: reproducible, labelled, signed, and telling the three stories it should."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ruamel.yaml import YAML

from accord.cli.app import DemoContext, console
from accord.cli.monitor import _monitor_section
from accord.monitor import synthetic
from accord.monitor.compliance import board
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.obligations import agreement_for, obligations_for
from accord.monitor.reports import parse_jsonl, report_problem, to_jsonl

FOLDER = resources.files("accord") / "cases" / "ukraine_2025" / "monitoring"


def shipped_reports() -> list:  # type: ignore[type-arg]
    rows = parse_jsonl((FOLDER / "synthetic-stream.jsonl").read_text(encoding="utf-8"))
    assert all(r.report is not None for r in rows)
    return [r.report for r in rows]


def test_shipped_files_are_the_generators_output() -> None:
    assert (FOLDER / "synthetic-stream.jsonl").read_text(encoding="utf-8") == to_jsonl(synthetic.synthetic_stream())
    assert (FOLDER / "monitors.yaml").read_text(encoding="utf-8") == synthetic.monitors_yaml()
    assert "SYNTHETIC" in (FOLDER / "README.md").read_text(encoding="utf-8")


def test_every_report_is_labelled_and_verifies_with_the_published_keys() -> None:
    monitors = YAML(typ="safe").load((FOLDER / "monitors.yaml").read_text(encoding="utf-8"))["monitors"]
    keys = {m["id"]: [m["public_key"]] for m in monitors}
    for m in monitors:
        assert public_key_hex(private_key_from_seed(bytes.fromhex(m["demo_private_seed"]))) == m["public_key"]
        assert "SYNTHETIC" in m["name"]
    reports = shipped_reports()
    assert len(reports) >= 80 and all(r.synthetic for r in reports)
    assert all(report_problem(r, keys) is None for r in reports)
    days = {(r.observed_on - synthetic.SIGNED).days for r in reports}
    assert min(days) >= 0 and max(days) == synthetic.DAYS


def test_stream_covers_the_bundled_plans_obligations_and_tells_its_stories(bundled_case) -> None:  # type: ignore[no-untyped-def]
    case = bundled_case
    plan = case.plan(synthetic.PLAN)
    obligations = obligations_for(plan, agreement_for(case.id, plan, synthetic.SIGNED))
    reports = shipped_reports()
    assert {r.indicator for r in reports} == {o.indicator for o in obligations}
    b = board(obligations, reports, synthetic.AS_OF)
    by = {s.obligation.provision: s for s in b.obligations}
    assert by["6"].status == "breach"                                # the army cap
    assert by["25"].status == "compliant" and by["25"].late_days     # the late election …
    assert any(t.obligation == by["25"].obligation.id and t.status == "overdue" for t in b.timeline)
    assert by["28"].disputed and by["28"].conflicts                  # two monitors disagree
    assert b.synthetic == len(b.reports)


def test_demo_section(tmp_path: Path, bundled_case) -> None:  # type: ignore[no-untyped-def]
    ctx = DemoContext(case=bundled_case, console=console, workdir=tmp_path)
    with console.capture() as cap:
        _monitor_section(ctx)
        _monitor_section(ctx)  # runs again on the same folder
    out = cap.get()
    assert "SYNTHETIC" in out and "breach" in out and "disputed" in out and "verify ok" in out
    assert ctx.outputs["compliance"].synthetic > 0

"""A case, claims, an article and a monitoring database whose every text field is an attack.

Ids carry ``ID`` (no slash, so they still route), free text carries ``TEXT``,
URLs that may only be http(s) carry ``javascript:`` (claims, article front
matter) or an http(s) URL that tries to break out of its attribute (sources).
Every payload that would run sets off a dialog or leaves an element with
``data-pwned``; the tests look for both.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

ID = "x\"'><img src=x data-pwned=1 onerror=alert(1)>"
TEXT = "t\"'><img src=x data-pwned=2 onerror=alert(2)><script>alert(3)</script><svg data-pwned=3 onload=alert(4)>"
URL = "https://example.org/\"'><img src=x data-pwned=4 onerror=alert(5)>"
JS_URL = "javascript:alert(6)"
MARKERS = ("<img src=x", "<script>alert", "<svg data-pwned")
"""Raw payload fragments that must never appear unescaped in a page."""

SIGNED = dt.date(2026, 1, 15)
MONITOR_SEED = bytes(range(32))


def _j(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Hostile:
    case: Path
    claims: Path
    articles: Path
    case_id: str = ID + "case"
    plan_id: str = ID + "plan"
    based_id: str = ID + "plan2"
    actors: tuple[str, str] = (ID + "a", ID + "b")
    issues: tuple[str, str] = (ID + "land", ID + "army")
    doc_id: str = "article-" + "x'><img src=x data-pwned=5 onerror=alert(7)>"


def write_hostile(root: Path) -> Hostile:
    """Write the hostile case folder, a claims file and an article folder under ``root``."""
    h = Hostile(case=root / "hostile", claims=root / "claims.jsonl", articles=root / "articles")
    a, b = h.actors
    land, army = h.issues
    files = {
        "case.yaml": {"id": h.case_id, "name": TEXT, "description": TEXT, "axis": {"low": a, "high": b}},
        "issues.yaml": [
            {"id": land, "name": TEXT, "description": TEXT, "status_quo": ID + "split", "options": [
                {"id": ID + "all-a", "label": TEXT, "axis": 0},
                {"id": ID + "split", "label": TEXT + "s", "axis": 50},
                {"id": ID + "all-b", "label": TEXT + "b", "axis": 100}]},
            {"id": army, "name": TEXT + "army", "kind": "scale", "unit": TEXT, "low": 100, "high": 0,
             "points": [100, 50, 0], "status_quo": "100"},
        ],
        "actors.yaml": [
            {"id": a, "name": TEXT + "A", "aliases": [TEXT], "capability": {"value": 0.6, "estimate": TEXT},
             "batna": {"value": 0.3, "estimate": TEXT}},
            {"id": b, "name": TEXT + "B", "capability": {"value": 0.4, "estimate": TEXT},
             "batna": {"value": 0.2, "estimate": TEXT}},
        ],
        "positions.yaml": {
            a: {land: {"ideal": ID + "all-a", "salience": {"value": 0.75, "estimate": TEXT},
                       "red_line": [ID + "all-b"], "sources": [ID + "s1"], "note": TEXT},
                army: {"ideal": "100", "salience": {"value": 0.25, "estimate": TEXT}, "sources": [ID + "s1"]}},
            b: {land: {"ideal": ID + "all-b", "salience": {"value": 0.5, "estimate": TEXT},
                       "acceptable": [ID + "split"], "sources": [ID + "s1"]},
                army: {"ideal": "0", "salience": {"value": 0.5, "estimate": TEXT}, "sources": [ID + "s1"]}},
        },
        "sources.yaml": [{"id": ID + "s1", "url": URL, "date": "2025-11-21", "publisher": TEXT, "title": TEXT,
                          "quote": TEXT}],
        "plans/p1.yaml": {"id": h.plan_id, "name": TEXT, "authors": [b], "description": TEXT,
                           "baskets": [{"id": ID + "k", "name": TEXT, "description": TEXT}], "provisions": [
            {"id": ID + "1", "title": TEXT, "text": TEXT, "issue": land, "option": ID + "all-b",
             "sources": [ID + "s1"], "basket": ID + "k"},
            {"id": ID + "2", "title": TEXT, "text": TEXT, "issue": army, "option": "50", "sources": [ID + "s1"],
             "obligation": {"indicator": ID + "headcount", "comparator": "<=", "threshold": 50,
                            "deadline_days": 30, "unit": TEXT, "verifier": TEXT}}]},
        "plans/p2.yaml": {"id": h.based_id, "name": TEXT + "2", "based_on": h.plan_id, "provisions": [
            {"id": ID + "1", "title": TEXT, "text": TEXT, "issue": land, "option": ID + "split",
             "sources": [ID + "s1"]},
            {"id": ID + "3", "title": TEXT, "text": TEXT, "sources": [ID + "s1"]}]},
    }
    for name, content in files.items():
        path = h.case / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_j(content), encoding="utf-8")
    sentence = f"{TEXT} said no to the {TEXT} deal."
    claim = {"id": ID + "c1", "doc": h.doc_id, "holder": a, "issue": land, "stance": "oppose", "text": sentence,
             "quote": TEXT, "speaker": TEXT, "url": JS_URL, "date": "2025-11-22", "start": 0, "end": len(sentence)}
    # a claim the review queue turns into a proposal (a number names an option B does not call acceptable)
    proposal = {**claim, "id": ID + "c2", "holder": b, "issue": army, "stance": "support",
                "quantities": [{"value": 50, "unit": "troops", "text": TEXT}], "url": URL + "?c2=" + TEXT}
    h.claims.write_text(_j(claim) + "\n" + _j(proposal) + "\n", encoding="utf-8")
    h.articles.mkdir(parents=True, exist_ok=True)
    (h.articles / f"{h.doc_id}.txt").write_text(
        f"---\ntitle: {TEXT}\nurl: {JS_URL}\ndate: 2025-11-22\nsource: {TEXT}\n---\n{sentence}\n", encoding="utf-8")
    return h


def fill_ledger(h: Hostile, db_url: str, log_key: Path) -> None:
    """Sign the hostile plan, register a monitor with a hostile id and store its signed hostile report."""
    from accord.model import load_case
    from accord.monitor.keys import private_key_from_seed, public_key_hex
    from accord.monitor.reports import Report, Row, sign_report
    from accord.store import Store
    from accord.store.keyfile import load_or_create
    from accord.store.monitoring import add_reports, register_monitor, sign_agreement

    signer, _ = load_or_create(log_key)
    monitor = private_key_from_seed(MONITOR_SEED)
    case = load_case(h.case)
    with Store.open(db_url) as store:
        sign_agreement(store, case, h.plan_id, SIGNED, signer)
        register_monitor(store, ID + "m1", public_key_hex(monitor), signer, name=TEXT)
        report = sign_report(Report(monitor=ID + "m1", indicator=ID + "headcount", value=80,
                                    observed_at=SIGNED + dt.timedelta(days=40), source=TEXT, location=TEXT),
                             monitor)
        result = add_reports(store, [Row(1, report)], signer)
        assert result.count("stored") == 1, result

"""Monitoring through the API: agreements, monitors, signed reports, compliance, ledger proofs; persistence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.cli import app as cli
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.reports import Report, sign_report, to_jsonl
from accord.web.app import create_app
from tests.web.conftest import BASE, LOCAL, Service

API = "/api/v1"
KEY = private_key_from_seed(bytes(range(32)))
OTHER = private_key_from_seed(bytes(32))


def _report(indicator: str, value: float, key=KEY, monitor: str = "m1", day: str = "2026-02-01") -> dict:  # type: ignore[no-untyped-def,type-arg]
    return sign_report(Report(monitor=monitor, indicator=indicator, value=value, observed_at=day,
                              source="test desk"), key).to_json()


def test_agreement_reports_compliance_ledger(dbsvc: Service) -> None:
    c = dbsvc.client
    ed, adm, mon = dbsvc.auth(dbsvc.editor), dbsvc.auth(dbsvc.admin), dbsvc.auth(dbsvc.monitor)
    assert c.get(f"{API}/agreements").json() == []
    body = {"case": "ukraine_2025", "plan": "us-28-point", "signed": "2026-01-15"}
    r = c.post(f"{API}/agreements", json=body, headers=ed)
    assert r.status_code == 201
    ag = r.json()
    assert ag["id"] == "us-28-point@2026-01-15" and len(ag["obligations"]) == 7
    assert c.post(f"{API}/agreements", json=body, headers=ed).status_code == 409
    assert c.post(f"{API}/agreements", json={**body, "plan": "nope"}, headers=ed).status_code == 404
    assert c.get(f"{API}/agreements/{ag['id']}").json()["plan"] == "us-28-point"
    assert c.get(f"{API}/agreements/nope").status_code == 404

    # monitors register their keys through an admin; reports must verify with them
    assert c.post(f"{API}/monitors", json={"id": "m1", "public_key": public_key_hex(KEY)},
                  headers=ed).status_code == 403
    r = c.post(f"{API}/monitors", json={"id": "m1", "public_key": public_key_hex(KEY)}, headers=adm)
    assert r.status_code == 201 and r.json()["key_id"]
    assert c.post(f"{API}/monitors", json={"id": "m1", "public_key": public_key_hex(KEY)},
                  headers=adm).status_code == 409
    bad_key = c.post(f"{API}/monitors", json={"id": "m2", "public_key": "z" * 64}, headers=adm)
    assert bad_key.status_code == 422 and bad_key.json()["error"]["field"] == "public_key"

    ob = next(o for o in ag["obligations"] if o["comparator"] == "<=")
    good = _report(ob["indicator"], ob["threshold"])
    r = c.post(f"{API}/reports", json=good, headers=mon)
    assert r.status_code == 201 and r.json()["seq"] is not None
    assert c.post(f"{API}/reports", json=good, headers=mon).status_code == 409
    tampered = {**good, "value": ob["threshold"] + 1}
    r = c.post(f"{API}/reports", json=tampered, headers=mon)
    assert r.status_code == 401 and r.json()["error"]["field"] == "signature"
    forged = _report(ob["indicator"], 1, key=OTHER)
    assert c.post(f"{API}/reports", json=forged, headers=mon).status_code == 401
    other = _report(ob["indicator"], 1, monitor="m9")
    r = c.post(f"{API}/reports", json=other, headers=mon)
    assert r.status_code == 403 and r.json()["error"]["field"] == "monitor"
    r = c.post(f"{API}/reports", json={**good, "observed_at": "yesterday"}, headers=mon)
    assert r.status_code == 422
    assert [x["indicator"] for x in c.get(f"{API}/reports", params={"monitor": "m1"}).json()] == [ob["indicator"]]

    board = c.get(f"{API}/compliance", params={"case": "ukraine_2025"}).json()
    assert board["available"] is True and sum(board["counts"].values()) == 7
    row = next(x for x in board["rows"] if x["obligation"] == ob["id"])
    assert row["status"] == "compliant" and row["reports"] == 1
    assert c.get(f"{API}/compliance", params={"case": "toy"}).json()["note"] == "no agreement signed"
    assert c.get(f"{API}/compliance", params={"agreement": "nope"}).status_code == 404
    page = c.get("/cases/ukraine_2025/compliance").text
    assert f'data-obligation="{ob["id"]}" data-status="compliant"' in page
    report_md = c.get(f"{API}/cases/ukraine_2025/report.md").text
    assert "compliant 1" in report_md

    led = c.get(f"{API}/ledger").json()
    assert led["size"] == 1 + 7 + 1 + 1 and led["head"]["size"] == led["size"] and led["log_keys"]
    e = c.get(f"{API}/ledger/entries/0").json()
    assert e["kind"] == "agreement" and e["verified"] is True
    p = c.get(f"{API}/ledger/proofs/inclusion/3", params={"size": 8}).json()
    assert p["verified"] is True and p["size"] == 8
    assert c.get(f"{API}/ledger/proofs/consistency", params={"old": 8}).json()["verified"] is True
    assert c.get(f"{API}/ledger/proofs/inclusion/999").status_code == 404
    assert c.get(f"{API}/ledger/verify").json()["ok"] is True


def test_report_import_from_the_workspace(dbsvc: Service) -> None:
    c, adm, mon = dbsvc.client, dbsvc.auth(dbsvc.admin), dbsvc.auth(dbsvc.monitor)
    c.post(f"{API}/monitors", json={"id": "m1", "public_key": public_key_hex(KEY)}, headers=adm)
    c.post(f"{API}/agreements", json={"case": "ukraine_2025", "plan": "us-28-point", "signed": "2026-01-15"},
           headers=adm)  # a report is of an indicator some signed obligation watches
    reports = [Report.model_validate(_report("election_held", 1, day=f"2026-03-0{d}")) for d in (1, 2)]
    (dbsvc.workspace / "in.jsonl").write_text(to_jsonl(reports) + '{"monitor": "m1"}\n')
    r = c.post(f"{API}/reports/import", json={"path": "in.jsonl"}, headers=mon)
    assert r.status_code == 200, r.json()
    assert r.json()["stored"] == 2 and r.json()["rejected"][0]["row"] == 3
    assert c.post(f"{API}/reports/import", json={"path": "in.jsonl"}, headers=mon).json()["duplicate"] == 2
    for path in ("../in.jsonl", "/etc/passwd"):
        r = c.post(f"{API}/reports/import", json={"path": path}, headers=mon)
        assert r.status_code == 403 and r.json()["error"]["field"] == "path"
    assert c.post(f"{API}/reports/import", json={"path": "none.csv"}, headers=mon).status_code == 404
    (dbsvc.workspace / "m9.jsonl").write_text(to_jsonl([Report.model_validate(
        _report("election_held", 1, monitor="m9"))]))
    assert c.post(f"{API}/reports/import", json={"path": "m9.jsonl"}, headers=mon).status_code == 403


def test_tokens_and_claims_persist_in_the_database(tmp_path: Path, toy_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    r = CliRunner().invoke(cli, ["token", "create", "--role", "editor", "--name", "ci", "--db", url, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["role"] == "editor" and out["token"].startswith("acc_")
    assert out["token"] not in (tmp_path / "web.db").read_bytes().decode("latin-1")
    bad = CliRunner().invoke(cli, ["token", "create", "--role", "root", "--db", url])
    assert bad.exit_code != 0
    app = create_app(db_url=url, case=str(toy_dir), workspace=toy_dir.parent)
    c = TestClient(app, base_url=BASE, client=LOCAL)
    h = {"Authorization": f"Bearer {out['token']}"}
    r = c.post(f"{API}/cases/toy/claims", json={"id": "k1", "doc": "d", "holder": "a", "issue": "land",
                                                "stance": "oppose", "text": "A says no."}, headers=h)
    assert r.status_code == 201
    again = create_app(db_url=url, case=str(toy_dir), workspace=toy_dir.parent)
    c2 = TestClient(again, base_url=BASE, client=LOCAL)
    assert c2.get(f"{API}/cases/toy/claims/k1").json()["text"] == "A says no."
    assert c2.delete(f"{API}/cases/toy/claims/k1", headers=h).status_code == 204
    third = TestClient(create_app(db_url=url, case=str(toy_dir), workspace=toy_dir.parent), base_url=BASE, client=LOCAL)
    assert third.get(f"{API}/cases/toy/claims/k1").status_code == 404


def test_case_edits_persist_replay_and_show_their_history(tmp_path: Path, toy_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'web.db'}"

    def client() -> TestClient:
        app = create_app(db_url=url, case=str(toy_dir), workspace=toy_dir.parent)
        return TestClient(app, base_url=BASE, client=LOCAL)

    first = client()
    h = {"Authorization": f"Bearer {first.app.state.accord.tokens.create('editor', name='desk')[1]}"}  # type: ignore[attr-defined]
    plan3 = {"id": "p3", "name": "Plan three", "based_on": "p1",
             "provisions": [{"id": "1", "title": "Land", "text": "A keeps the land.", "issue": "land",
                             "option": "all-a"}]}
    assert first.put(f"{API}/cases/toy/positions/a/land", json={"ideal": "split", "salience": 0.75},
                     headers=h).status_code == 200
    assert first.post(f"{API}/cases/toy/plans", json=plan3, headers=h).status_code == 201
    assert first.delete(f"{API}/cases/toy/plans/p2", headers=h).status_code == 204
    assert first.delete(f"{API}/cases/toy/positions/b/army", headers=h).status_code == 204
    # refused edits are not kept
    assert first.put(f"{API}/cases/toy/positions/a/land", json={"ideal": "none", "salience": 0.5},
                     headers=h).status_code == 422
    assert first.delete(f"{API}/cases/toy/plans/p1", headers=h).status_code == 409  # p3 is based on it

    second = client()  # a restart: the YAML again, then the kept edits
    assert second.get(f"{API}/cases/toy/positions/a/land").json()["ideal"] == "split"
    assert [p["id"] for p in second.get(f"{API}/cases/toy/plans").json()] == ["p1", "p3"]
    assert second.get(f"{API}/cases/toy/positions/b/army").status_code == 404
    edits = second.get(f"{API}/cases/toy/edits").json()
    assert [(e["kind"], e["key"], e["action"], e["author"], e["applied"]) for e in edits] == [
        ("position", "a/land", "set", "desk", True), ("plan", "p3", "set", "desk", True),
        ("plan", "p2", "remove", "desk", True), ("position", "b/army", "remove", "desk", True)]
    assert second.get(f"{API}/cases/toy/assess", params={"plan": "p3"}).status_code == 200

    # the YAML changes under a kept edit: that one edit is skipped and says why, the others still apply
    positions = toy_dir / "positions.yaml"
    text = positions.read_text().replace("salience: {value: 0.5, estimate: core}, acceptable",
                                         "salience: 1.0, acceptable")
    positions.write_text("\n".join(ln for ln in text.splitlines() if 'army: {ideal: "0"' not in ln) + "\n")
    third = client()
    edits = third.get(f"{API}/cases/toy/edits").json()
    assert [e["applied"] for e in edits] == [True, True, True, False]
    assert "holds no position" in edits[3]["problem"]
    assert third.get(f"{API}/cases/toy/positions/a/land").json()["ideal"] == "split"


def test_a_failed_database_write_leaves_the_case_as_it_was(dbsvc: Service) -> None:
    state = dbsvc.app.state.accord
    before = state.case("toy")

    def boom(*_: object) -> int:
        raise RuntimeError("disk full")

    state.store.record_edit = boom
    with pytest.raises(RuntimeError, match="disk full"):
        state.edit_case("toy", "plan", "p2", None)
    assert state.case("toy") is before and state.entry("toy").edits == []

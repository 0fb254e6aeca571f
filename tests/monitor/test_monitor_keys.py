"""One active key per monitor, rotation and revocation (hole 2 of issue 16: monitor impersonation).

The hole: `POST /api/v1/monitors` or `accord keys create --monitor m1` run again added a second key to an
existing monitor, reports signed with it were accepted as that monitor's, and keys could not be revoked.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import AccordError
from accord.model import load_case
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.reports import Report, Row, sign_report
from accord.store import Store
from accord.store.monitoring import add_reports, register_monitor, revoke_key, rotate_key, sign_agreement
from accord.store.records import records

SIGNED = dt.date(2026, 1, 15)
OLD = private_key_from_seed(bytes(range(32)))
NEW = private_key_from_seed(bytes(range(1, 33)))
THIEF = private_key_from_seed(bytes(range(2, 34)))
LOG = private_key_from_seed(bytes(32))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    sign_agreement(s, load_case("ukraine_2025"), "us-28-point", SIGNED, LOG)
    register_monitor(s, "m1", public_key_hex(OLD), LOG, "Monitor one")
    return s


def report(key, day: str = "2026-03-01", value: float = 1) -> Report:  # type: ignore[no-untyped-def]
    return sign_report(Report(monitor="m1", indicator="election_held", value=value, observed_at=day,
                              source="electoral commission"), key)


def add(store: Store, r: Report) -> tuple[str, str]:
    (o,) = add_reports(store, [Row(1, r)], LOG).rows
    return o.outcome, o.message


def test_a_second_key_for_a_monitor_is_refused_and_cannot_sign_for_it(store: Store) -> None:
    with pytest.raises(AccordError, match=r"already has an active key .*accord keys rotate --monitor m1"):
        register_monitor(store, "m1", public_key_hex(THIEF), LOG)
    outcome, message = add(store, report(THIEF))
    assert outcome == "rejected" and "does not verify" in message
    assert register_monitor(store, "m1", public_key_hex(OLD), LOG)[1] is False  # the same key again: no change
    with pytest.raises(AccordError, match="belongs to monitor 'm1'"):
        register_monitor(store, "m2", public_key_hex(OLD), LOG)  # one key speaks for one monitor
    assert [m.key_id for m in records(store).monitors] == [records(store).roster.of("m1")[0].key_id]


def test_rotation_retires_the_old_key_and_keeps_its_earlier_reports(store: Store) -> None:
    before = report(OLD, "2026-03-01")
    assert add(store, before)[0] == "stored"
    change = rotate_key(store, "m1", public_key_hex(NEW), LOG, reason="scheduled")
    assert change.event.retired == (records(store).roster.of("m1")[0].key_id,)
    assert [k.status(dt.datetime.now(dt.UTC)) for k in change.keys] == ["retired", "active"]
    assert change.keys[1].name == "Monitor one"
    outcome, message = add(store, report(OLD, "2026-03-02"))
    assert outcome == "rejected" and f"retired by the rotation at ledger entry #{change.seq}" in message
    assert add(store, report(NEW, "2026-03-02"))[0] == "stored"
    rec = records(store)
    assert [r.observed_on.isoformat() for r in rec.reports] == ["2026-03-01", "2026-03-02"] and not rec.revoked
    assert store.audit().ok and store.entry(change.seq).kind == "monitor-key"
    with pytest.raises(AccordError, match="already registered"):
        rotate_key(store, "m1", public_key_hex(NEW), LOG)
    with pytest.raises(AccordError, match="no monitor 'm9'"):
        rotate_key(store, "m9", public_key_hex(THIEF), LOG)


def _arrival(store: Store) -> dt.datetime:
    head = store.latest_head()
    assert head is not None
    return dt.datetime.fromtimestamp(head.timestamp / 1000, dt.UTC)


def test_revocation_is_judged_by_when_a_report_reached_the_ledger(store: Store) -> None:
    """A key stolen at T: reports that reached the ledger before T count, after T not — whatever date they claim."""
    assert add(store, report(OLD, "2026-03-01"))[0] == "stored"
    t1 = _arrival(store)
    time.sleep(0.02)
    stolen = report(OLD, "2026-02-01", value=0)  # backdated by the thief, before everything else
    assert add(store, stolen)[0] == "stored"  # the theft is not known yet
    t2 = _arrival(store)
    assert t2 > t1 + dt.timedelta(milliseconds=5)
    compromised = t1 + (t2 - t1) / 2
    change = revoke_key(store, "m1", LOG, effective=compromised, reason="key stolen")
    rec = records(store)
    assert [r.id for r in rec.reports] == [report(OLD, "2026-03-01").id]
    assert [(r.id, why.split(" revoked")[0]) for r, why in rec.revoked] == [(stolen.id, f"key {change.event.key_id}")]
    assert "revoked from" in rec.revoked[0][1] and "key stolen" in rec.revoked[0][1]
    outcome, message = add(store, report(OLD, "2026-01-20"))  # backdated again: still rejected
    assert outcome == "rejected" and "revoked from" in message
    # both records are entries of the ledger; nothing was deleted
    assert store.audit().ok and [e.kind for _, e in store.entries()].count("report") == 2
    with pytest.raises(AccordError, match="already revoked"):
        revoke_key(store, "m1", LOG, effective=compromised + dt.timedelta(days=1))


def test_a_monitor_whose_key_was_revoked_may_register_a_new_one(store: Store) -> None:
    revoke_key(store, "m1", LOG, reason="lost")
    assert register_monitor(store, "m1", public_key_hex(NEW), LOG)[1] is True
    assert add(store, report(NEW))[0] == "stored"
    with pytest.raises(AccordError, match="is revoked; create a new key"):
        register_monitor(store, "m1", public_key_hex(OLD), LOG)


def test_cli_create_twice_is_refused_rotate_and_revoke_are_logged(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    db = ["--db", f"sqlite:///{tmp_path / 'k.db'}", "--log-key", str(tmp_path / "log.pem")]
    assert runner.invoke(app, ["keys", "create", "--monitor", "m1", *db]).exit_code == 0
    again = runner.invoke(app, ["keys", "create", "--monitor", "m1", "--out", "second.pem", *db])
    assert again.exit_code != 0 and "accord keys rotate --monitor m1" in str(again.exception)
    assert not (tmp_path / "second.pem").exists()  # no orphan key file
    r = runner.invoke(app, ["keys", "rotate", "--monitor", "m1", "--reason", "yearly", "--json", *db])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["event"]["action"] == "rotate" and out["event"]["reason"] == "yearly"
    assert Path(out["private_key_file"]).is_file() and [k["status"] for k in out["keys"]] == ["retired", "active"]
    r = runner.invoke(app, ["keys", "revoke", "--monitor", "m1", "--effective", "2026-01-01", "--reason", "leak",
                            "--json", *db])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["event"]["effective"] == "2026-01-01T00:00:00Z"
    listed = json.loads(runner.invoke(app, ["keys", "list", "--json", "--db", db[1]]).stdout)["monitors"]
    assert [m["status"] for m in listed] == ["retired", "revoked"]
    bad = runner.invoke(app, ["keys", "revoke", "--monitor", "m1", "--effective", "soon", *db])
    assert "--effective: 'soon' is not a date" in str(bad.exception)


def test_api_refuses_a_second_key_and_rotates_and_revokes(tmp_path: Path) -> None:
    from accord.web.app import create_app

    url = f"sqlite:///{tmp_path / 'api.db'}"
    app_ = create_app(db_url=url, log_key=tmp_path / "log.pem")
    c = TestClient(app_, base_url="http://localhost")
    tokens = app_.state.accord.tokens
    adm = {"Authorization": f"Bearer {tokens.create('admin')[1]}"}
    mon = {"Authorization": f"Bearer {tokens.create('monitor', monitor='m1')[1]}"}
    assert c.post("/api/v1/monitors", json={"id": "m1", "public_key": public_key_hex(OLD)},
                  headers=adm).status_code == 201
    r = c.post("/api/v1/monitors", json={"id": "m1", "public_key": public_key_hex(THIEF)}, headers=adm)
    assert r.status_code == 409 and "POST /api/v1/monitors/m1/rotate" in r.json()["error"]["message"]
    body = {"public_key": public_key_hex(NEW), "reason": "yearly"}
    assert c.post("/api/v1/monitors/m1/rotate", json=body, headers=mon).status_code == 403
    r = c.post("/api/v1/monitors/m1/rotate", json=body, headers=adm)
    assert r.status_code == 201 and [k["status"] for k in r.json()["keys"]] == ["retired", "active"]
    assert c.post("/api/v1/monitors/m1/rotate", json=body, headers=adm).status_code == 409
    assert c.post("/api/v1/monitors/m9/rotate", json=body, headers=adm).status_code == 404
    r = c.post("/api/v1/monitors/m1/revoke", json={"effective": "2026-01-01T00:00:00Z", "reason": "leak"},
               headers=adm)
    assert r.status_code == 200 and r.json()["event"]["effective"] == "2026-01-01T00:00:00Z"
    listed = c.get("/api/v1/monitors", headers=adm).json()
    assert [(m["status"], m["revoke_reason"]) for m in listed] == [("retired", ""), ("revoked", "leak")]
    kinds = [c.get(f"/api/v1/ledger/entries/{i}", headers=adm).json()["kind"] for i in range(3)]
    assert kinds == ["monitor", "monitor-key", "monitor-key"]

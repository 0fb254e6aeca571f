"""Replay by re-encoding, and reports that cannot be observations: each refused with a clear reason.

Holes from issue 16: the same signed report with its signature in upper case
or with spaces was stored as a new report; reports dated 2099, dated before
the agreement's signature, on an indicator no obligation watches, or with a
value of 1e308 were accepted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.model import load_case
from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.reports import MAX_ABS_VALUE, MAX_SKEW, Report, Row, sign_report
from accord.store import Store
from accord.store.monitoring import add_reports, register_monitor, sign_agreement

SIGNED = dt.date(2026, 1, 15)
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
KEY = private_key_from_seed(bytes(range(32)))
LOG = private_key_from_seed(bytes(32))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    sign_agreement(s, load_case("ukraine_2025"), "us-28-point", SIGNED, LOG)
    register_monitor(s, "m1", public_key_hex(KEY), LOG)
    return s


def report(**changes: object) -> Report:
    base = {"monitor": "m1", "indicator": "election_held", "value": 1, "observed_at": "2026-03-01", "source": "ec"}
    return sign_report(Report.model_validate({**base, **changes}), KEY)


def add(store: Store, r: Report) -> tuple[str, str, str]:
    (o,) = add_reports(store, [Row(1, r)], LOG, now=NOW).rows
    return o.outcome, o.reason, o.message


def test_a_re_encoded_signature_is_the_same_report(store: Store) -> None:
    r = report()
    assert add(store, r)[0] == "stored"
    sig = r.signature or ""
    for variant in (sig.upper(), " ".join(sig[i:i + 2] for i in range(0, len(sig), 2)), "  " + sig + "\n"):
        again = Report.model_validate({**r.to_json(), "signature": variant})
        assert again.signature == sig and again.id == r.id
        assert add(store, again)[0] == "duplicate"
    assert store.size() == len(store.entries()) and sum(1 for _, e in store.entries() if e.kind == "report") == 1


@pytest.mark.parametrize("signature, why", [("zz" * 64, "not hexadecimal"), ("ab" * 63, "63 bytes")])
def test_a_signature_that_is_not_64_bytes_of_hex_is_invalid(signature: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        Report.model_validate({"monitor": "m1", "indicator": "x", "value": 1, "observed_at": "2026-03-01",
                               "source": "s", "signature": signature})


@pytest.mark.parametrize("changes, message", [
    ({"observed_at": "2099-01-01"}, "is in the future"),
    ({"observed_at": (NOW + MAX_SKEW + dt.timedelta(seconds=1)).isoformat()}, "is in the future"),
    ({"observed_at": "2026-01-14"}, "before 2026-01-15, when the first agreement watching"),
    ({"indicator": "unwatched_thing"}, "is watched by no signed obligation"),
    ({"value": 1e308}, "beyond"),
    ({"value": -2 * MAX_ABS_VALUE}, "beyond"),
])
def test_reports_that_cannot_be_observations_are_refused(store: Store, changes: dict[str, object],
                                                         message: str) -> None:
    outcome, reason, text = add(store, report(**changes))
    assert (outcome, reason) == ("rejected", "observation") and message in text
    assert not any(e.kind == "report" for _, e in store.entries())


def test_observations_at_the_edges_are_kept(store: Store) -> None:
    assert add(store, report(observed_at=SIGNED.isoformat()))[0] == "stored"
    assert add(store, report(observed_at=(NOW + MAX_SKEW).isoformat()))[0] == "stored"
    assert add(store, report(value=MAX_ABS_VALUE, observed_at="2026-03-02"))[0] == "stored"


def test_the_api_answers_409_for_a_re_encoded_duplicate_and_422_for_a_bad_observation(
        tmp_path: Path, toy_dir: Path) -> None:
    from fastapi.testclient import TestClient

    from accord.web.app import create_app

    app = create_app(db_url=f"sqlite:///{tmp_path / 'api.db'}", case=["ukraine_2025"], workspace=tmp_path)
    c = TestClient(app, base_url="http://localhost", client=("127.0.0.1", 5000))
    tokens = app.state.accord.tokens
    editor, admin = tokens.create("editor")[1], tokens.create("admin")[1]
    monitor = tokens.create("monitor", monitor="m1")[1]
    auth = {"Authorization": f"Bearer {monitor}"}
    assert c.post("/api/v1/agreements", json={"case": "ukraine_2025", "plan": "us-28-point", "signed": "2026-01-15"},
                  headers={"Authorization": f"Bearer {editor}"}).status_code == 201
    assert c.post("/api/v1/monitors", json={"id": "m1", "public_key": public_key_hex(KEY)},
                  headers={"Authorization": f"Bearer {admin}"}).status_code == 201
    body = report().to_json()
    assert c.post("/api/v1/reports", json=body, headers=auth).status_code == 201
    upper = c.post("/api/v1/reports", json={**body, "signature": body["signature"].upper()}, headers=auth)
    assert upper.status_code == 409
    spaced = " ".join(body["signature"][i:i + 8] for i in range(0, 128, 8))
    assert c.post("/api/v1/reports", json={**body, "signature": spaced}, headers=auth).status_code == 409
    future = report(observed_at="2099-01-01").to_json()
    r = c.post("/api/v1/reports", json=future, headers=auth)
    assert r.status_code == 422 and r.json()["error"]["field"] == "observed_at"
    r = c.post("/api/v1/reports", json=report(indicator="nope").to_json(), headers=auth)
    assert r.status_code == 422 and r.json()["error"]["field"] == "indicator"
    r = c.post("/api/v1/reports", json={**body, "signature": "xyz"}, headers=auth)
    assert r.status_code == 422 and r.json()["error"]["field"] == "signature"
    app.state.accord.jobs.shutdown()

"""The review queue in the service: proposals listed, accepted (a dated state written, kept, exported) or dismissed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from accord.model import load_case
from tests.cli.test_case_commands import run
from tests.time.test_review import by_key, claim
from tests.web.conftest import Service, make_service, while_locked

API = "/api/v1"
D = dt.date
CLAIMS = [
    claim("a", "land", "oppose", D(2025, 12, 16), "Alpha rejects the split.", cid="c1"),
    claim("b", "army", "support", D(2025, 12, 12), "Beta could live with a cap of 50 troops.", troops=50, cid="c2",
          url="https://wire.example.org/b"),
    claim("b", "army", "oppose", D(2025, 11, 30), "Beta wants no cap at all.", cid="c3"),  # no state: by hand
]


def service(tmp_path: Path, moving_dir: Path, db: str) -> Service:
    return make_service(tmp_path, moving_dir, db_url=db, claims={"toy": CLAIMS})


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'accord.db'}"


@pytest.fixture
def rsvc(tmp_path: Path, moving_dir: Path, db: str) -> Iterator[Service]:
    s = service(tmp_path, moving_dir, db)
    yield s
    s.app.state.accord.jobs.shutdown()


def proposals(s: Service, **params: str) -> dict[str, dict[str, object]]:
    r = s.client.get(f"{API}/cases/toy/review", params=params)
    assert r.status_code == 200, r.text
    return {p["kind"]: p for p in r.json()["open"]}


def test_the_queue_lists_each_proposal_with_its_evidence(rsvc: Service) -> None:
    got = proposals(rsvc)
    assert set(got) == {"opposes-acceptable", "supports-unmarked", "new-position"}
    p = got["opposes-acceptable"]
    assert p["claims"][0]["text"] == "Alpha rejects the split." and p["claims"][0]["speaker"] == "a spokesman"
    assert p["sources"][0]["url"] == "https://news.example.org/a" and p["sources"][0]["reliability"] == "medium"
    assert p["changes"] == ["acceptable − Split"]
    assert got["new-position"]["proposed"] is None and got["new-position"]["changes"] == []
    # claims dated after as_of are left aside
    assert set(proposals(rsvc, as_of="2025-12-13")) == {"supports-unmarked", "new-position"}
    page = rsvc.client.get("/cases/toy/review")
    assert page.status_code == 200 and "Alpha rejects the split." in page.text and "badge" in page.text


def test_accept_writes_a_dated_state_with_who_and_when(rsvc: Service, tmp_path: Path, moving_dir: Path,
                                                       db: str) -> None:
    c = rsvc.client
    p = proposals(rsvc)["opposes-acceptable"]
    url = f"{API}/cases/toy/review/{p['id']}/accept"
    assert c.post(url).status_code == 401
    r = c.post(url, json={"reliability": "high", "note": "confirmed by the readout"}, headers=rsvc.auth(rsvc.editor))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["state"]["since"] == "2025-12-16" and body["state"]["acceptable"] == []
    assert body["sources"][0]["reliability"] == "high" and body["decided"]["decision"] == "accept"
    assert "accepted in review by" in body["state"]["note"]
    # the new state is in the case: the position as of then, and the move
    pos = c.get(f"{API}/cases/toy/positions/a/land").json()
    assert pos["since"] == "2025-12-16" and pos["acceptable"] == []
    assert c.get(f"{API}/cases/toy/positions/a/land", params={"as_of": "2025-12-15"}).json()["acceptable"] == [
        "Split"]
    mv = c.get(f"{API}/cases/toy/moves", params={"from": "2025-12-15"}).json()["moves"]
    assert [(m["actor"], m["field"], m["date"]) for m in mv] == [("a", "acceptable", "2025-12-16")]
    assert mv[0]["evidence_after"][0]["url"] == "https://news.example.org/a"
    # decided, not open; a second decision is refused
    q = c.get(f"{API}/cases/toy/review").json()
    assert p["id"] not in {x["id"] for x in q["open"]}
    assert [(d["proposal"], d["decision"]) for d in q["decided"]] == [(p["id"], "accept")]
    again = c.post(url, headers=rsvc.auth(rsvc.editor))
    assert again.status_code == 409 and "already accepted" in again.json()["error"]["message"]
    # kept: a fresh service on the same database replays it
    rsvc.app.state.accord.jobs.shutdown()
    fresh = service(tmp_path, moving_dir, db)
    try:
        assert fresh.client.get(f"{API}/cases/toy/positions/a/land").json()["since"] == "2025-12-16"
        assert [d["decision"] for d in fresh.client.get(f"{API}/cases/toy/review").json()["decided"]] == ["accept"]
    finally:
        fresh.app.state.accord.jobs.shutdown()
    # and exported back to YAML: a case folder that loads to the edited case
    out = tmp_path / "exported"
    r2 = run("edits", "export", "--case", str(moving_dir), "--db", db, "-o", str(out), "--json")
    assert r2.returncode == 0, r2.stderr
    assert json.loads(r2.stdout)["applied"] == 1
    back = load_case(out)
    assert [s.since for s in back.states("a", "land")] == [D(2025, 11, 21), D(2025, 12, 11), D(2025, 12, 16)]
    assert back.source(body["sources"][0]["id"]).reliability == "high"
    r3 = run("moves", "--case", str(out), "--from", "2025-12-15", "--json")
    assert [(m["actor"], m["field"]) for m in json.loads(r3.stdout)["moves"]] == [("a", "acceptable")]
    # nothing is overwritten
    r4 = run("edits", "export", "--case", str(moving_dir), "--db", db, "-o", str(out))
    assert r4.returncode == 2 and "expected a new or empty folder" in r4.stderr


def test_dismiss_keeps_the_reason_and_changes_nothing(rsvc: Service, moving_dir: Path) -> None:
    c = rsvc.client
    before = by_key(rsvc.app.state.accord.case("toy"))
    p = proposals(rsvc)["supports-unmarked"]
    url = f"{API}/cases/toy/review/{p['id']}/dismiss"
    assert c.post(url, json={"reason": ""}, headers=rsvc.auth(rsvc.editor)).status_code == 422
    r = c.post(url, json={"reason": "the cap was a negotiator's aside, not a position"},
               headers=rsvc.auth(rsvc.editor))
    assert r.status_code == 200 and r.json()["reason"].startswith("the cap was")
    assert by_key(rsvc.app.state.accord.case("toy")) == before == by_key(load_case(moving_dir))
    decided = c.get(f"{API}/cases/toy/review").json()["decided"]
    assert [(d["decision"], d["reason"]) for d in decided] == [
        ("dismiss", "the cap was a negotiator's aside, not a position")]


def test_a_proposal_with_no_state_cannot_be_accepted(rsvc: Service) -> None:
    p = proposals(rsvc)["new-position"]
    r = rsvc.client.post(f"{API}/cases/toy/review/{p['id']}/accept", headers=rsvc.auth(rsvc.editor))
    assert r.status_code == 422 and "code it by hand" in r.json()["error"]["message"]
    r = rsvc.client.post(f"{API}/cases/toy/review/nope/accept", headers=rsvc.auth(rsvc.editor))
    assert r.status_code == 404 and r.json()["error"]["field"] == "proposal"


def test_accepting_nothing_changes_nothing(rsvc: Service, moving_dir: Path, tmp_path: Path, db: str) -> None:
    proposals(rsvc)
    rsvc.client.get("/cases/toy/review")
    assert by_key(rsvc.app.state.accord.case("toy")) == by_key(load_case(moving_dir))
    out = tmp_path / "same"
    r = run("edits", "export", "--case", str(moving_dir), "--db", db, "-o", str(out))
    assert r.returncode == 0, r.stderr
    for name in ("positions.yaml", "sources.yaml"):
        assert (out / name).read_text() == (moving_dir / name).read_text()


def test_simultaneous_decisions_on_one_proposal_store_one(rsvc: Service) -> None:
    # editors press accept (or accept and dismiss) while another edit is being written: when it is done one
    # wins, the others are told it was decided, and the database holds one decision
    got = proposals(rsvc)
    decide_at_once(rsvc, str(got["opposes-acceptable"]["id"]), ("accept",) * 3)
    decide_at_once(rsvc, str(got["supports-unmarked"]["id"]), ("accept", "dismiss"))
    states = rsvc.app.state.accord.case("toy").states("a", "land")
    assert [s.since for s in states] == [D(2025, 11, 21), D(2025, 12, 11), D(2025, 12, 16)]


def decide_at_once(rsvc: Service, pid: str, actions: tuple[str, ...]) -> None:
    """Post decisions on one proposal from as many threads at once: one 200, the rest 409, one decision kept."""
    def decide(action: str) -> Callable[[], int]:
        body = {"reason": "an aside"} if action == "dismiss" else None
        return lambda: rsvc.client.post(f"{API}/cases/toy/review/{pid}/{action}", json=body,
                                        headers=rsvc.auth(rsvc.editor)).status_code

    codes = while_locked(rsvc, [decide(a) for a in actions])
    assert codes == [200] + [409] * (len(actions) - 1), (pid, codes)
    kept = [e.key for e in rsvc.app.state.accord.store.load_edits("toy")]
    assert kept.count(pid) == 1, kept

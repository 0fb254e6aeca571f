"""The compliance board served from memory: never older than an accepted write, current with other processes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.monitor.keys import private_key_from_seed, public_key_hex
from accord.monitor.reports import Report, Row, sign_report
from accord.report.data import ComplianceView
from accord.store import Store, keyfile
from accord.store.monitoring import add_reports
from accord.web.app import create_app
from accord.web.boards import Boards, Key, Snapshot
from tests.web.conftest import BASE, LOCAL

API = "/api/v1"
CASE = "ukraine_2025"
KEY = private_key_from_seed(bytes(range(32)))


def _report(indicator: str, i: int) -> dict:  # type: ignore[type-arg]
    day = dt.datetime(2026, 2, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i)
    return sign_report(Report(monitor="m1", indicator=indicator, value=0, observed_at=day, source=f"desk {i}"),
                       KEY).to_json()


class Desk:
    """A service on a SQLite file with an agreement signed and monitor m1 registered."""

    def __init__(self, tmp_path: Path, append_process: bool = False):
        self.url = f"sqlite:///{tmp_path / 'ledger.db'}"
        self.log_key = tmp_path / "keys" / "log.pem"
        self.app = create_app(db_url=self.url, case=CASE, workspace=tmp_path, log_key=self.log_key,
                              append_process=append_process)
        tokens = self.app.state.accord.tokens
        self.admin = {"Authorization": f"Bearer {tokens.create('admin')[1]}"}
        self.monitor = {"Authorization": f"Bearer {tokens.create('monitor', monitor='m1')[1]}"}

    def setup(self, c: TestClient) -> str:
        """Sign the agreement, register m1; the indicator of a '<=' obligation."""
        r = c.post(f"{API}/agreements", json={"case": CASE, "plan": "us-28-point", "signed": "2026-01-15"},
                   headers=self.admin)
        assert r.status_code == 201
        assert c.post(f"{API}/monitors", json={"id": "m1", "public_key": public_key_hex(KEY)},
                      headers=self.admin).status_code == 201
        return str(next(o for o in r.json()["obligations"] if o["comparator"] == "<=")["indicator"])


def _counted(board: dict, indicator: str) -> int:  # type: ignore[type-arg]
    return max(r["reports"] for r in board["rows"] if r["indicator"] == indicator)


@pytest.fixture
def desk(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Desk]:
    """A service appending reports in a request thread, or (parametrized True) in a child process."""
    d = Desk(tmp_path, append_process=getattr(request, "param", False))
    yield d
    d.app.state.accord.jobs.shutdown()
    d.app.state.accord.store.close()


@pytest.mark.parametrize("desk", [False, True], ids=["in-thread", "append-process"], indirect=True)
def test_a_read_after_a_201_sees_that_write(desk: Desk) -> None:
    c = TestClient(desk.app, base_url=BASE, client=LOCAL)
    ind = desk.setup(c)
    before = c.get(f"{API}/compliance", params={"case": CASE}).json()
    assert before["available"] and _counted(before, ind) == 0
    for i in range(1, 6):
        r = c.post(f"{API}/reports", json=_report(ind, i), headers=desk.monitor)
        assert r.status_code == 201
        board = c.get(f"{API}/compliance", params={"case": CASE}).json()
        assert _counted(board, ind) == i and board["ledger_length"] == r.json()["seq"] + 1
        assert board["ledger_ok"] is True
    # another key (one agreement), and a 404 for an unknown one
    one = c.get(f"{API}/compliance", params={"agreement": "us-28-point"}).json()
    assert _counted(one, ind) == 5
    assert c.get(f"{API}/compliance", params={"agreement": "nope"}).status_code == 404
    assert c.post(f"{API}/reports", json=_report(ind, 1), headers=desk.monitor).status_code == 409
    assert _counted(c.get(f"{API}/compliance", params={"case": CASE}).json(), ind) == 5


def test_a_board_answered_before_routing_is_the_routed_answer(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    local = TestClient(desk.app, base_url=BASE, client=LOCAL)  # lets in without a token: answered before routing
    remote = TestClient(desk.app, base_url=BASE, client=("203.0.113.9", 50000))  # needs a token: routed
    ind = desk.setup(local)
    assert local.post(f"{API}/reports", json=_report(ind, 1), headers=desk.monitor).status_code == 201
    today = dt.datetime.now(dt.UTC).date().isoformat()
    for params in ({"case": CASE}, {"agreement": "us-28-point"}, {"case": CASE, "as_of": today}, {},
                   {"case": CASE, "as_of": "2026-03-01"}, {"case": ""}):
        local.get(f"{API}/compliance", params=params)  # held from now on
        fast = local.get(f"{API}/compliance", params=params)
        routed = remote.get(f"{API}/compliance", params=params, headers=desk.monitor)
        assert fast.status_code == routed.status_code == 200, params
        assert fast.content == routed.content and fast.headers["content-type"] == routed.headers["content-type"]
        assert fast.headers["content-security-policy"] == routed.headers["content-security-policy"]
    assert remote.get(f"{API}/compliance", params={"case": CASE}).status_code == 401
    for odd in ("case=a&case=b", "as_of=2026-1-1", "as_of=tomorrow", "agreement=nope", "case=%ZZ"):
        fast, routed = (cl.get(f"{API}/compliance?{odd}", headers=h) for cl, h in ((local, {}), (remote, desk.monitor)))
        assert (fast.status_code, fast.content) == (routed.status_code, routed.content), odd


@pytest.mark.parametrize("desk", [False, True], ids=["in-thread", "append-process"], indirect=True)
def test_under_concurrent_writers_no_read_is_older_than_an_acknowledged_write(desk: Desk) -> None:
    acked = [0]
    lock = threading.Lock()
    stale: list[tuple[int, int]] = []
    stop = threading.Event()
    with TestClient(desk.app, base_url=BASE, client=LOCAL) as c:
        ind = desk.setup(c)
        assert c.post(f"{API}/reports", json=_report(ind, 0), headers=desk.monitor).status_code == 201
        acked[0] = 1  # the service is warm (a child process appending reports has started)
        counter = iter(range(1, 10**6))

        def write() -> None:
            while not stop.is_set():
                with lock:
                    i = next(counter)
                r = c.post(f"{API}/reports", json=_report(ind, i), headers=desk.monitor)
                assert r.status_code == 201, r.text
                with lock:
                    acked[0] += 1

        def read() -> None:
            while not stop.is_set():
                floor = acked[0]  # every write acknowledged before this read starts must show in it
                seen = _counted(c.get(f"{API}/compliance", params={"case": CASE}).json(), ind)
                if seen < floor:
                    stale.append((seen, floor))

        threads = [threading.Thread(target=f) for f in (write, write, write, read, read, read)]
        for t in threads:
            t.start()
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join()
        final = c.get(f"{API}/compliance", params={"case": CASE}).json()
    assert acked[0] >= 5 and not stale
    assert _counted(final, ind) == acked[0]


def test_a_killed_appender_process_is_replaced_and_no_acknowledged_write_is_lost(tmp_path: Path) -> None:
    desk = Desk(tmp_path, append_process=True)
    with TestClient(desk.app, base_url=BASE, client=LOCAL) as c:
        ind = desk.setup(c)
        assert c.post(f"{API}/reports", json=_report(ind, 1), headers=desk.monitor).status_code == 201
        appender = desk.app.state.accord.store.appender
        pid = appender.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        statuses = [c.post(f"{API}/reports", json=_report(ind, i), headers=desk.monitor).status_code
                    for i in (2, 3)]
        assert statuses[0] in (201, 503) and statuses[1] == 201  # 503: it died during that write
        assert appender.pid not in (None, pid)
        acked = 1 + statuses.count(201)
        board = c.get(f"{API}/compliance", params={"case": CASE}).json()
        stored = c.get(f"{API}/reports", params={"indicator": ind}).json()
    assert _counted(board, ind) == len(stored) >= acked


def test_writes_by_another_process_show_within_a_second(desk: Desk) -> None:
    with TestClient(desk.app, base_url=BASE, client=LOCAL) as c:
        ind = desk.setup(c)
        assert _counted(c.get(f"{API}/compliance", params={"case": CASE}).json(), ind) == 0
        other = Store.open(desk.url)  # as the CLI would: its own engine, its own transaction
        log, _ = keyfile.load_or_create(desk.log_key)
        res = add_reports(other, [Row(1, Report.model_validate(_report(ind, 1)))], log)
        assert res.count("stored") == 1
        deadline = time.monotonic() + 5
        while _counted(c.get(f"{API}/compliance", params={"case": CASE}).json(), ind) == 0:
            assert time.monotonic() < deadline, "the board never showed the other process's write"
            time.sleep(0.05)


def test_a_board_computed_before_a_refresh_never_replaces_the_newer_one() -> None:
    size = [3]
    key = ("c", None, dt.date(2026, 1, 1))

    def compute(key: Key) -> Snapshot:
        seen = size[0]
        if seen == 3:  # a write commits (size 4) and refreshes while this board is being computed
            size[0] = 4
            boards.refresh(today=key[2])
        return Snapshot.of(seen, ComplianceView(available=False, note=str(seen)))

    boards = Boards(compute, lambda: size[0])
    late = boards.load(key)
    assert late.view.note == "3" and late.size == 3  # the reader that asked gets it (it ran concurrently)...
    assert boards.size == 4 and boards.get(key) is None  # ...but it is not kept over the newer size
    assert boards.load(key).view.note == "4" and boards.get(key) is not None


def test_after_a_failed_refresh_no_board_is_kept_until_one_succeeds() -> None:
    size, broken = [3], [False]
    key = ("c", None, dt.date(2026, 1, 1))

    def compute(key: Key) -> Snapshot:
        if broken[0]:
            raise RuntimeError("database gone")
        return Snapshot.of(size[0], ComplianceView(available=False, note=str(size[0])))

    boards = Boards(compute, lambda: size[0])
    boards.load(key)
    size[0], broken[0] = 4, True
    with pytest.raises(RuntimeError):
        boards.refresh(today=key[2])
    boards.forget()  # what a write does when its refresh fails
    broken[0] = False
    assert boards.get(key) is None and boards.load(key).view.note == "4" and boards.get(key) is None
    boards.refresh(today=key[2])
    assert boards.load(key).view.note == "4" and boards.get(key) is not None

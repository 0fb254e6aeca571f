"""Fixtures of the web tests: a service on the toy case (with a workspace), tokens per role, a client."""

from __future__ import annotations

import linecache
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.web.app import create_app

LOCAL = ("127.0.0.1", 50000)
BASE = "http://localhost"  # the Host the service allows by default (TestClient's own "testserver" is refused)


@dataclass
class Service:
    app: FastAPI
    client: TestClient
    workspace: Path
    admin: str
    editor: str
    monitor: str

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def while_locked(s: Service, calls: Sequence[Callable[[], int]]) -> list[int]:
    """Start ``calls`` (requests returning a status code) on threads while the service's state lock is held, as
    by an edit in progress; let go once every one of them waits for it: their status codes, sorted.

    A check made outside the lock passes in every thread before any of them writes, so ``[200, 200, …]``
    exposes a race that a lone request never shows.
    """
    with ThreadPoolExecutor(len(calls)) as pool:
        with s.app.state.accord.lock:
            running = [pool.submit(call) for call in calls]
            deadline = time.monotonic() + 60
            while _waiting_for_a_lock() < len(calls) and not any(f.done() for f in running):
                assert time.monotonic() < deadline, "the requests never reached the state lock"
                time.sleep(0.01)
        return sorted(f.result() for f in running)


def _waiting_for_a_lock() -> int:
    """How many threads stand at a ``with …lock:`` line of accord's (blocked acquiring it)."""
    me = threading.get_ident()
    return sum(1 for tid, frame in sys._current_frames().items()
               if tid != me and "accord" in frame.f_code.co_filename
               and "lock" in linecache.getline(frame.f_code.co_filename, frame.f_lineno))


def make_service(tmp_path: Path, toy_dir: Path, *extra: str, **kwargs: object) -> Service:
    workspace = toy_dir.parent
    app = create_app(case=[str(toy_dir), *extra], workspace=workspace, **kwargs)  # type: ignore[arg-type]
    tokens = app.state.accord.tokens
    return Service(
        app=app, client=TestClient(app, base_url=BASE, client=LOCAL), workspace=workspace,
        admin=tokens.create("admin", name="root")[1], editor=tokens.create("editor")[1],
        monitor=tokens.create("monitor", monitor="m1")[1],
    )


@pytest.fixture
def svc(tmp_path: Path, toy_dir: Path) -> Iterator[Service]:
    s = make_service(tmp_path, toy_dir)
    yield s
    s.app.state.accord.jobs.shutdown()


@pytest.fixture
def dbsvc(tmp_path: Path, toy_dir: Path) -> Iterator[Service]:
    """The toy case and the bundled one, with an in-memory database (ledger, tokens, claims)."""
    s = make_service(tmp_path, toy_dir, "ukraine_2025", db_url="sqlite:///:memory:")
    yield s
    s.app.state.accord.jobs.shutdown()

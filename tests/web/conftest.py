"""Fixtures of the web tests: a service on the toy case (with a workspace), tokens per role, a client."""

from __future__ import annotations

from collections.abc import Iterator
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

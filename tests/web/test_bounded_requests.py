"""Requests that gave a 500 or took the server, and reads that left the workspace: now 4xx JSON, nothing served."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.model.test_bounded_input import alias_bomb
from tests.web.conftest import Service

API = "/api/v1"


def err(r):  # type: ignore[no-untyped-def]
    return r.json()["error"]


@pytest.mark.parametrize("path", ["/ledger/entries/99999999999999999999999", "/ledger/entries/-1",
                                  "/ledger/proofs/inclusion/0?size=99999999999999999999999",
                                  "/ledger/proofs/consistency?old=99999999999999999999999",
                                  "/ledger/entries/18446744073709551616"])
def test_huge_ledger_positions_are_422_not_500(dbsvc: Service, path: str) -> None:
    r = dbsvc.client.get(API + path)
    assert r.status_code == 422 and "error" in r.json(), (path, r.text)


def _copy(svc: Service, name: str) -> Path:
    folder = svc.workspace / "cases" / name
    shutil.copytree(svc.workspace / "toy", folder)
    (folder / "case.yaml").write_text((folder / "case.yaml").read_text().replace("id: toy", f"id: {name}"))
    return folder


def test_loading_an_alias_bomb_is_a_422(svc: Service) -> None:
    folder = _copy(svc, "bomb")
    (folder / "actors.yaml").write_text(alias_bomb())
    r = svc.client.post(f"{API}/cases", json={"path": "cases/bomb"}, headers=svc.auth(svc.editor))
    assert r.status_code == 422 and "alias" in err(r)["message"]
    assert "bomb" not in svc.app.state.accord.cases


@pytest.mark.parametrize("breakage", ["empty case.yaml", "symlink loop", "fifo"])
def test_broken_case_folders_are_422(svc: Service, breakage: str) -> None:
    folder = _copy(svc, "broken")
    if breakage == "empty case.yaml":
        (folder / "case.yaml").write_text("")
    elif breakage == "symlink loop":
        os.symlink("x.yaml", folder / "plans" / "x.yaml")
    else:
        os.mkfifo(folder / "plans" / "pipe.yaml")
    r = svc.client.post(f"{API}/cases", json={"path": "cases/broken"}, headers=svc.auth(svc.editor))
    assert r.status_code == 422 and "error" in r.json(), r.text


def test_a_plan_linked_from_outside_the_workspace_is_not_served(svc: Service, tmp_path: Path) -> None:
    """The folder is inside the workspace, but plans/x.yaml points out of it: nothing of it is read."""
    folder = _copy(svc, "leaky")
    secret = tmp_path / f"secret-{os.getpid()}.yaml"
    secret.write_text((folder / "plans" / "p2.yaml").read_text().replace("name: Plan two", "name: SECRET"))
    (folder / "plans" / "p2.yaml").unlink()
    os.symlink(secret, folder / "plans" / "p2.yaml")
    r = svc.client.post(f"{API}/cases", json={"path": "cases/leaky"}, headers=svc.auth(svc.editor))
    assert r.status_code == 422 and "outside the case folder" in err(r)["message"]
    assert "SECRET" not in r.text


def test_an_article_sidecar_linked_from_outside_is_refused(svc: Service, tmp_path: Path) -> None:
    docs = svc.workspace / "articles"
    docs.mkdir()
    (docs / "a1.txt").write_text("Alpha rejects the split.\n")
    outside = tmp_path.parent / f"meta-{os.getpid()}.jsonl"  # the workspace is tmp_path
    outside.write_text('{"doc": "a1", "title": "SECRET"}\n')
    os.symlink(outside, docs / "meta.jsonl")
    r = svc.client.post(f"{API}/cases/toy/documents", json={"path": "articles"}, headers=svc.auth(svc.editor))
    assert r.status_code == 403 and err(r)["field"] == "path"
    assert not svc.app.state.accord.entry("toy").documents

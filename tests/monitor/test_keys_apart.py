"""The log key apart from the data, and readers that verify what they read (hole 8 of issue 16).

The hole: by default the key that signs tree heads sat next to the database, so whoever could write the
file could rewrite history that plain `ledger verify` then accepted; `compliance` read entries unchecked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from accord.cli import app
from accord.store.keyfile import default_log_key_path, legacy_log_key_path

runner = CliRunner()


def cli(*args: object) -> tuple[int, str, str]:
    r = runner.invoke(app, [str(a) for a in args])
    if r.exception and not isinstance(r.exception, SystemExit):
        raise r.exception
    return r.exit_code, r.stdout, r.stderr


def sql(url: str, statement: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def signed_desk(folder: Path, *extra: object, date: str = "2026-01-15") -> str:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'desk.db'}"
    code, _, err = cli("sign", "--plan", "us-28-point", "--date", date, "--db", url, *extra)
    assert code == 0, err
    return url


def test_the_log_key_is_made_outside_the_database_folder(tmp_path: Path) -> None:
    url = signed_desk(tmp_path / "data")
    key = default_log_key_path(url)
    assert key.is_file() and key.parent != tmp_path / "data" and not list((tmp_path / "data").glob("*.pem"))
    code, _, err = cli("ledger", "verify", "--db", url)
    assert code == 0 and "sits beside the database" not in err
    assert "checked against the tree heads stored in the database only" in err  # says what it cannot prove


def test_a_key_beside_the_database_is_used_with_a_warning_and_verify_warns(tmp_path: Path) -> None:
    url = signed_desk(tmp_path / "data")
    legacy = legacy_log_key_path(url)
    default_log_key_path(url).rename(legacy)  # where an older accord kept it
    code, _, err = cli("keys", "add", "--monitor", "m1", "--public-key", "ab" * 32, "--db", url)
    assert code == 0 and f"the log key {legacy} sits beside the database" in err
    code, out, _ = cli("ledger", "verify", "--db", url, "--json")
    warnings = json.loads(out)["warnings"]
    assert code == 0 and any(f"the log key {legacy} sits beside the database" in w for w in warnings)
    # a copy under another name, given elsewhere, is found too
    moved = tmp_path / "safe" / "log.pem"
    moved.parent.mkdir()
    shutil.copy(legacy, moved)
    shutil.move(legacy, tmp_path / "data" / "backup-of-key.pem")
    code, out, _ = cli("ledger", "verify", "--db", url, "--log-key", moved, "--json")
    assert any("backup-of-key.pem sits beside the database" in w for w in json.loads(out)["warnings"])


def test_a_rewrite_with_the_key_beside_the_db_passes_plain_verify_but_not_a_published_head(tmp_path: Path) -> None:
    """What `verify` proves with and without a published tree head."""
    key = tmp_path / "data" / "desk.log-key.pem"  # the key where the attacker can reach it
    url = signed_desk(tmp_path / "data", "--log-key", key)
    code, published, _ = cli("ledger", "head", "--db", url, "--json")
    (tmp_path / "head.json").write_text(published)
    # the attacker builds another history (signed a day later) with the same key and swaps the file in
    signed_desk(tmp_path / "forge", "--log-key", key, date="2026-01-16")
    for f in (tmp_path / "data").glob("desk.db*"):
        f.unlink()
    for f in (tmp_path / "forge").glob("desk.db*"):
        shutil.copy(f, tmp_path / "data" / f.name)
    code, out, err = cli("ledger", "verify", "--db", url, "--log-key", key)
    assert code == 0 and "sits beside the database" in err  # consistent, re-signed: plain verify cannot tell
    code, _, err = cli("ledger", "verify", "--db", url, "--against", tmp_path / "head.json")
    assert code == 1 and "history rewritten" in err


def test_compliance_verifies_every_entry_it_reads_and_says_so(tmp_path: Path) -> None:
    url = signed_desk(tmp_path / "data")
    code, out, err = cli("compliance", "--db", url, "--as-of", "2026-08-01")
    assert code == 0, err
    assert "ledger verified: all 8 entries re-hashed and checked against the signed tree head" in out
    assert "the log key held apart from the database" in out
    doc = json.loads(cli("compliance", "--db", url, "--as-of", "2026-08-01", "--json")[1])["ledger"]
    assert doc["ok"] and doc["scope"] == "entries" and doc["pinned"] and doc["size"] == 8
    sql(url, "UPDATE ledger_entry SET content = replace(content, '600000', '900000') WHERE seq > 0")
    code, out, err = cli("compliance", "--db", url, "--as-of", "2026-08-01")
    assert code == 1 and "the ledger does NOT verify: entry #" in err and "content does not match" in err


def test_the_board_checks_the_signed_tree_head_with_the_servers_own_key(tmp_path: Path) -> None:
    from accord.web.app import create_app

    url = signed_desk(tmp_path / "data")
    app_ = create_app(db_url=url)
    c = TestClient(app_, base_url="http://localhost", client=("127.0.0.1", 5000))
    view = c.get("/api/v1/compliance", params={"as_of": "2026-08-01"}).json()
    assert view["ledger_ok"] is True and "held apart from the database" in view["ledger_check"]
    page = c.get("/cases/ukraine_2025/compliance", params={"as_of": "2026-08-01"}).text
    assert 'data-field="ledger_check" data-ok="yes"' in page
    sql(url, "DELETE FROM ledger_entry WHERE seq = 7")
    view = c.get("/api/v1/compliance", params={"as_of": "2026-08-02"}).json()
    assert view["ledger_ok"] is False and "covers 8 entries, 7 are stored" in view["ledger_check"]


@pytest.mark.parametrize("bad", ["ACCORD_LOG_KEY"])
def test_the_environment_names_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv(bad, str(tmp_path / "elsewhere" / "k.pem"))
    signed_desk(tmp_path / "data")
    assert (tmp_path / "elsewhere" / "k.pem").is_file()

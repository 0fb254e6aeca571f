"""The case-edit log in a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from sqlalchemy import inspect

from accord.store import Store
from accord.store.edits import EditStore, case_edit


def test_edits_are_kept_in_order_per_case(db_url: str) -> None:
    store = EditStore(Store.open(db_url).engine)
    assert store.load("toy") == []
    a = store.record("toy", "position", "a/land", '{"actor": "a"}', author="ed")
    b = store.record("other", "plan", "p", '{"id": "p"}')
    c = store.record("toy", "plan", "p2", None, author="ed")
    assert a < b < c
    got = store.load("toy")
    assert [(e.seq, e.kind, e.key, e.removed) for e in got] == [
        (a, "position", "a/land", False), (c, "plan", "p2", True)]
    assert got[0].content == '{"actor": "a"}' and got[0].author == "ed" and got[0].created > 0
    assert [e.key for e in EditStore(Store.open(db_url).engine).load("other")] == ["p"]  # reopened


def test_the_migration_creates_the_table_the_code_reads(db_url: str) -> None:
    engine = Store.open(db_url).engine
    cols = {c["name"] for c in inspect(engine).get_columns("case_edit")}
    assert cols == {c.name for c in case_edit.columns}

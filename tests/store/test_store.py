"""The ledger in a real database (SQLite, and PostgreSQL when configured): append, prove, tamper, back up."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from accord.errors import AccordError
from accord.monitor.keys import private_key_from_seed
from accord.monitor.ledger import Entry, MerkleTree, leaf_hash, verify_consistency, verify_inclusion
from accord.store import Store, normalize_url
from accord.store.migrate import MIGRATIONS, alembic_config, head_revision

KEY = private_key_from_seed(hashlib.sha256(b"store test log key").digest())
OTHER_KEY = private_key_from_seed(hashlib.sha256(b"another log key").digest())


def entries(lo: int, hi: int) -> list[Entry]:
    return [Entry("note", f"n{i}", {"i": i, "text": f"entry {i}"}) for i in range(lo, hi)]


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()


def filled(store: Store, n: int = 13, batch: int = 4) -> list[Entry]:
    es = entries(0, n)
    for i in range(0, n, batch):
        with store.writer(KEY) as w:
            w.append(es[i:i + batch])
    return es


def sql(store: Store, statement: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_migrations_head_and_reopen(db_url: str) -> None:
    from alembic.script import ScriptDirectory

    head = head_revision()
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == head
    assert (MIGRATIONS / "env.py").is_file()
    s = Store.open(db_url)
    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    s.close()
    Store.open(db_url).close()  # already at head: no-op


def test_append_is_idempotent_and_heads_are_signed(store: Store) -> None:
    es = filled(store)
    assert store.size() == 13
    assert [h.size for h in store.tree_heads()] == [4, 8, 12, 13]
    with store.writer(KEY) as w:
        out = w.append([es[3], es[3], Entry("note", "new", {})])
    assert [(o.seq, o.new) for o in out] == [(3, False), (3, False), (13, True)]
    with store.writer(KEY) as w:  # nothing new: no new tree head
        assert not any(o.new for o in w.append(es[:2]))
    heads = store.tree_heads()
    assert [h.size for h in heads] == [4, 8, 12, 13, 14]
    tree = MerkleTree(leaf_hash(e.encode()) for e in [*es, Entry("note", "new", {})])
    assert all(h.root == tree.root(h.size) for h in heads)
    assert store.audit().ok
    assert store.entry(13) == Entry("note", "new", {})
    assert [e.ref for _, e in store.entries(["note"])][:2] == ["n0", "n1"]


def test_a_writer_needs_the_ledgers_own_key(store: Store) -> None:
    filled(store, 3)
    with pytest.raises(AccordError, match="signed with log key"), store.writer(OTHER_KEY) as w:
        w.append(entries(3, 4))
    with pytest.raises(AccordError, match="needs the log key"), store.writer(None) as w:
        w.append(entries(3, 4))
    assert store.size() == 3  # both rolled back


def test_proofs_from_the_store_match_the_memory_tree(store: Store) -> None:
    es = filled(store, 21, batch=5)
    tree = MerkleTree(leaf_hash(e.encode()) for e in es)
    for size in (1, 5, 16, 21):
        for i in (0, size // 2, size - 1):
            p = store.inclusion_proof(i, size)
            assert list(p.path) == tree.inclusion_proof(i, size) and p.root == tree.root(size)
            assert verify_inclusion(p.leaf_hash, i, size, p.path, p.root) and p.verify()
    for old in (0, 1, 5, 8, 20, 21):
        c = store.consistency_proof(old)
        assert list(c.path) == tree.consistency_proof(old, 21)
        assert verify_consistency(old, 21, tree.root(old), tree.root(), c.path) and c.verify()
    with pytest.raises(AccordError):
        store.inclusion_proof(21)


# -- tampering ---------------------------------------------------------------------------------
def test_edited_row_is_named(store: Store) -> None:
    filled(store)
    sql(store, "UPDATE ledger_entry SET content = REPLACE(content, 'entry 7', 'entry 8') WHERE seq = 7")
    a = store.audit()
    assert not a.ok and a.first_bad_entry == 7 and "entry #7" in a.findings[0].message


def test_edited_row_with_its_hash_is_named(store: Store) -> None:
    filled(store)
    content = Entry("note", "n9", {"i": 9, "text": "forged"}).encode()
    sql(store, "UPDATE ledger_entry SET content = :c, leaf_hash = :h WHERE seq = 9",
        c=content.decode(), h=leaf_hash(content))
    a = store.audit()
    assert a.first_bad_entry == 9 and "reordered or replaced" in a.findings[0].message


def test_deleted_rows_are_named(store: Store) -> None:
    filled(store)
    sql(store, "DELETE FROM ledger_entry WHERE seq = 4")
    a = store.audit()
    assert a.first_bad_entry == 4 and "entry #4 is missing" in a.findings[0].message
    sql(store, "DELETE FROM ledger_entry WHERE seq >= 11")
    assert store.audit().first_bad_entry == 4


def test_deleting_the_last_rows_is_caught_by_the_signed_head(store: Store) -> None:
    filled(store)
    sql(store, "DELETE FROM ledger_entry WHERE seq = 12")
    a = store.audit()
    assert a.first_bad_entry == 12 and any("covers 13 entries" in f.message for f in a.findings)


def test_reordered_rows_are_named(store: Store) -> None:
    filled(store)
    sql(store, "UPDATE ledger_entry SET seq = -1 WHERE seq = 2")
    sql(store, "UPDATE ledger_entry SET seq = 2 WHERE seq = 10")
    sql(store, "UPDATE ledger_entry SET seq = 10 WHERE seq = -1")
    a = store.audit()
    assert a.first_bad_entry == 2 and "reordered" in a.findings[0].message


def test_tampered_tree_and_heads(store: Store) -> None:
    filled(store)
    sql(store, "UPDATE ledger_node SET hash = :h WHERE level = 2 AND idx = 1", h=b"\x00" * 32)
    assert store.audit().first_bad_entry == 4
    fresh = Store.open(store.url)  # same database: undo by recomputing is not possible, check heads too
    sql(fresh, "UPDATE tree_head SET root = :r WHERE size = 8", r=b"\x11" * 32)
    assert any("tree head of size 8" in f.message for f in fresh.audit().findings)
    sql(fresh, "UPDATE tree_head SET signature = :s WHERE size = 13", s="00" * 64)
    assert any("bad signature" in f.message for f in fresh.audit().findings)


def test_inserted_row_outside_accord_is_caught(store: Store) -> None:
    filled(store, 4)
    content = Entry("note", "sneaky", {}).encode()
    sql(store, "INSERT INTO ledger_entry (seq, kind, ref, content, leaf_hash) VALUES (4, 'note', 'sneaky', :c, :h)",
        c=content.decode(), h=leaf_hash(content))
    a = store.audit()
    assert a.first_bad_entry == 4 and not a.ok


# -- backups -----------------------------------------------------------------------------------
def test_export_import_roundtrip(store: Store, tmp_path: pytest.TempPathFactory, db_url: str) -> None:
    filled(store, 10, batch=3)
    lines = list(store.export_lines())
    assert len(lines) == 1 + 10 + 4
    target = Store.open(f"sqlite:///{tmp_path}/restored.db")  # type: ignore[operator]
    assert target.import_lines(lines) == (10, 4)
    assert target.audit().ok
    assert target.tree_heads() == store.tree_heads()
    assert target.import_lines(lines) == (0, 0)  # again: nothing new
    # a longer export extends a shorter copy
    with store.writer(KEY) as w:
        w.append(entries(10, 12))
    assert target.import_lines(list(store.export_lines())) == (2, 1)
    assert target.audit().ok and target.latest_head() == store.latest_head()


def test_import_refuses_a_diverging_or_forged_backup(store: Store, tmp_path: pytest.TempPathFactory) -> None:
    filled(store, 6, batch=3)
    lines = list(store.export_lines())
    other = Store.open(f"sqlite:///{tmp_path}/other.db")  # type: ignore[operator]
    with other.writer(OTHER_KEY) as w:
        w.append(entries(100, 102))
    with pytest.raises(AccordError, match="not an extension"):
        other.import_lines(lines)
    forged = list(lines)
    forged[3] = forged[3].replace("entry 2", "entry X")
    empty = Store.open(f"sqlite:///{tmp_path}/empty.db")  # type: ignore[operator]
    with pytest.raises(AccordError, match="does not match the entries"):
        empty.import_lines(forged)
    assert empty.size() == 0
    with pytest.raises(AccordError, match="not an accord ledger export"):
        empty.import_lines(["{}"])


def test_urls() -> None:
    assert normalize_url("postgresql://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalize_url("postgresql+psycopg://a@b/c") == "postgresql+psycopg://a@b/c"
    with pytest.raises(AccordError, match="expected sqlite"):
        normalize_url("mysql://x")
    with pytest.raises(AccordError, match="cannot open database"):
        Store.open("postgresql://nobody:secret@127.0.0.1:1/none")

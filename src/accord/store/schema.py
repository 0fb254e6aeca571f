"""The tables (SQLAlchemy Core). The Alembic migrations in ``migrations/`` create them.

- ``ledger_entry`` — the log: one row per entry, in order (``seq`` is the leaf index);
  ``content`` is the entry's canonical JSON, ``leaf_hash`` its RFC 6962 leaf hash
  (unique: appending the same entry twice stores it once).
- ``ledger_node`` — every complete subtree of the Merkle tree, ``(level, idx) → hash``;
  level 0 repeats the leaf hashes so that a reordered entry row is caught.
- ``tree_head`` — the signed tree heads, one per write that appended something.
- ``log_key`` — the public keys the tree heads are signed with.
- ``compliance_tally`` — per obligation, the :class:`~accord.monitor.tally.Tally` of its reports (JSON),
  updated in the transaction that appends them; ``compliance_mark`` — the ledger size they reflect.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary, MetaData, SmallInteger, String, Table, Text

metadata = MetaData()

ledger_entry = Table(
    "ledger_entry", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("ref", String(300), nullable=False),
    Column("content", Text, nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False, unique=True),
    Index("ix_ledger_entry_kind_ref", "kind", "ref"),
)

ledger_node = Table(
    "ledger_node", metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)

tree_head = Table(
    "tree_head", metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("timestamp", BigInteger, nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("signature", String(128), nullable=False),
)

log_key = Table(
    "log_key", metadata,
    Column("key_id", String(32), primary_key=True),
    Column("public_key", String(64), nullable=False),
    Column("created", BigInteger, nullable=False),
)

compliance_tally = Table(
    "compliance_tally", metadata,
    Column("obligation", String(300), primary_key=True),
    Column("agreement", String(300), nullable=False),
    Column("state", Text, nullable=False),
)

compliance_mark = Table(
    "compliance_mark", metadata,
    Column("id", SmallInteger, primary_key=True, autoincrement=False),
    Column("size", BigInteger, nullable=False),
)

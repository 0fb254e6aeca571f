"""Case edits made through the web service: the ``case_edit`` table (migration ``0003_case_edit``).

An append-only log, one row per edit: a plan or a position set (``content`` is
its JSON) or removed (``content`` is null), or a review decision on a proposed
update from claims (``content``: the decision, the state it writes, the sources
it adds), who made it and when. The service
replays a case's edits, in order, over the case read from its YAML at start,
so what editors change outlives the process and its history can be shown.

>>> store = EditStore.open("sqlite:///:memory:")
>>> store.record("toy", "position", "a/land", '{"actor": "a"}', author="ci")
1
>>> [(e.seq, e.kind, e.key, e.removed, e.author) for e in store.load("toy")]
[(1, 'position', 'a/land', False, 'ci')]
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import BigInteger, Column, Engine, Integer, MetaData, String, Table, Text, select

from accord.store.db import reading, writing
from accord.store.ledger_store import Store

EditKind = Literal["plan", "position", "review"]

metadata = MetaData()
case_edit = Table(
    "case_edit", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(200), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("key", String(400), nullable=False),
    Column("content", Text, nullable=True),
    Column("author", String(200), nullable=False, server_default=""),
    Column("created", BigInteger, nullable=False),
)


@dataclass(frozen=True)
class StoredEdit:
    seq: int
    case_id: str
    kind: EditKind
    key: str
    content: str | None
    author: str
    created: int
    """Milliseconds since the epoch (UTC)."""

    @property
    def removed(self) -> bool:
        return self.content is None


class EditStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> EditStore:
        return cls(Store.open(url).engine)

    def record(self, case_id: str, kind: EditKind, key: str, content: str | None, author: str = "") -> int:
        """Append one edit; returns its sequence number."""
        with writing(self.engine) as conn:
            res = conn.execute(case_edit.insert().values(case_id=case_id, kind=kind, key=key, content=content,
                                                         author=author, created=int(time.time() * 1000)))
            pk = res.inserted_primary_key
        assert pk is not None
        return int(pk[0])

    def load(self, case_id: str) -> list[StoredEdit]:
        """A case's edits, oldest first."""
        with reading(self.engine) as conn:
            rows = conn.execute(select(case_edit).where(case_edit.c.case_id == case_id)
                                .order_by(case_edit.c.seq)).all()
        return [StoredEdit(seq=r.seq, case_id=r.case_id, kind=r.kind, key=r.key, content=r.content,
                           author=r.author, created=r.created) for r in rows]

"""Engines and transactions: SQLite (WAL) by default, PostgreSQL via psycopg 3.

Writes take a database-level lock so that two processes appending at once are
serialised and the log stays a single valid tree:

- SQLite: ``BEGIN IMMEDIATE`` (the write lock is taken when the transaction
  starts; a second writer waits up to ``busy_timeout``);
- PostgreSQL: ``pg_advisory_xact_lock`` on a key derived from the schema,
  released at commit or rollback.

An in-memory SQLite database (tests, a throwaway server) is one connection every
thread shares: its transactions take turns on a lock.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import StaticPool

from accord.errors import AccordError
from accord.store.url import normalize_url, redact, sqlite_path

BUSY_TIMEOUT_S = 120
_PG_LOCK = "SELECT pg_advisory_xact_lock(hashtext('accord.ledger:' || current_schema()))"


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with accord's settings (WAL, busy timeout, explicit BEGIN on SQLite)."""
    url = normalize_url(url)
    if not url.startswith("sqlite:"):
        return create_engine(url, pool_pre_ping=True)
    path = sqlite_path(url)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_S}}
    if path is None:  # in memory: one connection all threads share, so one transaction at a time (_SHARED)
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        folder = Path(path).expanduser().parent
        if not folder.is_dir():
            raise AccordError(f"database {redact(url)}: the folder {folder} does not exist; create it first "
                              "(accord creates the database file, not folders)")
    engine = create_engine(url, **kwargs)
    if path is None:
        _SHARED[engine] = threading.RLock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # pysqlite: let us issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        if path is not None:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("accord_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


_SHARED: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
"""The lock of each in-memory engine's one connection (the web service runs requests in several threads)."""


def _turn(engine: Engine) -> AbstractContextManager[object]:
    lock = _SHARED.get(engine)
    return lock if lock is not None else nullcontext()


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read transaction (one consistent snapshot in SQLite WAL)."""
    with _turn(engine), engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction holding the store's lock until commit (or rollback on error)."""
    with _turn(engine), engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(accord_begin="IMMEDIATE")
            with conn.begin():
                yield conn
        else:
            with conn.begin():
                conn.execute(text(_PG_LOCK))
                yield conn

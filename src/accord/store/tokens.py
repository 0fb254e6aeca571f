"""Bearer tokens with roles, stored hashed.

A token reads ``acc_<id>_<secret>``: ``id`` (12 hex characters) names the
stored row, ``secret`` (43 URL-safe characters, 256 random bits) is shown
once at creation and never stored — only ``sha256(secret)`` is. Checking a
token looks the row up by id and compares hashes in constant time
(:func:`hmac.compare_digest`).

Roles: ``editor`` writes case data and claims; ``monitor`` posts reports
(signed with its key; the token names the monitor it speaks for); ``admin``
manages tokens and may do what an editor does.

>>> store = MemoryTokenStore()
>>> info, token = store.create("editor", name="alice")
>>> token.startswith("acc_" + info.id + "_")
True
>>> check_token(store, token).role
'editor'
>>> check_token(store, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
True

Where they live: :class:`MemoryTokenStore` (a server without ``--db``; tests) or
:class:`SqlTokenStore`, the ``api_token`` table of an accord database (migration
``0002_web``), both behind the :class:`TokenStore` protocol.

>>> sql = SqlTokenStore.open("sqlite:///:memory:")
>>> info, token = sql.create("admin", name="root")
>>> sql.lookup(info.id).hash != token, [t.role for t in sql.list()]
(True, ['admin'])
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict
from sqlalchemy import BigInteger, Boolean, Column, Engine, MetaData, String, Table, select

from accord.store.db import reading, writing
from accord.store.ledger_store import Store

Role = Literal["editor", "monitor", "admin"]
ROLES: tuple[Role, ...] = ("editor", "monitor", "admin")
PREFIX = "acc"


class TokenInfo(BaseModel):
    """What is known about a token (never its secret)."""

    model_config = ConfigDict(frozen=True)

    id: str
    role: Role
    name: str = ""
    monitor: str | None = None
    created: dt.datetime
    revoked: bool = False


class TokenRecord(TokenInfo):
    hash: str


def hash_secret(secret: str) -> str:
    """Hex SHA-256 of the secret part of a token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str, str]:
    """A fresh ``(id, secret, token)``."""
    tid = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return tid, secret, f"{PREFIX}_{tid}_{secret}"


def parse_token(token: str) -> tuple[str, str] | None:
    """``(id, secret)`` of a well-formed token, else None."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


class TokenStore(Protocol):
    """Where tokens live: in memory (:class:`MemoryTokenStore`) or in the database (``accord.store.tokens``)."""

    def create(self, role: Role, name: str = "", monitor: str | None = None) -> tuple[TokenInfo, str]: ...

    def lookup(self, token_id: str) -> TokenRecord | None: ...

    def list(self) -> list[TokenInfo]: ...

    def revoke(self, token_id: str) -> bool: ...


def check_token(store: TokenStore, token: str) -> TokenInfo | None:
    """The token's info when it is well formed, known, not revoked and its secret matches; else None."""
    parsed = parse_token(token)
    if parsed is None:
        return None
    tid, secret = parsed
    rec = store.lookup(tid)
    expected = rec.hash if rec is not None else hash_secret("")
    ok = hmac.compare_digest(hash_secret(secret), expected)
    if rec is None or not ok or rec.revoked:
        return None
    return TokenInfo.model_validate(rec.model_dump(exclude={"hash"}))


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'; expected one of {', '.join(ROLES)}")
    return role  # type: ignore[return-value,unused-ignore]


class MemoryTokenStore:
    """Tokens kept in memory (a server without ``--db``; tests)."""

    def __init__(self) -> None:
        self._rows: dict[str, TokenRecord] = {}
        self._lock = threading.Lock()

    def create(self, role: Role, name: str = "", monitor: str | None = None) -> tuple[TokenInfo, str]:
        check_role(role)
        tid, secret, token = new_token()
        rec = TokenRecord(id=tid, role=role, name=name, monitor=monitor, hash=hash_secret(secret),
                          created=dt.datetime.now(dt.UTC).replace(microsecond=0))
        with self._lock:
            self._rows[tid] = rec
        return TokenInfo.model_validate(rec.model_dump(exclude={"hash"})), token

    def lookup(self, token_id: str) -> TokenRecord | None:
        return self._rows.get(token_id)

    def list(self) -> list[TokenInfo]:
        return [TokenInfo.model_validate(r.model_dump(exclude={"hash"})) for r in self._rows.values()]

    def revoke(self, token_id: str) -> bool:
        with self._lock:
            rec = self._rows.get(token_id)
            if rec is None:
                return False
            self._rows[token_id] = rec.model_copy(update={"revoked": True})
        return True


# -- in the database ---------------------------------------------------------------------------------------------------
metadata = MetaData()
api_token = Table(
    "api_token", metadata,
    Column("id", String(32), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("name", String(200), nullable=False),
    Column("monitor", String(200), nullable=True),
    Column("hash", String(64), nullable=False),
    Column("created", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False),
)


def _record(row: object) -> TokenRecord:
    r = row._mapping  # type: ignore[attr-defined]
    return TokenRecord(id=r["id"], role=r["role"], name=r["name"], monitor=r["monitor"], hash=r["hash"],
                       created=dt.datetime.fromtimestamp(r["created"] / 1000, dt.UTC), revoked=bool(r["revoked"]))


class SqlTokenStore:
    """Tokens in the ``api_token`` table of an accord database."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> SqlTokenStore:
        """Open (and migrate) the database at ``url``."""
        return cls(Store.open(url).engine)

    def create(self, role: Role, name: str = "", monitor: str | None = None) -> tuple[TokenInfo, str]:
        check_role(role)
        tid, secret, token = new_token()
        created = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with writing(self.engine) as conn:
            conn.execute(api_token.insert().values(
                id=tid, role=role, name=name, monitor=monitor, hash=hash_secret(secret),
                created=int(created.timestamp() * 1000), revoked=False))
        return TokenInfo(id=tid, role=role, name=name, monitor=monitor, created=created), token

    def lookup(self, token_id: str) -> TokenRecord | None:
        with reading(self.engine) as conn:
            row = conn.execute(select(api_token).where(api_token.c.id == token_id)).first()
        return _record(row) if row is not None else None

    def list(self) -> list[TokenInfo]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(api_token).order_by(api_token.c.created, api_token.c.id)).all()
        return [TokenInfo.model_validate(_record(r).model_dump(exclude={"hash"})) for r in rows]

    def revoke(self, token_id: str) -> bool:
        with writing(self.engine) as conn:
            n = conn.execute(api_token.update().where(api_token.c.id == token_id).values(revoked=True)).rowcount
        return bool(n)

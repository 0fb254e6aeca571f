"""API tokens in the database: the ``api_token`` table (migration ``0002_web``), stored hashed.

Implements :class:`accord.web.tokens.TokenStore`: only ``sha256(secret)`` is
stored; :func:`accord.web.tokens.check_token` compares in constant time.

>>> store = SqlTokenStore.open("sqlite:///:memory:")
>>> info, token = store.create("admin", name="root")
>>> store.lookup(info.id).hash != token
True
>>> [t.role for t in store.list()]
['admin']
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Column, Engine, MetaData, String, Table, select

from accord.store.db import reading, writing
from accord.store.ledger_store import Store
from accord.web.tokens import Role, TokenInfo, TokenRecord, check_role, hash_secret, new_token

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

"""Reviewed claims kept by the web service: the ``stored_claim`` table (migration ``0002_web``).

One row per (case, claim id); ``content`` is the claim's JSON.

>>> from accord.model import Claim
>>> store = ClaimStore.open("sqlite:///:memory:")
>>> store.save("toy", Claim(id="c1", doc="d", holder="a", issue="plan", stance="support", text="A backs it."))
>>> [c.id for c in store.load("toy")]
['c1']
"""

from __future__ import annotations

import time

from sqlalchemy import BigInteger, Column, Engine, MetaData, String, Table, Text, delete, select

from accord.model import Claim
from accord.store.db import reading, writing
from accord.store.ledger_store import Store

metadata = MetaData()
stored_claim = Table(
    "stored_claim", metadata,
    Column("case_id", String(200), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("content", Text, nullable=False),
    Column("created", BigInteger, nullable=False),
)


class ClaimStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> ClaimStore:
        return cls(Store.open(url).engine)

    def save(self, case_id: str, claim: Claim) -> None:
        """Insert or replace the claim."""
        with writing(self.engine) as conn:
            conn.execute(delete(stored_claim).where(stored_claim.c.case_id == case_id,
                                                    stored_claim.c.id == claim.id))
            conn.execute(stored_claim.insert().values(case_id=case_id, id=claim.id,
                                                      content=claim.model_dump_json(),
                                                      created=int(time.time() * 1000)))

    def delete(self, case_id: str, claim_id: str) -> bool:
        with writing(self.engine) as conn:
            n = conn.execute(delete(stored_claim).where(stored_claim.c.case_id == case_id,
                                                        stored_claim.c.id == claim_id)).rowcount
        return bool(n)

    def load(self, case_id: str) -> list[Claim]:
        with reading(self.engine) as conn:
            rows = conn.execute(select(stored_claim.c.content).where(stored_claim.c.case_id == case_id)
                                .order_by(stored_claim.c.created, stored_claim.c.id)).all()
        return [Claim.model_validate_json(r[0]) for r in rows]

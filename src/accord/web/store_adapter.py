"""The web service's bridge to the database (:mod:`accord.store`): monitoring records, tokens, claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.errors import AccordError
from accord.web.tokens import TokenStore


def token_store(db_url: str) -> TokenStore:
    """The token table of the database at ``db_url``."""
    try:
        from accord.store.tokens import SqlTokenStore  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise AccordError("this build has no database store for tokens") from None
    return SqlTokenStore.open(db_url)  # type: ignore[no-any-return,unused-ignore]


def open_adapter(db_url: str) -> tuple[Any, TokenStore]:
    raise AccordError("this build has no monitoring store yet")


def read_compliance(db_url: str, case_id: str, as_of: dt.date | None = None) -> Any:
    raise AccordError("this build has no monitoring store yet")

"""Database URLs: the default SQLite file, and PostgreSQL through psycopg 3.

>>> normalize_url("postgresql://accord@127.0.0.1:54329/accord")
'postgresql+psycopg://accord@127.0.0.1:54329/accord'
>>> normalize_url("postgres://u@h/db")
'postgresql+psycopg://u@h/db'
>>> normalize_url("sqlite:///accord.db"), is_sqlite("sqlite:///accord.db")
('sqlite:///accord.db', True)
>>> sqlite_path("sqlite:////tmp/x.db"), sqlite_path("sqlite://"), sqlite_path("sqlite:///:memory:")
('/tmp/x.db', None, None)
"""

from __future__ import annotations

import os

from accord.defaults import DEFAULT_DB as DEFAULT_URL
from accord.errors import AccordError

ENV_URL = "ACCORD_DB"


def default_url() -> str:
    """``$ACCORD_DB`` when set, else :data:`DEFAULT_URL`."""
    return os.environ.get(ENV_URL) or DEFAULT_URL


def found_url() -> str | None:
    """The default database when there is one to read: ``$ACCORD_DB`` when set, else ``accord.db`` in the
    working directory when it exists (what ``accord sign``, ``reports`` and ``compliance`` write by default);
    else None. ``accord report`` and ``accord serve`` read it when given no ``--db``.
    """
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    path = sqlite_path(DEFAULT_URL)
    return DEFAULT_URL if path is not None and os.path.isfile(path) else None


def normalize_url(url: str) -> str:
    """The SQLAlchemy URL for ``url``: ``postgresql://`` and ``postgres://`` use psycopg 3."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if url.startswith(("sqlite:", "postgresql+psycopg:")):
        return url
    if url.startswith("postgresql+"):
        raise AccordError(f"database URL {redact(url)}: use postgresql:// (accord talks to PostgreSQL via psycopg 3)")
    raise AccordError(f"database URL {redact(url)}: expected sqlite:///FILE or postgresql://USER@HOST/DB")


def is_sqlite(url: str) -> bool:
    return normalize_url(url).startswith("sqlite:")


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL (None for an in-memory database)."""
    u = normalize_url(url)
    if not u.startswith("sqlite:"):
        return None
    path = u.removeprefix("sqlite:").removeprefix("//").removeprefix("/")
    path = path.split("?", 1)[0]
    return None if path in ("", ":memory:") else path


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        if ":" in creds:
            creds = creds.split(":", 1)[0] + ":***"
        return f"{scheme}://{creds}@{host}"
    return url

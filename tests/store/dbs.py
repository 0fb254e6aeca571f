"""Databases for the store tests: SQLite always; PostgreSQL when ``ACCORD_TEST_PG_URL`` is set.

Each PostgreSQL test gets its own schema (``search_path`` set through the URL),
dropped afterwards. Without ``ACCORD_TEST_PG_URL`` the PostgreSQL variants are
skipped — unless ``ACCORD_REQUIRE_SERVICES=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

PG_ENV = "ACCORD_TEST_PG_URL"
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]


def pg_base_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("ACCORD_REQUIRE_SERVICES") == "1":
            pytest.fail(f"ACCORD_REQUIRE_SERVICES=1 but {PG_ENV} is not set: PostgreSQL tests cannot run")
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://accord@127.0.0.1:54329/accord)")
    return url


def new_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh, empty database URL for ``backend``; clean up afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    from sqlalchemy import create_engine, text

    from accord.store.url import normalize_url

    base = normalize_url(pg_base_url())
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as e:  # server down: that is a failure when the URL is given
        pytest.fail(f"cannot reach PostgreSQL at {base}: {e}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

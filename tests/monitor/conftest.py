from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.dbs import BACKENDS, new_database_url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: SQLite, and PostgreSQL when ACCORD_TEST_PG_URL is set."""
    yield from new_database_url(request.param, tmp_path)


@pytest.fixture(scope="session")
def bundled_case():  # type: ignore[no-untyped-def]
    """The bundled case, loaded once (loading takes about a second)."""
    from accord.model import load_case

    return load_case("ukraine_2025")

"""Persistence: the ledger and what it records, in SQLite (default) or PostgreSQL.

- :mod:`~accord.store.url` — database URLs (``sqlite:///accord.db`` by default;
  ``postgresql://`` runs on psycopg 3);
- :mod:`~accord.store.db` — engines and locked write transactions;
- :mod:`~accord.store.migrate` — Alembic migrations, run on open;
- :mod:`~accord.store.ledger_store` — :class:`Store`: append, read, prove, audit, export/import;
- :mod:`~accord.store.monitoring` — agreements, monitors and reports recorded in the ledger;
- :mod:`~accord.store.keyfile` — private keys on disk.
"""

from accord.store.ledger_store import Appended, ConsistencyProof, InclusionProof, LedgerWriter, Store
from accord.store.url import DEFAULT_URL, default_url, normalize_url

__all__ = [
    "DEFAULT_URL", "Appended", "ConsistencyProof", "InclusionProof", "LedgerWriter", "Store",
    "default_url", "normalize_url",
]

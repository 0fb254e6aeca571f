"""Alembic environment for accord's store.

accord runs migrations itself when it opens a database (``accord.store.migrate``),
passing an open connection in ``config.attributes["connection"]``. For development
the same folder works with the Alembic CLI: ``alembic -c src/accord/store/alembic.ini
-x url=sqlite:///accord.db upgrade head``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from accord.store.schema import metadata
from accord.store.url import default_url, normalize_url


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    conn = context.config.attributes.get("connection")
    if conn is not None:
        _run(conn)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or default_url()
    if context.is_offline_mode():
        context.configure(url=normalize_url(url), target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(normalize_url(url))
    with engine.begin() as connection:
        _run(connection)


try:
    _running = context.config is not None
except (AttributeError, NameError):  # imported outside Alembic (e.g. by a doctest collector)
    _running = False
if _running:
    _main()

"""Run the Alembic migrations shipped in ``migrations/`` (on open, under the write lock).

Opening a database that is already at :data:`HEAD` costs one query and does not
import Alembic.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from accord.errors import AccordError
from accord.store.db import reading, writing

HEAD = "0001_ledger"
"""The newest migration shipped (a test checks it is Alembic's head)."""

MIGRATIONS = Path(__file__).parent / "migrations"


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(conn: Connection | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def upgrade(engine: Engine) -> str | None:
    """Bring the database to :data:`HEAD`; return the revision it was at before."""
    with reading(engine) as conn:
        before = current_revision(conn)
    if before == HEAD:
        return before
    with writing(engine) as conn:
        before = current_revision(conn)
        if before == HEAD:
            return before
        from alembic import command
        from alembic.script import ScriptDirectory

        cfg = alembic_config(conn)
        known = {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}
        if before is not None and before not in known:
            raise AccordError(
                f"the database is at schema revision {before!r}, which this accord does not know "
                "(written by a newer version?)"
            )
        command.upgrade(cfg, "head")
    return before

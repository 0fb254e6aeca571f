"""Run the Alembic migrations shipped in ``migrations/`` (on open, under the write lock).

Opening a database that is already at the newest revision costs one query and
does not import Alembic: :func:`head_revision` reads the revision ids straight
from the files in ``migrations/versions/``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from accord.errors import AccordError
from accord.store.db import reading, writing

MIGRATIONS = Path(__file__).parent / "migrations"
_REV = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:\"([^\"]*)\"|'([^']*)'|None)", re.M)


@cache
def head_revision() -> str:
    """The newest revision among the shipped migrations (a test checks it is Alembic's head)."""
    revs: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = {m.group(1): m.group(2) or m.group(3) for m in _REV.finditer(path.read_text(encoding="utf-8"))}
        if found.get("revision"):
            revs.add(found["revision"])
        if found.get("down_revision"):
            downs.add(found["down_revision"])
    heads = revs - downs
    if len(heads) != 1:
        raise AccordError(f"the shipped migrations have {len(heads)} heads ({', '.join(sorted(heads))})")
    return heads.pop()


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
    """Bring the database to the newest revision; return the revision it was at before."""
    head = head_revision()
    with reading(engine) as conn:
        before = current_revision(conn)
    if before == head:
        return before
    with writing(engine) as conn:
        before = current_revision(conn)
        if before == head:
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

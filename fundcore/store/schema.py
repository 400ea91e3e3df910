"""The schema's life: Alembic migrations to head, and the reference data ``init`` loads.

Migrations are the only way the schema changes (no ``create_all`` outside the tests
of the migrations themselves). ``check`` compares the models with the database that
the migrations produced, so a model changed without its migration is caught.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

import migrations
from fundcore.store.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only by what needs it (upgrade, check): every command asks
# whether the database is at head, and importing Alembic for that cost half a second.
_VERSIONS = Path(migrations.__file__).parent / "versions"
_ASSIGNED = re.compile(
    r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:\"([^\"]*)\"|'([^']*)'|(None))\s*$",
    re.MULTILINE,
)


def alembic_config(conn: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["connection"] = conn
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
    if engine.dialect.name == "sqlite":
        _truncate_wal(engine)


def _truncate_wal(engine: Engine) -> None:
    """Empty SQLite's WAL file after a migration: one that rewrote rows (0019_pii
    encrypts the personal data) must not leave their earlier pages behind in it."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


def current(conn: Connection) -> str | None:
    """The revision the database is at (None: never migrated), read from Alembic's table
    directly; Alembic itself answers only what a plain read cannot (several rows)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    if len(rows) <= 1:
        return rows[0] if rows else None
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    """The newest migration: the one revision no other names as its ``down_revision``,
    read from the files' assignments; Alembic's own reading when they are not that
    simple (a file without both, a merge, several heads)."""
    revisions: list[str] = []
    downs: set[str] = set()
    for path in sorted(_VERSIONS.glob("*.py")):
        if path.name == "__init__.py":
            continue
        found = {
            m.group(1): m.group(2) or m.group(3)
            for m in _ASSIGNED.finditer(path.read_text("utf-8"))
        }
        if "revision" not in found or "down_revision" not in found:
            return _alembic_head()
        revisions.append(str(found["revision"]))
        if found["down_revision"]:
            downs.add(str(found["down_revision"]))
    heads = [r for r in revisions if r not in downs]
    return heads[0] if len(heads) == 1 else _alembic_head()


def _alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@dataclass(frozen=True, slots=True)
class CheckResult:
    current: str | None
    head: str | None
    diffs: list[str]

    @property
    def ok(self) -> bool:
        return self.current == self.head and not self.diffs


def check(conn: Connection) -> CheckResult:
    """Is the database at head, and do the models agree with what the migrations built?"""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    diffs = [repr(d) for d in compare_metadata(ctx, Base.metadata)]
    return CheckResult(current(conn), head_revision(), diffs)

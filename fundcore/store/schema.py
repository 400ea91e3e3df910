"""The schema's life: Alembic migrations to head, and the reference data ``init`` loads.

Migrations are the only way the schema changes (no ``create_all`` outside the tests
of the migrations themselves). ``check`` compares the models with the database that
the migrations produced, so a model changed without its migration is caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

import migrations
from fundcore.store.models import Base


def alembic_config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["connection"] = conn
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
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
    return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
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
    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    diffs = [repr(d) for d in compare_metadata(ctx, Base.metadata)]
    return CheckResult(current(conn), head_revision(), diffs)

"""Shared fixtures: a fresh database on SQLite and, when FUNDCORE_TEST_PG is set, PostgreSQL.

Each PostgreSQL test gets a schema of its own (dropped afterwards) through the
connection's search_path, so tests never see each other's rows and a developer's run
does not disturb CI's.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, text

from cli.main import fund
from fundcore.services import setup
from fundcore.store import clock, pii, pii_key, schema
from fundcore.store.db import make_engine
from fundcore.store.uow import UnitOfWork

PG_URL = os.environ.get("FUNDCORE_TEST_PG")
PG_SKIP = "FUNDCORE_TEST_PG is not set: PostgreSQL tests skipped"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[None]:
    clock.set_clock(lambda: datetime(2026, 1, 1, 12, 0, 0))
    yield
    clock.set_clock(None)


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections live in a new, empty schema, dropped on exit."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    name = f"t_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in PG_URL else "?"
    # PostgreSQL has no folder beside it for the personal-data key: name one per schema
    keys = tempfile.TemporaryDirectory()
    before = os.environ.get(pii_key.ENV)
    os.environ[pii_key.ENV] = str(Path(keys.name) / "pii.key")
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{name}"
    finally:
        if before is None:
            os.environ.pop(pii_key.ENV, None)
        else:
            os.environ[pii_key.ENV] = before
        keys.cleanup()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (not migrated) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fund.db'}"
    else:
        with pg_schema_url() as url:
            yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fund.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    with pg_schema_url() as url:
        yield url


@contextmanager
def fresh_engine(backend: str) -> Iterator[Engine]:
    """An initialised database made and thrown away within one hypothesis example."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            eng = init_db(f"sqlite:///{tmp}/fund.db")
            yield eng
            eng.dispose()
    else:
        with pg_schema_url() as url:
            eng = init_db(url)
            yield eng
            eng.dispose()


def init_db(url: str, admin: str = "root") -> Engine:
    """Make the personal-data key, migrate to head and load reference data, as ``fund
    init --admin`` does."""
    engine = make_engine(url)
    pii.ensure_key(engine)
    schema.upgrade(engine)
    with UnitOfWork(engine) as uow:
        setup.load_reference_data(uow.conn, admin)
        uow.commit()
    return engine


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An initialised database with the admin ``root``, on each backend."""
    eng = init_db(db_url)
    yield eng
    eng.dispose()


class Fund:
    """Runs ``fund`` as a user types it, against one database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return self.runner.invoke(
            fund, ["--db", self.url, *args], env=env or {}, catch_exceptions=False
        )


@pytest.fixture
def cli(db_url: str) -> Fund:
    """A ``fund`` runner on an empty database of each backend (run ``init`` first)."""
    return Fund(db_url)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refusal wrote nothing.

    ``auth_failures`` is left out: a failed attempt to act as someone is recorded on
    purpose although the command itself writes nothing (see fundcore.store.auth).
    """
    from fundcore.store.models import Base

    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "auth_failures":
                continue
            rows = conn.execute(table.select()).all()
            out[table.name] = sorted(tuple(map(repr, r)) for r in rows)
    return out

"""Engines for the two supported databases.

SQLite is the embedded default and must carry the whole programme, so it is set up
the way a ledger needs: foreign keys on, WAL journal, a busy timeout so concurrent
commands queue instead of failing, synchronous=FULL so a committed entry survives a
power cut. pysqlite's own transaction handling is switched off and we emit BEGIN
ourselves (SQLAlchemy's documented recipe), so that a write unit of work can take
the write lock up front with ``BEGIN IMMEDIATE`` instead of failing half-way.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_URL = "sqlite:///fund.db"


def resolve_url(url: str | None) -> str:
    """The URL given, else ``FUNDCORE_DB``, else ``fund.db`` in the working directory."""
    return url or os.environ.get("FUNDCORE_DB") or DEFAULT_URL


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the settings fundcore relies on."""
    url = resolve_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(engine_or_conn: Any) -> bool:
    return engine_or_conn.dialect.name == "sqlite"

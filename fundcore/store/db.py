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
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from fundcore.domain.errors import InputError, IntegrityBroken
from fundcore.store import paths, pii, pii_key

DEFAULT_URL = "sqlite:///fund.db"


def resolve_url(url: str | None) -> str:
    """The URL given, else ``FUNDCORE_DB``, else ``fund.db`` in the working directory."""
    return url or os.environ.get("FUNDCORE_DB") or DEFAULT_URL


#: the databases fundcore runs on
BACKENDS = ("sqlite", "postgresql")


def check_url(url: str) -> URL:
    """The parsed URL; refused if it is no URL or names a database fundcore does not run on."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise InputError("db.bad_url", url=_masked(url)) from None
    if parsed.get_backend_name() not in BACKENDS:
        raise InputError("db.unsupported", url=parsed.render_as_string(hide_password=True))
    return parsed


def _masked(url: str) -> str:
    """An unparsable URL as it may be shown: anything between ``://`` and ``@`` hidden."""
    return re.sub(r"(?<=://)[^@/]*@", "***@", url)


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with the settings fundcore relies on, and the
    personal-data key of its database (``store.pii``; read when first needed)."""
    url = resolve_url(url)
    parsed = check_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(url, **kwargs)
            _configure_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True, **kwargs)
        pii.attach(engine, pii_key.key_path(url))
        return engine
    except ModuleNotFoundError as err:
        shown = parsed.render_as_string(hide_password=True)
        raise InputError("db.driver_missing", url=shown, module=err.name or "?") from None


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


def create_sqlite_file(path: Path) -> None:
    """A new, empty SQLite database at ``path``, readable and writable by its owner only.

    Made under a temporary name (mode 0600) and put in place whole, already in WAL mode
    (so SQLite has written its header: the file is never a zero-byte file, which
    ``check_sqlite_file`` refuses as damaged). SQLite gives the ``-wal`` and ``-shm``
    files it makes later the database file's mode.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("db.no_folder", folder=str(folder), file=str(path))
    made = paths.private_temp(path)
    try:
        conn = sqlite3.connect(made)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()
        paths.put_new(made, path)
    finally:
        made.unlink(missing_ok=True)


def check_sqlite_file(path: Path) -> None:
    """Refuse a database file that is empty (0 bytes) or does not start as SQLite's do.

    A zero-byte ``fund.db`` is not a new fund: it is a database that was truncated or
    never finished, and taking it as new would let ``init --admin`` make a new admin.
    """
    if not path.is_file():
        return
    if path.stat().st_size == 0:
        raise IntegrityBroken("db.empty", file=str(path))
    if not paths.is_sqlite_file(path):
        raise IntegrityBroken("db.not_sqlite", file=str(path))


def is_sqlite(engine_or_conn: Engine | Connection) -> bool:
    return engine_or_conn.dialect.name == "sqlite"


#: tables changed by more than this many rows plus this share of their size since their
#: last ANALYZE get analysed again (autovacuum's rule, with its default 50 and 0.1)
_STALE_ROWS, _STALE_SHARE = 1000, 0.25
#: seconds between two looks at the statistics from one engine (PostgreSQL itself
#: publishes a backend's counts at most once a second)
_STALE_EVERY = 2.0
_LOOKED: dict[str, float] = {}
_STALE = text(
    "SELECT c.relname FROM pg_class c"
    " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
    " AND pg_stat_get_mod_since_analyze(c.oid) > :rows + :share * greatest(c.reltuples, 0)"
    " ORDER BY c.relname"
)


def refresh_statistics(conn: Connection) -> list[str]:
    """On PostgreSQL, ANALYZE the tables recent commits grew or changed a lot; return them.

    Called after a write unit of work commits. The batch paths grow tables by thousands
    of rows a command; if autovacuum is off or has not come round yet, the planner still
    thinks such a table is as small as it was, and plans the next county's sheet with a
    sequential scan where the unique index would find each applicant: seconds per sheet
    at 100,000 applicants instead of milliseconds. Runs in its own short transaction
    after the business one, so it can neither undo nor delay a commit, and is best
    effort: a role that may not analyse a table (a county league's login) skips it.
    """
    if conn.dialect.name != "postgresql":
        return []
    key = conn.engine.url.render_as_string(hide_password=True)
    now = time.monotonic()  # a pace, not a business date
    if now - _LOOKED.get(key, -_STALE_EVERY) < _STALE_EVERY:
        return []
    _LOOKED[key] = now
    try:
        with conn.begin():
            stale = list(conn.scalars(_STALE, {"rows": _STALE_ROWS, "share": _STALE_SHARE}))
            if stale:
                conn.exec_driver_sql("ANALYZE " + ", ".join(f'"{t}"' for t in stale))
        return stale
    except DBAPIError:
        return []

"""The raw floor: the same rows a stage wrote, written again with the driver alone.

A floor database has the same tables, columns and indexes as fundcore's (made from the
models) but no triggers, and is written with ``sqlite3.executemany`` (SQLite, with the
same WAL and synchronous=FULL settings as fundcore's engine) or ``COPY`` (PostgreSQL,
foreign keys not checked). Rows are read back from the real database in chunks, outside
the timing, so only the writing is measured.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, select, text

from fundcore.store.models import Base

CHUNK = 20_000


class Floor:
    def __init__(self, backend: str, workdir: Path, pg_url: str | None = None) -> None:
        self.backend = backend
        self.seconds = 0.0
        if backend == "sqlite":
            path = workdir / "floor.db"
            engine = create_engine(f"sqlite:///{path}")
            Base.metadata.create_all(engine)
            engine.dispose()
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
        else:
            self.schema = f"bench_floor_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
                conn.execute(text(f'SET search_path TO "{self.schema}"'))
                Base.metadata.create_all(conn)
            admin.dispose()
            import psycopg

            plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
            self.db = psycopg.connect(plain, options=f"-csearch_path={self.schema}")
            self.db.execute("SET session_replication_role = replica")
            self.db.commit()
            self.pg_url = pg_url

    def close(self) -> None:
        self.db.close()
        if self.backend == "postgresql":
            admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            admin.dispose()

    def begin(self) -> None:
        if self.backend == "sqlite":
            self.db.execute("BEGIN")

    def commit(self) -> None:
        start = time.perf_counter()
        self.db.commit() if self.backend == "postgresql" else self.db.execute("COMMIT")
        self.seconds += time.perf_counter() - start

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        start = time.perf_counter()
        names = ", ".join(f'"{c}"' for c in columns)
        if self.backend == "sqlite":
            marks = ", ".join("?" * len(columns))
            self.db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        else:
            with self.db.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as cp:
                for row in rows:
                    cp.write_row(row)
        self.seconds += time.perf_counter() - start

    def update(
        self, table: str, sets: Sequence[str], keys: Sequence[str], rows: list[tuple]
    ) -> None:
        if not rows:
            return
        mark = "?" if self.backend == "sqlite" else "%s"
        assign = ", ".join(f'"{c}" = {mark}' for c in sets)
        where = " AND ".join(f'"{c}" = {mark}' for c in keys)
        sql = f'UPDATE "{table}" SET {assign} WHERE {where}'
        start = time.perf_counter()
        if self.backend == "sqlite":
            self.db.executemany(sql, rows)
        else:
            with self.db.cursor() as cur:
                cur.executemany(sql, rows)
        self.seconds += time.perf_counter() - start


def watermark(conn: Connection, table: str, key: str) -> object:
    t = Base.metadata.tables[table]
    return conn.scalar(select(func.max(t.c[key])))


def new_rows(
    conn: Connection, table: str, key: str, after: object
) -> Iterator[tuple[list[str], list[tuple]]]:
    """The rows of ``table`` whose ``key`` is past ``after``, in chunks."""
    t = Base.metadata.tables[table]
    stmt = select(t).order_by(t.c[key])
    if after is not None:
        stmt = stmt.where(t.c[key] > after)
    columns = [c.name for c in t.columns]
    result = conn.execution_options(yield_per=CHUNK).execute(stmt)
    for part in result.partitions():
        yield columns, [tuple(r) for r in part]


def copy_new(floor: Floor, conn: Connection, marks: dict[str, tuple[str, object]]) -> int:
    """Write to the floor every row added to each table since its watermark."""
    count = 0
    for table, (key, after) in marks.items():
        for columns, rows in new_rows(conn, table, key, after):
            floor.insert(table, columns, rows)
            count += len(rows)
    return count

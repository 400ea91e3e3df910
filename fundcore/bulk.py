"""Bulk inserts for the batch paths: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

SQLAlchemy's insert of a list is within a third of SQLite's own ``executemany``, but
on PostgreSQL it sends batched ``INSERT … VALUES`` statements, about five times slower
than ``COPY`` for the millions of instalment rows a disbursement run writes. ``COPY``
runs inside the caller's transaction on the same connection, so the unit of work still
commits or rolls back everything together, and row triggers still fire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, Table, insert


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert ``rows`` (all with the same keys) into ``table``.

    Columns a row leaves out get the model's scalar default, as ``insert()`` would give
    them; ``COPY`` knows only the database's own defaults.
    """
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    given = list(rows[0])
    defaults = {
        c.name: c.default.arg
        for c in table.columns
        if c.name not in rows[0] and c.default is not None and c.default.is_scalar
    }
    names = given + list(defaults)
    tail = tuple(defaults.values())
    quoted = ", ".join(f'"{n}"' for n in names)
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(tuple(row[n] for n in given) + tail)

"""PostgreSQL planner statistics are refreshed after commits that grew a table a lot.

Without it, a PostgreSQL whose autovacuum is off (or has not come round yet) plans the
next county's sheet as if ``applicants`` were still empty: a sequential scan per sheet
where the unique index finds each person.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, text

from fundcore.store import db
from fundcore.store.clock import utcnow
from fundcore.store.models import AuditRecord
from fundcore.store.uow import UnitOfWork
from tests.conftest import init_db


def _rows(n: int) -> list[dict[str, object]]:
    return [
        {
            "recorded_at": utcnow(),
            "operator": "root",
            "action": "test",
            "object_type": "row",
            "object_id": str(i),
            "business_date": date(2019, 1, 2),
            "details": "{}",
        }
        for i in range(n)
    ]


def _analysed_rows(conn, table: str) -> float:  # noqa: ANN001
    return conn.scalar(
        text(
            "SELECT reltuples FROM pg_class"
            " WHERE relnamespace = current_schema()::regnamespace AND relname = :t"
        ),
        {"t": table},
    )


def test_a_commit_that_grew_a_table_leaves_it_analysed(pg_url: str) -> None:
    engine = init_db(pg_url)
    try:
        with engine.connect() as conn:
            assert _analysed_rows(conn, "audit_log") < 100
        with UnitOfWork(engine) as uow:
            uow.conn.execute(insert(AuditRecord.__table__), _rows(3000))
            uow.conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")
            uow.commit()
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")  # publish the counts
            conn.commit()
            db._LOOKED.clear()  # the pace limit would skip a second look within 2 s
            analysed = db.refresh_statistics(conn)
            assert "audit_log" in analysed
            assert _analysed_rows(conn, "audit_log") >= 3000
            conn.commit()
            db._LOOKED.clear()
            assert db.refresh_statistics(conn) == []  # nothing changed since
    finally:
        engine.dispose()


def test_sqlite_has_nothing_to_refresh(sqlite_url: str) -> None:
    engine = init_db(sqlite_url)
    with engine.connect() as conn:
        assert db.refresh_statistics(conn) == []
    engine.dispose()

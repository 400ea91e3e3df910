"""Issue 16 item 4: the audit trail is append-only and chained.

The database refuses UPDATE, DELETE and (PostgreSQL) TRUNCATE of audit records; a
tamperer who gets the triggers out of the way still shows in ``fund ledger verify``:
a record deleted from the middle breaks the next one's link, one deleted from the end
leaves the trail short of the head's count, an edited one no longer matches its hash.
"""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from fundcore.messages import render
from fundcore.store import audit
from fundcore.store.schema import alembic_config, upgrade
from fundcore.store.uow import UnitOfWork
from tests.conftest import Fund
from tests.factories import tamper


def _write_records(engine: Engine, n: int) -> list[int]:
    with UnitOfWork(engine) as uow:
        for i in range(n):
            audit.record(uow.conn, "root", "test.step", object_type="step", object_id=i, n=i)
        uow.commit()
    with engine.connect() as conn:
        return [int(r[0]) for r in conn.execute(text("SELECT id FROM audit_log ORDER BY id"))]


def _verify(engine: Engine) -> tuple[int, list[str]]:
    result = Fund(engine.url.render_as_string(hide_password=False))(
        "--lang", "en", "ledger", "verify"
    )
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET operator = 'mallory'",
        "DELETE FROM audit_log",
    ],
)
def test_the_database_refuses_changing_audit_records(engine: Engine, sql: str) -> None:
    _write_records(engine, 2)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(sql))


def test_postgresql_refuses_truncating_the_audit_log(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))


def test_an_untouched_trail_verifies(engine: Engine) -> None:
    _write_records(engine, 5)
    code, err = _verify(engine)
    assert code == 0, err


def test_a_record_deleted_from_the_middle_breaks_the_next_link(engine: Engine) -> None:
    ids = _write_records(engine, 5)
    tamper(engine, f"DELETE FROM audit_log WHERE id = {ids[2]}")
    code, err = _verify(engine)
    assert code == 1
    assert render("verify.audit_broken_link", {"id": ids[3]}, "en") in err, err


def test_the_last_record_deleted_leaves_the_trail_short_of_its_head(engine: Engine) -> None:
    ids = _write_records(engine, 5)
    tamper(engine, f"DELETE FROM audit_log WHERE id = {ids[-1]}")
    code, err = _verify(engine)
    assert code == 1
    expected = render(
        "verify.audit_missing_tail", {"counted": len(ids) - 1, "kept": len(ids)}, "en"
    )
    assert err == [expected], err


def test_an_edited_record_no_longer_matches_its_hash(engine: Engine) -> None:
    ids = _write_records(engine, 3)
    tamper(engine, f"UPDATE audit_log SET operator = 'mallory' WHERE id = {ids[1]}")
    code, err = _verify(engine)
    assert code == 1
    assert err == [render("verify.audit_altered", {"id": ids[1]}, "en")], err


def test_the_migration_chains_the_records_already_there(engine: Engine) -> None:
    ids = _write_records(engine, 3)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0012_amendments")
    with engine.begin() as conn:  # records written before the chain existed
        conn.execute(
            text(
                "INSERT INTO audit_log (recorded_at, operator, action, details) "
                "VALUES ('2020-01-01 00:00:00', 'old', 'legacy', '{}')"
            )
        )
    upgrade(engine)
    code, err = _verify(engine)
    assert code == 0, err
    with engine.connect() as conn:
        count = conn.execute(text("SELECT audit_count FROM ledger_head")).scalar_one()
    assert count == len(ids) + 1

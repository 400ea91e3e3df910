"""PostgreSQL enforces the roles itself: connect as each role and try what it must not do.

A county league's login role sees and writes only its own county's applicants,
applications and facilities; an auditor can read everything and change nothing; even
finance cannot delete. These are real connections under each login role, as someone
with psql and that role's credentials would have.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tests.conftest import PG_URL, Fund, init_db
from tests.factories import application_row, disbursed, setup_fund

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="FUNDCORE_TEST_PG is not set"),
    pytest.mark.xdist_group("server_roles"),
]


@pytest.fixture
def roles(pg_url: str) -> Iterator[dict[str, Engine]]:
    engine = init_db(pg_url)
    setup_fund(engine)
    disbursed(engine, 1)  # a loan in 灵丘县 (140224)
    fund = Fund(pg_url)
    fund("operators", "add", "sl", "--role", "county", "--county", "141126", "--as", "root")
    fund("operators", "add", "aud", "--role", "auditor", "--as", "root")
    _submit_other_county(fund)
    suffix = uuid.uuid4().hex[:8]
    logins = {who: f"fc_t_{suffix}_{who}" for who in ("lq", "sl", "aud", "fin1")}
    for who, login in logins.items():
        r = fund("db", "role", login, "--operator", who, "--as", "root")
        assert r.exit_code == 0, r.stderr
    url = make_url(pg_url)
    engines = {who: create_engine(url.set(username=login)) for who, login in logins.items()}
    try:
        yield engines
    finally:
        for e in engines.values():
            e.dispose()
        engine.dispose()
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for login in logins.values():
                conn.execute(text(f"DROP ROLE IF EXISTS {login}"))
        admin.dispose()


def _submit_other_county(fund: Fund) -> None:
    import tempfile
    from datetime import date
    from pathlib import Path

    from tests.factories import write_csv

    row = application_row(random.Random(9), 9, "141126", date(2019, 6, 1))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(Path(tmp) / "sl.csv", [row])
        r = fund("applications", "import", str(path), "--date", "2019-06-01", "--as", "sl")
        assert r.exit_code == 0, r.stderr


def _rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _refused(engine: Engine, sql: str, match: str) -> None:
    with pytest.raises(DBAPIError, match=match), engine.begin() as conn:
        conn.execute(text(sql))


def test_a_county_role_sees_only_its_county(roles: dict[str, Engine]) -> None:
    assert _rows(roles["lq"], "SELECT DISTINCT county_code FROM applications") == [("140224",)]
    assert _rows(roles["sl"], "SELECT DISTINCT county_code FROM applications") == [("141126",)]
    assert _rows(roles["sl"], "SELECT count(*) FROM facilities") == [(0,)]
    assert _rows(roles["lq"], "SELECT count(*) FROM applicants") == [(1,)]
    assert _rows(
        roles["sl"],
        "SELECT count(*) FROM application_employees e JOIN applications a"
        " ON a.id = e.application_id WHERE a.county_code = '140224'",
    ) == [(0,)]


def test_a_county_role_cannot_write_for_another_county(roles: dict[str, Engine]) -> None:
    _refused(
        roles["sl"],
        "INSERT INTO applications (county_code, ref, applicant_id, instrument, amount_fen,"
        " project_name, registered_poor, phone, status, submitted_on, submitted_by,"
        " policy_version, content_hash) SELECT '140224', 'X', id, 'loan', 100, 'p', true,"
        " '13800138000', 'submitted', '2019-06-01', 'sl', 1, 'h' FROM applicants LIMIT 1",
        "row-level security|violates",
    )
    _refused(roles["lq"], "UPDATE applications SET status = 'approved'", "permission denied")
    _refused(roles["lq"], "DELETE FROM applications", "permission denied")
    _refused(roles["lq"], "SELECT * FROM journal_entries", "permission denied")


def test_an_auditor_reads_everything_and_changes_nothing(roles: dict[str, Engine]) -> None:
    assert _rows(roles["aud"], "SELECT count(*) FROM applications") == [(2,)]
    assert _rows(roles["aud"], "SELECT count(*) FROM journal_entries")[0][0] > 0
    for sql in (
        "UPDATE facilities SET status = 'repaid'",
        "DELETE FROM donations",
        "INSERT INTO settings VALUES ('x', 'y')",
        "UPDATE ledger_head SET last_seq = 0",
        "TRUNCATE audit_log",
    ):
        _refused(roles["aud"], sql, "permission denied")
    _refused(roles["aud"], "SELECT * FROM operator_tokens", "permission denied")


def test_finance_cannot_delete_or_edit_the_journal(roles: dict[str, Engine]) -> None:
    _refused(roles["fin1"], "DELETE FROM applications", "permission denied")
    _refused(roles["fin1"], "UPDATE journal_entries SET memo = 'x'", "permission denied")
    _refused(roles["fin1"], "SELECT * FROM operator_tokens", "permission denied")

"""The use cases behind the thin commands: what each returns, who may call it, what it
records (``fund schedule``, ``ledger trial-balance``, ``capacity``, ``applicants
reveal``, ``db role``, ``operators``)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from fundcore.domain.errors import InputError, NotFound, NotPermitted, RuleBroken
from fundcore.domain.terms import FacilityStatus, Instrument
from fundcore.services import (
    capacity_view,
    db_roles,
    facility_views,
    ledger_views,
    operator_admin,
    operators,
    people,
    plans,
)
from fundcore.store.models import AuditRecord
from fundcore.store.uow import UnitOfWork
from tests.factories import disbursed, setup_fund

# PostgreSQL login roles are server-wide: one worker runs every test that makes them
pytestmark = pytest.mark.xdist_group("server_roles")


@pytest.fixture
def fid(engine: Engine) -> int:
    """A loan paid out in 灵丘县 (140224); a league of another county, 'sl', exists."""
    setup_fund(engine)
    with UnitOfWork(engine) as uow:
        operators.add(uow.conn, None, "sl", "county", "141126")
        uow.commit()
    return disbursed(engine, 1)


def test_schedule_is_the_version_in_force_oldest_first(engine: Engine, fid: int) -> None:
    with UnitOfWork(engine) as uow:
        first = facility_views.schedule(uow.conn, "lq", fid)
        plans.restructure(uow.conn, "fin1", fid, date(2019, 7, 1), 12, 0, "hardship")
        second = facility_views.schedule(uow.conn, "root", fid)
    assert first.facility.id == fid and first.facility.instrument is Instrument.LOAN
    assert first.facility.status is FacilityStatus.CURRENT
    assert [i.no for i in first.instalments] == list(range(1, 25))
    assert sum(i.principal_fen for i in first.instalments) == 3_000_000
    assert second.facility.schedule_version == 2
    assert [i.no for i in second.instalments] == list(range(1, 13))
    dues = [i.due_date for i in second.instalments]
    assert dues == sorted(dues)


def test_a_league_sees_no_facility_of_another_county(engine: Engine, fid: int) -> None:
    with UnitOfWork(engine, write=False) as uow:
        with pytest.raises(NotFound) as other:
            facility_views.schedule(uow.conn, "sl", fid)
        with pytest.raises(NotFound) as missing:
            facility_views.schedule(uow.conn, "root", fid + 1000)
        with pytest.raises(NotPermitted):
            facility_views.schedule(uow.conn, None, fid)
    assert other.value.code == missing.value.code == "facility.not_found"


def test_trial_balance_totals_and_as_of(engine: Engine, fid: int) -> None:
    with UnitOfWork(engine, write=False) as uow:
        now = ledger_views.trial_balance(uow.conn)
        before = ledger_views.trial_balance(uow.conn, date(2019, 1, 1))
    assert now.total_debit_fen == sum(a.debit_fen for a in now.accounts) > 0
    assert now.total_credit_fen == sum(a.credit_fen for a in now.accounts)
    assert now.balanced and now.difference_fen == 0
    assert [a.code for a in now.accounts] == sorted(a.code for a in now.accounts)
    assert before.as_of == date(2019, 1, 1) and before.total_debit_fen == 0


def test_capacity_cap_is_net_assets_times_leverage(engine: Engine, fid: int) -> None:
    with UnitOfWork(engine, write=False) as uow:
        view = capacity_view.capacity_on(uow.conn, date(2019, 12, 31))
    cap = view.capacity
    assert cap.leverage_cap_x == 10
    assert view.exposure_cap_fen == cap.net_assets_fen * 10 > 0


def _reveals(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(AuditRecord)
                .where(AuditRecord.action == "applicants.reveal")
            )
        )


def test_reveal_is_an_admins_and_is_recorded(engine: Engine, fid: int) -> None:
    app_id = fid  # a facility keeps its application's id
    with UnitOfWork(engine) as uow:
        with pytest.raises(NotPermitted):
            people.reveal(uow.conn, "fin1", app_id, "curious")
        with pytest.raises(NotFound):
            people.reveal(uow.conn, "root", app_id + 1000, "court order")
        person = people.reveal(uow.conn, "root", app_id, "court order")
        uow.commit()
    assert person.application_id == app_id
    assert len(person.id_number) == 18 and "*" not in person.id_number + person.phone
    assert _reveals(engine) == 1


def test_db_role_checks_the_name_and_needs_postgresql(engine: Engine, fid: int) -> None:
    with pytest.raises(InputError):
        db_roles.check_login("Robert'); DROP TABLE facilities;--")
    assert db_roles.check_login("fc_lq") == "fc_lq"
    if engine.dialect.name == "postgresql":
        pytest.skip("tests/integration/test_pg_roles.py makes real roles")
    with UnitOfWork(engine) as uow, pytest.raises(RuleBroken):
        db_roles.create_login_role(uow.conn, "root", "fc_lq", "lq")


def test_operator_admin_is_for_admins(engine: Engine, fid: int) -> None:
    with UnitOfWork(engine) as uow:
        with pytest.raises(NotPermitted):
            operator_admin.add_operator(uow.conn, "fin1", "fin3", "finance", None)
        with pytest.raises(NotPermitted):
            operator_admin.issue_token(uow.conn, "fin1", "fin1")
        operator_admin.add_operator(uow.conn, "root", "fin3", "finance", None)
        assert operator_admin.revoke_tokens(uow.conn, "root", "fin3") == 0
        listed = operator_admin.list_operators(uow.conn)
    names = [o.name for o in listed]
    assert names == sorted(names) and "fin3" in names
    assert next(o for o in listed if o.name == "sl").county_code == "141126"

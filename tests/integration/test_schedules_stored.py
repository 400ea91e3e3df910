"""Stored schedules: working-day due dates, holiday notices re-dating, restructuring."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from fundcore.domain.workdays import WorkCalendar
from fundcore.store.models import Facility, Instalment
from tests.conftest import Fund
from tests.factories import disbursed, setup_fund


@pytest.fixture
def fund(engine: Engine) -> Fund:
    setup_fund(engine)
    return Fund(engine.url.render_as_string(hide_password=False))


def _plan(engine: Engine, fid: int, active: bool = True) -> list[tuple]:
    inst = Instalment.__table__
    with engine.connect() as conn:
        return conn.execute(
            select(
                inst.c.no, inst.c.due_date, inst.c.anchor_date, inst.c.principal_fen, inst.c.version
            )
            .where(inst.c.facility_id == fid, inst.c.active == active)
            .order_by(inst.c.version, inst.c.no)
        ).all()


def test_due_dates_avoid_statutory_holidays(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1, yuan=24_000, on=date(2019, 9, 1))
    plan = _plan(engine, fid)
    cal = WorkCalendar()
    assert all(cal.is_workday(d) for _, d, *_ in plan)
    october = next(p for p in plan if p[2] == date(2019, 10, 1))
    assert october[1] == date(2019, 10, 8)  # National Day week, then the working Tuesday
    assert sum(p[3] for p in plan) == 2_400_000


def test_a_new_years_notice_re_dates_what_is_not_yet_due(
    fund: Fund, engine: Engine, tmp_path: Path
) -> None:
    r = fund("disburse", "--help")
    assert r.exit_code == 0
    fid = disbursed(engine, 1, yuan=36_000, term=36, on=date(2026, 9, 15))
    before = {a: d for _, d, a, *_ in _plan(engine, fid)}
    assert before[date(2027, 10, 15)] == date(2027, 10, 15)  # a Friday, weekends-only
    notice = tmp_path / "2027.csv"
    notice.write_text(
        "日期,类型,名称\n2027-10-01~2027-10-07,放假,国庆节\n"
        "2027-10-15,放假,假想的调休\n2027-10-09,上班,国庆节\n",
        encoding="utf-8",
    )
    out = json.loads(
        fund(
            "--json", "calendar", "import", str(notice), "--date", "2026-11-21", "--as", "root"
        ).stdout
    )
    assert out["ok"] and out["years"] == [2027] and out["redated"] >= 1
    after = {a: d for _, d, a, *_ in _plan(engine, fid)}
    assert after[date(2027, 10, 15)] == date(2027, 10, 18)


def test_restructuring_a_zero_rate_loan_keeps_the_old_version(fund: Fund, engine: Engine):
    fid = disbursed(engine, 1, yuan=24_000)
    fund(
        "repay", str(fid), "--amount", "1000", "--date", "2019-07-10", "--ref", "R1", "--as", "fin1"
    )
    r = fund(
        "--json",
        "restructure",
        str(fid),
        "--term",
        "30",
        "--pause",
        "3",
        "--reason",
        "洪灾",
        "--date",
        "2019-07-15",
        "--as",
        "fin1",
    )
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["version"] == 2
    new = _plan(engine, fid)
    assert {p[4] for p in new} == {2} and len(new) == 30
    assert sum(p[3] for p in new) == 2_300_000
    assert len(_plan(engine, fid, active=False)) == 24
    with engine.connect() as conn:
        fac = conn.execute(select(Facility.__table__).where(Facility.id == fid)).one()
    assert fac.schedule_version == 2 and fac.outstanding_fen == 2_300_000
    too_long = fund(
        "--lang",
        "en",
        "restructure",
        str(fid),
        "--term",
        "60",
        "--reason",
        "x",
        "--date",
        "2019-07-16",
        "--as",
        "fin1",
    )
    assert too_long.exit_code == 1 and "past the limit" in too_long.stderr

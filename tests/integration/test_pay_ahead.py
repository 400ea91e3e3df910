"""Paying before the due date (issue 14, item 1): what is paid beyond what is due pays
the next instalments ahead, in order, and an instalment paid ahead is never overdue;
only ``fund repay --prepay`` or a policy whose ``prepayment_order`` is ``last`` shortens
the term (the last instalments first)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from fundcore.store.models import Facility, Instalment
from tests.conftest import Fund, init_db
from tests.factories import disbursed, setup_fund

PAID_OUT = date(2019, 9, 8)  # ¥100,000 over 36 months: ¥2,777.77 due 2019-10-08


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    """Allocation is Python over rows read one facility at a time: SQLite is enough."""
    eng = init_db(sqlite_url)
    setup_fund(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def fund(engine: Engine) -> Fund:
    return Fund(engine.url.render_as_string(hide_password=False))


def _ok(fund: Fund, *args: str) -> dict:
    r = fund("--json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _paid(engine: Engine, fid: int) -> dict[int, tuple[int, int]]:
    i = Instalment.__table__.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(i.no, i.paid_principal_fen, i.paid_interest_fen).where(
                i.facility_id == fid, i.active
            )
        ).all()
    return {no: (p, it) for no, p, it in rows if p or it}


def _row(engine: Engine, fid: int):  # noqa: ANN202
    with engine.connect() as conn:
        return conn.execute(select(Facility.__table__).where(Facility.id == fid)).one()


def _close(fund: Fund, through: str) -> dict:
    return _ok(fund, "close-day", "--through", through, "--as", "fin1")["closed"][-1]


def test_the_first_instalment_paid_a_week_early_is_not_overdue(fund: Fund, engine: Engine):
    fid = disbursed(engine, 1, yuan=100_000, term=36, on=PAID_OUT)
    _ok(fund, "repay", str(fid), "--amount", "2777.77", "--date", "2019-09-30",
        "--ref", "B-1", "--as", "fin1")  # fmt: skip
    assert _paid(engine, fid) == {1: (277_777, 0)}
    close = _close(fund, "2019-10-31")
    assert close["overdue"] == 0 and close["par30_bp"] == 0
    row = _row(engine, fid)
    assert (row.status, row.days_past_due) == ("current", 0)
    then = _ok(fund, "schedule", str(fid), "--as-of", "2019-10-31", "--as", "fin1")
    assert then["status"] == "current"
    assert then["instalments"][0]["paid_principal_fen"] == 277_777


def test_more_than_one_instalment_early_pays_the_next_ones_in_order(fund: Fund, engine: Engine):
    fid = disbursed(engine, 1, yuan=100_000, term=36, on=PAID_OUT)
    _ok(fund, "repay", str(fid), "--amount", "7000", "--date", "2019-09-30",
        "--ref", "B-1", "--as", "fin1")  # fmt: skip
    assert _paid(engine, fid) == {1: (277_777, 0), 2: (277_777, 0), 3: (144_446, 0)}
    # instalments 1 and 2 are paid ahead; at the end of November only 3 is left to pay
    _ok(fund, "repay", str(fid), "--amount", "1333.31", "--date", "2019-12-06",
        "--ref", "B-2", "--as", "fin1")  # fmt: skip
    assert _close(fund, "2019-12-31")["overdue"] == 0


def test_prepay_shortens_the_term_and_leaves_what_is_due_to_pay(fund: Fund, engine: Engine):
    fid = disbursed(engine, 1, yuan=100_000, term=36, on=PAID_OUT)
    _ok(fund, "repay", str(fid), "--amount", "2777.77", "--date", "2019-09-30",
        "--ref", "B-1", "--prepay", "--as", "fin1")  # fmt: skip
    assert _paid(engine, fid) == {36: (277_777, 0)}  # the last one asks ¥2,778.05
    assert _close(fund, "2019-10-31")["overdue"] == 1  # the October instalment is still owed


def test_a_policy_that_chose_last_shortens_the_term(fund: Fund, engine: Engine) -> None:
    _ok(fund, "policy", "set", "prepayment_order=last", "--date", "2019-01-03", "--as", "root")
    fid = disbursed(engine, 1, yuan=24_000, term=24)  # ¥1,000.00 a month from 2019-07-10
    _ok(fund, "repay", str(fid), "--amount", "1500", "--date", "2019-07-10",
        "--ref", "B-1", "--as", "fin1")  # fmt: skip
    assert _paid(engine, fid) == {1: (100_000, 0), 24: (50_000, 0)}


def test_a_bank_loan_instalment_paid_ahead_is_paid_with_its_interest(fund: Fund, engine: Engine):
    fid = disbursed(engine, 1, kind="guarantee", yuan=50_000, term=24, support="反担保")
    i = Instalment.__table__.c
    with engine.connect() as conn:
        due, principal, interest = conn.execute(
            select(i.due_date, i.principal_fen, i.interest_fen).where(
                i.facility_id == fid, i.no == 1
            )
        ).one()
    owed = f"{(principal + interest) / 100:.2f}"
    _ok(fund, "repay", str(fid), "--amount", owed, "--date", "2019-07-01",
        "--ref", "G-1", "--as", "fin1")  # fmt: skip
    assert due > date(2019, 7, 1) and _paid(engine, fid) == {1: (principal, interest)}
    assert _close(fund, "2019-08-31")["overdue"] == 1  # August's is not paid: overdue
    assert (
        _ok(fund, "schedule", str(fid), "--as-of", "2019-07-31", "--as", "fin1")["status"]
        == "current"
    )


def test_a_bank_file_says_which_rows_are_prepayments(
    fund: Fund, engine: Engine, tmp_path: Path
) -> None:
    early, ahead = disbursed(engine, 1, yuan=24_000), disbursed(engine, 2, yuan=24_000)
    path = tmp_path / "bank.csv"
    path.write_text(
        "业务编号,流水号,金额,日期,提前还款\n"
        f"{early},T-1,1500,2019-07-10,是\n"
        f"{ahead},T-2,1500,2019-07-10,\n"
        f"{ahead},T-3,100,2019-07-11,也许\n",
        encoding="utf-8",
    )
    r = fund("--json", "--lang", "en", "repayments", "import", str(path), "--as", "fin1")
    doc = json.loads(r.stdout)
    assert r.exit_code == 1 and doc["applied"] == 2
    assert [(e["line"], e["column"], e["code"]) for e in doc["errors"]] == [
        (4, "prepay", "bankfile.bad_prepay")
    ]
    assert _paid(engine, early) == {1: (100_000, 0), 24: (50_000, 0)}
    assert _paid(engine, ahead) == {1: (100_000, 0), 2: (50_000, 0)}

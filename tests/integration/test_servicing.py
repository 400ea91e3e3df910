"""Servicing through the CLI: repayments, bank files, day close, claims, write-offs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from fundcore.messages import render
from fundcore.store.models import Facility, Instalment
from tests.conftest import Fund, snapshot
from tests.factories import disbursed, setup_fund


@pytest.fixture
def fund(engine: Engine) -> Fund:
    setup_fund(engine)
    return Fund(engine.url.render_as_string(hide_password=False))


def _fac(engine: Engine, fid: int) -> object:
    with engine.connect() as conn:
        return conn.execute(select(Facility.__table__).where(Facility.id == fid)).one()


def _balances(fund: Fund) -> dict[str, int]:
    doc = json.loads(fund("--json", "ledger", "trial-balance").stdout)
    assert doc["balanced"]
    return {a["code"]: a["balance_fen"] for a in doc["accounts"]}


def refused(fund: Fund, engine: Engine, args: list[str], code: str, **params: object) -> None:
    before = snapshot(engine)
    r = fund("--lang", "en", *args)
    assert r.exit_code == 1, r.stdout
    assert r.stderr.splitlines()[0] == render(code, params, "en")
    assert snapshot(engine) == before


@pytest.mark.parametrize(("flags", "second"), [((), 2), (("--prepay",), 24)])
def test_repayment_pays_oldest_first_then_ahead_or_with_prepay_the_last(
    fund: Fund, engine: Engine, flags: tuple[str, ...], second: int
) -> None:
    fid = disbursed(engine, 1, yuan=24_000, term=24)  # 1,000 yuan a month
    r = fund(
        "repay",
        str(fid),
        "--amount",
        "1500",
        "--date",
        "2019-07-10",
        "--ref",
        "B-1",
        *flags,
        "--as",
        "fin1",
    )
    assert r.exit_code == 0, r.stderr
    with engine.connect() as conn:
        paid = dict(
            conn.execute(
                select(Instalment.no, Instalment.paid_principal_fen).where(
                    Instalment.facility_id == fid
                )
            ).all()
        )
    assert paid[1] == 100_000 and paid[second] == 50_000 and sum(paid.values()) == 150_000
    assert _fac(engine, fid).outstanding_fen == 2_250_000
    assert _balances(fund)["1211"] == 2_250_000


def test_a_replayed_ref_is_a_no_op_and_a_changed_one_is_refused(fund: Fund, engine: Engine):
    fid = disbursed(engine, 1)
    args = [
        "repay",
        str(fid),
        "--amount",
        "1250",
        "--date",
        "2019-07-10",
        "--ref",
        "B-1",
        "--as",
        "fin1",
    ]
    assert fund(*args).exit_code == 0
    before = snapshot(engine)
    again = fund(*args)
    assert again.exit_code == 0 and "未重复记账" in again.stdout
    assert snapshot(engine) == before
    changed = args[:]
    changed[3] = "1300"
    refused(fund, engine, changed, "repay.ref_differs", ref="B-1")


def test_more_than_owed_is_refused(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1, yuan=24_000)
    refused(
        fund,
        engine,
        [
            "repay",
            str(fid),
            "--amount",
            "24000.01",
            "--date",
            "2019-07-10",
            "--ref",
            "X",
            "--as",
            "fin1",
        ],
        "repay.more_than_owed",
        amount=2_400_001,
        owed=2_400_000,
    )


def test_full_repayment_closes_the_loan(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1, yuan=24_000)
    assert (
        fund(
            "repay",
            str(fid),
            "--amount",
            "24000",
            "--date",
            "2019-08-01",
            "--ref",
            "P",
            "--as",
            "fin1",
        ).exit_code
        == 0
    )
    fac = _fac(engine, fid)
    assert (fac.status, fac.outstanding_fen, fac.repaid_fen) == ("repaid", 0, 2_400_000)


def test_bank_file_reports_each_bad_row_and_takes_the_rest(
    fund: Fund, engine: Engine, tmp_path: Path
) -> None:
    fid = disbursed(engine, 1, yuan=24_000)
    path = tmp_path / "bank.csv"
    path.write_text(
        "业务编号,流水号,金额,日期\n"
        f"{fid},T-1,1000,2019-07-10\n"
        f"{fid},T-2,abc,2019-08-10\n"
        f"999,T-3,1000,2019-08-10\n"
        f"{fid},T-4,1000,2019-02-30\n"
        f"{fid},T-5,1000,2019-08-10\n",
        encoding="gbk",
    )
    r = fund("--json", "repayments", "import", str(path), "--as", "fin1")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["applied"] == 2
    assert [(e["line"], e["code"]) for e in doc["errors"]] == [
        (3, "money.invalid"),
        (4, "facility.not_found"),
        (5, "date.invalid"),
    ]
    again = json.loads(fund("--json", "repayments", "import", str(path), "--as", "fin1").stdout)
    assert again["applied"] == 0 and again["unchanged"] == 2


def test_bank_file_all_or_nothing_records_nothing_when_a_row_is_bad(
    fund: Fund, engine: Engine, tmp_path: Path
) -> None:
    fid = disbursed(engine, 1, yuan=24_000)
    path = tmp_path / "bank.csv"
    good = f"业务编号,流水号,金额,日期\n{fid},T-1,1000,2019-07-10\n"
    path.write_text(good + f"{fid},T-2,abc,2019-08-10\n", encoding="gbk")
    before = snapshot(engine)
    r = fund("--json", "repayments", "import", str(path), "--all-or-nothing", "--as", "fin1")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert (doc["written"], doc["applied"], doc["would_apply"]) == (False, 0, 1)
    assert [e["line"] for e in doc["errors"]] == [3]
    r = fund("repayments", "import", str(path), "--all-or-nothing", "--as", "fin1")
    assert r.exit_code == 1 and "按 --all-or-nothing 未写入" in r.stdout
    assert snapshot(engine) == before
    path.write_text(good, encoding="gbk")  # fixed: now it is all taken
    r = fund("--json", "repayments", "import", str(path), "--all-or-nothing", "--as", "fin1")
    assert r.exit_code == 0 and json.loads(r.stdout)["written"] is True
    assert snapshot(engine) != before


def test_day_close_ages_defaults_and_is_idempotent(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1, yuan=24_000)
    doc = json.loads(fund("--json", "close-day", "--through", "2019-10-20", "--as", "fin1").stdout)
    closed = [c["date"] for c in doc["closed"]]
    assert closed == ["2019-06-30", "2019-07-31", "2019-08-31", "2019-09-30", "2019-10-20"]
    last = doc["closed"][-1]
    assert (last["overdue"], last["par30_bp"], last["par90_bp"]) == (1, 10_000, 10_000)
    fac = _fac(engine, fid)
    assert (fac.status, fac.days_past_due) == ("defaulted", 102)
    before = snapshot(engine)
    again = json.loads(
        fund("--json", "close-day", "--through", "2019-10-20", "--as", "fin1").stdout
    )
    assert again["closed"] == []
    assert snapshot(engine) == before


def test_a_repaid_arrear_returns_to_current(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1, yuan=24_000)
    fund("close-day", "--through", "2019-07-20", "--as", "fin1")
    assert _fac(engine, fid).status == "overdue"
    fund(
        "repay", str(fid), "--amount", "1000", "--date", "2019-07-21", "--ref", "L", "--as", "fin1"
    )
    fund("close-day", "--through", "2019-07-22", "--as", "fin1")
    fac = _fac(engine, fid)
    assert (fac.status, fac.days_past_due) == ("current", 0)


def test_defaulted_guarantee_claim_recovery_and_write_off(fund: Fund, engine: Engine) -> None:
    """The issue's walk-through: every account's balance after each step."""
    fid = disbursed(
        engine, 1, kind="guarantee", yuan=50_000, term=36, support="反担保"
    )  # deposit 10,000; county covers 50%
    start = _balances(fund)
    assert start["1031"] == 1_000_000
    fund("close-day", "--through", "2019-12-31", "--as", "fin1")
    fac = _fac(engine, fid)
    assert fac.status == "defaulted"
    provision = _balances(fund)["2411"]
    assert provision == 50_000  # 1% of the 5,000,000 fen exposure
    refused(
        fund,
        engine,
        ["claims", "pay", str(fid), "--amount", "50000.01", "--date", "2020-01-05", "--as", "fin1"],
        "claim.more_than_covered",
        amount=5_000_001,
        covered=5_000_000,
        principal=5_000_000,
        interest=0,
    )
    r = fund("claims", "pay", str(fid), "--amount", "40000", "--date", "2020-01-05", "--as", "fin1")
    assert r.exit_code == 0, r.stderr
    b = _balances(fund)
    assert b["1031"] == 0  # the whole deposit went to the claim
    assert b["1212"] == 2_000_000  # borrower owes half of 40,000
    assert b["1213"] == 2_000_000  # the county owes the other half
    assert b["1002"] == start["1002"] - 3_000_000
    fund(
        "recoveries",
        "record",
        str(fid),
        "--amount",
        "5000",
        "--date",
        "2020-02-01",
        "--ref",
        "RC-1",
        "--as",
        "fin1",
    )
    fund(
        "recoveries",
        "record",
        str(fid),
        "--amount",
        "20000",
        "--from",
        "county",
        "--date",
        "2020-02-02",
        "--ref",
        "RC-2",
        "--as",
        "fin1",
    )
    b = _balances(fund)
    assert (b["1212"], b["1213"]) == (1_500_000, 0)
    r = fund(
        "write-off",
        str(fid),
        "--reason",
        "borrower cannot pay",
        "--date",
        "2020-06-30",
        "--as",
        "fin1",
    )
    assert r.exit_code == 0, r.stderr
    b = _balances(fund)
    assert (b["1212"], b["2411"], b["5401.01"]) == (0, 0, 1_500_000 - provision)
    assert (
        fund(
            "write-off",
            str(fid),
            "--undo",
            "--reason",
            "error",
            "--date",
            "2020-07-01",
            "--as",
            "fin1",
        ).exit_code
        == 0
    )
    b = _balances(fund)
    assert (b["1212"], b["2411"], b["5401.01"]) == (1_500_000, provision, 0)
    assert _fac(engine, fid).status == "claimed"
    assert fund("ledger", "verify").exit_code == 0


def test_a_defaulted_loan_is_written_off(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1, yuan=24_000)
    fund("close-day", "--through", "2019-12-31", "--as", "fin1")
    r = fund("write-off", str(fid), "--reason", "x", "--date", "2020-01-02", "--as", "fin1")
    assert r.exit_code == 0, r.stderr
    fac = _fac(engine, fid)
    assert (fac.status, fac.outstanding_fen, fac.written_off_fen) == ("written_off", 0, 2_400_000)
    assert _balances(fund)["1211"] == 0


def test_repaid_guarantee_releases_its_deposit(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1, kind="guarantee", yuan=50_000, term=36, support="反担保")
    bank = _balances(fund)["1002"]
    assert _fac(engine, fid).exposure_fen == 5_000_000
    half = fund(
        "repay",
        str(fid),
        "--amount",
        "20000",
        "--date",
        "2019-06-11",
        "--ref",
        "B-1",
        "--prepay",  # the bank loan paid off early
        "--as",
        "fin1",
    )
    assert half.exit_code == 0, half.stderr
    assert _fac(engine, fid).exposure_fen == 3_000_000
    rest = fund(
        "repay",
        str(fid),
        "--amount",
        "30000",
        "--date",
        "2019-06-12",
        "--ref",
        "B-2",
        "--prepay",  # the bank loan paid off early
        "--as",
        "fin1",
    )
    assert rest.exit_code == 0, rest.stderr
    fac = _fac(engine, fid)
    assert (fac.status, fac.exposure_fen, fac.outstanding_fen) == ("repaid", 0, 0)
    b = _balances(fund)
    assert b["1031"] == 0 and b["1002"] == bank + 1_000_000

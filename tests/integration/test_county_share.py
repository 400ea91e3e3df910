"""Issue 19 items 3-5 through the CLI, on both databases, with the entries they post.

Item 3: a counter-guaranteed interest-free loan found in default has the county's share
of it moved to a receivable from the county (1213), at the day close or by ``fund claims
county``; the borrower's write-off never takes it; it has its own write-off. Item 4: the
month-end close keeps the loan-loss allowance (1231) at the policy's rates of the loans
receivable by ageing bucket, against 管理费用 (5201.01); write-offs draw on it. Item 5:
the borrower owes a guaranteed instalment's interest less its subsidy; the subsidy is
accrued at the due date's close (5101.04 / 2209.01) and paid with ``fund subsidies pay``.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select, update

from fundcore.messages import render
from fundcore.store.models import Facility, Instalment, JournalEntry, JournalLine, SubsidyAccrual
from tests.conftest import Fund, snapshot
from tests.factories import disbursed, setup_fund

BANK = "农商银行"


@pytest.fixture
def fund(engine: Engine) -> Fund:
    setup_fund(engine)
    return Fund(engine.url.render_as_string(hide_password=False))


def _ok(fund: Fund, *args: str) -> str:
    r = fund(*args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def _balances(fund: Fund) -> dict[str, int]:
    doc = json.loads(_ok(fund, "--json", "ledger", "trial-balance"))
    return {a["code"]: a["balance_fen"] for a in doc["accounts"]}


def _fac(engine: Engine, fid: int):  # noqa: ANN202
    with engine.connect() as conn:
        return conn.execute(select(Facility.__table__).where(Facility.id == fid)).one()


def _lines(engine: Engine, kind: str) -> list[tuple[str, str, int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(JournalLine.account_code, JournalLine.side, JournalLine.amount_fen)
            .join(JournalEntry, JournalEntry.seq == JournalLine.entry_seq)
            .where(JournalEntry.kind == kind)
            .order_by(JournalLine.entry_seq, JournalLine.account_code)
        ).all()
    return [tuple(r) for r in rows]


def refused(fund: Fund, engine: Engine, args: list[str], code: str, **params: object) -> None:
    before = snapshot(engine)
    r = fund("--lang", "en", *args)
    assert r.exit_code == 1, r.stdout
    assert r.stderr.splitlines()[0] == render(code, params, "en")
    assert snapshot(engine) == before


def _verified(fund: Fund) -> None:
    _ok(fund, "ledger", "verify")


# --- item 3: the county's share of a defaulted loan ----------------------------------------


def test_a_defaulted_loans_county_share_is_receivable_and_outlives_the_write_off(
    fund: Fund, engine: Engine
) -> None:
    fid = disbursed(engine, 1, yuan=30_000, support="反担保")  # 50% counter-guarantee
    _ok(fund, "close-day", "--through", "2019-10-31", "--as", "fin1")  # 113 days past due
    fac = _fac(engine, fid)
    assert (fac.status, fac.county_share_fen, fac.outstanding_fen) == (
        "defaulted",
        1_500_000,
        1_500_000,
    )
    assert _lines(engine, "loan.county_share") == [
        ("1211", "C", 1_500_000),
        ("1213", "D", 1_500_000),
    ]
    b = _balances(fund)
    assert (b["1211"], b["1213"]) == (1_500_000, 1_500_000)
    _verified(fund)
    # the borrower's write-off takes only the borrower's part, against the allowance
    out = json.loads(_ok(fund, "--json", "write-off", str(fid), "--reason", "失联",
                         "--date", "2019-11-05", "--as", "fin1"))  # fmt: skip
    assert out["amount"] == "15000.00"
    b = _balances(fund)
    assert (b["1211"], b["1213"], b["1231"]) == (0, 1_500_000, 0)
    _verified(fund)
    # the county still owes its share: it pays part, the rest has its own write-off
    _ok(fund, "recoveries", "record", str(fid), "--amount", "5000", "--ref", "CTY-1",
        "--from", "county", "--date", "2019-11-06", "--as", "fin1")  # fmt: skip
    refused(fund, engine, ["write-off", str(fid), "--county", "--reason", " ", "--date",
                           "2019-11-07", "--as", "fin1"], "decision.reason_needed")  # fmt: skip
    text = _ok(fund, "write-off", str(fid), "--county", "--reason", "县财政无力",
               "--date", "2019-11-07", "--as", "fin1")  # fmt: skip
    assert "应收县政府的反担保款：¥10,000.00" in text
    assert _lines(engine, "write_off.county") == [
        ("1213", "C", 1_000_000),
        ("5201.01", "D", 1_000_000),
    ]
    assert _balances(fund)["1213"] == 0
    again = ["write-off", str(fid), "--county", "--reason", "again", "--date", "2019-11-08"]
    refused(fund, engine, [*again, "--as", "fin1"], "write_off.county_nothing", id=fid)
    _verified(fund)


def test_the_county_share_claimed_by_hand_when_the_policy_says_so(
    fund: Fund, engine: Engine
) -> None:
    _ok(fund, "policy", "set", "county_claim_at_default=否", "--date", "2019-01-05", "--as", "root")
    fid = disbursed(engine, 1, yuan=30_000, support="反担保")
    matched = disbursed(engine, 2, yuan=30_000)  # 1:1 matching, no counter-guarantee
    args = ["claims", "county", str(fid), "--date", "2019-08-01", "--as", "fin1"]
    refused(fund, engine, args, "county_claim.not_defaulted_loan", id=fid, status="current")
    _ok(fund, "close-day", "--through", "2019-10-31", "--as", "fin1")
    assert _balances(fund)["1213"] == 0 and _fac(engine, fid).county_share_fen == 0
    refused(fund, engine, ["claims", "county", str(matched), "--date", "2019-11-01", "--as",
                           "fin1"], "county_claim.no_counter_guarantee", id=matched)  # fmt: skip
    args[4] = "2019-11-01"
    doc = json.loads(_ok(fund, "--json", *args))
    assert (doc["share_bp"], doc["county_share"]) == (5_000, "15000.00")
    assert (_balances(fund)["1211"], _balances(fund)["1213"]) == (3_000_000 + 1_500_000, 1_500_000)
    refused(fund, engine, args, "county_claim.already", id=fid, amount=1_500_000)
    _verified(fund)
    # the borrower now owes only its part: a payment of more is refused
    refused(fund, engine, ["repay", str(fid), "--amount", "15000.01", "--ref", "R-9", "--date",
                           "2019-11-02", "--as", "fin1"], "repay.more_than_owed",
            amount=1_500_001, owed=1_500_000)  # fmt: skip


def test_a_guarantees_county_share_outlives_the_borrowers_write_off(
    fund: Fund, engine: Engine
) -> None:
    fid = disbursed(engine, 1, kind="guarantee", yuan=50_000, term=36, support="反担保")
    _ok(fund, "close-day", "--through", "2019-10-31", "--as", "fin1")
    doc = json.loads(_ok(fund, "--json", "claims", "pay", str(fid), "--date", "2019-11-05",
                         "--as", "fin1"))  # fmt: skip
    county = int(doc["county_share"].replace(".", ""))
    assert county == 2_500_000
    _ok(fund, "write-off", str(fid), "--reason", "失联", "--date", "2019-11-06", "--as", "fin1")
    b = _balances(fund)
    assert (b["1212"], b["1213"]) == (0, county)
    _verified(fund)
    _ok(fund, "recoveries", "record", str(fid), "--amount", str(county // 100), "--ref", "C-1",
        "--from", "county", "--date", "2019-11-07", "--as", "fin1")  # fmt: skip
    assert _balances(fund)["1213"] == 0
    _verified(fund)


# --- item 4: the loan-loss allowance ---------------------------------------------------------


def test_the_month_end_keeps_the_allowance_at_the_aged_rates(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1, yuan=24_000, term=24)  # 1,000 yuan a month from 2019-07-10
    _ok(fund, "close-day", "--through", "2019-06-30", "--as", "fin1")
    assert _balances(fund)["1231"] == 24_000  # 1% of 24,000 yuan, current
    _ok(fund, "close-day", "--through", "2019-07-15", "--as", "fin1")  # not a month end
    assert _balances(fund)["1231"] == 24_000
    _ok(fund, "close-day", "--through", "2019-07-31", "--as", "fin1")
    assert _balances(fund)["1231"] == 120_000  # 5%: 21 days past due
    _ok(fund, "repay", str(fid), "--amount", "2000", "--ref", "R-1", "--date", "2019-08-01",
        "--as", "fin1")  # fmt: skip
    _ok(fund, "close-day", "--through", "2019-08-31", "--as", "fin1")
    b = _balances(fund)
    assert (b["1231"], b["5201.01"]) == (22_000, 22_000)  # 1% of 22,000 yuan: released
    assert _lines(engine, "allowance") == [
        ("1231", "C", 24_000),
        ("5201.01", "D", 24_000),
        ("1231", "C", 96_000),
        ("5201.01", "D", 96_000),
        ("1231", "D", 98_000),
        ("5201.01", "C", 98_000),
    ]
    _verified(fund)


def test_the_allowance_rates_are_policy(fund: Fund, engine: Engine) -> None:
    _ok(fund, "policy", "set", "loan_allowance_current_bp=250", "--date", "2019-01-05",
        "--as", "root")  # fmt: skip
    disbursed(engine, 1, yuan=24_000, term=24)
    _ok(fund, "close-day", "--through", "2019-06-30", "--as", "fin1")
    assert _balances(fund)["1231"] == 60_000
    r = fund("--lang", "en", "policy", "set", "loan_allowance_current_bp=10001", "--date",
             "2019-07-05", "--as", "root")  # fmt: skip
    assert r.exit_code == 1


# --- item 5: the interest subsidy --------------------------------------------------------------


def _subsidised_guarantee(fund: Fund, engine: Engine) -> tuple[int, dict]:
    _ok(fund, "policy", "set", "interest_subsidy_bp=5000", "--date", "2019-01-05", "--as", "root")
    fid = disbursed(engine, 1, kind="guarantee", yuan=50_000, term=36, support="反担保")
    first = json.loads(_ok(fund, "--json", "schedule", str(fid), "--as", "fin1"))["instalments"][0]
    assert first["subsidy_fen"] == (first["interest_fen"] + 1) // 2 > 0
    return fid, first


def test_principal_plus_interest_less_subsidy_leaves_nothing_overdue(
    fund: Fund, engine: Engine
) -> None:
    fid, first = _subsidised_guarantee(fund, engine)
    owed = first["principal_fen"] + first["interest_fen"] - first["subsidy_fen"]
    _ok(fund, "repay", str(fid), "--amount", f"{owed // 100}.{owed % 100:02d}", "--ref", "R-1",
        "--date", first["due_date"], "--as", "fin1")  # fmt: skip
    _ok(fund, "close-day", "--through", "2019-07-31", "--as", "fin1")
    fac = _fac(engine, fid)
    assert (fac.status, fac.days_past_due) == ("current", 0)
    with engine.connect() as conn:
        paid = conn.execute(
            select(Instalment.paid_principal_fen, Instalment.paid_interest_fen).where(
                Instalment.facility_id == fid, Instalment.no == 1
            )
        ).one()
    assert tuple(paid) == (first["principal_fen"], first["interest_fen"] - first["subsidy_fen"])


def test_subsidies_accrue_at_the_due_dates_close_and_are_paid_per_bank(
    fund: Fund, engine: Engine
) -> None:
    fid, first = _subsidised_guarantee(fund, engine)
    subsidy = first["subsidy_fen"]
    _ok(fund, "close-day", "--through", "2019-07-09", "--as", "fin1")
    assert _balances(fund)["2209.01"] == 0  # not yet due
    _ok(fund, "close-day", "--through", "2019-07-31", "--as", "fin1")
    b = _balances(fund)
    assert (b["2209.01"], b["5101.04"]) == (subsidy, subsidy)
    assert _lines(engine, "subsidy.accrual") == [
        ("2209.01", "C", subsidy),
        ("5101.04", "D", subsidy),
    ]
    _ok(fund, "close-day", "--through", "2019-07-31", "--as", "fin1")  # again: nothing more
    assert _balances(fund)["2209.01"] == subsidy
    _verified(fund)
    refused(fund, engine, ["subsidies", "pay", "--bank", BANK, "--through", "2019-07-31",
                           "--date", "2019-07-30", "--as", "fin1"], "subsidy.paid_before_through",
            on="2019-07-30", through="2019-07-31")  # fmt: skip
    bank = _balances(fund)["1002"]
    doc = json.loads(_ok(fund, "--json", "subsidies", "pay", "--bank", BANK, "--through",
                         "2019-07-31", "--as", "fin1"))  # fmt: skip
    assert (doc["instalments"], doc["amount"]) == (1, f"{subsidy // 100}.{subsidy % 100:02d}")
    b = _balances(fund)
    assert (b["2209.01"], b["1002"]) == (0, bank - subsidy)
    refused(fund, engine, ["subsidies", "pay", "--bank", BANK, "--through", "2019-07-31",
                           "--as", "fin1"], "subsidy.nothing_to_pay", bank=BANK,
            through="2019-07-31")  # fmt: skip
    _verified(fund)
    # the payable is reconciled to its records: a record changed behind the engine's back shows
    _ok(fund, "close-day", "--through", "2019-08-31", "--as", "fin1")
    with engine.begin() as conn:
        more = SubsidyAccrual.amount_fen + 1
        acc = SubsidyAccrual.__table__
        conn.execute(update(acc).values(amount_fen=more).where(acc.c.paid_seq.is_(None)))
    r = fund("ledger", "verify")
    assert r.exit_code == 1 and "2209.01" in r.stdout + r.stderr

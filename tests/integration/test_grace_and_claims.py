"""Bank-loan grace periods and what a claim covers (issue 14 items 3 and 5), through the CLI.

Item 3: a guaranteed bank loan may start with interest-only months (policy
``bank_grace_months``, fixed on the facility at approval, or ``fund approve
--grace-months N``), then 等额本息 or 等额本金 over the rest of the term; ``fund schedule``
says so. Item 5: a claim (代偿) pays the bank the coverage share of the principal and,
where the policy the guarantee was approved under says so (``claim_covers_interest``),
of the overdue interest; its output says which, and the ledger still reconciles.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, select

from fundcore.domain.money import round_half_up
from fundcore.domain.schedules import monthly_rate
from fundcore.intake.application import parse_application
from fundcore.services import applications
from fundcore.store.models import FacilityEvent, JournalEntry
from fundcore.store.uow import UnitOfWork
from tests.cli.helpers import Typed, as_json, ok, refused_unchanged
from tests.conftest import Fund, init_db
from tests.factories import application_row, disbursed, setup_fund

PRINCIPAL = 5_000_000  # 50,000 yuan
RATE_BP = 475


@pytest.fixture
def eng(sqlite_url: str) -> Iterator[Engine]:
    """A fund on SQLite (nothing here is SQL that differs between the databases)."""
    engine = init_db(sqlite_url)
    setup_fund(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def fund(eng: Engine, sqlite_url: str) -> Typed:
    return Typed(Fund(sqlite_url))


def _policy(fund: Typed, *settings: str, on: str = "2019-01-05") -> None:
    ok(fund(f"policy set {' '.join(settings)} --date {on} --as root"))


def _submitted(eng: Engine, n: int, kind: str = "guarantee", term: int = 36) -> int:
    """A 50,000-yuan application of 灵丘县 backed by the county's counter-guarantee."""
    names = {"loan": "免息借款", "guarantee": "担保贷款"}
    row = application_row(random.Random(n), n, "140224", date(2019, 6, 1), names[kind])
    row.update(amount="50000", term_months=str(term), local_support="反担保")
    app, errors = parse_application(row)
    assert not errors, errors
    with UnitOfWork(eng) as uow:
        report = applications.submit(uow.conn, "lq", [(None, app)], date(2019, 6, 1))
        uow.commit()
    return report.taken[0][2]


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _balances(fund: Typed) -> dict[str, int]:
    doc = as_json(fund("--json ledger trial-balance"))
    return {a["code"]: a["balance_fen"] for a in doc["accounts"]}


def _schedule(fund: Typed, fid: int) -> dict:
    return as_json(fund(f"--json schedule {fid} --as fin1"))


# --- item 3: grace periods -------------------------------------------------------------


def test_policy_grace_gives_interest_only_months_then_the_annuity(fund: Typed, eng: Engine):
    _policy(fund, "bank_grace_months=6")
    fid = disbursed(eng, 1, kind="guarantee", yuan=50_000, term=36, support="反担保")
    doc = _schedule(fund, fid)
    rows = doc["instalments"]
    assert doc["interest_only_months"] == 6 and len(rows) == 36
    month_interest = round_half_up(PRINCIPAL * monthly_rate(RATE_BP))  # 19,791.67 yuan
    assert month_interest == 19_792
    assert [(r["principal_fen"], r["interest_fen"]) for r in rows[:6]] == [(0, 19_792)] * 6
    assert all(r["principal_fen"] > 0 for r in rows[6:])
    assert sum(r["principal_fen"] for r in rows) == PRINCIPAL
    # the annuity runs over the 30 months left: equal payments but the last
    payments = {r["principal_fen"] + r["interest_fen"] for r in rows[6:-1]}
    assert len(payments) == 1
    assert rows[-1]["due_date"] == "2022-06-10"  # the term still ends 36 months on
    text = ok(fund(f"schedule {fid} --as fin1")).stdout
    assert "前 6 期只付利息、不还本金" in text.splitlines()[0]
    en = ok(fund(f"--lang en schedule {fid} --as fin1")).stdout
    assert "the first 6 instalments interest only" in en.splitlines()[0]


def test_grace_with_equal_principal(fund: Typed, eng: Engine) -> None:
    _policy(fund, "bank_grace_months=12", "bank_method=equal_principal")
    fid = disbursed(eng, 1, kind="guarantee", yuan=50_000, term=36, support="反担保")
    rows = _schedule(fund, fid)["instalments"]
    assert [r["principal_fen"] for r in rows[:12]] == [0] * 12
    share = PRINCIPAL // 24
    assert [r["principal_fen"] for r in rows[12:-1]] == [share] * 23
    assert rows[-1]["principal_fen"] == PRINCIPAL - 23 * share
    assert rows[12]["interest_fen"] == 19_792 and rows[13]["interest_fen"] < 19_792


def test_the_grace_in_force_at_approval_is_the_facilitys(fund: Typed, eng: Engine) -> None:
    """A policy changed between approval and pay-out does not change the facility's grace."""
    _policy(fund, "bank_grace_months=6")
    fid = _submitted(eng, 1)
    ok(fund(f"approve {fid} --date 2019-06-02 --as fin1"))
    _policy(fund, "bank_grace_months=0", on="2019-06-03")
    ok(fund(f"local-support record {fid} --kind counter-guarantee --amount {PRINCIPAL // 200} "
            "--guarantor 灵丘县人民政府 --ref CG-1 --date 2019-06-04 --as fin1"))  # fmt: skip
    ok(fund(f"disburse {fid} --bank 农商银行 --rate 4.75 --date 2019-06-10 --as fin2"))
    assert _schedule(fund, fid)["interest_only_months"] == 6


def test_an_approval_may_set_the_facilitys_grace(fund: Typed, eng: Engine) -> None:
    fid = _submitted(eng, 1)
    ok(fund(f"approve {fid} --grace-months 3 --date 2019-06-02 --as fin1"))
    ok(fund(f"local-support record {fid} --kind counter-guarantee --amount {PRINCIPAL // 200} "
            "--guarantor 灵丘县人民政府 --ref CG-1 --date 2019-06-04 --as fin1"))  # fmt: skip
    ok(fund(f"disburse {fid} --bank 农商银行 --rate 4.75 --date 2019-06-10 --as fin2"))
    doc = _schedule(fund, fid)
    assert doc["interest_only_months"] == 3
    assert sum(r["principal_fen"] for r in doc["instalments"]) == PRINCIPAL


def test_a_bad_grace_override_is_refused_and_writes_nothing(fund: Typed, eng: Engine) -> None:
    loan = _submitted(eng, 1, kind="loan")
    refused_unchanged(fund, eng, f"approve {loan} --grace-months 3 --date 2019-06-02 --as fin1",
                      "decision.grace_guarantee_only", id=loan, instrument="loan")  # fmt: skip
    ok(fund("policy set term_min_months=12 --date 2019-05-01 --as root"))
    short = _submitted(eng, 2, term=12)
    for months, term, fid in ((13, 36, _submitted(eng, 3)), (12, 12, short)):
        refused_unchanged(
            fund, eng, f"approve {fid} --grace-months {months} --date 2019-06-02 --as fin1",
            "decision.grace_too_long", months=months, most=12, term=term,
        )  # fmt: skip


def test_only_the_approval_that_opens_the_facility_sets_the_grace(fund: Typed, eng: Engine):
    ok(fund("policy set two_approvals_above_fen=40000 --date 2019-01-05 --as root"))
    fid = _submitted(eng, 1)
    line = f"approve {fid} --grace-months 3 --date 2019-06-02 --as fin1"
    refused_unchanged(fund, eng, line, "decision.grace_on_opening_approval",
                      id=fid, approval=1, needed=2)  # fmt: skip
    ok(fund(f"approve {fid} --date 2019-06-02 --as fin1"))
    ok(fund(f"approve {fid} --grace-months 3 --date 2019-06-02 --as fin2"))


def test_grace_keys_are_typed_policy(fund: Typed, eng: Engine) -> None:
    keys = {k["name"]: k for k in as_json(fund("--json policy show --keys"))}
    assert keys["bank_grace_months"]["type"] == "months"
    assert keys["claim_covers_interest"]["type"] == "flag"
    defaults = as_json(fund("--json policy show"))[0]
    assert (defaults["bank_grace_months"], defaults["claim_covers_interest"]) == (0, False)
    line = "policy set bank_grace_months=13 --date 2019-03-01 --as root"
    refused_unchanged(fund, eng, line, "policy.bad_value", name="bank_grace_months",
                      value="13", allowed_zh="0 到 12 之间的整数（月）",
                      allowed_en="a whole number from 0 to 12 (months)")  # fmt: skip
    ok(fund("policy set term_min_months=12 --date 2019-03-01 --as root"))
    line = "policy set bank_grace_months=12 --date 2019-03-02 --as root"
    refused_unchanged(fund, eng, line, "policy.inconsistent",
                      detail="bank_grace_months / term_min_months")  # fmt: skip


# --- item 5: what a claim covers -------------------------------------------------------


def _defaulted_guarantee(fund: Typed, eng: Engine) -> int:
    """A 50,000-yuan guarantee (county counter-guarantees half) that pays nothing and
    defaults at the 2019 year-end close."""
    fid = disbursed(eng, 1, kind="guarantee", yuan=50_000, term=36, support="反担保")
    ok(fund("close-day --through 2019-12-31 --as fin1"))
    return fid


def _overdue_interest(fund: Typed, fid: int, on: str) -> int:
    rows = _schedule(fund, fid)["instalments"]
    return sum(r["interest_fen"] for r in rows if r["due_date"] <= on)


def test_by_default_a_claim_covers_principal_and_says_so(fund: Typed, eng: Engine) -> None:
    fid = _defaulted_guarantee(fund, eng)
    overdue = _overdue_interest(fund, fid, "2020-01-05")
    assert 6 * 18_000 < overdue < 6 * 19_792  # six months of interest unpaid
    doc = as_json(fund(f"--json claims pay {fid} --date 2020-01-05 --as fin1"))
    assert (doc["amount"], doc["principal"], doc["interest"]) == ("50000.00", "50000.00", "0.00")
    assert (doc["coverage_bp"], doc["covers_interest"]) == (10_000, False)
    assert doc["overdue_interest"] == _yuan(overdue)


def test_the_text_of_a_claim_states_what_it_covers(fund: Typed, eng: Engine) -> None:
    fid = _defaulted_guarantee(fund, eng)
    text = ok(fund(f"claims pay {fid} --amount 30000 --date 2020-01-05 --as fin1")).stdout
    assert "本金 ¥30,000.00，利息 ¥0.00（担保责任比例 100.00%，代偿范围：仅本金" in text


def test_a_claim_covers_overdue_interest_where_the_policy_says_so(fund: Typed, eng: Engine) -> None:
    _policy(fund, "claim_covers_interest=是", "guarantee_coverage_bp=8000")
    fid = _defaulted_guarantee(fund, eng)
    overdue = _overdue_interest(fund, fid, "2020-01-05")
    principal, interest = PRINCIPAL * 8 // 10, (overdue * 8000 + 5000) // 10_000
    covered = principal + interest
    refused_unchanged(fund, eng, f"claims pay {fid} --amount {_yuan(covered + 1)} "
                      "--date 2020-01-05 --as fin1", "claim.more_than_covered", amount=covered + 1,
                      covered=covered, principal=principal, interest=interest)  # fmt: skip
    doc = as_json(fund(f"--json claims pay {fid} --date 2020-01-05 --as fin1"))
    assert (doc["coverage_bp"], doc["covers_interest"]) == (8000, True)
    assert (doc["principal"], doc["interest"]) == (_yuan(principal), _yuan(interest))
    # the whole claim, interest too, is receivable: half from the county, half the borrower
    b = _balances(fund)
    assert b["1212"] + b["1213"] == covered and b["1213"] == (covered + 1) // 2
    with eng.connect() as conn:
        event = conn.execute(select(FacilityEvent.kind, FacilityEvent.amount_fen)
                             .where(FacilityEvent.facility_id == fid,
                                    FacilityEvent.kind == "claim")).one()  # fmt: skip
        memo = conn.scalar(select(JournalEntry.memo).where(JournalEntry.kind == "claim"))
    assert event.amount_fen == covered
    assert memo == f"代偿 paid to the bank: principal {principal} fen, interest {interest} fen"
    assert ok(fund("ledger verify")).exit_code == 0
    # recoveries reduce the receivable as before; the rest is written off; books reconcile
    ok(fund(f"recoveries record {fid} --amount 1000 --ref RC-1 --date 2020-02-01 --as fin1"))
    ok(fund(f"write-off {fid} --reason 无力偿还 --date 2020-06-30 --as fin1"))
    b = _balances(fund)
    # the borrower's write-off leaves the county's share owed; it has its own write-off
    assert (b["1212"], b["1213"]) == (0, (covered + 1) // 2)
    ok(fund("ledger verify"))
    ok(fund(f"write-off {fid} --county --reason 县财政无力 --date 2020-06-30 --as fin1"))
    b = _balances(fund)
    assert (b["1212"], b["1213"]) == (0, 0)
    ok(fund("ledger verify"))

"""Issue 14 item 10: a pay-out cancelled and a repayment undone, through their own commands.

Each moves the facility's records and the ledger together, dated on its own day: what
is read as of an earlier day (the trial balance, ``fund schedule --as-of``, the
facility as of a day) still shows the pay-out or the repayment, and from that day on
it is gone. After each, ``fund ledger verify`` (which reconciles the sub-ledgers to
the control accounts) is clean. Refusals write nothing and say why. Both databases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, select

from fundcore.domain import chart
from fundcore.store import as_of
from fundcore.store.models import AuditRecord, Facility, Instalment, JournalEntry, RepaymentUndo
from tests.cli.helpers import Typed, as_json, ok, refused_unchanged
from tests.conftest import Fund
from tests.factories import disbursed, setup_fund

DEFAULT_AFTER = 90


@dataclass(frozen=True, slots=True)
class Books:
    fund: Typed
    eng: Engine
    #: an interest-free loan of ¥30,000 over 24 months, paid out 2019-06-10
    loan: int
    #: a guarantee of ¥40,000 over 36 months, issued 2019-06-10 (deposit placed)
    guarantee: int
    #: a micro-grant of ¥10,000, paid 2019-06-10
    grant: int


@pytest.fixture
def books(engine: Engine, db_url: str) -> Books:
    setup_fund(engine)
    loan = disbursed(engine, 1, "loan")
    guarantee = disbursed(engine, 2, "guarantee", 40_000, 36)
    grant = disbursed(engine, 3, "grant", 10_000)
    return Books(Typed(Fund(db_url)), engine, loan, guarantee, grant)


def _clean(fund: Typed) -> None:
    """``fund ledger verify`` (hash chain, balances and the sub-ledgers) finds nothing."""
    result = fund("--json ledger verify")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True


def _balance(fund: Typed, code: str, as_of_day: str | None = None) -> int:
    extra = f" --as-of {as_of_day}" if as_of_day else ""
    doc = as_json(fund(f"--json ledger trial-balance{extra}"))
    return next((a["balance_fen"] for a in doc["accounts"] if a["code"] == code), 0)


def _fac(eng: Engine, fid: int):  # noqa: ANN202
    with eng.connect() as conn:
        return conn.execute(select(Facility.__table__).where(Facility.__table__.c.id == fid)).one()


def _on(eng: Engine, fid: int, day: date):  # noqa: ANN202
    """The facility as it stood at the end of ``day`` (``store.as_of``)."""
    with eng.connect() as conn:
        t = as_of.facilities_on(conn, day, DEFAULT_AFTER)
        return conn.execute(select(t).where(t.c.id == fid)).one()


def _schedule(fund: Typed, fid: int, as_of_day: str | None = None) -> dict:
    extra = f" --as-of {as_of_day}" if as_of_day else ""
    return as_json(fund(f"--json schedule {fid}{extra} --as fin1"))


def _paid(doc: dict) -> list[int]:
    return [i["paid_principal_fen"] for i in doc["instalments"]]


# --- cancel a pay-out ------------------------------------------------------------------


def test_a_loan_pay_out_cancelled_is_reversed_on_the_day_and_the_loan_approved_again(
    books: Books,
) -> None:
    fund, eng, loan = books.fund, books.eng, books.loan
    line = f"--json disburse {loan} --cancel --date 2019-07-01 --reason 放款账户错误 --as fin1"
    out = as_json(fund(line))
    assert (out["cancelled"], out["cash"], out["committed"]) == (True, "30000.00", "30000.00")
    with eng.connect() as conn:
        entry = conn.execute(
            select(JournalEntry.__table__).where(JournalEntry.seq == out["entry_seq"])
        ).one()
        payout = conn.scalar(
            select(JournalEntry.seq).where(
                JournalEntry.kind == "disburse.loan", JournalEntry.object_id == str(loan)
            )
        )
        active = conn.scalars(select(Instalment.active).where(Instalment.facility_id == loan))
        audited = conn.execute(
            select(AuditRecord.action, AuditRecord.details).where(
                AuditRecord.action == "facilities.cancel_payout"
            )
        ).all()
        assert set(active) == {False}  # the schedule is kept, retired
    assert (entry.reverses_seq, entry.business_date) == (payout, date(2019, 7, 1))
    assert len(audited) == 1 and "放款账户错误" in audited[0].details
    fac = _fac(eng, loan)
    assert (fac.status, fac.committed_fen, fac.outstanding_fen, fac.disbursed_on) == (
        "approved",
        3_000_000,
        0,
        None,
    )
    _clean(fund)
    # the ledger and the facility as of the day before still show the pay-out
    assert _balance(fund, chart.LOANS_RECEIVABLE) == 0
    assert _balance(fund, chart.LOANS_RECEIVABLE, "2019-06-30") == 3_000_000
    then, now = _on(eng, loan, date(2019, 6, 30)), _on(eng, loan, date(2019, 7, 1))
    assert (then.status, then.outstanding_fen, then.disbursed_on) == (
        "current",
        3_000_000,
        date(2019, 6, 10),
    )
    assert (now.status, now.outstanding_fen, now.disbursed_on) == ("approved", 0, None)
    before = _schedule(fund, loan, "2019-06-30")
    assert (before["status"], before["version"], len(before["instalments"])) == ("current", 1, 24)


def test_a_guarantee_and_a_grant_are_cancelled_too_and_the_books_agree(books: Books) -> None:
    fund, eng = books.fund, books.eng
    deposit = _fac(eng, books.guarantee).deposit_fen
    exposure = _fac(eng, books.guarantee).exposure_fen
    assert _balance(fund, chart.GUARANTEE_DEPOSITS) == deposit > 0
    for fid in (books.guarantee, books.grant):
        ok(fund(f"disburse {fid} --cancel --date 2019-06-20 --reason 重复支付 --as fin1"))
        _clean(fund)
    g = _fac(eng, books.guarantee)
    assert (g.status, g.committed_fen, g.exposure_fen) == ("approved", deposit, exposure)
    assert _balance(fund, chart.GUARANTEE_DEPOSITS) == 0
    assert _balance(fund, chart.GUARANTEE_DEPOSITS, "2019-06-19") == deposit
    assert _fac(eng, books.grant).status == "approved"
    assert _on(eng, books.grant, date(2019, 6, 19)).status == "paid"
    assert _on(eng, books.grant, date(2019, 6, 20)).status == "approved"


def test_a_cancelled_pay_out_can_be_paid_out_again_on_a_new_schedule_version(
    books: Books,
) -> None:
    fund, loan = books.fund, books.loan
    ok(fund(f"disburse {loan} --cancel --date 2019-06-20 --reason 账户错误 --as fin1"))
    out = as_json(fund(f"--json disburse {loan} --date 2019-06-25 --as fin2"))
    assert out["instalments"] == 24
    now, then = _schedule(fund, loan), _schedule(fund, loan, "2019-06-19")
    assert (now["version"], now["version_from"]) == (2, "2019-06-25")
    assert (then["version"], then["version_from"]) == (1, "2019-06-10")
    assert _on(books.eng, loan, date(2019, 6, 22)).status == "approved"
    ok(fund("close-day --through 2019-08-31 --as fin1"))
    _clean(fund)
    assert _fac(books.eng, loan).status == "overdue"  # the new schedule's first instalment


def test_a_pay_out_in_a_closed_month_is_cancelled_in_the_open_one_only(books: Books) -> None:
    fund, eng, loan = books.fund, books.eng, books.loan
    ok(fund("period close 2019-06 --as fin1"))
    june = as_json(fund("--json ledger trial-balance --as-of 2019-06-30"))
    line = f"disburse {loan} --cancel --date 2019-06-30 --reason 错 --as fin1"
    refused_unchanged(fund, eng, line, "period.closed", month="2019-06")
    ok(fund(f"disburse {loan} --cancel --date 2019-07-02 --reason 错 --as fin1"))
    assert as_json(fund("--json ledger trial-balance --as-of 2019-06-30")) == june
    assert _on(eng, loan, date(2019, 6, 30)).status == "current"
    _clean(fund)


def test_a_pay_out_repaid_on_or_not_paid_out_is_refused_and_nothing_written(
    books: Books,
) -> None:
    fund, eng, loan = books.fund, books.eng, books.loan
    ok(fund(f"repay {loan} --amount 1250 --ref L1 --date 2019-07-10 --as fin1"))
    cancel = f"disburse {loan} --cancel --reason 错 --as fin1 --date"
    refused_unchanged(fund, eng, f"{cancel} 2019-07-11", "payout_cancel.repaid", id=loan, ref="L1")
    refused_unchanged(
        fund,
        eng,
        f"--lang en {cancel} 2019-07-11",
        "payout_cancel.repaid",
        "en",
        id=loan,
        ref="L1",
    )
    grant = f"disburse {books.grant} --cancel --reason 错 --as fin1 --date"
    refused_unchanged(fund, eng, f"{grant} 2019-06-09", "payout_cancel.before_payout",
                      date="2019-06-10")  # fmt: skip
    ok(fund(f"{grant} 2019-06-11"))
    refused_unchanged(
        fund, eng, f"{grant} 2019-06-12", "payout_cancel.not_cancellable", id=books.grant,
        status="approved",
    )  # fmt: skip
    ok(fund("close-day --through 2019-07-31 --as fin1"))
    g = f"disburse {books.guarantee} --cancel --reason 错 --as fin1 --date"
    refused_unchanged(fund, eng, f"{g} 2019-07-31", "payout_cancel.books_closed",
                      date="2019-07-31")  # fmt: skip
    refused_unchanged(fund, eng, f"disburse {books.guarantee} --cancel --reason '  ' "
                      "--date 2019-08-01 --as fin1", "correction.reason_needed")  # fmt: skip
    assert fund(f"disburse {loan} --cancel --date 2019-08-01 --as fin1").exit_code == 2
    assert fund(f"disburse {loan} --reason x --date 2019-08-01 --as fin1").exit_code == 2
    _clean(fund)


# --- undo a repayment by ref -----------------------------------------------------------


def _two_repayments(b: Books) -> None:
    for n, day in enumerate(("2019-07-10", "2019-08-10"), start=1):
        ok(b.fund(f"repay {b.loan} --amount 1250 --ref L{n} --date {day} --as fin1"))


def test_an_undone_repayment_is_gone_from_its_undo_day_and_stands_before_it(
    books: Books,
) -> None:
    fund, eng, loan = books.fund, books.eng, books.loan
    _two_repayments(books)
    out = as_json(fund("--json repay --undo L2 --date 2019-08-20 --reason 银行重复报送 --as fin1"))
    assert (out["undone"], out["ref"], out["principal"]) == (True, "L2", "1250.00")
    assert len(out["entry_seqs"]) == 1
    fac = _fac(eng, loan)
    assert (fac.outstanding_fen, fac.repaid_fen) == (3_000_000 - 125_000, 125_000)
    assert _paid(_schedule(fund, loan))[:3] == [125_000, 0, 0]
    assert _paid(_schedule(fund, loan, "2019-08-19"))[:3] == [125_000, 125_000, 0]
    assert _paid(_schedule(fund, loan, "2019-08-20"))[:3] == [125_000, 0, 0]
    assert _balance(fund, chart.LOANS_RECEIVABLE, "2019-08-19") == 3_000_000 - 250_000
    assert _balance(fund, chart.LOANS_RECEIVABLE) == 3_000_000 - 125_000
    assert _on(eng, loan, date(2019, 8, 19)).outstanding_fen == 3_000_000 - 250_000
    assert _on(eng, loan, date(2019, 8, 20)).outstanding_fen == 3_000_000 - 125_000
    with eng.connect() as conn:
        undo = conn.execute(select(RepaymentUndo.__table__)).one()
    assert (undo.ref, undo.business_date, undo.reason) == ("L2", date(2019, 8, 20), "银行重复报送")
    _clean(fund)
    # the instalment it paid is due again: overdue at the next close, not before the undo
    ok(fund("close-day --through 2019-08-31 --as fin1"))
    fac = _fac(eng, loan)
    assert fac.status == "overdue" and fac.days_past_due > 0
    assert _on(eng, loan, date(2019, 8, 19)).days_past_due == 0
    _clean(fund)


def test_undos_go_newest_first_and_each_refusal_writes_nothing(books: Books) -> None:
    fund, eng = books.fund, books.eng
    _two_repayments(books)
    undo = "repay --reason 错 --as fin1 --undo"
    refused_unchanged(fund, eng, f"{undo} L1 --date 2019-08-20", "repay.undo_later_first",
                      ref="L1", later="L2")  # fmt: skip
    refused_unchanged(fund, eng, f"{undo} NOPE --date 2019-08-20", "repay.undo_not_found",
                      ref="NOPE")  # fmt: skip
    refused_unchanged(fund, eng, f"{undo} L2 --date 2019-08-09", "repay.undo_before_repayment",
                      ref="L2", date="2019-08-10")  # fmt: skip
    refused_unchanged(
        fund, eng, f"repay {books.guarantee} --reason 错 --as fin1 --undo L2 --date 2019-08-20",
        "repay.undo_other_facility", ref="L2", id=books.guarantee, of=books.loan,
    )  # fmt: skip
    assert fund("repay --undo L2 --date 2019-08-20 --as fin1").exit_code == 2  # no reason
    assert (
        fund("repay 1 --amount 5 --undo L2 --reason x --date 2019-08-20 --as fin1").exit_code == 2
    )
    ok(fund(f"{undo} L2 --date 2019-08-20"))
    refused_unchanged(fund, eng, f"{undo} L2 --date 2019-08-21", "repay.already_undone",
                      ref="L2", date="2019-08-20")  # fmt: skip
    ok(fund(f"{undo} L1 --date 2019-08-21"))  # now the latest standing
    assert _fac(eng, books.loan).outstanding_fen == 3_000_000
    # the bank's file sent again: its ref is recorded (and undone), so nothing is posted
    again = as_json(fund(f"--json repay {books.loan} --amount 1250 --ref L2 --date 2019-08-10 "
                         "--as fin1"))  # fmt: skip
    assert again["created"] is False
    _clean(fund)
    # with nothing standing, the pay-out itself may be cancelled
    ok(fund(f"disburse {books.loan} --cancel --date 2019-08-22 --reason 错 --as fin1"))
    _clean(fund)


def test_an_undo_in_a_closed_month_or_on_a_closed_day_is_refused(books: Books) -> None:
    fund, eng = books.fund, books.eng
    _two_repayments(books)
    ok(fund("period close 2019-08 --as fin1"))
    undo = "repay --undo L2 --reason 错 --as fin1 --date"
    refused_unchanged(fund, eng, f"{undo} 2019-08-31", "period.closed", month="2019-08")
    ok(fund("close-day --through 2019-09-05 --as fin1"))
    refused_unchanged(fund, eng, f"{undo} 2019-09-05", "repay.undo_books_closed",
                      date="2019-09-05")  # fmt: skip
    before = as_json(fund("--json ledger trial-balance --as-of 2019-08-31"))
    ok(fund(f"{undo} 2019-09-06"))
    assert as_json(fund("--json ledger trial-balance --as-of 2019-08-31")) == before
    _clean(fund)


def _owed(fund: Typed, fid: int) -> int:
    """All a facility still owes on its schedule (principal and interest)."""
    doc = as_json(fund(f"--json schedule {fid} --as fin1"))
    return sum(
        i["principal_fen"] + i["interest_fen"] - i["paid_principal_fen"] for i in doc["instalments"]
    )


def test_undoing_the_repayment_that_released_a_deposit_places_it_again(books: Books) -> None:
    fund, eng, g = books.fund, books.eng, books.guarantee
    deposit = _fac(eng, g).deposit_fen
    amount = _owed(fund, g)
    ok(fund(f"repay {g} --amount {amount / 100:.2f} --ref G1 --date 2019-07-10 --as fin1"))
    assert (_fac(eng, g).status, _balance(fund, chart.GUARANTEE_DEPOSITS)) == ("repaid", 0)
    out = as_json(fund("--json repay --undo G1 --date 2019-07-15 --reason 退票 --as fin1"))
    assert len(out["entry_seqs"]) == 1  # the deposit release reversed
    fac = _fac(eng, g)
    assert (fac.status, fac.deposit_fen, fac.outstanding_fen) == ("current", deposit, 4_000_000)
    assert fac.exposure_fen > 0
    assert _balance(fund, chart.GUARANTEE_DEPOSITS) == deposit
    assert _on(eng, g, date(2019, 7, 14)).status == "repaid"
    # from the undo on, its first instalment (due 2019-07-10) is unpaid: overdue that day
    assert _on(eng, g, date(2019, 7, 15)).status == "overdue"
    _clean(fund)


def test_a_loan_repaid_in_full_and_undone_is_current_again(books: Books) -> None:
    fund, eng, loan = books.fund, books.eng, books.loan
    ok(fund(f"repay {loan} --amount 30000 --ref ALL --date 2019-07-01 --as fin1"))
    assert _fac(eng, loan).status == "repaid"
    ok(fund("--lang en repay --undo ALL --date 2019-07-02 --reason bounced --as fin1"))
    fac = _fac(eng, loan)
    assert (fac.status, fac.outstanding_fen, fac.repaid_fen) == ("current", 3_000_000, 0)
    assert set(_paid(_schedule(fund, loan))) == {0}
    assert set(_paid(_schedule(fund, loan, "2019-07-01"))) == {125_000}
    assert _balance(fund, chart.LOANS_RECEIVABLE) == 3_000_000
    _clean(fund)

"""Closed periods: months close in order, nothing dated in a closed month is posted,
a reopen is an admin's with a finance approver, and December's 期末结转.

Each refusal is shown through the command a user types: exit 1, the message naming
the closed month, and not one row of the database changed.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, select, update

from fundcore.domain.chart import BANK
from fundcore.domain.chart import DONATIONS_UNRESTRICTED as GIFTS
from fundcore.domain.errors import RuleBroken
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind
from fundcore.intake.application import parse_application
from fundcore.messages import render
from fundcore.services import applications, decisions, local_support
from fundcore.store import journal
from fundcore.store.models import AuditRecord, JournalEntry, Operator
from fundcore.store.uow import UnitOfWork
from tests.cli.helpers import Typed, ok, refused, refused_unchanged
from tests.conftest import Fund
from tests.factories import application_row, disbursed, setup_fund


@dataclass(frozen=True, slots=True)
class Books:
    """A fund with a loan, a defaulted guarantee, an approved and a supported facility,
    2019-06 to 2019-11 closed."""

    fund: Typed
    eng: Engine
    loan: int
    guarantee: int
    approved: int
    supported: int
    #: a second defaulted guarantee, not yet claimed
    unclaimed: int


def _approved(engine: Engine, n: int, support: bool) -> int:
    """A loan of 30,000 approved on 2019-06-02 (and its matching funds received)."""
    row = application_row(random.Random(n), n, "140224", date(2019, 6, 1), "免息借款")
    row.update(amount="30000", term_months="24", local_support="1:1配资")
    app, errors = parse_application(row)
    assert not errors, errors
    with UnitOfWork(engine) as uow:
        fid = applications.submit(uow.conn, "lq", [(None, app)], date(2019, 6, 1)).taken[0][2]
        decisions.approve(uow.conn, "fin1", fid, date(2019, 6, 2))
        if support:
            local_support.record(
                uow.conn,
                "fin1",
                local_support.SupportIn(fid, "matching", 3_000_000, date(2019, 6, 5)),
            )
        uow.commit()
    return fid


@pytest.fixture
def books(engine: Engine, db_url: str) -> Books:
    setup_fund(engine)
    loan = disbursed(engine, 1, "loan")
    guarantee = disbursed(engine, 2, "guarantee")
    unclaimed = disbursed(engine, 5, "guarantee")
    approved, supported = _approved(engine, 3, False), _approved(engine, 4, True)
    fund = Typed(Fund(db_url))
    for month in ("2019-06", "2019-07", "2019-08", "2019-09", "2019-10"):
        ok(fund(f"period close {month} --as fin1"))
    # the guarantee, never repaid, defaulted at the 10-31 close: a claim and a recovery
    ok(fund(f"claims pay {guarantee} --amount 1000 --date 2019-11-05 --as fin1"))
    ok(fund(f"recoveries record {guarantee} --amount 100 --ref R1 --date 2019-11-06 --as fin1"))
    ok(fund("period close 2019-11 --as fin1"))
    return Books(fund, engine, loan, guarantee, approved, supported, unclaimed)


def _head(engine: Engine) -> tuple[int, str]:
    with engine.connect() as conn:
        return journal.head(conn)


REFUSED = {
    "donation": "donations record --amount 1000 --donor 某公司 --date 2019-11-15",
    "working funds": "working-funds pay --year 2019 --date 2019-11-20",
    "local support": "local-support record {approved} --kind matching --amount 30000"
    " --date 2019-11-20",
    "disbursement": "disburse {supported} --date 2019-11-20",
    "repayment": "repay {loan} --amount 100 --ref B1 --date 2019-11-20",
    "claim": "claims pay {unclaimed} --amount 100 --date 2019-11-20",
    "recovery": "recoveries record {guarantee} --amount 100 --ref R2 --date 2019-11-20",
    "write-off": "write-off {guarantee} --reason 无法追回 --date 2019-11-20",
    "reversal": "ledger reverse 1 --date 2019-11-30 --reason 金额录错",
    "a day in an earlier closed month": "donations record --amount 1 --donor x --date 2019-06-30",
    "a day before the first closed month": "donations record --amount 1 --donor x"
    " --date 2019-05-31",
    "restructuring": "restructure {loan} --term 24 --reason 洪灾 --date 2019-11-20",
    "cancellation": "cancel {approved} --reason 放弃 --date 2019-11-20",
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_a_posting_dated_in_a_closed_month_is_refused_and_nothing_written(
    books: Books, kind: str
) -> None:
    line = REFUSED[kind].format(
        loan=books.loan,
        guarantee=books.guarantee,
        approved=books.approved,
        supported=books.supported,
        unclaimed=books.unclaimed,
    )
    month = "2019-11"
    if kind.startswith("a day"):
        month = "2019-05" if "before" in kind else "2019-06"
    before = _head(books.eng)
    refused_unchanged(books.fund, books.eng, f"{line} --as fin1", "period.closed", month=month)
    assert _head(books.eng) == before


def test_the_refusal_speaks_english_with_lang_en(books: Books) -> None:
    line = "donations record --amount 1000 --donor x --date 2019-11-15 --as fin1 --lang en"
    result = refused(books.fund(line), "period.closed", "en", month="2019-11")
    assert "2019-11 is closed" in result.stderr


def test_a_policy_version_effective_in_a_closed_month_is_refused(books: Books) -> None:
    line = "policy set amount_max_fen=20万 --effective 2019-11-01 --as root"
    refused_unchanged(books.fund, books.eng, line, "period.closed", month="2019-11")
    ok(books.fund("policy set amount_max_fen=20万 --effective 2019-12-01 --as root"))


def test_corrections_go_in_as_reversals_dated_in_the_first_open_day(books: Books) -> None:
    out = json.loads(
        ok(books.fund("--json ledger reverse 1 --date 2019-12-01 --reason 录错 --as fin1")).stdout
    )
    with books.eng.connect() as conn:
        row = conn.execute(select(JournalEntry).where(JournalEntry.reverses_seq == 1)).one()
    assert row.business_date == date(2019, 12, 1)
    assert out["ok"] is True


def test_open_days_still_take_postings(books: Books) -> None:
    ok(books.fund("donations record --amount 1000 --donor 某公司 --date 2019-12-01 --as fin1"))
    ok(books.fund(f"repay {books.loan} --amount 100 --ref B1 --date 2019-12-02 --as fin1"))


def test_months_close_in_order(books: Books) -> None:
    refused_unchanged(
        books.fund,
        books.eng,
        "period close 2020-01 --as fin1",
        "period.out_of_order",
        month="2020-01",
        expected="2019-12",
    )
    refused(books.fund("period close 2019-11 --as fin1"), "period.already_closed", month="2019-11")
    refused(books.fund("period close 2019-13 --as fin1"), "period.bad_month", text="2019-13")


def test_only_finance_closes_a_month(books: Books) -> None:
    refused(
        books.fund("period close 2019-12 --as root"),
        "operator.role_refused",
        name="root",
        role="admin",
        action="periods.close",
    )


def test_a_close_runs_the_day_close_through_the_month_end(engine: Engine, db_url: str) -> None:
    setup_fund(engine)
    disbursed(engine, 1, "loan")
    fund = Typed(Fund(db_url))
    doc = json.loads(ok(fund("--json period close 2019-07 --as fin1")).stdout)
    assert doc["day_closes"] >= 1
    close_day = fund("--json close-day --through 2019-07-31 --as fin1")
    assert json.loads(ok(close_day).stdout)["closed"] == []


def test_list_shows_closed_and_reopened_months(books: Books) -> None:
    ok(books.fund("period reopen 2019-11 --reason 漏记回款 --approver fin2 --as root"))
    doc = json.loads(ok(books.fund("--json period list")).stdout)
    months = {p["month"]: p for p in doc["periods"]}
    assert sorted(months) == ["2019-06", "2019-07", "2019-08", "2019-09", "2019-10", "2019-11"]
    assert months["2019-10"]["status"] == "closed"
    assert months["2019-11"] | {"closed_at": None} == {
        "month": "2019-11",
        "status": "open",
        "closed_by": "fin1",
        "closed_at": None,
        "year_end_seq": None,
        "reopened_by": "root",
        "approved_by": "fin2",
        "reason": "漏记回款",
    }
    text = ok(books.fund("period list")).stdout
    assert "已反结账" in text and "漏记回款" in text


def test_reopen_lets_the_month_take_postings_again_and_is_audited(books: Books) -> None:
    out = ok(books.fund("period reopen 2019-11 --reason 漏记回款 --approver fin2 --as root"))
    assert out.stdout.strip() == "已反结账 2019-11（批准人 fin2）"
    ok(books.fund("donations record --amount 1000 --donor x --date 2019-11-15 --as fin1"))
    with books.eng.connect() as conn:
        rec = conn.execute(select(AuditRecord).where(AuditRecord.action == "periods.reopen")).one()
    assert (rec.operator, rec.object_id) == ("root", "2019-11")
    assert json.loads(rec.details) == {"approved_by": "fin2", "reason": "漏记回款"}
    # closing it again refuses the month once more
    ok(books.fund("period close 2019-11 --as fin1"))
    refused(
        books.fund("donations record --amount 1 --donor x --date 2019-11-16 --as fin1"),
        "period.closed",
        month="2019-11",
    )


@pytest.mark.parametrize(
    ("line", "code", "params"),
    [
        (
            "2019-10 --reason r --approver fin2",
            "period.not_latest",
            {"month": "2019-10", "latest": "2019-11"},
        ),
        ("2019-12 --reason r --approver fin2", "period.not_closed", {"month": "2019-12"}),
        ("2019-11 --reason ' ' --approver fin2", "period.reason_needed", {}),
        ("2019-11 --reason r --approver root", "period.approver_needed", {"name": "root"}),
        ("2019-11 --reason r --approver lq", "period.approver_needed", {"name": "lq"}),
        ("2019-11 --reason r --approver nobody", "period.approver_needed", {"name": "nobody"}),
    ],
)
def test_reopen_refusals(books: Books, line: str, code: str, params: dict[str, object]) -> None:
    refused_unchanged(books.fund, books.eng, f"period reopen {line} --as root", code, **params)


def test_reopen_is_an_admins(books: Books) -> None:
    line = "period reopen 2019-11 --reason r --approver fin2 --as fin1"
    refused_unchanged(
        books.fund,
        books.eng,
        line,
        "operator.role_refused",
        name="fin1",
        role="finance",
        action="periods.reopen",
    )


def test_an_inactive_finance_operator_cannot_approve(books: Books) -> None:
    # no command deactivates an operator yet: the row as an admin's deactivation leaves it
    with books.eng.begin() as conn:
        conn.execute(update(Operator).where(Operator.name == "fin2").values(active=False))
    refused(
        books.fund("period reopen 2019-11 --reason r --approver fin2 --as root"),
        "period.approver_needed",
        name="fin2",
    )


def test_messages_exist_in_both_languages() -> None:
    for code in ("period.closed", "period.out_of_order", "period.not_latest"):
        zh, en = (
            render(code, {"month": "2019-11", "expected": "2019-12", "latest": "x"}, "zh"),
            render(code, {"month": "2019-11", "expected": "2019-12", "latest": "x"}, "en"),
        )
        assert zh != en and "2019-11" in zh and "2019-11" in en


def test_post_many_refuses_the_whole_batch_if_one_draft_is_in_a_closed_month(
    books: Books,
) -> None:
    def gift(day: date) -> EntryDraft:
        return EntryDraft(day, EntryKind.DONATION, "fin1", (debit(BANK, 100), credit(GIFTS, 100)))

    before = _head(books.eng)
    with UnitOfWork(books.eng) as uow, pytest.raises(RuleBroken) as err:
        journal.post_many(uow.conn, [gift(date(2019, 12, 1)), gift(date(2019, 7, 3))])
    assert (err.value.code, err.value.params) == ("period.closed", {"month": "2019-07"})
    assert _head(books.eng) == before

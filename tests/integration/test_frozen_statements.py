"""A closed period's statement is frozen; an open period's says it is open.

The header, the document number and the integrity block of a statement are stated as
of the period's last day, so once every month of the period is closed the statement
produced again later, after further activity in a later (open) month, is the same to
the byte: a donation and its reversal, county working funds, and facility events
(repayments, a pay-out, a restructuring, defaults, a claim and a write-off).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import Engine, func, select

from fundcore.statements.county import county_statement
from fundcore.statements.fund import fund_statement
from fundcore.statements.model import PeriodState
from fundcore.store import journal
from fundcore.store.models import JournalEntry
from fundcore.store.uow import UnitOfWork
from tests.cli.helpers import Typed, as_json, ok
from tests.conftest import Fund
from tests.factories import disbursed, setup_fund

COUNTY = "140224"  # 灵丘县, where the factories' facilities are
FUND_ARGS = "statement fund --from 2019-07-01 --to 2019-07-31"
COUNTY_ARGS = f"statement county {COUNTY} --from 2019-06-01 --to 2019-07-31"
OPEN_ARGS = "statement fund --from 2019-07-01 --to 2019-08-31"


@dataclass(frozen=True, slots=True)
class Books:
    """A loan and a guarantee paid out in 2019-06; 2019-06 and 2019-07 closed."""

    fund: Typed
    eng: Engine


@pytest.fixture
def books(engine: Engine, db_url: str) -> Books:
    setup_fund(engine)
    disbursed(engine, 1, "loan")
    disbursed(engine, 2, "guarantee")
    fund = Typed(Fund(db_url))
    for month in ("2019-06", "2019-07"):
        ok(fund(f"period close {month} --as fin1"))
    return Books(fund, engine)


def _pdf(books: Books, args: str, path: Path, lang: str = "zh") -> bytes:
    ok(books.fund(f"--lang {lang} {args} --out {path} --force --as fin1"))
    return path.read_bytes()


def _text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _later_donation(books: Books) -> None:
    """A donation dated in 2019-08 (open), and its reversal."""
    ok(books.fund("donations record --amount 5000 --donor 某公司 --date 2019-08-15 --as fin1"))
    seq = _head(books.eng)
    ok(books.fund(f"ledger reverse {seq} --date 2019-08-16 --reason 金额录错 --as fin1"))


def _later_working_funds(books: Books) -> None:
    ok(books.fund("working-funds pay --year 2019 --date 2019-08-20 --as fin1"))


def _later_ledger_activity(books: Books) -> None:
    """A donation, a reversal and the 2019 working funds, all dated in 2019-08 (open)."""
    _later_donation(books)
    _later_working_funds(books)


def _head(eng: Engine) -> int:
    with eng.connect() as conn:
        return journal.head(conn)[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", [FUND_ARGS, COUNTY_ARGS], ids=["fund", "county"])
def test_a_closed_periods_statement_is_the_same_bytes_after_a_later_donation(
    books: Books, tmp_path: Path, args: str, lang: str
) -> None:
    path = tmp_path / "statement.pdf"
    before = _pdf(books, args, path, lang)
    head_before = _head(books.eng)
    _later_donation(books)
    assert _head(books.eng) > head_before  # the ledger did move on
    after = _pdf(books, args, path, lang)
    assert after == before


@pytest.mark.parametrize("args", [FUND_ARGS, COUNTY_ARGS], ids=["fund", "county"])
def test_a_closed_periods_statement_is_the_same_bytes_after_later_working_funds(
    books: Books, tmp_path: Path, args: str
) -> None:
    path = tmp_path / "statement.pdf"
    before = _pdf(books, args, path)
    _later_working_funds(books)
    assert _pdf(books, args, path) == before


def _later_facility_events(books: Books) -> None:
    """In 2019-08 and later (open): repayments, a new loan paid out, a restructuring,
    day closes into default, a claim on the guarantee and a write-off of the loan."""
    f = books.fund
    ok(f("repay 1 --amount 1250 --date 2019-08-12 --ref LATE-1 --as fin1"))
    disbursed(books.eng, 3, "loan", on=date(2019, 8, 20), approve_on=date(2019, 8, 12))
    ok(f("close-day --through 2019-08-31 --as fin1"))
    ok(f("restructure 3 --term 24 --reason 洪灾 --date 2019-09-02 --as fin1"))
    ok(f("close-day --through 2020-01-31 --as fin1"))
    ok(f("claims pay 2 --amount 10000 --date 2020-02-10 --as fin1"))
    ok(f("write-off 1 --reason 失联 --date 2020-02-11 --as fin1"))


@pytest.mark.parametrize("args", [FUND_ARGS, COUNTY_ARGS], ids=["fund", "county"])
def test_a_closed_periods_statement_is_the_same_bytes_after_later_facility_events(
    books: Books, tmp_path: Path, args: str
) -> None:
    path = tmp_path / "statement.pdf"
    before = _pdf(books, args, path)
    _later_facility_events(books)
    assert _pdf(books, args, path) == before


def test_the_county_statement_lists_only_working_funds_paid_by_the_period_end(
    books: Books,
) -> None:
    _later_ledger_activity(books)
    with UnitOfWork(books.eng, write=False) as uow:
        closed = county_statement(uow.conn, "fin1", COUNTY, date(2019, 6, 1), date(2019, 7, 31))
        later = county_statement(uow.conn, "fin1", COUNTY, date(2019, 6, 1), date(2019, 8, 31))
    assert closed.working_funds == () and closed.working_funds_total_fen == 0
    assert [w.paid_on for w in later.working_funds] == [date(2019, 8, 20)]
    assert later.working_funds_total_fen > 0


def test_the_integrity_block_and_document_number_are_as_of_the_period_end(
    books: Books,
) -> None:
    _later_ledger_activity(books)
    end = date(2019, 7, 31)
    ent = JournalEntry.__table__
    with UnitOfWork(books.eng, write=False) as uow:
        stmt = fund_statement(uow.conn, "fin1", date(2019, 7, 1), end)
        entries, lines, last = uow.conn.execute(
            select(func.count(), func.sum(ent.c.line_count), func.max(ent.c.seq)).where(
                ent.c.business_date <= end
            )
        ).one()
        last_hash = uow.conn.scalar(select(ent.c.hash).where(ent.c.seq == last))
        head_now = journal.head(uow.conn)[0]
    block = stmt.integrity
    assert last < head_now
    assert (block.entry_count, block.line_count) == (entries, lines)
    assert (block.head_seq, block.head_hash) == (last, last_hash)
    assert block.as_of == end
    assert stmt.header.document_no == f"FS-20190701-20190731-{last}"
    tb = as_json(books.fund("--json ledger trial-balance --as-of 2019-07-31"))
    assert (block.total_debit_fen, block.total_credit_fen) == (
        tb["total_debit_fen"],
        tb["total_credit_fen"],
    )
    assert block.trial_balance_fen == 0


def test_the_header_says_whether_the_period_is_closed(books: Books, tmp_path: Path) -> None:
    with UnitOfWork(books.eng, write=False) as uow:
        closed = fund_statement(uow.conn, "fin1", date(2019, 7, 1), date(2019, 7, 31))
        still_open = fund_statement(uow.conn, "fin1", date(2019, 7, 1), date(2019, 8, 31))
        # months before the first one closed are closed with it
        before_first = fund_statement(uow.conn, "fin1", date(2019, 5, 1), date(2019, 7, 31))
    assert closed.header.period_state == PeriodState(True, "")
    assert still_open.header.period_state == PeriodState(False, "2019-08")
    assert before_first.header.period_state == PeriodState(True, "")

    zh, en = tmp_path / "zh.pdf", tmp_path / "en.pdf"
    _pdf(books, FUND_ARGS, zh)
    _pdf(books, FUND_ARGS, en, "en")
    assert "已结账期间：数字为最终数" in _text(zh)
    assert "Closed period: figures are final" in _text(en)
    _pdf(books, OPEN_ARGS, zh)
    _pdf(books, OPEN_ARGS, en, "en")
    doc_zh, doc_en = _text(zh), _text(en)
    assert "期间未结账：2019-08 尚未结账，数字在结账前可能变动" in doc_zh
    assert "已结账期间" not in doc_zh
    assert "Open period: 2019-08 is not closed yet" in doc_en
    assert "逾期与PAR截至最近日终" not in doc_zh
    assert "Ageing and PAR" not in doc_en


def test_the_open_period_header_is_on_every_page(books: Books, tmp_path: Path) -> None:
    path = tmp_path / "open.pdf"
    _pdf(books, OPEN_ARGS, path)
    with pdfplumber.open(path) as pdf:
        pages = [(p.extract_text() or "").replace("\n", "") for p in pdf.pages]
    assert len(pages) > 1
    assert all("2019-08 尚未结账" in page for page in pages)


def test_closing_the_open_month_turns_its_header_closed(books: Books, tmp_path: Path) -> None:
    path = tmp_path / "august.pdf"
    _pdf(books, OPEN_ARGS, path)
    assert "2019-08 尚未结账" in _text(path)
    ok(books.fund("period close 2019-08 --as fin1"))
    _pdf(books, OPEN_ARGS, path)
    assert "已结账期间" in _text(path)


def test_the_cli_reports_the_head_as_of_the_period_end(books: Books, tmp_path: Path) -> None:
    _later_ledger_activity(books)
    path = tmp_path / "s.pdf"
    out = json.loads(ok(books.fund(f"--json {FUND_ARGS} --out {path} --as fin1")).stdout)
    assert out["head_seq"] < _head(books.eng)


def test_the_statement_does_not_depend_on_the_file_it_is_written_to(
    books: Books, tmp_path: Path
) -> None:
    args = "statement fund --from 2019-01-01 --to 2019-12-31"
    first = _pdf(books, args, tmp_path / "s1.pdf")
    elsewhere = tmp_path / "another" / "place"
    elsewhere.mkdir(parents=True)
    assert _pdf(books, args, elsewhere / "auditor-copy.pdf") == first

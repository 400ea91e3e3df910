"""Issue 14 item 10: business entries are corrected only through their own commands,
and ``fund ledger verify`` reconciles the sub-ledgers to the control accounts.

Each case runs the commands finance types (``fund …`` through CliRunner) on a fund
with a repaid-from loan, a guarantee claimed, recovered from and written off, and a
guarantee still being serviced; tampering is done the way an intruder would, in SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, select, text

from fundcore.domain import chart
from fundcore.domain.errors import RuleBroken
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind
from fundcore.messages import render
from fundcore.services.corrections import FREE_STANDING, JOURNAL_RULES, refuse_business_entry
from fundcore.store import journal
from fundcore.store.models import Facility, JournalEntry
from fundcore.store.uow import UnitOfWork
from tests.cli.helpers import Typed, ok, refused_unchanged
from tests.conftest import Fund
from tests.factories import disbursed, setup_fund


@dataclass(frozen=True, slots=True)
class Books:
    fund: Typed
    eng: Engine
    #: an interest-free loan of ¥30,000, two instalments repaid
    loan: int
    #: a guarantee defaulted, claimed, recovered from (borrower and county), written off
    bad: int
    #: a guarantee being serviced, its deposit held
    good: int


def _seq(eng: Engine, fid: int, kind: str) -> int:
    with eng.connect() as conn:
        seq = conn.scalar(
            select(JournalEntry.seq).where(
                JournalEntry.object_type == "facility",
                JournalEntry.object_id == str(fid),
                JournalEntry.kind == kind,
            )
        )
    assert seq is not None, (fid, kind)
    return int(seq)


def _verify(fund: Typed) -> tuple[int, dict]:
    result = fund("--json ledger verify")
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def books(engine: Engine, db_url: str) -> Books:
    setup_fund(engine)
    loan = disbursed(engine, 1, "loan")
    bad = disbursed(engine, 2, "guarantee", 50_000, 36, "反担保")
    good = disbursed(engine, 3, "guarantee", 40_000, 36)
    fund = Typed(Fund(db_url))
    for n, day in enumerate(("2019-07-10", "2019-08-10"), start=1):
        ok(fund(f"repay {loan} --amount 1250 --ref L{n} --date {day} --as fin1"))
        ok(fund(f"repay {good} --amount 1500 --ref G{n} --date {day} --as fin1"))
    ok(fund("close-day --through 2019-10-31 --as fin1"))  # the bad guarantee defaults
    ok(fund(f"claims pay {bad} --amount 10000 --date 2019-11-05 --as fin1"))
    ok(fund(f"recoveries record {bad} --amount 500 --ref R1 --date 2019-11-06 --as fin1"))
    line = f"recoveries record {bad} --amount 300 --ref R2 --from county --date 2019-11-07"
    ok(fund(f"{line} --as fin1"))
    ok(fund(f"write-off {bad} --reason 无法追回 --date 2019-11-20 --as fin1"))
    return Books(fund, engine, loan, bad, good)


# --- ledger reverse: only free-standing entries ---------------------------------------------


def test_the_reversal_of_a_pay_out_is_refused_and_writes_nothing(books: Books) -> None:
    seq = _seq(books.eng, books.loan, EntryKind.DISBURSE_LOAN)
    refused_unchanged(
        books.fund,
        books.eng,
        f"ledger reverse {seq} --date 2019-11-25 --reason 录错 --as fin1",
        "ledger.reverse_business_entry",
        seq=seq,
        kind=EntryKind.DISBURSE_LOAN,
        object=f"facility {books.loan}",
    )
    assert _verify(books.fund)[0] == 0


def test_a_repayment_or_claim_entry_is_refused_too(books: Books) -> None:
    for fid, kind in ((books.loan, EntryKind.REPAYMENT), (books.bad, EntryKind.CLAIM)):
        seq = _seq(books.eng, fid, kind)
        refused_unchanged(
            books.fund,
            books.eng,
            f"ledger reverse {seq} --date 2019-11-25 --reason 录错 --as fin1",
            "ledger.reverse_business_entry",
            seq=seq,
            kind=kind,
            object=f"facility {fid}",
        )


def test_a_write_off_entry_names_the_command_that_undoes_it(books: Books) -> None:
    seq = _seq(books.eng, books.bad, EntryKind.WRITE_OFF)
    result = refused_unchanged(
        books.fund,
        books.eng,
        f"ledger reverse {seq} --date 2019-11-25 --reason 录错 --as fin1",
        "ledger.reverse_use_command",
        seq=seq,
        kind=EntryKind.WRITE_OFF,
        object=f"facility {books.bad}",
        command=f"fund write-off {books.bad} --undo --reason …",
    )
    assert "核销" in result.stderr


def test_a_free_standing_donation_is_still_reversed(books: Books) -> None:
    ok(books.fund("donations record --amount 123.45 --donor 误录 --date 2019-11-21 --as fin1"))
    with books.eng.connect() as conn:
        seq = conn.scalar(select(JournalEntry.seq).where(JournalEntry.memo == "误录"))
    out = json.loads(
        ok(
            books.fund(f"--json ledger reverse {seq} --date 2019-11-22 --reason 录错 --as fin1")
        ).stdout
    )
    assert out["reversed"] == seq
    assert _verify(books.fund)[0] == 0


def test_undoing_a_write_off_still_works_and_the_books_still_agree(books: Books) -> None:
    ok(books.fund(f"write-off {books.bad} --undo --reason 追回有望 --date 2019-11-25 --as fin1"))
    code, doc = _verify(books.fund)
    assert (code, doc["problems"]) == (0, [])
    ok(
        books.fund(
            f"recoveries record {books.bad} --amount 100 --ref R3 --date 2019-11-26 --as fin1"
        )
    )
    ok(books.fund(f"write-off {books.bad} --reason 无法追回 --date 2019-11-27 --as fin1"))
    code, doc = _verify(books.fund)
    assert (code, doc["problems"]) == (0, [])


def test_every_entry_kind_is_classified() -> None:
    """Only a donation stands alone; reversals and year-end closes keep the journal's rules."""
    line = (debit(chart.BANK, 1), credit(chart.DONATIONS_UNRESTRICTED, 1))
    for kind in EntryKind:
        draft = EntryDraft(date(2019, 1, 1), kind, "x", line, "facility", "7")
        if kind in FREE_STANDING or kind in JOURNAL_RULES:
            refuse_business_entry(1, draft)
            continue
        with pytest.raises(RuleBroken) as err:
            refuse_business_entry(1, draft)
        assert err.value.code.startswith("ledger.reverse_"), kind
    assert {EntryKind.DONATION} == FREE_STANDING


# --- ledger verify: the sub-ledgers against the control accounts ------------------------------


def test_an_intact_fund_verifies_clean(books: Books) -> None:
    code, doc = _verify(books.fund)
    assert (code, doc["problems"], doc["ok"]) == (0, [], True)


def test_a_tampered_outstanding_names_1211_both_figures_and_the_facility(books: Books) -> None:
    with books.eng.begin() as conn:
        held = conn.scalar(select(Facility.outstanding_fen).where(Facility.id == books.loan))
        conn.execute(
            text("UPDATE facilities SET outstanding_fen = :v WHERE id = :id"),
            {"v": held + 3_000_000, "id": books.loan},
        )
    result = books.fund("--json ledger verify")
    assert result.exit_code == 1
    problem = {
        "code": "verify.subledger_mismatch",
        "account": chart.LOANS_RECEIVABLE,
        "ledger": held,
        "records": held + 3_000_000,
        "facility": books.loan,
        "facility_ledger": held,
        "facility_records": held + 3_000_000,
    }
    assert json.loads(result.stdout)["problems"] == [problem]
    params = {k: v for k, v in problem.items() if k != "code"}
    assert render("verify.subledger_mismatch", params) in result.stderr
    human = books.fund("ledger verify")
    assert human.exit_code == 1
    assert "1211" in human.stderr and f"#{books.loan}" in human.stderr
    assert f"¥{held / 100:,.2f}" in human.stderr


def test_a_pay_out_reversed_alone_before_the_rule_shows_in_verify(books: Books) -> None:
    """The issue's books: a loan's pay-out reversed by ``ledger reverse`` as it was allowed
    then (posted here through the journal, which still permits it to its callers)."""
    seq = _seq(books.eng, books.loan, EntryKind.DISBURSE_LOAN)
    with UnitOfWork(books.eng) as uow:
        journal.reverse(uow.conn, seq, date(2019, 11, 25), "fin1", "录错")
        uow.commit()
    with books.eng.connect() as conn:
        held = conn.scalar(select(Facility.outstanding_fen).where(Facility.id == books.loan))
    code, doc = _verify(books.fund)
    assert code == 1
    first = doc["problems"][0]
    assert (first["code"], first["account"], first["facility"]) == (
        "verify.subledger_mismatch",
        chart.LOANS_RECEIVABLE,
        books.loan,
    )
    assert (first["ledger"], first["records"]) == (held - 3_000_000, held)


@pytest.mark.parametrize(
    ("column", "account"),
    [
        ("deposit_fen", chart.GUARANTEE_DEPOSITS),
        ("committed_fen", "commitments"),
    ],
)
def test_a_tampered_deposit_or_commitment_is_named(books: Books, column: str, account: str) -> None:
    with books.eng.begin() as conn:
        conn.execute(
            text(f"UPDATE facilities SET {column} = {column} + 100 WHERE id = :id"),
            {"id": books.good},
        )
    code, doc = _verify(books.fund)
    assert code == 1
    [problem] = doc["problems"]
    assert (problem["account"], problem["facility"]) == (account, books.good)
    assert problem["records"] - problem["ledger"] == 100


def test_tampered_recoveries_name_the_claims_receivables(books: Books) -> None:
    ok(books.fund(f"write-off {books.bad} --undo --reason 追回有望 --date 2019-11-25 --as fin1"))
    with books.eng.begin() as conn:
        conn.execute(
            text(
                "UPDATE facilities SET recovered_borrower_fen = recovered_borrower_fen + 1, "
                "recovered_county_fen = recovered_county_fen + 2 WHERE id = :id"
            ),
            {"id": books.bad},
        )
    code, doc = _verify(books.fund)
    assert code == 1
    got = {(p["account"], p["facility"], p["ledger"] - p["records"]) for p in doc["problems"]}
    assert got == {
        (chart.CLAIMS_RECEIVABLE, books.bad, 1),
        (chart.COUNTER_GUARANTEE_RECEIVABLE, books.bad, 2),
    }


def test_a_reversed_provision_top_up_shows_in_2411(books: Books) -> None:
    with books.eng.connect() as conn:
        seq = conn.scalar(
            select(JournalEntry.seq).where(JournalEntry.kind == EntryKind.PROVISION).limit(1)
        )
    assert seq is not None
    with UnitOfWork(books.eng) as uow:
        journal.reverse(uow.conn, seq, date(2019, 11, 25), "fin1", "录错")
        uow.commit()
    code, doc = _verify(books.fund)
    assert code == 1
    [problem] = doc["problems"]
    assert (problem["code"], problem["account"]) == (
        "verify.subledger_unowned",
        chart.GUARANTEE_LOSS_PROVISION,
    )
    assert problem["records"] > problem["ledger"]

"""Donation purposes: what restricted money may pay for, and its release when spent."""

from __future__ import annotations

from datetime import date

import pytest

from fundcore.domain import chart, purposes
from fundcore.domain.errors import InputError, RuleBroken
from fundcore.domain.ledger import EntryDraft, Line, credit, debit, reversal_of
from fundcore.domain.purposes import PurposeBook

ON = date(2019, 6, 1)


def entry(*lines: Line, kind: str = "x") -> EntryDraft:
    return EntryDraft(ON, kind, "fin1", lines)


def book(**restricted_yuan: int) -> PurposeBook:
    """A book whose bank holds the restricted gifts (by purpose code) plus ``unrestricted``."""
    bal: dict[str, int] = {}
    cash = restricted_yuan.pop("unrestricted", 0) * 100
    for code, yuan in restricted_yuan.items():
        bal[purposes.BY_CODE[code].income] = -yuan * 100
        cash += yuan * 100
    bal[chart.BANK] = cash
    return PurposeBook(bal)


def added(before: EntryDraft, after: EntryDraft) -> list[tuple[str, str, int]]:
    return [(ln.account, ln.side, ln.amount_fen) for ln in after.lines[len(before.lines) :]]


@pytest.mark.parametrize(
    ("text", "code"),
    [("grant", "grant"), ("小额资助", "grant"), ("Micro-grants", "grant"),
     (" 担保贷款 ", "guarantee"), ("working_funds", "working_funds"), ("项目通用", "programme"),
     ("LOAN", "loan")],
)  # fmt: skip
def test_a_purpose_is_named_by_code_or_name(text: str, code: str) -> None:
    assert purposes.parse(text).code == code


def test_an_unknown_purpose_names_the_choices() -> None:
    with pytest.raises(InputError) as e:
        purposes.parse("助学")
    assert e.value.code == "purpose.unknown"
    assert "grant (小额资助)" in str(e.value.params["choices"])


def test_a_grant_releases_its_purpose_first_then_the_programme() -> None:
    b = book(grant=1_000, programme=5_000)
    grant = entry(debit(chart.PROGRAMME_GRANTS, 300_000), credit(chart.BANK, 300_000))
    charged = b.charge(grant)
    assert added(grant, charged) == [
        ("3102.03", "D", 100_000),
        ("3102", "D", 200_000),
        ("3101", "C", 300_000),
    ]
    assert b.restricted(purposes.BY_CODE["grant"]) == 0
    assert b.restricted(purposes.BY_CODE["programme"]) == 300_000


def test_an_expense_beyond_restricted_money_releases_only_what_there_is() -> None:
    b = book(working_funds=100, unrestricted=10_000)
    pay = entry(debit(chart.PROGRAMME_WORKING_FUNDS, 50_000), credit(chart.BANK, 50_000))
    assert added(pay, b.charge(pay)) == [("3102.04", "D", 10_000), ("3101", "C", 10_000)]


def test_a_loan_write_off_releases_the_loan_purpose() -> None:
    b = book(loan=10_000)
    b.charge(entry(debit(chart.LOANS_RECEIVABLE, 800_000), credit(chart.BANK, 800_000)))
    loss = entry(debit(chart.WRITE_OFF_LOSSES, 300_000), credit(chart.LOANS_RECEIVABLE, 300_000))
    assert added(loss, b.charge(loss)) == [("3102.02", "D", 300_000), ("3101", "C", 300_000)]


def test_a_guarantee_write_off_releases_only_what_the_provision_did_not_cover() -> None:
    b = book(guarantee=10_000)
    loss = entry(
        debit(chart.GUARANTEE_LOSS_PROVISION, 40_000),
        debit(chart.WRITE_OFF_LOSSES, 60_000),
        credit(chart.CLAIMS_RECEIVABLE, 100_000),
    )
    assert added(loss, b.charge(loss)) == [("3102.01", "D", 60_000), ("3101", "C", 60_000)]


def test_a_provision_top_up_is_charged_to_guarantees() -> None:
    b = book(guarantee=10_000, loan=10_000)
    top_up = entry(
        debit(chart.PROVISION_EXPENSE, 5_000), credit(chart.GUARANTEE_LOSS_PROVISION, 5_000)
    )
    assert added(top_up, b.charge(top_up)) == [("3102.01", "D", 5_000), ("3101", "C", 5_000)]


def test_what_a_purpose_cannot_cover_is_released_from_the_programme() -> None:
    b = book(grant=1_000, programme=1_000)
    wf = entry(debit(chart.PROGRAMME_WORKING_FUNDS, 7_000), credit(chart.BANK, 7_000))
    assert added(wf, b.charge(wf)) == [("3102", "D", 7_000), ("3101", "C", 7_000)]


def test_an_entry_with_no_purpose_account_is_the_programmes() -> None:
    assert purposes.purpose_of([debit("5201.01", 1), credit("2205", 1)]) is None
    assert (
        purposes.purpose_of([debit("5201.01", 1), credit(chart.LOAN_LOSS_ALLOWANCE, 1)])
        == (purposes.BY_CODE["loan"])
    )


def test_a_pay_out_may_not_use_another_purposes_restricted_cash() -> None:
    b = book(grant=10_000, unrestricted=2_000)
    loan = entry(debit(chart.LOANS_RECEIVABLE, 300_000), credit(chart.BANK, 300_000))
    with pytest.raises(RuleBroken) as e:
        b.charge(loan)
    assert (e.value.code, e.value.params) == (
        "purpose.short",
        {"purpose": "loan", "need": 300_000, "own": 0, "other": 200_000, "available": 200_000},
    )
    small = entry(debit(chart.LOANS_RECEIVABLE, 200_000), credit(chart.BANK, 200_000))
    assert b.charge(small) == small  # a loan is no expense: nothing released


def test_a_loan_repaid_comes_back_to_its_purpose() -> None:
    b = book(loan=10_000, grant=10_000)
    loan = purposes.BY_CODE["loan"]
    b.charge(entry(debit(chart.LOANS_RECEIVABLE, 1_000_000), credit(chart.BANK, 1_000_000)))
    assert (b.restricted(loan), b.restricted_cash(loan)) == (1_000_000, 0)
    b.charge(entry(debit(chart.BANK, 400_000), credit(chart.LOANS_RECEIVABLE, 400_000)))
    assert (b.restricted(loan), b.restricted_cash(loan)) == (1_000_000, 400_000)
    assert b.available(loan) == (400_000, 0)


def test_a_reversal_is_posted_as_it_is() -> None:
    b = book(grant=10_000)
    grant = b.charge(entry(debit(chart.PROGRAMME_GRANTS, 5_000), credit(chart.BANK, 5_000)))
    undo = reversal_of(7, grant, ON, "fin1", "wrong")
    assert b.charge(undo) == undo
    assert b.restricted(purposes.BY_CODE["grant"]) == 1_000_000

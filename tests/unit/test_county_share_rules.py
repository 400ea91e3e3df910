"""County shares, the loan-loss allowance and the interest subsidy as pure rules: the
entries each posts, by table, and the allowance's buckets and target."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundcore.domain import chart
from fundcore.domain.allowance import bucket_of, by_bucket, target_fen
from fundcore.domain.claims import receivables
from fundcore.domain.ledger import EntryDraft, check_entry
from fundcore.domain.policy import Policy, allowance_rates
from fundcore.domain.postings.allowance import AllowanceReview, allowance_adjustment
from fundcore.domain.postings.claims import (
    CountyWrittenOff,
    LoanCountyShare,
    LoanWrittenOff,
    county_write_off,
    loan_county_share,
    loan_write_off,
)
from fundcore.domain.postings.subsidies import (
    SubsidyAccrued,
    SubsidyPaid,
    subsidy_accrual,
    subsidy_payment,
)
from fundcore.domain.terms import FacilityStatus

ON = date(2021, 3, 31)
Lines = list[tuple[str, str, int]]


def lines_of(draft: EntryDraft) -> Lines:
    check_entry(draft)
    return [(ln.account, ln.side, ln.amount_fen) for ln in draft.lines]


@pytest.mark.parametrize(
    ("outstanding", "bp", "share"),
    [(2_000_000, 5_000, 1_000_000), (1_000_001, 5_000, 500_001), (3, 10_000, 3), (7, 3_333, 2)],
)
def test_a_loans_county_share_moves_from_loans_to_the_county(
    outstanding: int, bp: int, share: int
) -> None:
    fact = LoanCountyShare(9, ON, "fin", outstanding, bp)
    draft = loan_county_share(fact)
    assert draft.kind == "loan.county_share" and draft.object_id == "9"
    assert lines_of(draft) == [
        (chart.COUNTER_GUARANTEE_RECEIVABLE, "D", share),
        (chart.LOANS_RECEIVABLE, "C", share),
    ]


@pytest.mark.parametrize(
    ("amount", "held", "expected"),
    [
        (100_000, 0, [(chart.BAD_DEBTS, "D", 100_000), (chart.LOANS_RECEIVABLE, "C", 100_000)]),
        (
            100_000,
            30_000,
            [
                (chart.LOAN_LOSS_ALLOWANCE, "D", 30_000),
                (chart.BAD_DEBTS, "D", 70_000),
                (chart.LOANS_RECEIVABLE, "C", 100_000),
            ],
        ),
        (
            100_000,
            500_000,
            [(chart.LOAN_LOSS_ALLOWANCE, "D", 100_000), (chart.LOANS_RECEIVABLE, "C", 100_000)],
        ),
        (50, -10, [(chart.BAD_DEBTS, "D", 50), (chart.LOANS_RECEIVABLE, "C", 50)]),
    ],
)
def test_a_loan_write_off_draws_on_the_allowance_first(
    amount: int, held: int, expected: Lines
) -> None:
    assert lines_of(loan_write_off(LoanWrittenOff(9, ON, "fin", "失联", amount, held))) == expected


@pytest.mark.parametrize(
    ("guarantee", "held", "expected"),
    [
        (
            True,
            40_000,
            [
                (chart.GUARANTEE_LOSS_PROVISION, "D", 40_000),
                (chart.WRITE_OFF_LOSSES, "D", 60_000),
                (chart.COUNTER_GUARANTEE_RECEIVABLE, "C", 100_000),
            ],
        ),
        (
            False,
            40_000,
            [(chart.BAD_DEBTS, "D", 100_000), (chart.COUNTER_GUARANTEE_RECEIVABLE, "C", 100_000)],
        ),
    ],
)
def test_a_county_write_off_takes_only_the_county_receivable(
    guarantee: bool, held: int, expected: Lines
) -> None:
    draft = county_write_off(CountyWrittenOff(9, ON, "fin", "县财政无力", 100_000, guarantee, held))
    assert draft.kind == "write_off.county" and draft.memo == "县财政无力"
    assert lines_of(draft) == expected


def test_the_borrowers_write_off_leaves_the_countys_share_owed() -> None:
    left = receivables(FacilityStatus.WRITTEN_OFF, 200_000, 120_000, 10_000, 20_000)
    assert (left.borrower_fen, left.county_fen) == (0, 100_000)
    gone = receivables(FacilityStatus.WRITTEN_OFF, 200_000, 120_000, 10_000, 20_000, 100_000)
    assert gone.county_fen == 0


def test_a_loans_county_share_is_owed_whatever_the_loans_status() -> None:
    for status in (FacilityStatus.DEFAULTED, FacilityStatus.REPAID, FacilityStatus.WRITTEN_OFF):
        left = receivables(status, 0, 80_000, 0, 30_000)
        assert (left.borrower_fen, left.county_fen) == (0, 50_000)


@pytest.mark.parametrize(
    ("dpd", "bucket"), [(0, 0), (1, 1), (30, 1), (31, 2), (90, 2), (91, 3), (180, 3), (181, 4)]
)
def test_ageing_buckets(dpd: int, bucket: int) -> None:
    assert bucket_of(dpd) == bucket


def test_the_allowance_target_is_each_buckets_rate() -> None:
    buckets = by_bucket([(0, 1_000_000), (0, 1_000_000), (15, 300_000), (120, 100_001)])
    assert buckets == (2_000_000, 300_000, 0, 100_001, 0)
    rates = allowance_rates(Policy())
    assert rates == (100, 500, 2_000, 5_000, 10_000)
    assert target_fen(buckets, rates) == 20_000 + 15_000 + 0 + 50_001 + 0


@pytest.mark.parametrize(
    ("target", "held", "expected"),
    [
        (
            50_000,
            20_000,
            [(chart.BAD_DEBTS, "D", 30_000), (chart.LOAN_LOSS_ALLOWANCE, "C", 30_000)],
        ),
        (
            20_000,
            50_000,
            [(chart.LOAN_LOSS_ALLOWANCE, "D", 30_000), (chart.BAD_DEBTS, "C", 30_000)],
        ),
        (20_000, 20_000, None),
    ],
)
def test_the_month_end_brings_the_allowance_to_its_target(
    target: int, held: int, expected: Lines | None
) -> None:
    draft = allowance_adjustment(AllowanceReview(ON, "fin", (1, 2, 3, 4, 5), target, held))
    if expected is None:
        assert draft is None
        return
    assert draft is not None and draft.kind == "allowance" and draft.object_type == "day_close"
    assert lines_of(draft) == expected


@given(
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 10**9)), max_size=30),
    st.integers(-(10**9), 10**9),
)
def test_after_a_review_the_allowance_holds_its_target(
    loans: list[tuple[int, int]], held: int
) -> None:
    buckets = by_bucket(loans)
    assert sum(buckets) == sum(fen for _, fen in loans)
    target = target_fen(buckets, allowance_rates(Policy()))
    assert 0 <= target <= sum(buckets)
    draft = allowance_adjustment(AllowanceReview(ON, "fin", buckets, target, held))
    moved = 0
    if draft is not None:
        check_entry(draft)
        for ln in draft.lines:
            if ln.account == chart.LOAN_LOSS_ALLOWANCE:
                moved += ln.amount_fen if ln.side == "C" else -ln.amount_fen
    assert held + moved == target


def test_subsidies_accrue_as_programme_cost_and_are_paid_from_the_bank() -> None:
    accrued = subsidy_accrual(SubsidyAccrued("农商行", ON, "fin", 19_792, 4))
    assert accrued.kind == "subsidy.accrual" and accrued.object_id == "农商行"
    assert lines_of(accrued) == [
        (chart.PROGRAMME_SUBSIDIES, "D", 19_792),
        (chart.SUBSIDY_PAYABLE, "C", 19_792),
    ]
    paid = subsidy_payment(SubsidyPaid("农商行", ON, "fin", 19_792, ON))
    assert paid.kind == "subsidy.payment"
    assert lines_of(paid) == [(chart.SUBSIDY_PAYABLE, "D", 19_792), (chart.BANK, "C", 19_792)]


def test_the_new_accounts_are_in_the_chart() -> None:
    codes = {a.code: a for a in chart.CHART}
    assert codes[chart.BAD_DEBTS].name_zh.startswith("管理费用")
    assert codes[chart.PROGRAMME_SUBSIDIES].name_zh == "业务活动成本—贴息"
    assert codes[chart.SUBSIDY_PAYABLE].type == "liability"

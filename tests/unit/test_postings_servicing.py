"""fundcore.domain.postings (servicing): what repayments, claims, recoveries, write-offs
and the provision post, line by line, with no database.

Each event kind has a table of cases giving the exact lines (account, side, amount in
fen), the kind, the business object and the memo; every drafted entry must also pass
``check_entry``, the journal's own gate. Hypothesis then checks that every recipe
balances for any valid amounts and that a claim's parts add up to the claim.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundcore.domain import chart
from fundcore.domain.claims import cover, overdue_interest
from fundcore.domain.ledger import EntryDraft, check_entry, reversal_of
from fundcore.domain.postings.claims import (
    ClaimPaid,
    GuaranteeWrittenOff,
    LoanWrittenOff,
    Recovered,
    claim,
    guarantee_write_off,
    loan_write_off,
    recovery,
    split_claim,
)
from fundcore.domain.postings.provision import ProvisionReview, provision_top_up
from fundcore.domain.postings.repayment import (
    DepositReleased,
    LoanRepaid,
    deposit_release,
    loan_repayment,
)
from fundcore.domain.terms import EntryKind, RecoverySource

ON = date(2020, 3, 31)
OP = "fin1"
FID = 42

BANK, DEPOSITS = chart.BANK, chart.GUARANTEE_DEPOSITS
LOANS, CLAIMS = chart.LOANS_RECEIVABLE, chart.CLAIMS_RECEIVABLE
COUNTY, PROVISION = chart.COUNTER_GUARANTEE_RECEIVABLE, chart.GUARANTEE_LOSS_PROVISION
LOSSES, EXPENSE = chart.WRITE_OFF_LOSSES, chart.PROVISION_EXPENSE

Lines = list[tuple[str, str, int]]


def lines_of(draft: EntryDraft) -> Lines:
    return [(ln.account, ln.side, ln.amount_fen) for ln in draft.lines]


def assert_facility_entry(draft: EntryDraft, kind: str, lines: Lines, memo: str) -> None:
    """The exact entry, linked to the facility, and one the journal would accept."""
    assert lines_of(draft) == lines
    assert draft.kind == kind
    assert (draft.object_type, draft.object_id) == ("facility", str(FID))
    assert (draft.business_date, draft.operator, draft.memo) == (ON, OP, memo)
    assert draft.reverses_seq is None
    check_entry(draft)


# --- repayments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("principal", "ref"),
    [(1, "R1"), (150_000, "BANK-2020-03-31-0007"), (2_000_000, "R42-12")],
)
def test_a_loan_repayment_posts_bank_against_loans_receivable(principal: int, ref: str) -> None:
    draft = loan_repayment(LoanRepaid(FID, ON, OP, principal, ref))
    assert_facility_entry(
        draft, "repayment", [(BANK, "D", principal), (LOANS, "C", principal)], ref
    )


@pytest.mark.parametrize(
    ("deposit", "memo"),
    [(400_000, "R42-36"), (1, "R1"), (200_000, "")],
)
def test_a_deposit_release_posts_bank_against_deposits_placed(deposit: int, memo: str) -> None:
    draft = deposit_release(DepositReleased(FID, ON, OP, deposit, memo))
    assert_facility_entry(
        draft, "deposit.release", [(BANK, "D", deposit), (DEPOSITS, "C", deposit)], memo
    )


# --- claims ------------------------------------------------------------------------------

CLAIM_MEMO = "代偿 paid to the bank"

CLAIM_CASES = [
    pytest.param(
        100_000,
        40_000,
        0,
        [
            ("claim", [(CLAIMS, "D", 100_000), (DEPOSITS, "C", 40_000), (BANK, "C", 60_000)]),
        ],
        id="deposit-then-bank",
    ),
    pytest.param(
        30_000,
        40_000,
        0,
        [
            ("claim", [(CLAIMS, "D", 30_000), (DEPOSITS, "C", 30_000)]),
            ("deposit.release", [(BANK, "D", 10_000), (DEPOSITS, "C", 10_000)]),
        ],
        id="deposit-covers-it-rest-released",
    ),
    pytest.param(
        100_000,
        0,
        5_000,
        [
            ("claim", [(CLAIMS, "D", 100_000), (BANK, "C", 100_000)]),
            ("claim.county_share", [(COUNTY, "D", 50_000), (CLAIMS, "C", 50_000)]),
        ],
        id="no-deposit-half-county",
    ),
    pytest.param(
        40_000,
        40_000,
        3_333,
        [
            ("claim", [(CLAIMS, "D", 40_000), (DEPOSITS, "C", 40_000)]),
            ("claim.county_share", [(COUNTY, "D", 13_332), (CLAIMS, "C", 13_332)]),
        ],
        id="exactly-the-deposit-third-county",
    ),
    pytest.param(
        3,
        1,
        5_000,
        [
            ("claim", [(CLAIMS, "D", 3), (DEPOSITS, "C", 1), (BANK, "C", 2)]),
            ("claim.county_share", [(COUNTY, "D", 2), (CLAIMS, "C", 2)]),
        ],
        id="county-share-rounds-half-up",
    ),
    pytest.param(
        50_000,
        80_000,
        10_000,
        [
            ("claim", [(CLAIMS, "D", 50_000), (DEPOSITS, "C", 50_000)]),
            ("claim.county_share", [(COUNTY, "D", 50_000), (CLAIMS, "C", 50_000)]),
            ("deposit.release", [(BANK, "D", 30_000), (DEPOSITS, "C", 30_000)]),
        ],
        id="all-three-county-takes-all",
    ),
]


@pytest.mark.parametrize(("amount", "deposit", "share_bp", "expected"), CLAIM_CASES)
def test_a_claim_posts_deposit_first_then_bank_and_the_county_share(
    amount: int, deposit: int, share_bp: int, expected: list[tuple[str, Lines]]
) -> None:
    drafts = claim(ClaimPaid(FID, ON, OP, amount, deposit, share_bp))
    assert [(d.kind, lines_of(d)) for d in drafts] == expected
    memos = {
        "claim": CLAIM_MEMO,
        "claim.county_share": f"counter-guarantee share {share_bp} bp",
        "deposit.release": "",
    }
    for draft, (kind, lines) in zip(drafts, expected, strict=True):
        assert_facility_entry(draft, kind, lines, memos[kind])


@pytest.mark.parametrize(
    ("amount", "deposit", "share_bp", "split"),
    [
        (100_000, 40_000, 0, (40_000, 60_000, 0, 0)),
        (30_000, 40_000, 2_500, (30_000, 0, 7_500, 10_000)),
        (3, 0, 5_000, (0, 3, 2, 0)),
        (1, 1, 4_999, (1, 0, 0, 0)),
    ],
)
def test_a_claim_split_says_where_its_money_comes_from(
    amount: int, deposit: int, share_bp: int, split: tuple[int, int, int, int]
) -> None:
    s = split_claim(amount, deposit, share_bp)
    assert (s.from_deposit_fen, s.from_cash_fen, s.county_share_fen, s.deposit_left_fen) == split
    assert s.amount_fen == amount


def test_a_claim_with_interest_books_it_as_claims_receivable_and_says_so() -> None:
    """The overdue interest paid to the bank is owed back like the principal (1212), the
    county's share is of the whole claim, and the memo states the two parts."""
    drafts = claim(ClaimPaid(FID, ON, OP, 130_000, 40_000, 5_000, interest_fen=30_000))
    assert [(d.kind, lines_of(d)) for d in drafts] == [
        ("claim", [(CLAIMS, "D", 130_000), (DEPOSITS, "C", 40_000), (BANK, "C", 90_000)]),
        ("claim.county_share", [(COUNTY, "D", 65_000), (CLAIMS, "C", 65_000)]),
    ]
    memo = f"{CLAIM_MEMO}: principal 100000 fen, interest 30000 fen"
    assert_facility_entry(drafts[0], "claim", lines_of(drafts[0]), memo)


@pytest.mark.parametrize(
    ("outstanding", "overdue", "coverage_bp", "covers", "amount", "expected"),
    [
        # principal only: the overdue interest is stated, not covered
        (5_000_000, 111_020, 10_000, False, None, (5_000_000, 0, (5_000_000, 0))),
        # 80% of each, each rounded half-up on its own
        (5_000_000, 111_021, 8_000, True, None, (4_000_000, 88_817, (4_000_000, 88_817))),
        # a claim of less than covered is principal first
        (5_000_000, 100_000, 10_000, True, 5_050_000, (5_000_000, 100_000, (5_000_000, 50_000))),
        (5_000_000, 100_000, 10_000, True, 4_000_000, (5_000_000, 100_000, (4_000_000, 0))),
    ],
)
def test_what_a_claim_covers(
    outstanding: int,
    overdue: int,
    coverage_bp: int,
    covers: bool,
    amount: int | None,
    expected: tuple[int, int, tuple[int, int]],
) -> None:
    c = cover(outstanding, overdue, coverage_bp, covers)
    assert (c.principal_fen, c.interest_fen, c.overdue_interest_fen) == (*expected[:2], overdue)
    assert c.split(c.total_fen if amount is None else amount) == expected[2]


def test_overdue_interest_is_what_is_unpaid_of_what_was_due() -> None:
    plan = [(date(2020, 1, 10), 100, 100), (date(2020, 2, 10), 90, 40), (date(2020, 3, 10), 80, 0)]
    assert overdue_interest(plan, date(2020, 3, 9)) == 50
    assert overdue_interest(plan, date(2020, 3, 10)) == 130


# --- recoveries --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "amount", "account", "kind"),
    [
        (RecoverySource.BORROWER, 500_000, CLAIMS, "recovery.borrower"),
        (RecoverySource.COUNTY, 1, COUNTY, "recovery.county"),
        (RecoverySource.COUNTY, 250_000, COUNTY, "recovery.county"),
    ],
)
def test_a_recovery_posts_bank_against_the_sources_receivable(
    source: RecoverySource, amount: int, account: str, kind: str
) -> None:
    draft = recovery(Recovered(FID, ON, OP, source, amount, "RC-1"))
    assert_facility_entry(draft, kind, [(BANK, "D", amount), (account, "C", amount)], "RC-1")


# --- write-offs --------------------------------------------------------------------------

GUARANTEE_WRITE_OFFS = [
    pytest.param(
        60_000,
        40_000,
        1_000_000,
        [(PROVISION, "D", 100_000), (CLAIMS, "C", 60_000), (COUNTY, "C", 40_000)],
        id="provision-holds-it-all",
    ),
    pytest.param(
        60_000,
        40_000,
        30_000,
        [
            (PROVISION, "D", 30_000),
            (LOSSES, "D", 70_000),
            (CLAIMS, "C", 60_000),
            (COUNTY, "C", 40_000),
        ],
        id="provision-short-rest-to-losses",
    ),
    pytest.param(
        60_000, 0, 0, [(LOSSES, "D", 60_000), (CLAIMS, "C", 60_000)], id="no-provision-no-county"
    ),
    pytest.param(
        0, 25_000, -500, [(LOSSES, "D", 25_000), (COUNTY, "C", 25_000)], id="overdrawn-provision"
    ),
    pytest.param(
        10_000,
        0,
        10_000,
        [(PROVISION, "D", 10_000), (CLAIMS, "C", 10_000)],
        id="provision-exactly-enough",
    ),
]


@pytest.mark.parametrize(("borrower", "county", "held", "expected"), GUARANTEE_WRITE_OFFS)
def test_a_guarantee_write_off_draws_on_the_provision_first(
    borrower: int, county: int, held: int, expected: Lines
) -> None:
    fact = GuaranteeWrittenOff(FID, ON, OP, "借款人失联", borrower, county, held)
    assert fact.amount_fen == borrower + county
    assert_facility_entry(guarantee_write_off(fact), "write_off", expected, "借款人失联")


@pytest.mark.parametrize("outstanding", [1, 150_000, 2_000_000])
def test_a_loan_write_off_without_an_allowance_is_a_bad_debt(outstanding: int) -> None:
    """No allowance held: all of it to 管理费用—坏账损失 (no longer 其他费用)."""
    draft = loan_write_off(LoanWrittenOff(FID, ON, OP, "经营失败", outstanding))
    expected = [(chart.BAD_DEBTS, "D", outstanding), (LOANS, "C", outstanding)]
    assert_facility_entry(draft, "write_off", expected, "经营失败")


@pytest.mark.parametrize(
    "write_off",
    [
        guarantee_write_off(GuaranteeWrittenOff(FID, ON, OP, "x", 60_000, 40_000, 30_000)),
        loan_write_off(LoanWrittenOff(FID, ON, OP, "x", 150_000)),
    ],
    ids=["guarantee", "loan"],
)
def test_undoing_a_write_off_posts_its_lines_on_the_other_sides(write_off: EntryDraft) -> None:
    back = reversal_of(17, write_off, date(2020, 4, 2), OP, "找到借款人")
    flip = {"D": "C", "C": "D"}
    assert lines_of(back) == [(a, flip[s], n) for a, s, n in lines_of(write_off)]
    assert (back.kind, back.reverses_seq, back.memo) == ("reversal", 17, "找到借款人")
    assert (back.object_type, back.object_id) == ("facility", str(FID))
    check_entry(back)


# --- the provision -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exposure", "bp", "held", "top_up", "after"),
    [
        (10_000_000, 100, 50_000, 50_000, 100_000),
        (10_000_000, 100, 0, 100_000, 100_000),
        (10_000_000, 100, 100_000, None, 100_000),
        (10_000_000, 100, 250_000, None, 250_000),
        (149, 100, 0, 1, 1),  # 1.49 fen rounds to 1
        (150, 100, 1, 1, 2),  # 1.5 fen rounds half up to 2: holding 1, it is 1 short
        (0, 100, 0, None, 0),
        (1_000_000, 250, -10, 25_010, 25_000),
    ],
)
def test_the_day_close_tops_the_provision_up_to_its_share_of_exposure(
    exposure: int, bp: int, held: int, top_up: int | None, after: int
) -> None:
    review = ProvisionReview(ON, OP, exposure, bp, held)
    draft = provision_top_up(review)
    assert review.after_fen == after
    if top_up is None:
        assert draft is None
        return
    assert draft is not None
    assert lines_of(draft) == [(EXPENSE, "D", top_up), (PROVISION, "C", top_up)]
    assert draft.kind == "provision"
    assert (draft.object_type, draft.object_id) == ("day_close", "2020-03-31")
    assert draft.memo == f"top-up to {review.target_fen} fen on exposure {exposure}"
    check_entry(draft)


# --- every recipe balances ---------------------------------------------------------------

FEN = st.integers(min_value=1, max_value=10**12)
FEN_OR_ZERO = st.integers(min_value=0, max_value=10**12)
BPS = st.integers(min_value=0, max_value=10_000)


def balance_by_account(drafts: list[EntryDraft]) -> dict[str, int]:
    """Net debit per account over the drafts."""
    net: dict[str, int] = {}
    for d in drafts:
        for ln in d.lines:
            sign = 1 if ln.side == "D" else -1
            net[ln.account] = net.get(ln.account, 0) + sign * ln.amount_fen
    return net


@given(FEN, st.sampled_from(list(RecoverySource)))
def test_repayments_releases_and_recoveries_balance(amount: int, source: RecoverySource) -> None:
    check_entry(loan_repayment(LoanRepaid(FID, ON, OP, amount, "R")))
    check_entry(deposit_release(DepositReleased(FID, ON, OP, amount)))
    check_entry(recovery(Recovered(FID, ON, OP, source, amount, "R")))


@given(FEN, FEN_OR_ZERO, BPS)
def test_a_claim_balances_and_its_parts_add_up_to_it(amount: int, deposit: int, bp: int) -> None:
    fact = ClaimPaid(FID, ON, OP, amount, deposit, bp)
    split = fact.split
    assert split.from_deposit_fen + split.from_cash_fen == amount
    assert split.from_deposit_fen + split.deposit_left_fen == deposit
    assert 0 <= split.county_share_fen <= amount
    drafts = claim(fact)
    for draft in drafts:
        check_entry(draft)
    net = balance_by_account(drafts)
    assert net.get(CLAIMS, 0) == amount - split.county_share_fen  # the borrower owes the rest
    assert net.get(COUNTY, 0) == split.county_share_fen
    assert net.get(DEPOSITS, 0) == -deposit  # the whole deposit leaves: used or released
    assert net.get(BANK, 0) == split.deposit_left_fen - split.from_cash_fen


@given(FEN_OR_ZERO, FEN_OR_ZERO, st.integers(min_value=-(10**12), max_value=10**12))
def test_a_guarantee_write_off_balances_and_takes_both_receivables(
    borrower: int, county: int, held: int
) -> None:
    if borrower + county == 0:
        return  # nothing to write off: the service refuses before drafting
    fact = GuaranteeWrittenOff(FID, ON, OP, "x", borrower, county, held)
    draft = guarantee_write_off(fact)
    check_entry(draft)
    net = balance_by_account([draft])
    assert net.get(CLAIMS, 0) == -borrower and net.get(COUNTY, 0) == -county
    assert net.get(PROVISION, 0) == min(max(held, 0), borrower + county)


@given(FEN)
def test_a_loan_write_off_balances(outstanding: int) -> None:
    check_entry(loan_write_off(LoanWrittenOff(FID, ON, OP, "x", outstanding)))


@given(FEN_OR_ZERO, BPS, st.integers(min_value=-(10**12), max_value=10**12))
def test_a_provision_top_up_balances_and_reaches_the_target(
    exposure: int, bp: int, held: int
) -> None:
    review = ProvisionReview(ON, OP, exposure, bp, held)
    draft = provision_top_up(review)
    if draft is None:
        assert held >= review.target_fen
        return
    check_entry(draft)
    assert held + draft.total_fen == review.target_fen == review.after_fen


def test_entry_kinds_are_the_terms() -> None:
    drafts = [
        loan_repayment(LoanRepaid(FID, ON, OP, 1, "R")),
        *claim(ClaimPaid(FID, ON, OP, 10, 20, 5_000)),
        recovery(Recovered(FID, ON, OP, RecoverySource.COUNTY, 1, "R")),
    ]
    assert all(isinstance(d.kind, EntryKind) for d in drafts)

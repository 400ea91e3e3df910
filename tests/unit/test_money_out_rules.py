"""The capacity, decision and local-support rules over figures, without a database.

Each row: the fund's figures, a commitment, and the result code (``ok`` or the refusal).
"""

from __future__ import annotations

import pytest

from fundcore.domain import capacity as rules
from fundcore.domain.capacity import Capacity, Commitment, commitment
from fundcore.domain.decisions import (
    approvals_needed,
    approvers_since_submission,
    matching_pledged_fen,
)
from fundcore.domain.errors import RuleBroken
from fundcore.domain.local_support import counter_share_bp, support_in_place
from fundcore.domain.policy import Policy
from fundcore.domain.terms import Instrument

#: bank 1,000,000 yuan, 200,000 committed, 100,000 reserve; net assets 500,000, cap 3×
CAP = Capacity(
    bank_fen=100_000_000,
    commitments_fen=20_000_000,
    reserve_fen=10_000_000,
    net_assets_fen=50_000_000,
    exposure_fen=140_000_000,
    leverage_cap_x=3,
)


def check(cap: Capacity, cash_fen: int, exposure_fen: int) -> str:
    try:
        rules.check_cash(cap, cash_fen)
        if exposure_fen:
            rules.check_leverage(cap, exposure_fen)
    except RuleBroken as err:
        return err.code
    return "ok"


@pytest.mark.parametrize(
    ("cash_fen", "exposure_fen", "result"),
    [
        (70_000_000, 0, "ok"),  # exactly the available cash
        (70_000_001, 0, "capacity.cash"),  # one fen over
        (0, 10_000_000, "ok"),  # exposure to exactly 3 × net assets
        (0, 10_000_001, "capacity.leverage"),
        (70_000_001, 10_000_001, "capacity.cash"),  # cash is checked first
    ],
)
def test_available_cash_and_leverage(cash_fen: int, exposure_fen: int, result: str) -> None:
    assert CAP.available_fen == 70_000_000
    assert CAP.leverage_limit_fen == 150_000_000
    assert check(CAP, cash_fen, exposure_fen) == result


def test_a_refusal_carries_the_figures() -> None:
    with pytest.raises(RuleBroken) as err:
        rules.check_cash(CAP, 80_000_000)
    assert err.value.params == {
        "need": 80_000_000,
        "available": 70_000_000,
        "bank": 100_000_000,
        "committed": 20_000_000,
        "reserve": 10_000_000,
    }


@pytest.mark.parametrize(
    ("current_fen", "exposure_fen", "result"),
    [(0, 5_000_000, "ok"), (4_000_000, 1_000_000, "ok"), (4_000_000, 1_000_001, "capacity.county")],
)
def test_county_concentration(current_fen: int, exposure_fen: int, result: str) -> None:
    limit = rules.county_limit_fen(CAP.net_assets_fen, 1_000)  # 10% of net assets
    assert limit == 5_000_000
    try:
        rules.check_county("140224", current_fen, exposure_fen, limit)
        got = "ok"
    except RuleBroken as err:
        got = err.code
    assert got == result


def test_a_county_limit_rounds_down() -> None:
    assert rules.county_limit_fen(999, 1_000) == 99


def test_reserving_moves_commitments_and_exposure_only() -> None:
    after = rules.reserved(CAP, 1_000, 2_000)
    assert (after.commitments_fen, after.exposure_fen) == (20_001_000, 140_002_000)
    assert after.bank_fen == CAP.bank_fen and after.net_assets_fen == CAP.net_assets_fen


@pytest.mark.parametrize(
    ("instrument", "principal_fen", "expected"),
    [
        (Instrument.GUARANTEE, 10_000_000, Commitment(2_000_000, 10_000_000, 2_000_000)),
        (Instrument.GUARANTEE, 3, Commitment(1, 3, 1)),  # 20% of 3 fen, half up
        (Instrument.LOAN, 3_000_000, Commitment(3_000_000, 0, 0)),
        (Instrument.GRANT, 1_500_000, Commitment(1_500_000, 0, 0)),
    ],
)
def test_what_an_approval_commits(
    instrument: Instrument, principal_fen: int, expected: Commitment
) -> None:
    assert commitment(instrument, principal_fen, Policy()) == expected


@pytest.mark.parametrize(
    ("history", "approvers"),
    [
        ([], []),
        ([("approve", "fin1")], ["fin1"]),
        ([("approve", "fin1"), ("return", "fin2")], []),
        ([("approve", "fin1"), ("return", "fin2"), ("approve", "fin3")], ["fin3"]),
        ([("approve", "fin1"), ("approve", "fin2")], ["fin1", "fin2"]),
        ([("approve", "fin1"), ("cancel", "fin2"), ("reject", "fin1")], []),
    ],
)
def test_approvals_count_since_the_last_submission(
    history: list[tuple[str, str]], approvers: list[str]
) -> None:
    assert approvers_since_submission(history) == approvers


@pytest.mark.parametrize(("amount_fen", "needed"), [(5_000_000, 1), (5_000_001, 2)])
def test_two_approvals_above_the_threshold(amount_fen: int, needed: int) -> None:
    assert approvals_needed(amount_fen, Policy(two_approvals_above_fen=5_000_000)) == needed


@pytest.mark.parametrize(
    ("instrument", "support", "pledged"),
    [
        (Instrument.LOAN, "matching", 3_000_000),
        (Instrument.GUARANTEE, "matching", 3_000_000),
        (Instrument.GUARANTEE, "counter-guarantee", 0),
        (Instrument.GRANT, "matching", 0),
        (Instrument.LOAN, None, 0),
    ],
)
def test_the_matching_a_county_pledges(
    instrument: Instrument, support: str | None, pledged: int
) -> None:
    assert matching_pledged_fen(instrument, support, 3_000_000, 600_000, Policy()) == pledged


def test_a_guarantees_matching_may_be_of_its_deposit() -> None:
    p = Policy(guarantee_matching_basis="deposit")
    assert matching_pledged_fen(Instrument.GUARANTEE, "matching", 3_000_000, 600_000, p) == 600_000
    # a loan's matching is of its principal whatever the guarantees' basis
    assert matching_pledged_fen(Instrument.LOAN, "matching", 3_000_000, 0, p) == 3_000_000


@pytest.mark.parametrize(
    ("instrument", "kind", "matching_fen", "counter_bp", "in_place"),
    [
        (Instrument.GRANT, None, 0, 0, True),
        (Instrument.LOAN, "matching", 2_999_999, 0, False),
        (Instrument.LOAN, "matching", 3_000_000, 0, True),
        (Instrument.GUARANTEE, "matching", 0, 10_000, False),  # the declared kind counts
        (Instrument.GUARANTEE, "counter-guarantee", 0, 0, False),
        (Instrument.GUARANTEE, "counter-guarantee", 0, 1, False),  # ¥0.01 unlocked ¥80,000
        (Instrument.GUARANTEE, "counter-guarantee", 0, 4_999, False),
        (Instrument.GUARANTEE, "counter-guarantee", 0, 5_000, True),
    ],
)
def test_local_support_in_place(
    instrument: Instrument, kind: str | None, matching_fen: int, counter_bp: int, in_place: bool
) -> None:
    assert (
        support_in_place(instrument, kind, 3_000_000, matching_fen, counter_bp, 5_000) is in_place
    )


@pytest.mark.parametrize(
    ("amount_fen", "principal_fen", "share_bp"),
    [
        (5_000_000, 10_000_000, 5_000),
        (10_000_000, 10_000_000, 10_000),
        (1, 30_000, 0),
        (2, 3, 6_666),
    ],
)
def test_a_counter_guarantee_share_rounds_down(
    amount_fen: int, principal_fen: int, share_bp: int
) -> None:
    assert counter_share_bp(amount_fen, principal_fen) == share_bp

"""The borrower limits and the counter-guarantee share as rules over figures (no database)."""

from __future__ import annotations

import pytest

from fundcore.domain.capacity import (
    Book,
    Concentration,
    Party,
    check_concentration,
    format_bp,
)
from fundcore.domain.errors import InputError, RuleBroken
from fundcore.domain.local_support import check_counter_share
from fundcore.domain.money import BP
from fundcore.intake.related import parse_enterprise_code

LIMITS = Concentration(borrower_bp=1_000, related_bp=1_500)
NET = 100_000_000  # ¥1,000,000: one borrower ¥100,000, with related parties ¥150,000


def party(fid: int, who: int, exposure: int, house: str | None = None, firm: str | None = None):
    return Party(fid, who, house, firm, f"REF-{fid:05d}", exposure)


@pytest.mark.parametrize(
    ("book", "new", "code"),
    [
        ([], party(9, 1, 10_000_000), None),  # exactly 10%
        ([], party(9, 1, 10_000_001), "capacity.borrower"),
        ([party(1, 1, 6_000_000)], party(9, 1, 4_000_001), "capacity.borrower"),
        ([party(1, 2, 9_000_000, "H")], party(9, 1, 6_000_000, "H"), None),  # exactly 15%
        ([party(1, 2, 9_000_000, "H")], party(9, 1, 6_000_001, "H"), "capacity.related"),
        ([party(1, 2, 9_000_000, firm="E")], party(9, 1, 6_000_001, firm="E"), "capacity.related"),
        # unrelated: another household, another enterprise
        ([party(1, 2, 9_000_000, "H", "E")], party(9, 1, 9_000_000, "G", "F"), None),
        # related through the borrower's own earlier facility's household
        (
            [party(1, 1, 1_000_000, "H"), party(2, 2, 9_000_000, "H")],
            party(9, 1, 5_000_001),
            "capacity.related",
        ),
    ],
)
def test_borrower_and_related_limits(book: list[Party], new: Party, code: str | None) -> None:
    if code is None:
        check_concentration(new, Book(book), NET, LIMITS)
        return
    with pytest.raises(RuleBroken) as err:
        check_concentration(new, Book(book), NET, LIMITS)
    assert err.value.code == code
    assert "REF-0" not in str(err.value.params["facilities"])  # refs are shown masked


def test_no_limit_when_the_policy_sets_none() -> None:
    check_concentration(party(9, 1, 10**12), Book(), NET, Concentration(None, None))


@pytest.mark.parametrize(
    ("amount", "principal", "min_bp", "ok"),
    [(1, 8_000_000, 5_000, False), (3_999_999, 8_000_000, 5_000, False),
     (4_000_000, 8_000_000, 5_000, True), (1, 8_000_000, 0, False), (800, 8_000_000, 0, True)],
)  # fmt: skip
def test_a_counter_guarantee_covers_the_minimum_share(
    amount: int, principal: int, min_bp: int, ok: bool
) -> None:
    if ok:
        assert check_counter_share(amount, principal, min_bp) == amount * BP // principal
    else:
        with pytest.raises(RuleBroken) as err:
            check_counter_share(amount, principal, min_bp)
        assert err.value.code == "support.counter_too_small"


def test_percentages_and_credit_codes() -> None:
    assert [format_bp(b) for b in (0, 5, 1_000, 1_250, 10_000)] == [
        "0%", "0.05%", "10%", "12.5%", "100%",
    ]  # fmt: skip
    assert parse_enterprise_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    for bad in ("91350100M000100Y44", "91350100M000100Y4", "91350100I000100Y43"):
        with pytest.raises(InputError) as err:
            parse_enterprise_code(bad)
        assert err.value.code == "intake.bad_enterprise_code"

"""The guarantee room: min(net-asset multiple room, cash room), naming the limit that binds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fundcore.domain.capacity import Binding, Capacity, cash_room_fen, guarantee_room

YUAN = 100
M = 1_000_000 * YUAN


def _cap(available_fen: int, net_fen: int, exposure_fen: int, deposit_bp: int = 2_000) -> Capacity:
    return Capacity(
        bank_fen=available_fen,
        commitments_fen=0,
        reserve_fen=0,
        net_assets_fen=net_fen,
        exposure_fen=exposure_fen,
        leverage_cap_x=10,
        deposit_bp=deposit_bp,
        coverage_bp=10_000,
    )


def test_the_issue_figures_cash_binds_at_599_5_million() -> None:
    # ¥119.9M of cash at a 20% deposit pays the deposits of at most ¥599.5M of guarantees,
    # though the 10× multiple of ¥133.7M of net assets would allow ¥1,337M
    room = guarantee_room(_cap(1199 * M // 10, 1337 * M // 10, 0))
    assert room.cash_fen == 5995 * M // 10
    assert room.leverage_fen == 1337 * M
    assert (room.room_fen, room.binding) == (5995 * M // 10, Binding.CASH)


def test_the_multiple_binds_when_cash_is_plenty() -> None:
    room = guarantee_room(_cap(100 * M, 5 * M, 20 * M))
    assert (room.room_fen, room.binding) == (30 * M, Binding.NET_ASSETS)


def test_without_a_deposit_cash_limits_nothing_and_held_money_is_not_available() -> None:
    assert cash_room_fen(100 * M, 0, 10_000) is None
    assert guarantee_room(_cap(M, 1 * M, 0, deposit_bp=0)).binding == Binding.NET_ASSETS
    held = Capacity(10 * M, 2 * M, M, 50 * M, 0, 10, 2_000, 10_000, held_fen=3 * M)
    assert held.available_fen == 4 * M


@given(
    available=st.integers(-(10**12), 10**12),
    net=st.integers(0, 10**12),
    exposure=st.integers(0, 10**13),
    deposit=st.integers(1, 10_000),
    coverage=st.integers(1, 10_000),
)
def test_the_room_is_the_smaller_limit_and_cash_pays_every_deposit(
    available: int, net: int, exposure: int, deposit: int, coverage: int
) -> None:
    cap = Capacity(available, 0, 0, net, exposure, 10, deposit, coverage)
    room = guarantee_room(cap)
    assert room.cash_fen is not None
    assert room.room_fen == min(room.leverage_fen, room.cash_fen)
    assert room.room_fen == (room.cash_fen if room.binding == Binding.CASH else room.leverage_fen)
    # the principal behind the room's liability needs deposits the cash can pay
    principal = room.cash_fen * 10_000 // coverage
    assert principal * deposit // 10_000 <= max(available, 0)

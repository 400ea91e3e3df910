"""What the fund can honour: available cash, guarantee leverage, county concentration.

Every approval reserves a commitment and every pay-out spends one, so these figures are
read and the write made under one lock: ``lock_fund`` takes the ledger head row
``FOR UPDATE`` on PostgreSQL (SQLite's write transactions are already serial). Two
finance operators approving at the same moment therefore see each other's commitments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, case, func, select

from fundcore.domain import chart
from fundcore.domain.errors import RuleBroken
from fundcore.domain.policy import Policy
from fundcore.domain.terms import EXPOSED
from fundcore.store.models import Account, AccountBalance, Facility, LedgerHead

_fac = Facility.__table__
#: facilities whose guarantee exposure counts against the leverage cap


@dataclass(frozen=True, slots=True)
class Capacity:
    bank_fen: int
    commitments_fen: int
    reserve_fen: int
    net_assets_fen: int
    exposure_fen: int
    leverage_cap_x: int

    @property
    def available_fen(self) -> int:
        """Bank balance less undisbursed commitments less the reserve floor."""
        return self.bank_fen - self.commitments_fen - self.reserve_fen


def lock_fund(conn: Connection) -> None:
    """Serialise every decision that spends or reserves the fund's money."""
    conn.execute(select(LedgerHead.id).where(LedgerHead.id == 1).with_for_update()).first()


def _balances(conn: Connection) -> dict[str, int]:
    acc, bal = Account.__table__, AccountBalance.__table__
    rows = conn.execute(
        select(acc.c.code, acc.c.type, bal.c.debit_fen - bal.c.credit_fen).select_from(
            acc.join(bal, bal.c.account_code == acc.c.code)
        )
    ).all()
    return {f"{t}:{code}": int(net) for code, t, net in rows}


def capacity(conn: Connection, policy: Policy) -> Capacity:
    nets = _balances(conn)
    assets = sum(v for k, v in nets.items() if k.startswith("asset:"))
    liabilities = -sum(v for k, v in nets.items() if k.startswith("liability:"))
    committed, exposure = conn.execute(
        select(
            func.coalesce(
                func.sum(case((_fac.c.status == "approved", _fac.c.committed_fen), else_=0)), 0
            ),
            func.coalesce(
                func.sum(case((_fac.c.status.in_(EXPOSED), _fac.c.exposure_fen), else_=0)), 0
            ),
        )
    ).one()
    return Capacity(
        bank_fen=nets.get(f"asset:{chart.BANK}", 0),
        commitments_fen=int(committed),
        reserve_fen=policy.reserve_floor_fen,
        net_assets_fen=assets - liabilities,
        exposure_fen=int(exposure),
        leverage_cap_x=policy.leverage_cap_x,
    )


def county_exposure(conn: Connection, county_code: str) -> int:
    return int(
        conn.scalar(
            select(func.coalesce(func.sum(_fac.c.exposure_fen), 0)).where(
                _fac.c.county_code == county_code, _fac.c.status.in_(EXPOSED)
            )
        )
        or 0
    )


def county_exposures(conn: Connection) -> dict[str, int]:
    """Guarantee exposure by county, every county at once (for a batch of approvals)."""
    rows = conn.execute(
        select(_fac.c.county_code, func.coalesce(func.sum(_fac.c.exposure_fen), 0))
        .where(_fac.c.status.in_(EXPOSED))
        .group_by(_fac.c.county_code)
    ).all()
    return {code: int(total) for code, total in rows}


class Room:
    """The fund's room read once under the lock, then spent in memory commitment by
    commitment, so a batch of approvals is checked exactly as the same approvals made
    one at a time would be (each sees the ones before it)."""

    def __init__(self, conn: Connection, policy: Policy) -> None:
        self.conn = conn
        self.policy = policy
        self.cap = capacity(conn, policy)
        self._counties: dict[str, int] | None = None

    def county(self, county_code: str) -> int:
        if self._counties is None:
            self._counties = county_exposures(self.conn)
        return self._counties.get(county_code, 0)

    def take(self, cash_fen: int, exposure_fen: int, county_code: str) -> Capacity:
        """Reserve a commitment, or refuse it (RuleBroken, with the figures)."""
        cap, policy = self.cap, self.policy
        if cash_fen > cap.available_fen:
            raise RuleBroken(
                "capacity.cash",
                need=cash_fen,
                available=cap.available_fen,
                bank=cap.bank_fen,
                committed=cap.commitments_fen,
                reserve=cap.reserve_fen,
            )
        if exposure_fen:
            limit = cap.net_assets_fen * cap.leverage_cap_x
            if cap.exposure_fen + exposure_fen > limit:
                raise RuleBroken(
                    "capacity.leverage",
                    exposure=cap.exposure_fen,
                    new=exposure_fen,
                    net_assets=cap.net_assets_fen,
                    cap=cap.leverage_cap_x,
                    limit=limit,
                )
            if policy.county_concentration_bp is not None:
                county_limit = cap.net_assets_fen * policy.county_concentration_bp // 10_000
                current = self.county(county_code)
                if current + exposure_fen > county_limit:
                    raise RuleBroken(
                        "capacity.county",
                        county=county_code,
                        exposure=current,
                        new=exposure_fen,
                        limit=county_limit,
                    )
                self._counties[county_code] = current + exposure_fen  # type: ignore[index]
        self.cap = replace(
            cap,
            commitments_fen=cap.commitments_fen + cash_fen,
            exposure_fen=cap.exposure_fen + exposure_fen,
        )
        return cap

    def add_net_assets(self, amount_fen: int) -> None:
        """A matching pledge raises net assets (restricted donations) as it is posted."""
        self.cap = replace(self.cap, net_assets_fen=self.cap.net_assets_fen + amount_fen)


def check_room(
    conn: Connection, policy: Policy, cash_fen: int, exposure_fen: int, county_code: str
) -> Capacity:
    """Refuse, with the figures, a commitment the fund could not honour."""
    return Room(conn, policy).take(cash_fen, exposure_fen, county_code)

"""What the fund can honour: available cash, guarantee leverage, concentration by county,
by borrower and by a borrower with its related parties.

Every approval reserves a commitment and every pay-out spends one, so these figures are
read and the write made under one lock: ``lock_fund`` takes the ledger head row
``FOR UPDATE`` on PostgreSQL (SQLite's write transactions are already serial). Two
finance operators approving at the same moment therefore see each other's commitments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import ColumnElement, Connection, and_, case, func, or_, select

from fundcore.domain import capacity as rules
from fundcore.domain import chart
from fundcore.domain.capacity import Book, Capacity, Concentration, Party
from fundcore.domain.policy import Policy
from fundcore.domain.terms import EXPOSED, FacilityStatus
from fundcore.store.bulk import chunks
from fundcore.store.models import (
    Account,
    AccountBalance,
    Application,
    Facility,
    LedgerHead,
    LocalSupport,
)
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_apps = table_of(Application)
#: a facility carries guarantee exposure (its ``exposure_fen``) while in these states
_EXPOSED = _fac.c.status.in_(EXPOSED)

__all__ = [
    "Capacity",
    "Room",
    "capacity",
    "check_room",
    "county_exposure",
    "county_exposures",
    "lock_fund",
]


def lock_fund(conn: Connection) -> None:
    """Serialise every decision that spends or reserves the fund's money."""
    conn.execute(select(LedgerHead.id).where(LedgerHead.id == 1).with_for_update()).first()


def _balances(conn: Connection) -> dict[str, int]:
    acc, bal = table_of(Account), table_of(AccountBalance)
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
    approved = _fac.c.status == FacilityStatus.APPROVED
    committed, exposure = conn.execute(
        select(
            func.coalesce(func.sum(case((approved, _fac.c.committed_fen), else_=0)), 0),
            func.coalesce(func.sum(case((_EXPOSED, _fac.c.exposure_fen), else_=0)), 0),
        )
    ).one()
    return Capacity(
        bank_fen=nets.get(f"asset:{chart.BANK}", 0),
        commitments_fen=int(committed),
        reserve_fen=policy.reserve_floor_fen,
        net_assets_fen=assets - liabilities,
        exposure_fen=int(exposure),
        leverage_cap_x=policy.leverage_cap_x,
        deposit_bp=policy.guarantee_deposit_bp,
        coverage_bp=policy.guarantee_coverage_bp,
        held_fen=matching_held(conn),
    )


def matching_held(conn: Connection, day: date | None = None) -> int:
    """Matching money received through the fund's account (as of the end of ``day``) and
    not yet passed on to its project: in the bank, but the project's, not the fund's to
    commit."""
    ls = table_of(LocalSupport).c
    held: ColumnElement[bool] = ls.through_fund.is_(True)
    if day is not None:
        held = and_(held, ls.business_date <= day, or_(ls.passed_on.is_(None), ls.passed_on > day))
    else:
        held = and_(held, ls.passed_on.is_(None))
    return int(conn.scalar(select(func.coalesce(func.sum(ls.amount_fen), 0)).where(held)) or 0)


def county_exposure(conn: Connection, county_code: str) -> int:
    return int(
        conn.scalar(
            select(func.coalesce(func.sum(_fac.c.exposure_fen), 0)).where(
                _fac.c.county_code == county_code, _EXPOSED
            )
        )
        or 0
    )


def county_exposures(conn: Connection) -> dict[str, int]:
    """Guarantee exposure by county, every county at once (for a batch of approvals)."""
    rows = conn.execute(
        select(_fac.c.county_code, func.coalesce(func.sum(_fac.c.exposure_fen), 0))
        .where(_EXPOSED)
        .group_by(_fac.c.county_code)
    ).all()
    return {code: int(total) for code, total in rows}


def _declared(conn: Connection, app_ids: Sequence[int]) -> dict[int, Party]:
    """What each application declared (borrower, household, enterprise), as a party
    with no exposure yet."""
    out: dict[int, Party] = {}
    a = _apps.c
    for chunk in chunks(sorted(set(app_ids))):
        stmt = select(a.id, a.applicant_id, a.household_ref, a.enterprise_code, a.ref)
        for row in conn.execute(stmt.where(a.id.in_(chunk))):
            out[row.id] = Party(*row)
    return out


def _exposed_parties(conn: Connection, where: ColumnElement[bool]) -> list[Party]:
    """The facilities carrying exposure that ``where`` picks, with what they declared."""
    a = _apps.c
    stmt = (
        select(a.id, a.applicant_id, a.household_ref, a.enterprise_code, a.ref, _fac.c.exposure_fen)
        .select_from(_fac.join(_apps, a.id == _fac.c.id))
        .where(_EXPOSED, _fac.c.exposure_fen > 0, where)
    )
    return [Party(*row) for row in conn.execute(stmt)]


def parties_of(conn: Connection, new: Sequence[Party]) -> list[Party]:
    """Every exposed facility of the borrowers of ``new``, and of the parties related to
    them by a household register or enterprise that they or their facilities declared."""
    found: dict[int, Party] = {}
    for chunk in chunks(sorted({p.applicant_id for p in new})):
        found.update(
            (p.facility_id, p) for p in _exposed_parties(conn, _apps.c.applicant_id.in_(chunk))
        )
    known = [*new, *found.values()]
    households = sorted({p.household for p in known if p.household})
    enterprises = sorted({p.enterprise for p in known if p.enterprise})
    for column, values in (
        (_apps.c.household_ref, households),
        (_apps.c.enterprise_code, enterprises),
    ):
        for some in chunks(values):
            found.update((p.facility_id, p) for p in _exposed_parties(conn, column.in_(some)))
    return list(found.values())


class Room:
    """The fund's room read once under the lock, then spent in memory commitment by
    commitment, so a batch of approvals is checked exactly as the same approvals made
    one at a time would be (each sees the ones before it)."""

    def __init__(self, conn: Connection, policy: Policy, applications: Sequence[int] = ()) -> None:
        self.conn = conn
        self.policy = policy
        self.cap = capacity(conn, policy)
        self._counties: dict[str, int] | None = None
        #: the applications this room may be asked to approve (their parties read at once)
        self._applications = applications
        self._declared: dict[int, Party] | None = None
        self._book = Book()

    def county(self, county_code: str) -> int:
        return self._county_exposures().get(county_code, 0)

    def _county_exposures(self) -> dict[str, int]:
        """Every county's exposure, read on first need, then kept up to date here."""
        if self._counties is None:
            self._counties = county_exposures(self.conn)
        return self._counties

    def take(
        self,
        cash_fen: int,
        exposure_fen: int,
        county_code: str,
        application_id: int | None = None,
    ) -> Capacity:
        """Reserve a commitment, or refuse it (RuleBroken, with the figures); returns
        the figures it was checked against. With ``application_id`` (one of the room's
        applications), its exposure is also held to the borrower limits."""
        cap = self.cap
        rules.check_cash(cap, cash_fen)
        if exposure_fen:
            rules.check_leverage(cap, exposure_fen)
            new = self._party(application_id, exposure_fen)
            if new is not None:
                rules.check_concentration(new, self._book, cap.net_assets_fen, self._limits())
            self._take_county(cap, exposure_fen, county_code)
            if new is not None:
                self._book.add(new)
        self.cap = rules.reserved(cap, cash_fen, exposure_fen)
        return cap

    def _limits(self) -> Concentration:
        return Concentration(
            self.policy.borrower_concentration_bp, self.policy.related_concentration_bp
        )

    def _party(self, application_id: int | None, exposure_fen: int) -> Party | None:
        """The application as a party with its exposure; the room's parties read on first
        need (every application's of the room at once), then kept up to date here."""
        limits = self._limits()
        if application_id is None or limits == Concentration(None, None):
            return None
        if self._declared is None:
            self._declared = _declared(self.conn, [*self._applications, application_id])
            self._book = Book(parties_of(self.conn, list(self._declared.values())))
        declared = self._declared.get(application_id)
        if declared is None:  # not one the room was told of: read it and its parties too
            self._declared.update(_declared(self.conn, [application_id]))
            declared = self._declared[application_id]
            for p in parties_of(self.conn, [declared]):
                self._book.add(p)
        return replace(declared, exposure_fen=exposure_fen)

    def _take_county(self, cap: Capacity, exposure_fen: int, county_code: str) -> None:
        """Hold the county's exposure to the concentration limit, if the policy sets one."""
        if self.policy.county_concentration_bp is None:
            return
        limit = rules.county_limit_fen(cap.net_assets_fen, self.policy.county_concentration_bp)
        counties = self._county_exposures()
        current = counties.get(county_code, 0)
        rules.check_county(county_code, current, exposure_fen, limit)
        counties[county_code] = current + exposure_fen


def check_room(
    conn: Connection, policy: Policy, cash_fen: int, exposure_fen: int, county_code: str
) -> Capacity:
    """Refuse, with the figures, a commitment the fund could not honour."""
    return Room(conn, policy).take(cash_fen, exposure_fen, county_code)

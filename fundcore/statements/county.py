"""The county statement (县级报表): the programme sections for one county, as data.

Built like the fund statement (``statements.fund``): kept totals and set aggregates,
one county's facilities, leverage, beneficiaries, working funds and months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from fundcore.domain.capacity import Binding, guarantee_room
from fundcore.domain.errors import NotFound, NotPermitted
from fundcore.domain.policy import PolicyInForce
from fundcore.domain.terms import Role
from fundcore.services import capacity_view
from fundcore.services.operators import Actor
from fundcore.statements import common, financial, portfolio, records, regions
from fundcore.statements.model import (
    GUARANTEE,
    CountyStatement,
    GuaranteeBlock,
    KeyFigure,
    LeverageRow,
    RegionRow,
    Scope,
    StatementHeader,
    WorkingFundRow,
)
from fundcore.statements.months import county_months
from fundcore.statements.portfolio import Totals
from fundcore.store import journal
from fundcore.store.models import County, WorkingFundPayment
from fundcore.store.tables import table_of

_counties = table_of(County)


@dataclass(frozen=True, slots=True)
class CountyOnFile:
    """A county of the register."""

    code: str
    name: str
    province: str


def county_statement(
    conn: Connection,
    operator: str | None,
    county_code: str,
    period_from: date,
    period_to: date,
    *,
    verify_chain: bool = False,
    command: str = "",
    lang: str = "zh",
) -> CountyStatement:
    """The programme sections for one county (a county league: its own county only)."""
    actor = common.begin_period_statement(
        conn, operator, "statements.county", period_from, period_to
    )
    county = _county(conn, actor, county_code)
    found, exposed = portfolio.cells(conn, period_to, county=county_code)
    rows_found = regions.counties(conn, found)
    region = rows_found[0] if rows_found else _empty_region(county)
    rows, grand, raw = portfolio.portfolio(found)
    policy = common.policy_on(conn, period_to)
    guarantee = None
    if raw[GUARANTEE].approved_count:
        guarantee = _county_guarantee(conn, exposed, raw[GUARANTEE], period_to, policy)
    wf = _working_funds(conn, county_code, period_to)
    return CountyStatement(
        header=_county_header(conn, actor, county, region, (period_from, period_to), policy,
                              command),
        county=region,
        key_figures=_key_figures(region, wf),
        portfolio=rows,
        portfolio_total=grand,
        guarantee=guarantee,
        leverage=_county_leverage(conn, period_to, found, county, region),
        beneficiaries=regions.beneficiaries(
            conn, period_to, region.youth_supported_count, county=county_code,
            with_targets=False,
        ),
        working_funds=wf,
        working_funds_total_fen=sum(w.amount_fen for w in wf),
        facilities=records.facility_rows(conn, county=county_code, day=period_to),
        months=county_months(conn, county_code, period_from, period_to),
        integrity=common.integrity_block(conn, verify_chain, lang, as_of=period_to),
    )  # fmt: skip


def _county(conn: Connection, actor: Actor, code: str) -> CountyOnFile:
    """The county of the register; a county league may ask for its own county only.

    A county league asking for another code is told it may not, whether or not the code
    is in the register: the answer is the same for every code but its own, so it tells
    nothing of what the register or another county holds.
    """
    if actor.role == Role.COUNTY and actor.county_code != code:
        raise NotPermitted("intake.not_your_county", code=code)
    row = conn.execute(
        select(_counties.c.code, _counties.c.name, _counties.c.province).where(
            _counties.c.code == code
        )
    ).first()
    if row is None:
        raise NotFound("county.unknown", code=code)
    return CountyOnFile(row.code, row.name, row.province)


def _county_header(
    conn: Connection,
    actor: Actor,
    county: CountyOnFile,
    region: RegionRow,
    period: tuple[date, date],
    policy: PolicyInForce,
    command: str,
) -> StatementHeader:
    """As of the period's last day, like the fund statement's (``fund._fund_header``)."""
    period_from, period_to = period
    head_seq = common.head_seq_as_of(conn, period_to)
    return common.header(
        conn,
        Scope("county", county.code, f"{county.province}{county.name}", region.name_en),
        period,
        common.parameters(actor, period_to, policy.version),
        command,
        f"CS-{county.code}-{period_from:%Y%m%d}-{period_to:%Y%m%d}-{head_seq}",
    )


def _county_leverage(
    conn: Connection,
    day: date,
    cells: Sequence[portfolio.Cell],
    county: CountyOnFile,
    region: RegionRow,
) -> LeverageRow:
    """The county's local leverage at the end of ``day``; zeros while it has none."""
    found = regions.leverage(conn, day, cells, "county", county=county.code)
    if found:
        return found[0]
    return LeverageRow(county.code, county.name, region.name_en, 0, 0, None, 0, 0)


def _key_figures(region: RegionRow, wf: Sequence[WorkingFundRow]) -> tuple[KeyFigure, ...]:
    return (
        KeyFigure("放款（出保）金额", "Amount disbursed / issued", region.disbursed_fen),
        KeyFigure("在贷（在保）余额", "Outstanding balance", region.outstanding_fen),
        KeyFigure("县级团委工作经费", "County league working funds", sum(w.amount_fen for w in wf)),
    )


def _empty_region(county: CountyOnFile) -> RegionRow:
    """The county's row while it has no facility yet."""
    en = regions.province_en(county.code)
    return RegionRow(county.code, county.name, f"{county.name}, {en}" if en else "",
                     county.province, en, 0, 0, 0, 0, 0, 0, None, 0, 0)  # fmt: skip


def _county_guarantee(
    conn: Connection,
    exposed: tuple[int, int],
    guarantees: Totals,
    on: date,
    policy: PolicyInForce,
) -> GuaranteeBlock:
    """The county's guarantee exposure (and its largest single party's) against the
    fund's net assets and the county cap; its room is the smaller of that cap's (the
    fund's multiple room without one) and the fund's cash room."""
    net = sum(financial.net_assets(journal.balances(conn, on)))
    deposits = guarantees.deposits_fen
    exposure, largest = exposed
    cap_bp = policy.policy.county_concentration_bp
    fund = guarantee_room(capacity_view.capacity_as_of(conn, on, policy.policy))
    limit = fund.leverage_fen if cap_bp is None else net * cap_bp // 10_000 - exposure
    cash_binds = fund.cash_fen is not None and fund.cash_fen <= limit
    return GuaranteeBlock(
        exposure_fen=exposure,
        deposits_placed_fen=deposits,
        net_assets_fen=net,
        leverage_x100=portfolio.x100(exposure, net),
        cap_x=policy.policy.leverage_cap_x,
        headroom_fen=fund.cash_fen if cash_binds else limit,
        cash_room_fen=fund.cash_fen,
        binding=Binding.CASH if cash_binds else Binding.NET_ASSETS,
        largest_exposure_fen=largest,
        largest_exposure_bp=portfolio.bp(largest, net),
        concentration_cap_bp=cap_bp,
    )


def _working_funds(conn: Connection, code: str, day: date) -> tuple[WorkingFundRow, ...]:
    """The county's working funds paid by the end of ``day``."""
    wf = table_of(WorkingFundPayment)
    rows = conn.execute(
        select(wf).where(wf.c.county_code == code, wf.c.business_date <= day).order_by(wf.c.year)
    ).all()
    return tuple(
        WorkingFundRow(r.year, r.business_date, r.amount_fen, f"{code}/{r.year}") for r in rows
    )

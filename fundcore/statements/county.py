"""The county statement (县级报表): the programme sections for one county, as data.

Built like the fund statement (``statements.fund``): kept totals and set aggregates,
one county's facilities, leverage, beneficiaries, working funds and months.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from fundcore.domain.errors import NotFound
from fundcore.domain.policy import PolicyInForce
from fundcore.services.operators import authorise
from fundcore.statements import common, financial, portfolio, records, regions
from fundcore.statements.model import (
    GUARANTEE,
    CountyStatement,
    GuaranteeBlock,
    KeyFigure,
    LeverageRow,
    RegionRow,
    Scope,
    WorkingFundRow,
)
from fundcore.statements.months import county_months
from fundcore.store import journal
from fundcore.store.models import County, WorkingFundPayment


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
    actor = authorise(conn, operator, "statements.county")
    common.for_reports(conn)
    common.check_period(period_from, period_to)
    county = conn.execute(select(County.__table__).where(County.code == county_code)).first()
    if county is None or (actor.role == "county" and actor.county_code != county_code):
        raise NotFound("county.unknown", code=county_code)
    through = portfolio.latest_close(conn)
    found = portfolio.cells(conn, county=county_code)
    rows_found = regions.counties(conn, found)
    region = rows_found[0] if rows_found else _empty_region(county)
    rows, grand, raw = portfolio.portfolio(found)
    policy = common.policy_on(conn, period_to)
    net = sum(financial.net_assets(journal.balances(conn, period_to)))
    guarantee = None
    if raw[GUARANTEE].approved_count:
        guarantee = _county_guarantee(conn, county_code, raw[GUARANTEE].deposits_fen, net, policy)
    lev = regions.leverage(conn, "county", county=county_code) or [
        LeverageRow(county_code, county.name, region.name_en, 0, 0, None, 0, 0)
    ]
    wf = _working_funds(conn, county_code)
    head_seq = journal.head(conn)[0]
    key = [
        KeyFigure("放款（出保）金额", "Amount disbursed / issued", region.disbursed_fen),
        KeyFigure("在贷（在保）余额", "Outstanding balance", region.outstanding_fen),
        KeyFigure("县级团委工作经费", "County league working funds", sum(w.amount_fen for w in wf)),
    ]
    return CountyStatement(
        header=common.header(
            Scope("county", county_code, f"{county.province}{county.name}", region.name_en),
            (period_from, period_to),
            common.parameters(actor, period_to, through, policy.version),
            command,
            f"CS-{county_code}-{period_from:%Y%m%d}-{period_to:%Y%m%d}-{head_seq}",
        ),
        county=region,
        key_figures=tuple(key),
        portfolio=rows,
        portfolio_total=grand,
        guarantee=guarantee,
        leverage=lev[0],
        beneficiaries=regions.beneficiaries(
            conn, region.youth_supported_count, county=county_code, with_targets=False
        ),
        working_funds=wf,
        working_funds_total_fen=sum(w.amount_fen for w in wf),
        facilities=records.facility_rows(conn, county=county_code),
        months=county_months(conn, county_code, period_from, period_to),
        integrity=common.integrity_block(conn, verify_chain, lang),
    )


def _empty_region(county: object) -> RegionRow:
    en = regions.province_en(county.code)
    return RegionRow(county.code, county.name, f"{county.name}, {en}" if en else "",
                     county.province, en, 0, 0, 0, 0, 0, 0, None, 0, 0)  # fmt: skip


def _county_guarantee(
    conn: Connection, code: str, deposits: int, net: int, policy: PolicyInForce
) -> GuaranteeBlock:
    """The county's guarantee exposure against the fund's net assets and the county cap."""
    exposure, largest = portfolio.exposure(conn, county=code)
    cap_bp = policy.policy.county_concentration_bp
    return GuaranteeBlock(
        exposure_fen=exposure,
        deposits_placed_fen=deposits,
        net_assets_fen=net,
        leverage_x100=portfolio.x100(exposure, net),
        cap_x=policy.policy.leverage_cap_x,
        headroom_fen=None if cap_bp is None else net * cap_bp // 10_000 - exposure,
        largest_exposure_fen=largest,
        largest_exposure_bp=portfolio.bp(largest, net),
        concentration_cap_bp=cap_bp,
    )


def _working_funds(conn: Connection, code: str) -> tuple[WorkingFundRow, ...]:
    wf = WorkingFundPayment.__table__
    rows = conn.execute(select(wf).where(wf.c.county_code == code).order_by(wf.c.year)).all()
    return tuple(
        WorkingFundRow(r.year, r.business_date, r.amount_fen, f"{code}/{r.year}") for r in rows
    )

"""Statements for auditors: the fund, a county, a facility and a youth's record, as data.

The public API: ``fund_statement`` and ``county_statement`` (here), ``facility_statement``
and ``archive_statement`` (``statements_person``, re-exported here).

Each function authorises the operator, reads, and returns a frozen statement model
(``fundcore.statement_model``) that ``reports/`` renders without doing any arithmetic.
Every figure comes from the ledger's kept totals (``statements_ledger``) or from set
aggregates over the kept facility figures (``statements_portfolio``), so a statement
costs O(accounts × days + facilities), never O(journal lines), and two runs on the
same database give the same values in the same order.

Two dates matter and the header names both: the period (for the three financial
statements) and the latest day close, as of which the portfolio's ageing, overdue
buckets and PAR are stated (balances are as recorded now). The ledger's hash chain is
re-verified only when asked (``verify_chain``): it costs a full pass over the journal.
Without it the integrity block says so and names ``fund ledger verify``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from fundcore import journal
from fundcore import statements_common as common
from fundcore import statements_ledger as ledger
from fundcore import statements_people as people
from fundcore import statements_portfolio as book
from fundcore import statements_regions as places
from fundcore.chart import BANK, GUARANTEE_DEPOSITS, GUARANTEE_LOSS_PROVISION
from fundcore.errors import NotFound
from fundcore.messages import render
from fundcore.models import County, WorkingFundPayment
from fundcore.operators import authorise
from fundcore.policy import PolicyInForce
from fundcore.statement_model import (
    GUARANTEE,
    CountyStatement,
    FundStatement,
    GuaranteeBlock,
    KeyFigure,
    LeverageRow,
    RegionRow,
    Scope,
    WorkingFundRow,
)
from fundcore.statements_months import county_months
from fundcore.statements_person import archive_statement, facility_statement

__all__ = ["archive_statement", "county_statement", "facility_statement", "fund_statement"]


# --- the fund ----------------------------------------------------------------------------


def fund_statement(
    conn: Connection,
    operator: str | None,
    period_from: date,
    period_to: date,
    *,
    verify_chain: bool = False,
    command: str = "",
    lang: str = "zh",
) -> FundStatement:
    """The whole fund for a period: statements, portfolio, leverage, regions, integrity."""
    actor = authorise(conn, operator, "statements.fund")
    common.for_reports(conn)
    common.check_period(period_from, period_to)
    opening, closing = ledger.opening_and_closing(conn, period_from, period_to)
    sheet = ledger.balance_sheet(opening, closing)
    bank = {r.code: r for r in opening}[BANK]
    flows = ledger.cash_flows(conn, period_from, period_to, bank.debit_fen - bank.credit_fen)
    problems: tuple[str, ...] = ()
    bank_closing = next(x.closing_fen for x in sheet.assets if x.code == BANK)
    if flows.closing_cash_fen != bank_closing:
        problems = (render("statement.cash_mismatch", {"code": BANK}, lang),)
    through = book.latest_close(conn)
    found = book.cells(conn)
    rows, grand, _ = book.portfolio(found)
    total = places.overall(found)
    policy = common.policy_on(conn, period_to)
    net = sheet.total_net_assets.closing_fen
    lev = tuple(places.leverage(conn, "province"))
    head_seq = journal.head(conn)[0]
    acts = ledger.activities(opening, closing)
    return FundStatement(
        header=common.header(
            Scope("fund", "", "全基金", "Whole fund"),
            (period_from, period_to),
            common.parameters(actor, period_to, through, policy.version),
            command,
            f"FS-{period_from:%Y%m%d}-{period_to:%Y%m%d}-{head_seq}",
        ),
        key_figures=(
            KeyFigure("资产总计", "Total assets", sheet.total_assets.closing_fen),
            KeyFigure("净资产合计", "Total net assets", net),
            KeyFigure("期末现金余额", "Cash at end of period", flows.closing_cash_fen),
            KeyFigure("本期收入合计", "Income for the period", acts.total_income.total_fen),
            KeyFigure("在贷（在保）余额", "Outstanding balance", grand.outstanding_fen or 0),
        ),
        balance_sheet=sheet,
        activities=acts,
        cash_flows=flows,
        portfolio=rows,
        portfolio_total=grand,
        guarantee=_fund_guarantee(conn, closing, net, policy),
        leverage=lev,
        leverage_total=places.leverage_total(lev),
        beneficiaries=places.beneficiaries(conn, total.youth_supported_count),
        provinces=tuple(places.provinces(conn, found)),
        province_total=total,
        counties=tuple(places.counties(conn, found)),
        county_total=total,
        months=ledger.months(conn, period_from, period_to),
        integrity=common.integrity_block(conn, verify_chain, lang, problems),
    )


def _fund_guarantee(
    conn: Connection, closing: list[journal.BalanceRow], net: int, policy: PolicyInForce
) -> GuaranteeBlock:
    exposure, largest = book.exposure(conn)
    rows = {r.code: r for r in closing}
    deposits = rows[GUARANTEE_DEPOSITS].balance_fen
    cap = policy.policy.leverage_cap_x
    return GuaranteeBlock(
        exposure_fen=exposure,
        deposits_placed_fen=deposits,
        net_assets_fen=net,
        leverage_x100=book.x100(exposure, net),
        cap_x=cap,
        loss_provision_fen=rows[GUARANTEE_LOSS_PROVISION].balance_fen,
        headroom_fen=cap * net - exposure,
        largest_exposure_fen=largest,
        largest_exposure_bp=book.bp(largest, net),
        concentration_cap_bp=None,
    )


# --- a county ------------------------------------------------------------------------------


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
    through = book.latest_close(conn)
    found = book.cells(conn, county=county_code)
    regions = places.counties(conn, found)
    region = regions[0] if regions else _empty_region(county)
    rows, grand, raw = book.portfolio(found)
    policy = common.policy_on(conn, period_to)
    net = sum(ledger.net_assets(journal.balances(conn, period_to)))
    guarantee = None
    if raw[GUARANTEE].approved_count:
        guarantee = _county_guarantee(conn, county_code, raw[GUARANTEE].deposits_fen, net, policy)
    lev = places.leverage(conn, "county", county=county_code) or [
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
        beneficiaries=places.beneficiaries(
            conn, region.youth_supported_count, county=county_code, with_targets=False
        ),
        working_funds=wf,
        working_funds_total_fen=sum(w.amount_fen for w in wf),
        facilities=people.facility_rows(conn, county=county_code),
        months=county_months(conn, county_code, period_from, period_to),
        integrity=common.integrity_block(conn, verify_chain, lang),
    )


def _empty_region(county: object) -> RegionRow:
    en = places.province_en(county.code)
    return RegionRow(county.code, county.name, f"{county.name}, {en}" if en else "",
                     county.province, en, 0, 0, 0, 0, 0, 0, None, 0, 0)  # fmt: skip


def _county_guarantee(
    conn: Connection, code: str, deposits: int, net: int, policy: PolicyInForce
) -> GuaranteeBlock:
    """The county's guarantee exposure against the fund's net assets and the county cap."""
    exposure, largest = book.exposure(conn, county=code)
    cap_bp = policy.policy.county_concentration_bp
    return GuaranteeBlock(
        exposure_fen=exposure,
        deposits_placed_fen=deposits,
        net_assets_fen=net,
        leverage_x100=book.x100(exposure, net),
        cap_x=policy.policy.leverage_cap_x,
        headroom_fen=None if cap_bp is None else net * cap_bp // 10_000 - exposure,
        largest_exposure_fen=largest,
        largest_exposure_bp=book.bp(largest, net),
        concentration_cap_bp=cap_bp,
    )


def _working_funds(conn: Connection, code: str) -> tuple[WorkingFundRow, ...]:
    wf = WorkingFundPayment.__table__
    rows = conn.execute(select(wf).where(wf.c.county_code == code).order_by(wf.c.year)).all()
    return tuple(
        WorkingFundRow(r.year, r.business_date, r.amount_fen, f"{code}/{r.year}") for r in rows
    )

"""The fund statement (基金报表): the auditors' view of the whole fund for a period, as data.

``fund_statement`` authorises the operator, reads, and returns a frozen statement model
(``fundcore.statements.model``) that ``reports/`` renders without doing any arithmetic.
Every figure comes from the ledger's kept totals (``statements.financial``) or from set
aggregates over the kept facility figures (``statements.portfolio``), so a statement
costs O(accounts × days + facilities), never O(journal lines), and two runs on the
same database give the same values in the same order.

The header, its document number and the integrity block are stated as of the period's
last day (``statements.common``): the document number names the highest entry dated on
or before it, not the ledger's head now, and the header says whether the period is
closed, so a closed period's statement produced again later is the same to the byte.
The ledger's hash chain is re-verified only when asked (``verify_chain``): it costs a
full pass over the journal. Without it the integrity block says so and names
``fund ledger verify``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from fundcore.domain.capacity import GuaranteeRoom, guarantee_room
from fundcore.domain.chart import (
    BANK,
    COUNTER_GUARANTEE_RECEIVABLE,
    GUARANTEE_DEPOSITS,
    GUARANTEE_LOSS_PROVISION,
    LOAN_LOSS_ALLOWANCE,
    SUBSIDY_PAYABLE,
)
from fundcore.domain.policy import PolicyInForce
from fundcore.messages import render
from fundcore.services import capacity_view
from fundcore.services.operators import Actor
from fundcore.statements import common, financial, official, portfolio, regions
from fundcore.statements.model import (
    BalanceSheet,
    CashFlows,
    FundStatement,
    GuaranteeBlock,
    KeyFigure,
    PortfolioRow,
    Scope,
    StatementHeader,
    StatementOfActivities,
)
from fundcore.store import journal

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
    actor = common.begin_period_statement(conn, operator, "statements.fund", period_from, period_to)
    opening, closing = financial.opening_and_closing(conn, period_from, period_to)
    sheet = financial.balance_sheet(opening, closing)
    bank = {r.code: r for r in opening}[BANK]
    flows = financial.cash_flows(conn, period_from, period_to, bank.debit_fen - bank.credit_fen)
    problems = _cash_problems(sheet, flows, lang)
    found, exposed = portfolio.cells(conn, period_to)
    rows, grand, _ = portfolio.portfolio(found)
    total = regions.overall(found)
    policy = common.policy_on(conn, period_to)
    net = sheet.total_net_assets.closing_fen
    lev = tuple(regions.leverage(conn, period_to, found, "province"))
    acts = financial.activities(
        opening, closing, financial.year_end_moves(conn, period_from, period_to)
    )
    return FundStatement(
        header=_fund_header(conn, actor, (period_from, period_to), policy, command),
        key_figures=_key_figures(sheet, flows, acts, grand) + _receivable_figures(opening, closing),
        balance_sheet=sheet,
        activities=acts,
        cash_flows=flows,
        portfolio=rows,
        portfolio_total=grand,
        guarantee=_fund_guarantee(exposed, closing, net, policy, _room(conn, period_to, policy)),
        leverage=lev,
        leverage_total=regions.leverage_total(lev),
        beneficiaries=regions.beneficiaries(conn, period_to, total.youth_supported_count),
        provinces=tuple(regions.provinces(conn, found)),
        province_total=total,
        counties=tuple(regions.counties(conn, found)),
        county_total=total,
        months=financial.months(conn, period_from, period_to),
        integrity=common.integrity_block(conn, verify_chain, lang, problems, as_of=period_to),
        official=official.statements(conn, period_from, period_to),
    )


def _cash_problems(sheet: BalanceSheet, flows: CashFlows, lang: str) -> tuple[str, ...]:
    """The cash flows must end where the bank account does; say so if they do not."""
    bank_closing = next(x.closing_fen for x in sheet.assets if x.code == BANK)
    if flows.closing_cash_fen != bank_closing:
        return (render("statement.cash_mismatch", {"code": BANK}, lang),)
    return ()


def _fund_header(
    conn: Connection,
    actor: Actor,
    period: tuple[date, date],
    policy: PolicyInForce,
    command: str,
) -> StatementHeader:
    """Everything as of the period's last day: the document number names the highest
    entry dated on or before it, so it is fixed once the period is closed."""
    period_from, period_to = period
    head_seq = common.head_seq_as_of(conn, period_to)
    return common.header(
        conn,
        Scope("fund", "", "全基金", "Whole fund"),
        period,
        common.parameters(actor, period_to, policy.version),
        command,
        f"FS-{period_from:%Y%m%d}-{period_to:%Y%m%d}-{head_seq}",
    )


def _key_figures(
    sheet: BalanceSheet, flows: CashFlows, acts: StatementOfActivities, grand: PortfolioRow
) -> tuple[KeyFigure, ...]:
    return (
        KeyFigure("资产总计", "Total assets", sheet.total_assets.closing_fen),
        KeyFigure("净资产合计", "Total net assets", sheet.total_net_assets.closing_fen),
        KeyFigure("期末现金余额", "Cash at end of period", flows.closing_cash_fen),
        KeyFigure("本期收入合计", "Income for the period", acts.total_income.total_fen),
        KeyFigure("在贷（在保）余额", "Outstanding balance", grand.outstanding_fen or 0),
    )


def _receivable_figures(
    opening: list[journal.BalanceRow], closing: list[journal.BalanceRow]
) -> tuple[KeyFigure, ...]:
    """What the counties owe (their counter-guarantee shares), the loan-loss allowance,
    and the interest subsidies (贴息) accrued and paid in the period and payable at its
    end, from the ledger: 1213, 1231 and 2209.01."""
    before = {r.code: r for r in opening}
    after = {r.code: r for r in closing}
    owed, was = after[SUBSIDY_PAYABLE], before[SUBSIDY_PAYABLE]
    return (
        KeyFigure(
            "应收县政府反担保款",
            "Receivable from counties (counter-guarantees)",
            after[COUNTER_GUARANTEE_RECEIVABLE].balance_fen,
        ),
        KeyFigure(
            "坏账准备（免息借款）",
            "Loan-loss allowance (interest-free loans)",
            after[LOAN_LOSS_ALLOWANCE].balance_fen,
        ),
        KeyFigure("本期应计贴息", "Interest subsidies accrued", owed.credit_fen - was.credit_fen),
        KeyFigure("本期支付贴息", "Interest subsidies paid", owed.debit_fen - was.debit_fen),
        KeyFigure("期末应付贴息", "Interest subsidies payable", owed.balance_fen),
    )


def _fund_guarantee(
    exposed: tuple[int, int],
    closing: list[journal.BalanceRow],
    net: int,
    policy: PolicyInForce,
    room: GuaranteeRoom,
) -> GuaranteeBlock:
    exposure, largest = exposed
    rows = {r.code: r for r in closing}
    deposits = rows[GUARANTEE_DEPOSITS].balance_fen
    cap = policy.policy.leverage_cap_x
    return GuaranteeBlock(
        exposure_fen=exposure,
        deposits_placed_fen=deposits,
        net_assets_fen=net,
        leverage_x100=portfolio.x100(exposure, net),
        cap_x=cap,
        loss_provision_fen=rows[GUARANTEE_LOSS_PROVISION].balance_fen,
        headroom_fen=min(cap * net - exposure, room.room_fen),
        largest_exposure_fen=largest,
        largest_exposure_bp=portfolio.bp(largest, net),
        concentration_cap_bp=None,
        cash_room_fen=room.cash_fen,
        binding=room.binding,
    )


def _room(conn: Connection, day: date, policy: PolicyInForce) -> GuaranteeRoom:
    """The fund's guarantee room at the end of ``day`` (``fund capacity --date``'s)."""
    return guarantee_room(capacity_view.capacity_as_of(conn, day, policy.policy))

"""The official statement formats of 《民间非营利组织会计制度》 and how our chart fills them.

This module is data. It holds, for one version of the standard, the three forms with
their line numbers (行次) and line items, and ONE mapping table from our chart of
accounts (and from the journal's entry kinds, for cash) to their lines. The builder in
``fundcore.statements.official`` only adds up what the mapping says, so a revised format
is a new ``Standard`` value here, not new code.

Implemented: 财会〔2004〕7号 (in force from 2005-01-01), 会民非01表 资产负债表,
会民非02表 业务活动表, 会民非03表 现金流量表. The revision 财会〔2024〕25号 takes effect
from 2026-01-01; its form lines were not available to us in an official text, so it is
not encoded here: it becomes a second ``Standard`` when they are.

Every account of the chart must appear in ``ACCOUNTS`` and every entry kind in ``CASH``
or ``NON_CASH``: the builder refuses an account or a cash-moving kind it cannot place
(never drops it), and a test checks the tables are complete for the chart.

The Charity Law thresholds (慈善法 第六十一条; 基金会管理条例 第二十九条;
《关于慈善组织开展慈善活动年度支出和管理费用的规定》 第七条, 第八条) are law, not
programme policy, so they live here with the forms.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FormLine:
    """One line of a form. ``line`` 0 is a heading with no figures. A line with ``sums``
    (and ``minus``) is a total of other lines; any other numbered line takes what the
    mapping puts on it. ``side`` (balance sheet) is the side its accounts are read on."""

    line: int
    name_zh: str
    name_en: str
    sums: tuple[int, ...] = ()
    minus: tuple[int, ...] = ()
    side: str = "D"
    detail: bool = False  # a 其中 line: part of the line above, not added again


@dataclass(frozen=True, slots=True)
class Form:
    code: str  # 会民非01表
    code_en: str
    name_zh: str
    name_en: str
    lines: tuple[FormLine, ...]


@dataclass(frozen=True, slots=True)
class AccountPlace:
    """Where an account's figure goes: its balance-sheet line (for income and expense
    accounts, the net-asset line that holds them until the 期末结转), its activities
    line (None for assets and liabilities), and whether it is in the 限定性 column."""

    balance_line: int
    activity_line: int | None = None
    restricted: bool = False


@dataclass(frozen=True, slots=True)
class Standard:
    code: str
    name_zh: str
    name_en: str
    balance: Form
    activities: Form
    cash: Form
    accounts: dict[str, AccountPlace]
    #: entry kind -> (line of a cash inflow, line of a cash outflow)
    cash_kinds: dict[str, tuple[int, int]]
    #: entry kinds that never move cash (a cash line from one is refused)
    non_cash: frozenset[str]
    #: entry kinds whose net-asset postings are no release (the 期末结转 only moves
    #: income and expenses into net assets)
    not_released: frozenset[str]


def _l(
    line: int, zh: str, en: str, *sums: int, minus: tuple[int, ...] = (), side: str = "D"
) -> FormLine:
    return FormLine(line, zh, en, tuple(sums), minus, side)


def _h(zh: str, en: str, side: str = "D") -> FormLine:
    return FormLine(0, zh, en, side=side)


def _d(line: int, zh: str, en: str) -> FormLine:
    return FormLine(line, zh, en, detail=True)


C = "C"

BALANCE_2004 = Form(
    "会民非01表",
    "Form NPO-01",
    "资产负债表",
    "Balance sheet",
    (
        _h("资产", "Assets"),
        _h("流动资产：", "Current assets:"),
        _l(1, "货币资金", "Cash and bank"),
        _l(2, "短期投资", "Short-term investments"),
        _l(3, "应收款项", "Receivables"),
        _l(4, "预付账款", "Prepayments"),
        _l(8, "存货", "Inventories"),
        _l(9, "待摊费用", "Deferred expenses"),
        _l(15, "一年内到期的长期债权投资", "Long-term debt investments due within a year"),
        _l(18, "其他流动资产", "Other current assets"),
        _l(20, "流动资产合计", "Total current assets", 1, 2, 3, 4, 8, 9, 15, 18),
        _h("长期投资：", "Long-term investments:"),
        _l(21, "长期股权投资", "Long-term equity investments"),
        _l(24, "长期债权投资", "Long-term debt investments"),
        _l(30, "长期投资合计", "Total long-term investments", 21, 24),
        _h("固定资产：", "Fixed assets:"),
        _l(31, "固定资产原价", "Fixed assets at cost"),
        _l(32, "减：累计折旧", "Less: accumulated depreciation"),
        _l(33, "固定资产净值", "Fixed assets, net", 31, minus=(32,)),
        _l(34, "在建工程", "Construction in progress"),
        _l(35, "文物文化资产", "Cultural relics and heritage assets"),
        _l(38, "固定资产清理", "Fixed assets in disposal"),
        _l(40, "固定资产合计", "Total fixed assets", 33, 34, 35, 38),
        _h("无形资产：", "Intangible assets:"),
        _l(41, "无形资产", "Intangible assets"),
        _h("受托代理资产：", "Assets held as agent:"),
        _l(51, "受托代理资产", "Assets held as agent"),
        _l(60, "资产总计", "Total assets", 20, 30, 40, 41, 51),
        _h("负债和净资产", "Liabilities and net assets", C),
        _h("流动负债：", "Current liabilities:", C),
        _l(61, "短期借款", "Short-term borrowings", side=C),
        _l(62, "应付款项", "Payables", side=C),
        _l(63, "应付工资", "Wages payable", side=C),
        _l(65, "应交税金", "Taxes payable", side=C),
        _l(66, "预收账款", "Receipts in advance", side=C),
        _l(71, "预提费用", "Accrued expenses", side=C),
        _l(72, "预计负债", "Provisions", side=C),
        _l(74, "一年内到期的长期负债", "Long-term liabilities due within a year", side=C),
        _l(78, "其他流动负债", "Other current liabilities", side=C),
        _l(
            80,
            "流动负债合计",
            "Total current liabilities",
            61,
            62,
            63,
            65,
            66,
            71,
            72,
            74,
            78,
            side=C,
        ),  # fmt: skip
        _h("长期负债：", "Long-term liabilities:", C),
        _l(81, "长期借款", "Long-term borrowings", side=C),
        _l(84, "长期应付款", "Long-term payables", side=C),
        _l(88, "其他长期负债", "Other long-term liabilities", side=C),
        _l(90, "长期负债合计", "Total long-term liabilities", 81, 84, 88, side=C),
        _h("受托代理负债：", "Liabilities held as agent:", C),
        _l(91, "受托代理负债", "Liabilities held as agent", side=C),
        _l(100, "负债合计", "Total liabilities", 80, 90, 91, side=C),
        _h("净资产：", "Net assets:", C),
        _l(101, "非限定性净资产", "Unrestricted net assets", side=C),
        _l(105, "限定性净资产", "Restricted net assets", side=C),
        _l(110, "净资产合计", "Total net assets", 101, 105, side=C),
        _l(120, "负债和净资产总计", "Total liabilities and net assets", 100, 110, side=C),
    ),
)

ACTIVITIES_2004 = Form(
    "会民非02表",
    "Form NPO-02",
    "业务活动表",
    "Statement of activities",
    (
        _h("一、收入", "1. Income"),
        _l(1, "其中：捐赠收入", "of which: donations"),
        _l(2, "会费收入", "Membership dues"),
        _l(3, "提供服务收入", "Service income"),
        _l(4, "商品销售收入", "Sales of goods"),
        _l(5, "政府补助收入", "Government grants"),
        _l(6, "投资收益", "Investment income"),
        _l(9, "其他收入", "Other income"),
        _l(11, "收入合计", "Total income", 1, 2, 3, 4, 5, 6, 9),
        _h("二、费用", "2. Expenses"),
        _l(12, "（一）业务活动成本", "(1) Programme costs", 13, 14, 15, 16),
        _d(13, "其中：小额资助", "of which: micro-grants"),
        _d(14, "县级工作经费", "county working funds"),
        _d(15, "担保赔偿准备", "guarantee loss provision"),
        _d(16, "其他业务活动成本", "other programme costs"),
        _l(21, "（二）管理费用", "(2) Management expenses"),
        _l(24, "（三）筹资费用", "(3) Fund-raising expenses"),
        _l(28, "（四）其他费用", "(4) Other expenses"),
        _l(35, "费用合计", "Total expenses", 12, 21, 24, 28),
        _l(
            40, "三、限定性净资产转为非限定性净资产", "3. Net assets released from restriction"
        ),  # fmt: skip
        _l(
            45,
            "四、净资产变动额（若为净资产减少额，以“-”号填列）",
            "4. Change in net assets (a decrease with “-”)",
            11,
            40,
            minus=(35,),
        ),  # fmt: skip
    ),
)

CASH_FORM_2004 = Form(
    "会民非03表",
    "Form NPO-03",
    "现金流量表",
    "Cash flow statement",
    (
        _h("一、业务活动产生的现金流量：", "1. Cash flows from programme activities:"),
        _l(1, "接受捐赠收到的现金", "Cash received from donations"),
        _l(2, "收取会费收到的现金", "Cash received from membership dues"),
        _l(3, "提供服务收到的现金", "Cash received for services"),
        _l(4, "销售商品收到的现金", "Cash received from sales of goods"),
        _l(5, "政府补助收到的现金", "Cash received from government grants"),
        _l(8, "收到的其他与业务活动有关的现金", "Other cash received, programme activities"),
        _l(13, "现金流入小计", "Cash inflows, subtotal", 1, 2, 3, 4, 5, 8),
        _l(14, "提供捐赠或者资助支付的现金", "Cash paid as grants and donations"),
        _l(15, "支付给员工以及为员工支付的现金", "Cash paid to and for employees"),
        _l(16, "购买商品、接受服务支付的现金", "Cash paid for goods and services"),
        _l(19, "支付的其他与业务活动有关的现金", "Other cash paid, programme activities"),
        _l(23, "现金流出小计", "Cash outflows, subtotal", 14, 15, 16, 19),
        _l(
            24, "业务活动产生的现金流量净额", "Net cash from programme activities", 13, minus=(23,)
        ),  # fmt: skip
        _h("二、投资活动产生的现金流量：", "2. Cash flows from investing activities:"),
        _l(25, "收回投资所收到的现金", "Cash from investments recovered"),
        _l(26, "取得投资收益所收到的现金", "Cash from investment income"),
        _l(
            27,
            "处置固定资产和无形资产所收回的现金",
            "Cash from disposals of fixed and intangible assets",
        ),
        _l(30, "收到的其他与投资活动有关的现金", "Other cash received, investing"),
        _l(34, "现金流入小计", "Cash inflows, subtotal", 25, 26, 27, 30),
        _l(35, "购建固定资产和无形资产所支付的现金", "Cash paid for fixed and intangible assets"),
        _l(36, "对外投资所支付的现金", "Cash paid for investments"),
        _l(39, "支付的其他与投资活动有关的现金", "Other cash paid, investing"),
        _l(43, "现金流出小计", "Cash outflows, subtotal", 35, 36, 39),
        _l(
            44, "投资活动产生的现金流量净额", "Net cash from investing activities", 34, minus=(43,)
        ),  # fmt: skip
        _h("三、筹资活动产生的现金流量：", "3. Cash flows from financing activities:"),
        _l(45, "借款所收到的现金", "Cash from borrowings"),
        _l(48, "收到的其他与筹资活动有关的现金", "Other cash received, financing"),
        _l(50, "现金流入小计", "Cash inflows, subtotal", 45, 48),
        _l(51, "偿还借款所支付的现金", "Cash repaid on borrowings"),
        _l(52, "偿付利息所支付的现金", "Cash paid as interest"),
        _l(55, "支付的其他与筹资活动有关的现金", "Other cash paid, financing"),
        _l(58, "现金流出小计", "Cash outflows, subtotal", 51, 52, 55),
        _l(
            59, "筹资活动产生的现金流量净额", "Net cash from financing activities", 50, minus=(58,)
        ),  # fmt: skip
        _l(60, "四、汇率变动对现金的影响额", "4. Effect of exchange rate changes on cash"),
        _l(
            61,
            "五、现金及现金等价物净增加额",
            "5. Net increase in cash and cash equivalents",
            24,
            44,
            59,
            60,
        ),  # fmt: skip
    ),
)

# --- the mapping: our chart -> the form lines (one table) --------------------------------
#: account code -> its place. Receivables are shown net of the allowance (1231 is a
#: credit-side contra asset, so it enters line 3 negative); 1031 存出保证金 is money the
#: fund placed with a bank against its guarantees, an other receivable (其他应收款) in the
#: standard's chart; the interest-free loans are receivables from the borrowers.
ACCOUNTS_2004: dict[str, AccountPlace] = {
    "1002": AccountPlace(1),
    "1031": AccountPlace(3),
    "1211": AccountPlace(3),
    "1212": AccountPlace(3),
    "1213": AccountPlace(3),
    "1214": AccountPlace(3),
    "1231": AccountPlace(3),
    "2209.01": AccountPlace(62),  # interest subsidies owed to the banks
    "2411": AccountPlace(72),
    "3101": AccountPlace(101, 40),
    "3102": AccountPlace(105, 40, restricted=True),
    # restricted to one purpose (domain.purposes): the same lines as 3102 / 4101.02
    "3102.01": AccountPlace(105, 40, restricted=True),
    "3102.02": AccountPlace(105, 40, restricted=True),
    "3102.03": AccountPlace(105, 40, restricted=True),
    "3102.04": AccountPlace(105, 40, restricted=True),
    "4101.01": AccountPlace(101, 1),
    "4101.02": AccountPlace(105, 1, restricted=True),
    "4101.02.01": AccountPlace(105, 1, restricted=True),
    "4101.02.02": AccountPlace(105, 1, restricted=True),
    "4101.02.03": AccountPlace(105, 1, restricted=True),
    "4101.02.04": AccountPlace(105, 1, restricted=True),
    # the Foundation's own 配捐: other income, never restricted
    "4901.01": AccountPlace(101, 9),
    # local matching paid into the fund's account, restricted to its project, and passed on
    "4201.02": AccountPlace(105, 5, restricted=True),
    "5101.05": AccountPlace(101, 16),
    "5101.01": AccountPlace(101, 13),
    "5101.02": AccountPlace(101, 14),
    "5101.03": AccountPlace(101, 15),
    "5101.04": AccountPlace(101, 16),  # 贴息: other programme costs
    "5201.01": AccountPlace(101, 21),  # 坏账损失: management expenses, as the standard has it
    "5401.01": AccountPlace(101, 28),
}

#: entry kind -> (inflow line, outflow line) of 会民非03表. The fund's loans, deposits,
#: claims and their recoveries are its charitable programme, not investments: they are
#: 业务活动 cash flows (other received / other paid); grants and working funds are
#: 资助 paid; a reversal is shown on the other-received / other-paid lines.
CASH_KINDS_2004: dict[str, tuple[int, int]] = {
    "donation": (1, 19),
    "matching.receipt": (5, 19),
    "disburse.loan": (8, 19),
    "disburse.guarantee": (8, 19),
    "disburse.grant": (8, 14),
    "working_funds": (8, 14),
    "repayment": (8, 19),
    "deposit.release": (8, 19),
    "claim": (8, 19),
    "recovery.borrower": (8, 19),
    "recovery.county": (8, 19),
    "reversal": (8, 19),
    "subsidy.payment": (8, 19),
    "matching.pass_on": (8, 19),
}
NON_CASH_2004 = frozenset(
    {
        "matching.pledge",
        "provision",
        "claim.county_share",
        "write_off",
        "close.year_end",
        "loan.county_share",
        "write_off.county",
        "allowance",
        "subsidy.accrual",
    }
)

STANDARD_2004 = Standard(
    code="财会〔2004〕7号",
    name_zh="民间非营利组织会计制度（2004）",
    name_en="Accounting System for Non-profit Organisations (2004, Caikuai [2004] No. 7)",
    balance=BALANCE_2004,
    activities=ACTIVITIES_2004,
    cash=CASH_FORM_2004,
    accounts=ACCOUNTS_2004,
    cash_kinds=CASH_KINDS_2004,
    non_cash=NON_CASH_2004,
    not_released=frozenset({"close.year_end"}),
)

#: the version the statements use
CURRENT = STANDARD_2004

# --- Charity Law ratios -----------------------------------------------------------------
#: 年度慈善活动支出 ≥ 70% of the previous year's total income (or of the 3-year average)
CHARITY_SPENDING_MIN_BP = 7_000
#: 年度管理费用 ≤ 10% of the year's total expenses
MANAGEMENT_MAX_BP = 1_000
#: how many previous years the average of income covers
AVERAGE_YEARS = 3

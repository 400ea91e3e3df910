"""The chart of accounts, in the spirit of 民间非营利组织会计制度.

Codes follow the non-profit chart where it has the account (1002 银行存款, 3101/3102
净资产, 4101 捐赠收入, 5101 业务活动成本 ...); the programme's own accounts take free
codes in the same ranges. Donation income is split restricted / unrestricted, as the
statement of activities reports it in two columns.

Restricted net assets and restricted donation income have a sub-account per donation
purpose (``3102.01`` 限定性净资产—担保贷款 …, ``domain.purposes``); 3102 and 4101.02
themselves hold what is restricted to the programme as a whole. The foundation's own
matching donation (配捐) is other income (4901.01), never 捐赠收入 from a donor.

Contingent guarantee exposure (担保责任余额) is not a ledger account: it is tracked
beside the ledger and reported against the leverage cap.
"""

from __future__ import annotations

from typing import NamedTuple


class AccountDef(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    type: str
    normal_side: str


BANK = "1002"
GUARANTEE_DEPOSITS = "1031"
LOANS_RECEIVABLE = "1211"
CLAIMS_RECEIVABLE = "1212"
COUNTER_GUARANTEE_RECEIVABLE = "1213"
#: no longer used: matching is the county's money (DOMAIN.md §4); kept for old entries
MATCHING_RECEIVABLE = "1214"
LOAN_LOSS_ALLOWANCE = "1231"
GUARANTEE_LOSS_PROVISION = "2411"
NET_ASSETS_UNRESTRICTED = "3101"
NET_ASSETS_RESTRICTED = "3102"
DONATIONS_UNRESTRICTED = "4101.01"
DONATIONS_RESTRICTED = "4101.02"
PROGRAMME_GRANTS = "5101.01"
PROGRAMME_WORKING_FUNDS = "5101.02"
PROVISION_EXPENSE = "5101.03"
WRITE_OFF_LOSSES = "5401.01"
# --- restricted ---
FOUNDATION_MATCH = "4901.01"

#: (sub-account suffix, zh, en) of each donation purpose (``domain.purposes`` owns the rest)
PURPOSE_ACCOUNTS = (
    ("01", "担保贷款", "loan guarantees"),
    ("02", "免息借款", "interest-free loans"),
    ("03", "小额资助", "micro-grants"),
    ("04", "工作经费", "county working funds"),
)
# --- countyshare ---
SUBSIDY_PAYABLE = "2209.01"
PROGRAMME_SUBSIDIES = "5101.04"
BAD_DEBTS = "5201.01"
# --- matching ---
GOVERNMENT_GRANTS_RESTRICTED = "4201.02"
PROGRAMME_MATCHING_PASSED_ON = "5101.05"
#: income carried into restricted net assets (3102) at the year end
RESTRICTED_INCOME = frozenset({DONATIONS_RESTRICTED, GOVERNMENT_GRANTS_RESTRICTED})

CHART: tuple[AccountDef, ...] = (
    AccountDef(BANK, "银行存款", "Bank deposits", "asset", "D"),
    AccountDef(GUARANTEE_DEPOSITS, "存出保证金", "Guarantee deposits placed", "asset", "D"),
    AccountDef(LOANS_RECEIVABLE, "应收免息借款", "Interest-free loans receivable", "asset", "D"),
    AccountDef(CLAIMS_RECEIVABLE, "应收代偿款", "Claims receivable (after payout)", "asset", "D"),
    AccountDef(
        COUNTER_GUARANTEE_RECEIVABLE,
        "应收反担保款",
        "Counter-guarantee receivable",
        "asset",
        "D",
    ),
    AccountDef(
        MATCHING_RECEIVABLE,
        "应收配套资金（停用）",
        "Matching funds receivable (no longer used)",
        "asset",
        "D",
    ),
    AccountDef(LOAN_LOSS_ALLOWANCE, "坏账准备", "Loan loss allowance", "asset", "C"),
    AccountDef(
        GUARANTEE_LOSS_PROVISION, "担保赔偿准备", "Guarantee loss provision", "liability", "C"
    ),
    AccountDef(
        NET_ASSETS_UNRESTRICTED, "非限定性净资产", "Unrestricted net assets", "net_assets", "C"
    ),
    AccountDef(NET_ASSETS_RESTRICTED, "限定性净资产", "Restricted net assets", "net_assets", "C"),
    AccountDef(
        DONATIONS_UNRESTRICTED,
        "捐赠收入—非限定性",
        "Donation income, unrestricted",
        "income",
        "C",
    ),
    AccountDef(
        DONATIONS_RESTRICTED, "捐赠收入—限定性", "Donation income, restricted", "income", "C"
    ),
    AccountDef(
        PROGRAMME_GRANTS,
        "业务活动成本—小额资助",
        "Programme costs, micro-grants",
        "expense",
        "D",
    ),
    AccountDef(
        PROGRAMME_WORKING_FUNDS,
        "业务活动成本—县级工作经费",
        "Programme costs, county working funds",
        "expense",
        "D",
    ),
    AccountDef(
        PROVISION_EXPENSE,
        "业务活动成本—担保赔偿准备",
        "Programme costs, guarantee loss provision",
        "expense",
        "D",
    ),
    AccountDef(
        WRITE_OFF_LOSSES, "其他费用—核销损失", "Other expenses, write-off losses", "expense", "D"
    ),
    # --- restricted ---
    AccountDef(
        FOUNDATION_MATCH,
        "其他收入—基金会配捐",
        "Other income, the Foundation's own matching donation",
        "income",
        "C",
    ),
    *(
        AccountDef(
            f"{NET_ASSETS_RESTRICTED}.{suffix}",
            f"限定性净资产—{zh}",
            f"Restricted net assets, {en}",
            "net_assets",
            "C",
        )
        for suffix, zh, en in PURPOSE_ACCOUNTS
    ),
    *(
        AccountDef(
            f"{DONATIONS_RESTRICTED}.{suffix}",
            f"捐赠收入—限定性—{zh}",
            f"Donation income, restricted, {en}",
            "income",
            "C",
        )
        for suffix, zh, en in PURPOSE_ACCOUNTS
    ),
    # --- countyshare ---
    AccountDef(
        SUBSIDY_PAYABLE,
        "其他应付款—应付银行贴息",
        "Other payables, interest subsidies due to banks",
        "liability",
        "C",
    ),
    AccountDef(
        PROGRAMME_SUBSIDIES,
        "业务活动成本—贴息",
        "Programme costs, interest subsidies",
        "expense",
        "D",
    ),
    AccountDef(
        BAD_DEBTS,
        "管理费用—坏账损失",
        "Management expenses, bad debts",
        "expense",
        "D",
    ),
    # --- matching ---
    AccountDef(
        GOVERNMENT_GRANTS_RESTRICTED,
        "政府补助收入—限定性（地方配套资金）",
        "Government grant income, restricted (local matching funds)",
        "income",
        "C",
    ),
    AccountDef(
        PROGRAMME_MATCHING_PASSED_ON,
        "业务活动成本—转付地方配套资金",
        "Programme costs, local matching funds passed on",
        "expense",
        "D",
    ),
)

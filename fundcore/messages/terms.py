"""Domain words users see (instruments, statuses, kinds, roles), by language."""

TERMS: dict[str, tuple[str, str]] = {
    "guarantee": (
        "担保贷款",
        "loan guarantee",
    ),
    "loan": (
        "免息借款",
        "interest-free loan",
    ),
    "grant": (
        "小额资助",
        "micro-grant",
    ),
    "counter-guarantee": (
        "反担保",
        "counter-guarantee",
    ),
    "matching": (
        "1:1配资",
        "1:1 matching",
    ),
    "submitted": (
        "已提交",
        "submitted",
    ),
    "approved": (
        "已批准",
        "approved",
    ),
    "rejected": (
        "已拒绝",
        "rejected",
    ),
    "returned": (
        "已退回",
        "returned",
    ),
    "withdrawn": (
        "已撤回",
        "withdrawn",
    ),
    "national": (
        "国家级贫困县",
        "national poverty county",
    ),
    "provincial": (
        "省级深度贫困县",
        "provincial deep-poverty county",
    ),
    "county": (
        "县级团委",
        "county league",
    ),
    "finance": (
        "财务",
        "finance",
    ),
    "auditor": (
        "审计",
        "auditor",
    ),
    "admin": (
        "管理员",
        "admin",
    ),
    "none": (
        "无",
        "none",
    ),
    "cancelled": (
        "已撤销",
        "cancelled",
    ),
    "current": (
        "正常",
        "current",
    ),
    "overdue": (
        "逾期",
        "overdue",
    ),
    "repaid": (
        "已还清",
        "repaid",
    ),
    "defaulted": (
        "违约",
        "defaulted",
    ),
    "claimed": (
        "已代偿",
        "claimed",
    ),
    "written_off": (
        "已核销",
        "written off",
    ),
    "paid": (
        "已拨付",
        "paid",
    ),
    "closed": (
        "已结清",
        "closed",
    ),
    "awaiting_second_approval": (
        "待第二人批准",
        "awaiting a second approval",
    ),
    # journal entry kinds (terms.EntryKind)
    "donation": ("捐赠", "donation"),
    "matching.pledge": ("配套资金承诺", "matching pledge"),
    "matching.receipt": ("配套资金到账", "matching receipt"),
    "matching.pass_on": ("转付地方配套资金", "matching passed on"),
    "disburse.loan": ("免息借款放款", "loan pay-out"),
    "disburse.guarantee": ("担保保证金存出", "guarantee deposit pay-out"),
    "disburse.grant": ("小额资助拨付", "grant pay-out"),
    "working_funds": ("县级工作经费", "county working funds"),
    "repayment": ("还款", "repayment"),
    "deposit.release": ("保证金退还", "deposit release"),
    "provision": ("担保赔偿准备计提", "provision top-up"),
    "claim": ("代偿", "claim"),
    "claim.county_share": ("代偿反担保份额", "claim county share"),
    "recovery.borrower": ("向借款人追偿", "recovery from the borrower"),
    "recovery.county": ("向县政府追偿", "recovery from the county"),
    "write_off": ("核销", "write-off"),
    "reversal": ("冲销", "reversal"),
    "close.year_end": ("期末结转", "year-end close"),
    "commitments": ("已批准未放款承诺", "commitments (approved, not yet paid out)"),
    # what 1:1 matching matches (domain.local_support.MatchingBasis)
    "bank_loan": ("银行贷款本金", "the bank loan's principal"),
    "deposit": ("担保保证金", "the guarantee deposit"),
    "principal": ("借款本金", "the loan's principal"),
    # --- restricted ---
    "programme": ("项目通用", "the programme as a whole"),
    # --- daily ---
    # the particulars a replayed ref is compared on (domain.replay), named in messages
    "donor": ("捐赠方", "donor"),
    "date": ("日期", "date"),
    "amount": ("金额", "amount"),
    "restricted": ("限定用途", "restricted purpose"),
    "purpose": ("限定用途", "purpose"),
    # --- matching --- which limit holds the guarantee room down (domain.capacity.Binding)
    "room.net_assets": ("净资产放大倍数", "the net-asset multiple"),
    "room.cash": ("可用资金（须付保证金）", "cash (deposits must be payable)"),
}

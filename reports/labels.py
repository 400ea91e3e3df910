"""Every fixed word the statements print, in Chinese and English, and the code names.

Text is looked up by key, never iterated, so no output depends on dictionary order. A
code the tables do not know (a new status, say) prints as itself rather than failing.
"""

from __future__ import annotations

from fundcore.statements.model import PeriodState

TEXT: dict[str, tuple[str, str]] = {
    # page furniture
    "page_of": ("第 {n} 页 / 共 {m} 页", "Page {n} of {m}"),
    "period": ("报告期间", "Period"),
    "period_range": ("{start} 至 {end}", "{start} to {end}"),
    "period_long": ("{start}至{end}", "{start} to {end}"),
    "scope": ("范围", "Scope"),
    "parameters": ("生成参数", "Generation parameters"),
    "journal_head_short": ("账本头 #{seq} {hash}…", "Journal head #{seq} {hash}…"),
    "journal_head_as_of": (
        "截至 {date} 账本头 #{seq} {hash}…",
        "Journal head as of {date} #{seq} {hash}…",
    ),
    "period_status": ("期间状态", "Period status"),
    "period_closed": (
        "已结账期间：数字为最终数，此后再次生成结果相同",
        "Closed period: figures are final and the same whenever produced again",
    ),
    "period_open": (
        "期间未结账：{month} 尚未结账，数字在结账前可能变动",
        "Open period: {month} is not closed yet; figures may change until it is",
    ),
    "colon": ("：", ": "),
    "list_sep": ("；", "; "),
    "prepared_by": ("编制单位", "Prepared by"),
    "unit": ("金额单位：人民币元", "Amounts in RMB yuan"),
    "document_no": ("报表编号", "Document no."),
    # document titles
    "fund_statement": ("基金报表", "Fund Statement"),
    "county_statement": ("县级报表", "County Statement"),
    "facility_statement": ("对账单", "Facility Statement"),
    "loan_statement": ("免息借款对账单", "Interest-free Loan Statement"),
    "guarantee_statement": ("贷款担保对账单", "Loan Guarantee Statement"),
    "archive": ("青年创业档案", "Youth Entrepreneurship Record"),
    # generic columns
    "item": ("项目", "Item"),
    "code": ("编码", "Code"),
    "amount": ("金额", "Amount"),
    "in_words": ("人民币大写", "In words (RMB capital form)"),
    "total": ("合计", "Total"),
    "subtotal": ("小计", "Subtotal"),
    "label": ("项目", "Item"),
    "value": ("内容", "Value"),
    "date": ("日期", "Date"),
    "status": ("状态", "Status"),
    "province": ("省份", "Province"),
    "county": ("县（市、区）", "County"),
    "county_code": ("县代码", "County code"),
    "province_code": ("代码", "Code"),
    # sections of the fund statement
    "key_figures": ("主要数据", "Key figures"),
    "generation": ("报表生成参数", "How this statement was generated"),
    "reproduce": ("复现命令", "Command to reproduce"),
    "balance_sheet": ("资产负债表", "Balance sheet"),
    "activities": ("业务活动表", "Statement of activities"),
    "cash_flows": ("现金流量表", "Statement of cash flows"),
    "portfolio": ("业务组合", "Portfolio"),
    "guarantee_capacity": ("担保责任与放大倍数", "Guarantee exposure and leverage"),
    "monthly": ("按月放款与回收", "Disbursements and repayments by month"),
    "leverage": ("地方配套与反担保", "Local matching funds and counter-guarantees"),
    "beneficiaries": ("受益情况与目标", "Beneficiaries against targets"),
    "regions": ("分地区情况", "By region"),
    "by_province": ("按省份", "By province"),
    "by_county": ("按县", "By county"),
    "integrity": ("账本完整性", "Ledger integrity"),
    "signatures": ("签章", "Sign-off"),
    # balance sheet
    "opening": ("期初余额", "Opening balance"),
    "closing": ("期末余额", "Closing balance"),
    "assets": ("资产", "Assets"),
    "liabilities": ("负债", "Liabilities"),
    "net_assets": ("净资产", "Net assets"),
    "total_assets": ("资产总计", "Total assets"),
    "total_liabilities": ("负债合计", "Total liabilities"),
    "total_net_assets": ("净资产合计", "Total net assets"),
    "total_liabilities_and_net_assets": ("负债和净资产总计", "Total liabilities and net assets"),
    "form_balance": ("会民非01表", "Form NPO-01"),
    "form_activities": ("会民非02表", "Form NPO-02"),
    "form_cash": ("会民非03表", "Form NPO-03"),
    # --- official ---
    "line_no": ("行次", "Line"),
    "unit_yuan": ("单位：元", "Unit: yuan"),
    "standard": ("依据：", "Standard: "),
    "by_account": ("附：按科目列示", "Detail by account"),
    "charity_ratios": ("慈善活动支出与管理费用比例", "Charity Law spending ratios"),
    "ratio_item": ("指标", "Measure"),
    "ratio_numerator": ("分子", "Numerator"),
    "ratio_denominator": ("分母", "Denominator"),
    "ratio_value": ("比例", "Ratio"),
    "ratio_limit": ("标准", "Standard"),
    "ratio_met": ("是否达标", "Met"),
    "ratio_yes": ("达标", "Yes"),
    "ratio_no": ("未达标", "No"),
    "ratio_na": ("不适用", "n/a"),
    "ratio_at_least": ("不低于", "at least "),
    "ratio_at_most": ("不高于", "at most "),
    "charity_note": (
        "{year}年截至{through}：慈善活动支出（业务活动成本）{spending}，管理费用{management}，"
        "费用合计{expenses}；上年总收入{previous}，前几年（{years}）收入平均数{average}。"
        "依据《慈善法》第六十一条、《基金会管理条例》第二十九条及《关于慈善组织开展慈善活动"
        "年度支出和管理费用的规定》：年度慈善活动支出不低于上年总收入（或前三年收入平均数）"
        "的70%，管理费用不高于当年总支出的10%；两种收入口径任一达标即可。",
        "{year} through {through}: charitable spending (programme costs) {spending}, "
        "management expenses {management}, total expenses {expenses}; last year's income "
        "{previous}, average income of the previous years ({years}) {average}. Under the "
        "Charity Law art. 61, the Regulations on Foundations art. 29 and the rules on "
        "charitable organisations' annual spending and management costs: a year's charitable "
        "spending at least 70% of the previous year's total income (or of the average of "
        "the previous three years; either basis suffices), management expenses at most 10% "
        "of the year's total expenses.",
    ),
    # activities
    "unrestricted": ("非限定性", "Unrestricted"),
    "restricted": ("限定性", "Restricted"),
    "income": ("一、收入", "1. Income"),
    "expenses": ("二、费用", "2. Expenses"),
    "total_income": ("收入合计", "Total income"),
    "total_expenses": ("费用合计", "Total expenses"),
    "released": (
        "三、限定性净资产转为非限定性净资产",
        "3. Net assets released from restrictions",
    ),
    "change_in_net_assets": ("四、净资产变动额", "4. Change in net assets"),
    # cash flows
    "opening_cash": ("期初现金余额", "Cash at beginning of period"),
    "inflows": ("一、现金流入", "1. Cash inflows"),
    "outflows": ("二、现金流出", "2. Cash outflows"),
    "total_inflows": ("现金流入小计", "Total inflows"),
    "total_outflows": ("现金流出小计", "Total outflows"),
    "net_change": ("三、现金净增加额", "3. Net increase in cash"),
    "closing_cash": ("期末现金余额", "Cash at end of period"),
    # portfolio
    "metric": ("指标", "Measure"),
    "scale": ("业务规模", "Volume"),
    "quality": ("资产质量", "Portfolio quality"),
    "losses": ("代偿、追偿与核销", "Claims, recoveries and write-offs"),
    "approved_count": ("获批笔数", "Approved (number)"),
    "approved_fen": ("获批金额", "Approved (amount)"),
    "disbursed_count": ("放款（出保）笔数", "Disbursed / issued (number)"),
    "disbursed_fen": ("放款（出保）金额", "Disbursed / issued (amount)"),
    "outstanding_count": ("在贷（在保）笔数", "Outstanding (number)"),
    "outstanding_fen": ("在贷（在保）余额", "Outstanding balance"),
    "overdue_1_30_fen": ("逾期1-30天", "Overdue 1-30 days"),
    "overdue_31_90_fen": ("逾期31-90天", "Overdue 31-90 days"),
    "overdue_over_90_fen": ("逾期90天以上", "Overdue over 90 days"),
    "par30_bp": ("PAR30（逾期30天以上风险率）", "PAR30"),
    "par90_bp": ("PAR90（逾期90天以上风险率）", "PAR90"),
    "defaults_count": ("违约笔数", "Defaults (number)"),
    "claims_paid_fen": ("代偿支出", "Claims paid"),
    "claim_rate_bp": ("代偿率", "Claim rate"),
    "recoveries_fen": ("追偿回收", "Recoveries"),
    "write_offs_fen": ("核销", "Write-offs"),
    "portfolio_note": (
        "说明：PAR30、PAR90 为逾期超过30天、90天的在贷（在保）余额占全部在贷（在保）余额的比例；"
        "代偿率为项目开始以来累计代偿金额占（累计代偿金额＋已还清解保的担保本金）的比例；"
        "“—”表示不适用或分母为零。",
        "Notes: PAR30 and PAR90 are the outstanding balances more than 30 and 90 days overdue "
        "as a share of all outstanding balances; the claim rate is the claims paid since the "
        "programme began as a share of those claims plus the guaranteed principal released "
        "on repayment. A dash means not applicable or a zero denominator.",
    ),
    # guarantee block
    "exposure": ("担保责任余额", "Guarantee exposure outstanding"),
    "deposits_placed": ("存出保证金", "Guarantee deposits placed"),
    "leverage_x": ("担保放大倍数", "Guarantee leverage"),
    "leverage_value": ("{value}（上限 {cap}×）", "{value} (cap {cap}×)"),
    "loss_provision": ("担保赔偿准备", "Guarantee loss provision"),
    "headroom": ("剩余担保能力", "Remaining guarantee capacity"),
    "largest_exposure": ("单一最大担保责任", "Largest single exposure"),
    "largest_value": (
        "{amount}，占净资产 {share}（上限 {cap}）",
        "{amount}, {share} of net assets (cap {cap})",
    ),
    # leverage
    "matching_committed": ("配套资金承诺", "Matching committed"),
    "matching_received": ("配套资金到位", "Matching received"),
    "received_bp": ("到位率", "Received"),
    "counter_count": ("反担保笔数", "Counter-guarantees"),
    "counter_fen": ("反担保金额", "Counter-guaranteed amount"),
    # --- matching ---
    "fund_money": ("基金投入", "Fund money paid out"),
    "local_per_fund": ("撬动（每元基金资金）", "Leverage (per yuan of fund money)"),
    "leverage_note": (
        "说明：地方1:1配套资金是县里投入青年项目的资金，不是基金的资金，只登记在地方配套登记簿，"
        "不入基金账、不计入净资产与担保放大倍数；撬动为配套资金到位额÷基金投入"
        "（免息借款与小额资助本金、存出担保保证金）。",
        "Notes: local 1:1 matching is the county's money put into the young person's project, "
        "not the fund's: it is kept in the local-support register, off the fund's books, and "
        "counts in neither net assets nor the guarantee multiple. Leverage is matching "
        "received ÷ the fund's money paid out (loan and grant principal, guarantee deposits).",
    ),
    "cash_room": ("可用资金可支持的新增担保", "New guarantees the available cash supports"),
    "binding": ("约束条件", "Binding limit"),
    "room.net_assets": ("净资产放大倍数", "The net-asset multiple"),
    "room.cash": ("可用资金（须付保证金）", "Cash (deposits must be payable)"),
    # beneficiaries
    "indicator": ("指标", "Indicator"),
    "actual": ("实际", "Actual"),
    "target": ("目标", "Target"),
    "achieved": ("完成率", "Achieved"),
    # regions
    "region_approved": ("获批笔数", "Approved"),
    "region_disbursed_count": ("放款笔数", "Disbursed"),
    "region_disbursed_fen": ("放款金额", "Amount disbursed"),
    "region_outstanding": ("在贷（在保）余额", "Outstanding"),
    "region_overdue": ("逾期金额", "Overdue"),
    "region_at_risk": ("逾期30天以上余额", "Balance >30 days overdue"),
    "region_par30": ("PAR30", "PAR30"),
    "region_claims": ("代偿支出", "Claims paid"),
    "region_youth": ("支持青年（人）", "Youth supported"),
    "chart_provinces": (
        "图{n}  各省在贷（在保）余额、逾期30天以上余额与PAR30",
        "Figure {n}. Outstanding, balance over 30 days overdue and PAR30 by province",
    ),
    "chart_months": (
        "图{n}  按月放款（出保）与回收金额",
        "Figure {n}. Disbursements and repayments by month",
    ),
    "axis_wan": ("万元", "RMB 10,000"),
    "series_disbursed": ("放款（出保）", "Disbursed"),
    "series_repaid": ("回收", "Repaid"),
    "series_outstanding": ("在贷（在保）余额", "Outstanding"),
    "series_at_risk": ("逾期30天以上余额", "Over 30 days overdue"),
    "series_par30": ("PAR30", "PAR30"),
    # integrity
    "ledger_as_of": ("账本数据截至", "Ledger figures as of"),
    "entry_count": ("记账凭证（分录）数", "Journal entries"),
    "line_count": ("分录行数", "Journal lines"),
    "total_debit": ("借方发生额合计", "Total debits"),
    "total_credit": ("贷方发生额合计", "Total credits"),
    "trial_balance": ("试算平衡差额", "Trial balance difference"),
    "head_seq": ("账本头序号", "Journal head sequence"),
    "head_hash": ("账本头哈希（SHA-256）", "Journal head hash (SHA-256)"),
    "hash_scheme": ("哈希方案", "Hash scheme"),
    "anchor_signature": ("账本锚点签名（Ed25519）", "Ledger anchor signature (Ed25519)"),
    "anchor_key": ("锚点签名公钥", "Anchor public key"),
    "anchor_note": (
        "本报表所列账本头（序号、哈希、日期）已签名记入锚点文件；"
        "日后可用 fund ledger verify --anchors 文件 证明此前的历史未被改写。",
        "The journal head above (sequence, hash, date) is signed into the anchors file; "
        "fund ledger verify --anchors FILE later proves the history before it was not "
        "rewritten.",
    ),
    "verification": ("逐笔校验结果", "End-to-end verification"),
    "verification_at_generation": (
        "生成时逐笔校验整条哈希链",
        "End-to-end verification of the whole chain at generation",
    ),
    "verified": ("通过：哈希链完整，借贷平衡", "Passed: hash chain intact, ledger balanced"),
    "not_checked": (
        "本次未重新校验哈希链（试算平衡已核对）；请运行 fund ledger verify 或加 --verify",
        "Hash chain not re-verified in this run (trial balance checked); "
        "run fund ledger verify or add --verify",
    ),
    "not_verified": ("未通过：见下列问题", "FAILED: see the problems below"),
    "unverified_every_page": (
        "账本校验未通过：本报表据未通过校验的账本生成，不能作为完整账簿的证明",
        "LEDGER VERIFICATION FAILED: drawn from a ledger that did not verify; "
        "not evidence of intact books",
    ),
    "problems": ("发现的问题", "Problems found"),
    "integrity_note": (
        "每笔分录的哈希包含前一笔分录的哈希；任何篡改都会使此后的哈希无法复算。"
        "审计人员可用上方的复现命令与 fund ledger verify 核对账本头哈希。",
        "Each entry's hash includes the previous entry's hash, so any alteration breaks every "
        "hash after it. Auditors can check the head hash with the command above and "
        "fund ledger verify.",
    ),
    "integrity_as_of_note": (
        "分录数、行数、借贷合计与账本头均只计业务日期在 {date} 及以前的分录"
        "（账本头为其中序号最大者），"
        "期间结账后不再变动；逐笔校验则在生成时核对整条哈希链。"
        "每笔分录的哈希包含前一笔分录的哈希；任何篡改都会使此后的哈希无法复算。"
        "审计人员可用上方的复现命令与 fund ledger verify 核对账本头哈希。",
        "Entries, lines, debit and credit totals and the journal head count only the entries "
        "dated on or before {date} (the head is the highest of them), so they no longer change "
        "once the period is closed; the end-to-end verification checks the whole chain as it "
        "stood when this statement was generated. Each entry's hash includes the previous "
        "entry's hash, so any alteration breaks every hash after it. Auditors can check the "
        "head hash with the command above and fund ledger verify.",
    ),
    # sign-off
    "sign_head": ("单位负责人", "Head of organisation"),
    "sign_accountant": ("主管会计工作负责人", "Chief accountant"),
    "sign_reviewer": ("复核", "Reviewed by"),
    "sign_preparer": ("制表", "Prepared by"),
    # county statement
    "county_profile": ("县域概况", "County profile"),
    "working_funds": ("县级团委青年创业工作经费", "County league working funds"),
    "year": ("年度", "Year"),
    "paid_on": ("拨付日期", "Paid on"),
    "reference": ("凭证号", "Reference"),
    "facilities": ("业务明细", "Facilities"),
    "facility_id": ("编号", "Facility"),
    "borrower": ("借款人", "Borrower"),
    "instrument": ("业务品种", "Instrument"),
    "principal": ("本金", "Principal"),
    "disbursed_on": ("放款日", "Disbursed on"),
    "outstanding": ("余额", "Outstanding"),
    "overdue": ("逾期金额", "Overdue"),
    "days_overdue": ("逾期天数", "Days overdue"),
    "none": ("（无）", "(none)"),
    # facility statement
    "facility_details": ("借款（担保）要素", "Facility details"),
    "borrower_name": ("借款人姓名", "Borrower"),
    "id_number": ("身份证号码", "ID number"),
    "phone": ("手机号码", "Mobile"),
    "rate": ("年利率", "Annual rate"),
    "subsidy_rate": ("贴息比例", "Interest subsidy"),
    "term": ("期限", "Term"),
    "term_months": ("{n} 个月", "{n} months"),
    "approved_on": ("批准日期", "Approved on"),
    "maturity_on": ("到期日", "Maturity"),
    "lender": ("合作银行", "Lending bank"),
    "coverage": ("担保比例", "Guarantee coverage"),
    "schedule": ("还款计划", "Repayment schedule"),
    "no": ("期次", "No."),
    "due_date": ("应还日期", "Due date"),
    "interest": ("利息", "Interest"),
    "subsidy": ("贴息", "Subsidy"),
    "paid": ("已还", "Paid"),
    "outstanding_after": ("剩余本金", "Principal after"),
    "payments": ("还款记录", "Payments received"),
    "payment_ref": ("银行流水号", "Bank reference"),
    "applied_principal": ("冲还本金", "Applied to principal"),
    "balance": ("余额情况", "Balance"),
    "principal_outstanding": ("剩余本金", "Principal outstanding"),
    "next_due": ("下期应还", "Next instalment"),
    "next_due_value": ("{date}，{amount}", "{amount} on {date}"),
    "balance_as_of": ("截至 {date} 余额", "Balance at {date}"),
    "masking_note": (
        "个人身份信息已按规定脱敏显示。",
        "Personal identifiers are masked as required.",
    ),
    # archive
    "person": ("青年基本信息", "The person"),
    "name": ("姓名", "Name"),
    "poor_household": ("建档立卡贫困户", "Registered poor household"),
    "yes": ("是", "Yes"),
    "no_": ("否", "No"),
    "poor_employed": ("带动贫困家庭青年就业（人）", "Poor youth employed"),
    "applications": ("申请与审批", "Applications and decisions"),
    "application_id": ("申请编号", "Application"),
    "submitted_on": ("提交日期", "Submitted"),
    "requested": ("申请金额", "Requested"),
    "decision": ("审批结果", "Decision"),
    "decided_on": ("审批日期", "Decided"),
    "approved_amount": ("批准金额", "Approved"),
    "policy_version": ("政策版本", "Policy"),
    "reason": ("说明", "Reason"),
    "support": ("获得支持", "Support received"),
    "kind": ("类别", "Kind"),
    "description": ("内容", "Description"),
    "support_total": ("资金支持合计", "Total financial support"),
    "payments_total": ("还款合计", "Total repaid"),
}

INSTRUMENT = {
    "guarantee": ("贷款担保", "Loan guarantee"),
    "loan": ("免息借款", "Interest-free loan"),
    "grant": ("小额资助", "Micro-grant"),
    "total": ("合计", "Total"),
    "training": ("创业培训", "Training"),
    "mentoring": ("创业导师", "Mentoring"),
    "working_funds": ("工作经费", "Working funds"),
}

STATUS = {
    "approved": ("已批准", "Approved"),
    "awaiting_local_support": ("待地方配套", "Awaiting local support"),
    "disbursed": ("已放款", "Disbursed"),
    "issued": ("已出保", "Issued"),
    "current": ("正常", "Current"),
    "overdue": ("逾期", "Overdue"),
    "repaid": ("已结清", "Repaid"),
    "released": ("已解保", "Released"),
    "defaulted": ("违约", "Defaulted"),
    "claimed": ("已代偿", "Claim paid"),
    "recovering": ("追偿中", "Recovering"),
    "closed": ("已结案", "Closed"),
    "cancelled": ("已撤销", "Cancelled"),
    "written_off": ("已核销", "Written off"),
    "paid": ("已支付", "Paid"),
    "partial": ("部分还款", "Part paid"),
    "due": ("待还", "Due"),
    "submitted": ("审核中", "Pending"),
    "rejected": ("未批准", "Rejected"),
    "returned": ("退回补充", "Returned"),
    "withdrawn": ("已撤回", "Withdrawn"),
}


def t(key: str, lang: str) -> str:
    return pick(*TEXT[key], lang)


def pick(zh: str, en: str, lang: str) -> str:
    """The text for ``lang``; an English document falls back to Chinese when en is empty."""
    return zh if lang == "zh" or not en else en


def period_state(state: PeriodState | None, lang: str) -> str:
    """Closed (figures final) or open, naming the first month not closed; '' if unknown."""
    if state is None:
        return ""
    if state.closed:
        return t("period_closed", lang)
    return t("period_open", lang).format(month=state.first_open_month)


def instrument(code: str, lang: str) -> str:
    return pick(*INSTRUMENT[code], lang) if code in INSTRUMENT else code


def status(code: str, lang: str) -> str:
    if not code:
        return ""
    return pick(*STATUS[code], lang) if code in STATUS else code

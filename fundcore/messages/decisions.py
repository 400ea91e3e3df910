"""Decisions and money out: approvals, local support, capacity, pay-outs."""

MESSAGES: dict[str, tuple[str, str]] = {
    "decision.not_submitted": (
        "申请 #{id} 的状态是{status:term}，不能决定",
        "application #{id} is {status:term}; there is nothing to decide",
    ),
    "decision.maker_checker": (
        "申请 #{id} 由 {name} 提交，提交人不能批准（双人复核）",
        "application #{id} was submitted by {name}, who may not approve it (maker-checker)",
    ),
    "decision.already_approved_by": (
        "{name} 已批准过申请 #{id}；还需另一位财务人员批准",
        "{name} already approved application #{id}; another finance operator must approve",
    ),
    "decision.before_submission": (
        "决定日期不能早于提交日期 {date}",
        "a decision cannot be dated before the submission on {date}",
    ),
    "decision.reason_needed": (
        "须说明原因（--reason）",
        "a reason is needed (--reason)",
    ),
    "decision.not_cancellable": (
        "申请 #{id} 没有可撤销的批准（状态：{status:term}）；已放款的不能撤销",
        "application #{id} has no approval to cancel (status {status:term}); a "
        "paid-out facility cannot be cancelled",
    ),
    "decision.matching_received": (
        "申请 #{id} 已收到配套资金，须先退回配套资金才能撤销批准",
        "matching funds were received for #{id}; refund them before cancelling",
    ),
    "decision.grace_guarantee_only": (
        "宽限期（--grace-months）只适用于担保贷款；申请 #{id} 是{instrument:term}",
        "grace months (--grace-months) apply to guarantees only; application #{id} is a "
        "{instrument:term}",
    ),
    "decision.grace_too_long": (
        "宽限期 {months} 个月不行：须为 0 到 {most} 个月，且短于期限 {term} 个月",
        "a grace of {months} months is not allowed: 0 to {most} months, and shorter than "
        "the {term}-month term",
    ),
    "decision.grace_on_opening_approval": (
        "宽限期由开立业务的那次批准确定：申请 #{id} 这次是第 {approval} 人批准，共需 {needed} 人",
        "the grace is set by the approval that opens the facility: this is approval "
        "{approval} of {needed} for application #{id}",
    ),
    "capacity.cash": (
        "基金可用资金不足：需要 {need:fen}，可用 {available:fen}（银行存款 {bank:fen} − 未放款承诺 "
        "{committed:fen} − 准备金下限 {reserve:fen}）",
        "not enough available cash: needs {need:fen}, available {available:fen} (bank "
        "{bank:fen} − undisbursed commitments {committed:fen} − reserve floor "
        "{reserve:fen})",
    ),
    "capacity.leverage": (
        "超过担保放大倍数上限：现有担保责任 {exposure:fen} + 本笔 {new:fen} > "
        "净资产 {net_assets:fen} × "
        "{cap} 倍 = {limit:fen}",
        "guarantee leverage cap exceeded: exposure {exposure:fen} + {new:fen} > net "
        "assets {net_assets:fen} × {cap} = {limit:fen}",
    ),
    "capacity.borrower": (
        "超过单一借款人集中度上限（净资产的 {share:bp}）：该借款人现有担保责任 {exposure:fen} + "
        "本笔 {new:fen} > 净资产 {net_assets:fen} × {share:bp} = {limit:fen}；"
        "该借款人的在保业务：{facilities}",
        "one-borrower concentration limit ({share:bp} of net assets) exceeded: the borrower's "
        "exposure {exposure:fen} + {new:fen} > net assets {net_assets:fen} × {share:bp} = "
        "{limit:fen}; the borrower's facilities: {facilities}",
    ),
    "capacity.related": (
        "超过借款人及其关联方（同一户籍或同一企业）集中度上限（净资产的 {share:bp}）："
        "现有担保责任 {exposure:fen} + 本笔 {new:fen} > 净资产 {net_assets:fen} × {share:bp} = "
        "{limit:fen}；计入的业务：{facilities}",
        "borrower and related parties (same household register or enterprise) concentration "
        "limit ({share:bp} of net assets) exceeded: exposure {exposure:fen} + {new:fen} > net "
        "assets {net_assets:fen} × {share:bp} = {limit:fen}; facilities counted: {facilities}",
    ),
    "capacity.county": (
        "超过县 {county} 的集中度上限：现有 {exposure:fen} + 本笔 {new:fen} > {limit:fen}",
        "county {county} concentration limit exceeded: {exposure:fen} + {new:fen} > {limit:fen}",
    ),
    "facility.not_found": (
        "业务不存在：#{id}",
        "no such facility: #{id}",
    ),
    "schedule.not_yet_approved": (
        "业务 #{id} 在 {date} 尚未批准，没有还款计划",
        "facility #{id} was not yet approved on {date}: it had no schedule",
    ),
    "support.not_applicable": (
        "业务 #{id}（{status:term}）不需要或不能再登记地方配套",
        "facility #{id} ({status:term}) takes no local support",
    ),
    "support.kind_differs": (
        "申报的地方配套是{declared:term}，不是{kind:term}",
        "the declared local support is {declared:term}, not {kind:term}",
    ),
    "support.ref_differs": (
        "参考号 {ref} 已登记过且内容不同",
        "ref {ref} was already recorded with different particulars",
    ),
    "support.matching_exceeds": (
        "配套资金超过应配额：本笔 {amount:fen}，已到位 {received:fen}，应配 {required:fen}",
        "matching exceeds the pledge: {amount:fen} more on {received:fen} received of "
        "{required:fen}",
    ),
    "support.counter_exceeds": (
        "反担保金额 {amount:fen} 超过本金 {principal:fen}",
        "counter-guarantee {amount:fen} exceeds the principal {principal:fen}",
    ),
    "support.counter_exists": (
        "业务 #{id} 已登记反担保",
        "facility #{id} already has its counter-guarantee",
    ),
    "support.guarantor_needed": (
        "反担保须写明反担保人（--guarantor），如县人民政府",
        "a counter-guarantee needs its guarantor (--guarantor), e.g. the county government",
    ),
    "support.counter_ref_needed": (
        "反担保须给出反担保文件编号（--ref）",
        "a counter-guarantee needs its document ref (--ref)",
    ),
    "support.counter_too_small": (
        "反担保 {amount:fen} 只覆盖本金 {principal:fen} 的 {share:bp}，"
        "政策要求至少 {min:bp}（至少 {least:fen}）",
        "a counter-guarantee of {amount:fen} covers {share:bp} of the principal "
        "{principal:fen}; the policy requires at least {min:bp} ({least:fen})",
    ),
    "support.bad_guarantor": (
        "反担保人名称过长",
        "guarantor name too long",
    ),
    "disburse.not_approved": (
        "业务 #{id} 的状态是{status:term}，不能放款",
        "facility #{id} is {status:term}; it cannot be paid out",
    ),
    "disburse.before_approval": (
        "放款日期不能早于批准日期 {date}",
        "cannot pay out before the approval on {date}",
    ),
    "disburse.no_local_support": (
        "业务 #{id} 的地方配套（{kind:term}）尚未到位"
        "（已到位 {received:fen}，应配 {required:fen}，按{basis:term} {base:fen} 配比）",
        "local support ({kind:term}) for facility #{id} is not in place "
        "({received:fen} of {required:fen} received, matching {basis:term} {base:fen})",
    ),
    "disburse.counter_guarantee_short": (
        "业务 #{id} 的反担保尚未到位：已登记 {amount:fen}，覆盖本金 {principal:fen} 的 "
        "{share:bp}，政策要求至少 {min:bp}（至少 {least:fen}）",
        "the counter-guarantee of facility #{id} is not in place: {amount:fen} recorded "
        "covers {share:bp} of the principal {principal:fen}; the policy requires at least "
        "{min:bp} ({least:fen})",
    ),
    "disburse.no_cash": (
        "银行存款不足：需要 {need:fen}，余额 {bank:fen}",
        "not enough in the bank: needs {need:fen}, balance {bank:fen}",
    ),
    "disburse.bad_rate": (
        "年利率应为百分数，最多两位小数，不超过24：{text}",
        "annual rate must be a percentage with at most two decimals, at most 24: {text}",
    ),
    "disburse.bank_needed": (
        "担保贷款须指定合作银行（--bank）",
        "a guarantee needs its bank (--bank)",
    ),
    "disburse.rate_needed": (
        "担保贷款须给出银行贷款年利率（--rate，如 4.75）",
        "a guarantee needs the bank loan's annual rate (--rate, e.g. 4.75)",
    ),
    "disburse.bank_only_guarantee": (
        "--bank 和 --rate 只适用于担保贷款",
        "--bank and --rate apply to guarantees only",
    ),
    "working_funds.year": (
        "{year} 年不是工作经费拨付年度（{years}）",
        "{year} is not a working-fund year ({years})",
    ),
    "working_funds.date_outside_year": (
        "{year} 年的工作经费须在该年度内拨付（{first} 至 {last}），拨付日期 {date} 不在其中",
        "{year}'s working funds are paid within {year} ({first} to {last}); {date} is outside it",
    ),
    # --- matching ---
    "support.bad_paid_by": (
        "出资方名称过长（至多 100 个字符）",
        "the payer's name is too long (at most 100 characters)",
    ),
    "support.not_found": (
        "没有编号为 #{id} 的地方配套登记",
        "no local-support record #{id}",
    ),
    "support.not_through_fund": (
        "登记 #{id} 不是经基金账户收到的配套资金（--through-fund），无需转付",
        "record #{id} is not matching received through the fund's account (--through-fund); "
        "there is nothing to pass on",
    ),
    "support.already_passed_on": (
        "登记 #{id} 的配套资金已于 {date} 转付给项目",
        "record #{id} was already passed on to its project on {date}",
    ),
    "support.pass_on_before_receipt": (
        "登记 #{id} 的配套资金于 {date} 才收到，转付日期不能早于此日",
        "record #{id} was received on {date}; it cannot be passed on before that",
    ),
}

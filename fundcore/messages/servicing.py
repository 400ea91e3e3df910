"""Servicing: repayments, bank files, restructuring, claims, recoveries, write-offs."""

MESSAGES: dict[str, tuple[str, str]] = {
    "repay.more_than_owed": (
        "还款 {amount:fen} 超过应还总额 {owed:fen}",
        "repayment {amount:fen} is more than the {owed:fen} owed",
    ),
    "repay.ref_differs": (
        "流水号 {ref} 已登记过且金额、日期或业务不同",
        "ref {ref} was already recorded with a different amount, date or facility",
    ),
    "repay.not_serviced": (
        "业务 #{id} 的状态是{status:term}，不能还款",
        "facility #{id} is {status:term}; it takes no repayments",
    ),
    "repay.before_disbursement": (
        "还款日期不能早于放款日期 {date}",
        "a repayment cannot be dated before the pay-out on {date}",
    ),
    "repay.books_closed": (
        "账目已日终处理至 {date}，不能记入该日或之前的还款",
        "the books are closed through {date}; a repayment must be dated after it",
    ),
    "repay.bad_row": (
        "第 {line} 行：{reason}",
        "line {line}: {reason}",
    ),
    "claim.not_defaulted_guarantee": (
        "业务 #{id}（{status:term}）不是已违约的担保贷款，不能代偿",
        "facility #{id} ({status:term}) is not a defaulted guarantee",
    ),
    "claim.more_than_covered": (
        "代偿 {amount:fen} 超过担保责任 {covered:fen}"
        "（本金 {principal:fen}，逾期利息 {interest:fen}）",
        "claim {amount:fen} exceeds the guaranteed {covered:fen} (principal {principal:fen}, "
        "overdue interest {interest:fen})",
    ),
    "recovery.ref_needed": (
        "追偿须有参考号（--ref）",
        "a recovery needs its --ref",
    ),
    "recovery.not_claimed": (
        "业务 #{id}（{status:term}）没有待追偿的代偿款",
        "facility #{id} ({status:term}) has no claim to recover",
    ),
    "recovery.more_than_owed": (
        "追偿 {amount:fen} 超过应收 {owed:fen}",
        "recovery {amount:fen} exceeds the {owed:fen} receivable",
    ),
    "write_off.not_allowed": (
        "业务 #{id}（{status:term}）不能核销：只有已代偿的担保或已违约的借款可以核销",
        "facility #{id} ({status:term}) cannot be written off: only claimed guarantees "
        "and defaulted loans",
    ),
    "write_off.nothing_left": (
        "业务 #{id} 已无可核销余额",
        "facility #{id} has nothing left to write off",
    ),
    "write_off.none_to_undo": (
        "业务 #{id}（{status:term}）没有可撤销的核销",
        "facility #{id} ({status:term}) has no write-off to undo",
    ),
    "bankfile.bad_facility": (
        "业务编号应为数字：{value}",
        "facility must be a number: {value}",
    ),
    "bankfile.bad_ref": (
        "流水号最多64个字符",
        "ref must be at most 64 characters",
    ),
    "bankfile.bad_prepay": (
        "提前还款应为 是 或 否：{value}",
        "prepay must be yes or no: {value}",
    ),
    "restructure.not_serviced": (
        "业务 #{id}（{status:term}）没有可调整的还款计划",
        "facility #{id} ({status:term}) has no schedule to restructure",
    ),
    "restructure.too_long": (
        "调整后到期日 {maturity} 超过放款后 {months} 个月的上限 {limit}",
        "the new maturity {maturity} is past the limit {limit} ({months} months from pay-out)",
    ),
    "schedule.no_such_version": (
        "业务 #{id} 没有第 {version} 版还款计划（共 {latest} 版）",
        "facility #{id} has no schedule version {version} (it has {latest})",
    ),
    "schedule.version_not_yet": (
        "业务 #{id} 的第 {version} 版计划自 {date} 起执行，{as_of} 时尚未生效",
        "facility #{id}'s schedule version {version} is in force from {date}, not yet on {as_of}",
    ),
    # --- corrections ---
    "correction.reason_needed": (
        "更正须写明原因（--reason）",
        "a correction needs its --reason",
    ),
    "payout_cancel.not_cancellable": (
        "业务 #{id} 的状态是{status:term}，没有可撤销的放款",
        "facility #{id} is {status:term}; it has no pay-out to cancel",
    ),
    "payout_cancel.before_payout": (
        "撤销放款的日期不能早于放款日期 {date}",
        "a pay-out cannot be cancelled before the day it was paid, {date}",
    ),
    "payout_cancel.books_closed": (
        "业务已日终处理至 {date}，撤销放款须晚于该日",
        "the facility is closed through {date}; the cancel must be dated after it",
    ),
    "payout_cancel.repaid": (
        "业务 #{id} 已有还款（流水号 {ref}），不能撤销放款；请先按从新到旧撤销还款"
        "（fund repay --undo）",
        "facility #{id} has been repaid on (ref {ref}); undo its repayments first, newest "
        "first (fund repay --undo)",
    ),
    "payout_cancel.no_entry": (
        "业务 #{id} 在账上没有未冲销的放款分录",
        "facility #{id} has no pay-out entry in the ledger that is not already reversed",
    ),
    "repay.undo_not_found": (
        "没有流水号为 {ref} 的还款",
        "no repayment has ref {ref}",
    ),
    "repay.undo_other_facility": (
        "流水号 {ref} 是业务 #{of} 的还款，不是业务 #{id} 的",
        "ref {ref} is a repayment of facility #{of}, not of #{id}",
    ),
    "repay.already_undone": (
        "流水号 {ref} 的还款已于 {date} 撤销",
        "the repayment with ref {ref} was already undone on {date}",
    ),
    "repay.undo_before_repayment": (
        "撤销日期不能早于还款 {ref} 的日期 {date}",
        "repayment {ref} cannot be undone before its own date, {date}",
    ),
    "repay.undo_not_serviced": (
        "业务 #{id} 的状态是{status:term}，不能撤销其还款 {ref}",
        "facility #{id} is {status:term}; its repayment {ref} cannot be undone",
    ),
    "repay.undo_books_closed": (
        "业务已日终处理至 {date}，撤销还款须晚于该日",
        "the facility is closed through {date}; the undo must be dated after it",
    ),
    "repay.undo_later_first": (
        "还款 {ref} 之后还有还款 {later}：须从最新的开始撤销",
        "repayment {later} came after {ref}: undo repayments newest first",
    ),
    "repay.undo_restructured": (
        "还款 {ref} 所还的计划已被调整（第 {version} 版），不能撤销",
        "repayment {ref} paid schedule version {version}, since restructured; it cannot be undone",
    ),
    # --- countyshare ---
    "county_claim.not_defaulted_loan": (
        "业务 #{id}（{status:term}）不是已违约的免息借款，不能向县政府主张反担保份额",
        "facility #{id} ({status:term}) is not a defaulted interest-free loan; "
        "no county share can be claimed",
    ),
    "county_claim.already": (
        "业务 #{id} 的县政府反担保份额 {amount:fen} 已转为应收县政府款",
        "facility #{id}'s county share {amount:fen} is already receivable from the county",
    ),
    "county_claim.no_counter_guarantee": (
        "业务 #{id} 没有县政府反担保",
        "facility #{id} has no county counter-guarantee",
    ),
    "write_off.county_nothing": (
        "业务 #{id} 没有应收县政府的反担保款可核销",
        "facility #{id} has nothing receivable from the county to write off",
    ),
    "subsidy.bank_needed": (
        "须指明合作银行（--bank）",
        "name the bank (--bank)",
    ),
    "subsidy.paid_before_through": (
        "支付日期 {on} 早于所付贴息的截止日 {through}",
        "the payment date {on} is before the date {through} it pays through",
    ),
    "subsidy.nothing_to_pay": (
        "截至 {through} 没有应付给 {bank} 的贴息",
        "no interest subsidy is owed to {bank} through {through}",
    ),
}

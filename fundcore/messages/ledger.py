"""The ledger, its verification, donations, references and dates."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ledger.not_initialised": (
        "账簿尚未初始化：请先运行 fund init",
        "the ledger is not initialised: run fund init first",
    ),
    "ledger.too_few_lines": (
        "分录至少需要两行（{kind}）",
        "an entry needs at least two lines ({kind})",
    ),
    "ledger.bad_side": (
        "借贷方向无效：{side}",
        "invalid side: {side}",
    ),
    "ledger.amount_not_integer": (
        "科目 {account} 的金额必须是整数分",
        "amount on {account} must be whole fen",
    ),
    "ledger.amount_not_positive": (
        "科目 {account} 的金额必须为正",
        "amount on {account} must be positive",
    ),
    "ledger.unbalanced": (
        "借贷不平衡：借方 {debit} 分，贷方 {credit} 分",
        "entry does not balance: debits {debit} fen, credits {credit} fen",
    ),
    "ledger.unknown_account": (
        "科目不存在：{account}",
        "unknown account: {account}",
    ),
    "ledger.no_such_entry": (
        "分录不存在：#{seq}",
        "no such entry: #{seq}",
    ),
    "ledger.reverse_a_reversal": (
        "分录 #{seq} 本身是冲销分录，不能再冲销；请重新记账",
        "entry #{seq} is itself a reversal and cannot be reversed; post it again instead",
    ),
    "ledger.reversal_before_original": (
        "冲销日期不能早于原分录日期 {date}（#{seq}）",
        "a reversal cannot be dated before the original's {date} (#{seq})",
    ),
    "ledger.already_reversed": (
        "分录 #{seq} 已被 #{by} 冲销",
        "entry #{seq} was already reversed by #{by}",
    ),
    "ledger.reverse_use_command": (
        "分录 #{seq}（{kind:term}，{object}）属于业务事项，不能单独冲销：请用 {command}，"
        "业务记录与账簿一并更正；ledger reverse 只用于独立分录（如捐赠）",
        "entry #{seq} ({kind:term}, {object}) belongs to a business event and cannot be "
        "reversed on its own: use {command}, which corrects the records and the ledger "
        "together; ledger reverse is for free-standing entries (such as a donation)",
    ),
    "ledger.reverse_business_entry": (
        "分录 #{seq}（{kind:term}，{object}）属于业务事项，有其自身的业务记录，不能单独冲销："
        "只能通过该业务自己的命令更正；ledger reverse 只用于独立分录（如捐赠）",
        "entry #{seq} ({kind:term}, {object}) belongs to a business event with its own "
        "records and cannot be reversed on its own: only that event's own command may "
        "correct it; ledger reverse is for free-standing entries (such as a donation)",
    ),
    "ledger.reason_needed": (
        "冲销须说明原因（--reason）",
        "a reversal needs a reason (--reason)",
    ),
    "verify.file_damaged": (
        "数据库文件未通过 SQLite 完整性检查（PRAGMA integrity_check，{count} 处问题）："
        "{detail}；请用 fund restore 从备份恢复",
        "the database file fails SQLite's integrity check (PRAGMA integrity_check, {count} "
        "problems): {detail}; restore a backup with fund restore",
    ),
    "verify.missing_entry": (
        "分录 #{seq} 缺失（下一条为 #{next}）：日记账被删除或重排",
        "entry #{seq} is missing (next is #{next}): the journal was deleted from or reordered",
    ),
    "verify.broken_link": (
        "分录 #{seq} 的前序哈希与上一条分录不符：日记账被删除或重排",
        "entry #{seq} does not link to the entry before it: deleted or reordered",
    ),
    "verify.altered_entry": (
        "分录 #{seq} 的内容与其哈希不符：已被篡改",
        "entry #{seq} does not match its hash: it was altered",
    ),
    "verify.unbalanced_entry": (
        "分录 #{seq} 不平衡：借方 {debit} 分，贷方 {credit} 分",
        "entry #{seq} does not balance: debits {debit} fen, credits {credit} fen",
    ),
    "verify.lines_missing": (
        "分录 #{seq} 的分录行缺失（记录金额 {total} 分）：分录行被删除",
        "entry #{seq} has no lines (it records {total} fen): its lines were deleted",
    ),
    "verify.total_mismatch": (
        "分录 #{seq} 的分录行合计 {lines} 分，与其记录的金额 {total} 分不符：已被篡改",
        "entry #{seq}'s lines add up to {lines} fen but it records {total} fen: altered",
    ),
    "verify.missing_tail": (
        "账本末尾的分录缺失：日记账末条为 #{seq}，链头记录为 #{head_seq}，#{first} 起的分录被删除",
        "the journal's end is missing: it ends at #{seq} but its head says #{head_seq}; "
        "the entries from #{first} on were deleted",
    ),
    "verify.line_count_mismatch": (
        "链头记录的分录行数为 {kept}，实际为 {counted}：分录行被删除、增加或链头被改动",
        "the head keeps {kept} journal lines but there are {counted}: lines were "
        "deleted or added, or the head was altered",
    ),
    "verify.head_mismatch": (
        "日记账末条为 #{seq}，与链头记录（#{head_seq}）的序号或哈希不符："
        "末尾有未经记账程序写入的分录，或末条分录、链头被篡改",
        "the journal ends at #{seq}, which does not match its head (#{head_seq}) in number "
        "or hash: entries were added at the end behind the engine, or the last entry or "
        "the head was altered",
    ),
    "verify.balance_mismatch": (
        "科目 {account} 的余额与分录合计不符",
        "kept balance of account {account} differs from its lines",
    ),
    "verify.daily_mismatch": (
        "科目 {account} 在 {date} 的日合计与分录不符",
        "daily total of account {account} on {date} differs from its lines",
    ),
    "verify.subledger_mismatch": (
        "科目 {account:term} 与业务明细不符：账簿 {ledger:fen}，业务记录 {records:fen}；"
        "首个不符的业务为 #{facility}"
        "（其分录 {facility_ledger:fen}，其记录 {facility_records:fen}）",
        "account {account:term} disagrees with its sub-ledger: ledger {ledger:fen}, records "
        "{records:fen}; the first facility that differs is #{facility} (its entries "
        "{facility_ledger:fen}, its record {facility_records:fen})",
    ),
    "verify.subledger_unowned": (
        "科目 {account:term} 与业务明细不符：账簿 {ledger:fen}，业务记录 {records:fen}；"
        "各笔业务自身相符，差额来自不属于任何业务的分录",
        "account {account:term} disagrees with its sub-ledger: ledger {ledger:fen}, records "
        "{records:fen}; every facility agrees with its own entries, so the difference is "
        "in entries that belong to none",
    ),
    "verify.trial_balance": (
        "试算不平衡：借方 {debit} 分，贷方 {credit} 分",
        "trial balance is off: debits {debit} fen, credits {credit} fen",
    ),
    "donation.bad_donor": (
        "捐赠人名称不能为空且不超过200字",
        "donor must be 1-200 characters",
    ),
    "donation.bad_purpose": (
        "限定用途不超过200字",
        "restricted purpose must be at most 200 characters",
    ),
    # --- restricted ---
    "purpose.unknown": (
        "用途无效：{text}（可选：{choices}）",
        "unknown purpose: {text} (one of: {choices})",
    ),
    "purpose.short": (
        "用途 {purpose:term} 的可用资金不足：需要 {need:fen}，可用 {available:fen}"
        "（本用途限定性资金 {own:fen} + 项目通用限定性及非限定性资金 {other:fen}；"
        "其他用途的限定性资金不能动用）",
        "not enough money for purpose {purpose:term}: needs {need:fen}, available "
        "{available:fen} (its own restricted money {own:fen} + programme-wide restricted "
        "and unrestricted money {other:fen}; other purposes' restricted money cannot be used)",
    ),
    "donation.foundation_match_restricted": (
        "基金会自身配捐为非限定性其他收入，不能指定限定用途（--purpose / --restricted）",
        "the Foundation's own matching donation is unrestricted other income: it takes no "
        "purpose (--purpose / --restricted)",
    ),
    "donation.bad_ref": (
        "参考号不超过64个字符",
        "ref must be at most 64 characters",
    ),
    "donation.ref_differs": (
        "参考号 {ref} 已记录过一笔捐赠，但{field:term}不同；同一参考号只能对应一笔捐赠",
        "ref {ref} was already recorded with a different {field:term}; one ref is one donation",
    ),
    "date.invalid": (
        "日期无效：{text}（应为 YYYY-MM-DD）",
        "invalid date: {text} (use YYYY-MM-DD)",
    ),
    "ref.needed": (
        "须给出参考号（--ref）",
        "a reference is needed (--ref)",
    ),
    "ref.too_long": (
        "参考号太长：{length} 个字符（最多 {max} 个）",
        "the reference is too long: {length} characters (at most {max})",
    ),
    "date.out_of_range": (
        "日期 {text} 超出业务日期范围（{low} 至 {high}）",
        "date {text} is outside the business dates {low} to {high}",
    ),
    # --- matching ---
    "verify.subledger_matching": (
        "科目 {account:term} 仍有余额 {ledger:fen}：地方配套资金是县里投入项目的资金，"
        "只登记在地方配套登记簿，不入基金账；请财务运行 fund local-support migrate --date 日期 "
        "冲回旧分录",
        "account {account:term} still holds {ledger:fen}: local matching is the county's "
        "money put into the project, kept in the local-support register, not the fund's; "
        "finance should run fund local-support migrate --date D to reverse the old entries",
    ),
}

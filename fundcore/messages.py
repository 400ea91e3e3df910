"""Every message a user may read, in Chinese and English, keyed by stable code.

Errors carry a code and parameters (``fundcore.errors``); this catalogue turns them
into one sentence in the user's language. A code missing here is a bug the tests catch.
"""

from __future__ import annotations

from fundcore.money import MESSAGES as MONEY_MESSAGES

CATALOG: dict[str, tuple[str, str]] = {
    # operators and roles
    "operator.missing": (
        "未指定操作员：请使用 --as 或环境变量 FUNDCORE_OPERATOR",
        "no operator given: use --as or FUNDCORE_OPERATOR",
    ),
    "operator.unknown": ("操作员不存在或已停用：{name}", "unknown or inactive operator: {name}"),
    "operator.role_refused": (
        "操作员 {name}（角色 {role}）无权执行 {action}",
        "operator {name} (role {role}) may not do {action}",
    ),
    "operator.bad_name": ("操作员名称无效：{name}", "invalid operator name: {name}"),
    "operator.bad_role": (
        "角色无效：{role}（应为 county、finance、auditor 或 admin）",
        "invalid role: {role} (use county, finance, auditor or admin)",
    ),
    "operator.county_needed": (
        "县级团委操作员必须用 --county 指定所属县",
        "a county operator needs --county CODE",
    ),
    "operator.county_only": (
        "只有县级团委操作员才能绑定县（--county）",
        "only county operators are bound to a county (--county)",
    ),
    "operator.exists": ("操作员已存在：{name}", "operator already exists: {name}"),
    "county.unknown": ("县代码不在名录中：{code}", "county code not in the register: {code}"),
    # ledger
    "ledger.not_initialised": (
        "账簿尚未初始化：请先运行 fund init",
        "the ledger is not initialised: run fund init first",
    ),
    "ledger.too_few_lines": (
        "分录至少需要两行（{kind}）",
        "an entry needs at least two lines ({kind})",
    ),
    "ledger.bad_side": ("借贷方向无效：{side}", "invalid side: {side}"),
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
    "ledger.unknown_account": ("科目不存在：{account}", "unknown account: {account}"),
    "ledger.no_such_entry": ("分录不存在：#{seq}", "no such entry: #{seq}"),
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
    "ledger.reason_needed": ("冲销须说明原因（--reason）", "a reversal needs a reason (--reason)"),
    # verification
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
    "verify.head_mismatch": (
        "日记账末条为 #{seq}，但链头记录为 #{head_seq}：末尾分录被删除或篡改",
        "the journal ends at #{seq} but its head says #{head_seq}: entries at the end "
        "were deleted or altered",
    ),
    "verify.balance_mismatch": (
        "科目 {account} 的余额与分录合计不符",
        "kept balance of account {account} differs from its lines",
    ),
    "verify.daily_mismatch": (
        "科目 {account} 在 {date} 的日合计与分录不符",
        "daily total of account {account} on {date} differs from its lines",
    ),
    "verify.trial_balance": (
        "试算不平衡：借方 {debit} 分，贷方 {credit} 分",
        "trial balance is off: debits {debit} fen, credits {credit} fen",
    ),
    # donations
    "donation.bad_donor": ("捐赠人名称不能为空且不超过200字", "donor must be 1-200 characters"),
    "donation.bad_purpose": (
        "限定用途不超过200字",
        "restricted purpose must be at most 200 characters",
    ),
    "donation.bad_ref": ("参考号不超过64个字符", "ref must be at most 64 characters"),
    "donation.ref_differs": (
        "参考号 {ref} 已记录过一笔捐赠，但{field}不同；同一参考号只能对应一笔捐赠",
        "ref {ref} was already recorded with a different {field}; one ref is one donation",
    ),
    # input
    "date.invalid": (
        "日期无效：{text}（应为 YYYY-MM-DD）",
        "invalid date: {text} (use YYYY-MM-DD)",
    ),
    "db.unreachable": ("无法连接数据库：{detail}", "cannot reach the database: {detail}"),
    "db.not_initialised": (
        "数据库尚未初始化或版本过旧：请运行 fund init",
        "the database is not initialised or out of date: run fund init",
    ),
    "db.conflict": (
        "与同时进行的另一写入冲突，未写入任何内容；请重试：{detail}",
        "conflicted with a concurrent write; nothing was written, run it again: {detail}",
    ),
    "internal": ("内部错误，未写入任何内容：{detail}", "internal error, nothing written: {detail}"),
}
CATALOG.update(MONEY_MESSAGES)


def render(code: str, params: dict[str, object], lang: str = "zh") -> str:
    """The message for ``code`` in ``lang`` ('zh' or 'en'), with its parameters."""
    zh, en = CATALOG.get(code, (code, code))
    template = en if lang == "en" else zh
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return f"{template} {params}"

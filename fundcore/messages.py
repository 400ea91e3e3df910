"""Every message a user may read, in Chinese and English, keyed by stable code.

Errors carry a code and parameters (``fundcore.errors``); this catalogue turns them
into one sentence in the user's language. A code missing here is a bug the tests catch.
"""

from __future__ import annotations

import string

from fundcore.identity import MESSAGES as IDENTITY_MESSAGES
from fundcore.money import MESSAGES as MONEY_MESSAGES
from fundcore.money import format_fen
from fundcore.sheet import MESSAGES as SHEET_MESSAGES
from fundcore.workdays import MESSAGES as WORKDAY_MESSAGES
from fundcore.workdays import REASONS as WORKDAY_REASONS

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
    "verify.line_count_mismatch": (
        "链头记录的分录行数为 {kept}，实际为 {counted}：分录行被删除、增加或链头被改动",
        "the head keeps {kept} journal lines but there are {counted}: lines were deleted "
        "or added, or the head was altered",
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


#: domain words users see, by language
TERMS: dict[str, tuple[str, str]] = {
    "guarantee": ("担保贷款", "loan guarantee"),
    "loan": ("免息借款", "interest-free loan"),
    "grant": ("小额资助", "micro-grant"),
    "counter-guarantee": ("反担保", "counter-guarantee"),
    "matching": ("1:1配资", "1:1 matching"),
    "submitted": ("已提交", "submitted"),
    "approved": ("已批准", "approved"),
    "rejected": ("已拒绝", "rejected"),
    "returned": ("已退回", "returned"),
    "withdrawn": ("已撤回", "withdrawn"),
    "national": ("国家级贫困县", "national poverty county"),
    "provincial": ("省级深度贫困县", "provincial deep-poverty county"),
    "county": ("县级团委", "county league"),
    "finance": ("财务", "finance"),
    "auditor": ("审计", "auditor"),
    "admin": ("管理员", "admin"),
}


def term(word: str, lang: str = "zh") -> str:
    """A domain word in the user's language (the word itself if it is not one)."""
    pair = TERMS.get(word)
    return word if pair is None else pair[1 if lang == "en" else 0]


class _Formatter(string.Formatter):
    """``{x:fen}`` formats integer fen as money, ``{x:term}`` a domain word."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "fen" and isinstance(value, int):
            return format_fen(value, self.lang)
        if format_spec == "term":
            return term(str(value), self.lang)
        return super().format_field(value, format_spec)


def render(code: str, params: dict[str, object], lang: str = "zh") -> str:
    """The message for ``code`` in ``lang`` ('zh' or 'en'), with its parameters."""
    zh, en = CATALOG.get(code, (code, code))
    template = en if lang == "en" else zh
    try:
        return _Formatter(lang).format(template, **params)
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"


RULE_MESSAGES: dict[str, tuple[str, str]] = {
    "rule.county.ok": ("县 {code} 在名录中", "county {code} is in the register"),
    "rule.county.fail": (
        "县代码 {code} 不在865个县名录中",
        "county {code} is not in the register of programme counties",
    ),
    "rule.amount.ok": (
        "金额 {amount:fen} 在 {min:fen}–{max:fen} 之间",
        "amount {amount:fen} is within {min:fen}–{max:fen}",
    ),
    "rule.amount.fail": (
        "金额 {amount:fen} 不在 {min:fen}–{max:fen} 之间",
        "amount {amount:fen} is outside {min:fen}–{max:fen}",
    ),
    "rule.term_grant.ok": ("小额资助无期限要求", "grants have no term"),
    "rule.term.ok": (
        "期限 {term} 个月在 {min}–{max} 个月之间",
        "term {term} months is within {min}–{max}",
    ),
    "rule.term.fail": (
        "期限 {term} 个月不在 {min}–{max} 个月之间",
        "term {term} months is outside {min}–{max} months",
    ),
    "rule.local_support_grant.ok": ("小额资助无需地方配套", "grants need no local support"),
    "rule.local_support.ok": ("已申报地方配套：{kind:term}", "local support declared: {kind:term}"),
    "rule.local_support.fail": (
        "担保贷款和免息借款须申报地方配套（反担保或1:1配资）",
        "guarantees and loans need local support declared (counter-guarantee or 1:1 matching)",
    ),
    "rule.employment_poor_leader.ok": (
        "项目负责人来自建档立卡贫困户",
        "the leader is from a registered poor household",
    ),
    "rule.employment.ok": (
        "带动贫困家庭青年 {count} 名（至少 {min} 名）",
        "employs {count} poor-household youth (at least {min})",
    ),
    "rule.employment.fail": (
        "非建档立卡贫困户负责人须带动至少 {min} 名贫困家庭青年就业，有效的只有 {count} 名",
        "a leader not from a registered poor household must employ at least {min} "
        "poor-household youth; {count} valid",
    ),
    "rule.age.ok": (
        "申请人 {age} 岁，在 {min}–{max} 岁之间",
        "applicant is {age}, within {min}–{max}",
    ),
    "rule.age.fail": (
        "申请人 {age} 岁，不在 {min}–{max} 岁之间",
        "applicant is {age}, outside {min}–{max}",
    ),
    "rule.no_open.ok": ("申请人没有同类未结业务", "no open {instrument:term} for this applicant"),
    "rule.no_open.fail": (
        "申请人已有未结的同类业务（{instrument:term}）",
        "the applicant already has an open {instrument:term}",
    ),
}
CATALOG.update(RULE_MESSAGES)

INTAKE_MESSAGES: dict[str, tuple[str, str]] = {
    "intake.required": ("必填项为空", "required, but empty"),
    "intake.bad_text": (
        "内容过长（最多 {limit} 字）或含控制字符",
        "too long (at most {limit} characters) or has control characters",
    ),
    "intake.bad_choice": (
        "无效的值：{value}（可选：{choices}）",
        "invalid value: {value} ({choices})",
    ),
    "intake.bad_term": ("期限应为月数，如 36：{value}", "term must be months, e.g. 36: {value}"),
    "intake.bad_county_code": (
        "县代码应为6位行政区划代码：{value}",
        "county code must be a 6-digit division code: {value}",
    ),
    "intake.bank_only_guarantee": (
        "合作银行只适用于担保贷款",
        "a cooperating bank applies to guarantees only",
    ),
    "intake.other_county": (
        "不能为其他县（{code}）提交申请",
        "may not submit for another county ({code})",
    ),
    "intake.not_your_county": (
        "无权查看其他县（{code}）",
        "may not look at another county ({code})",
    ),
    "intake.duplicate_in_file": (
        "编号 {ref} 在本表中出现多次且内容不同",
        "ref {ref} appears more than once in this sheet with different content",
    ),
    "intake.repeated_in_file": (
        "编号 {ref} 在本表中重复出现",
        "ref {ref} is repeated in this sheet",
    ),
    "intake.ref_changed": (
        "编号 {ref} 已提交过且内容不同；已提交的申请不能通过重新导入修改",
        "ref {ref} was already submitted with different content; a submitted application "
        "is not changed by re-importing",
    ),
    "intake.name_mismatch": (
        "该身份证号已登记在另一姓名下",
        "this ID number is registered under a different name",
    ),
    "intake.no_such_application": ("申请不存在：#{id}", "no such application: #{id}"),
    # the county register
    "register.empty": ("县名录文件为空", "the register file is empty"),
    "register.encoding": (
        "无法识别文件编码（应为 UTF-8 或 GBK）",
        "cannot decode the file (use UTF-8 or GBK)",
    ),
    "register.missing_column": ("缺少列：{column}", "missing column: {column}"),
    "register.duplicate": (
        "第 {line} 行：县代码 {code} 重复",
        "line {line}: county {code} repeated",
    ),
    "register.bad_code": (
        "第 {line} 行：县代码无效：{code}",
        "line {line}: invalid county code: {code}",
    ),
    "register.bad_field": (
        "第 {line} 行：{column} 为空、过长或含控制字符",
        "line {line}: {column} is empty, too long or has control characters",
    ),
    "register.bad_category": (
        "第 {line} 行：类别无效：{value}（national/provincial 或 国家级贫困县/省级深度贫困县）",
        "line {line}: invalid category: {value} (national or provincial)",
    ),
    # policy
    "policy.none_in_force": ("{date} 没有生效的政策", "no policy in force on {date}"),
    "policy.no_such_version": ("政策版本不存在：{version}", "no such policy version: {version}"),
    "policy.unknown_setting": ("未知的政策项：{name}", "unknown policy setting: {name}"),
    "policy.bad_value": ("政策项 {name} 的值无效：{value}", "invalid value for {name}: {value}"),
    "policy.bad_setting": ("应写作 键=值：{item}", "write settings as KEY=VALUE: {item}"),
    "policy.effective_before_latest": (
        "生效日期不能早于第 {version} 版的 {date}",
        "effective date cannot be before version {version}'s {date}",
    ),
    "policy.inconsistent": ("政策数值自相矛盾：{detail}", "inconsistent policy figures: {detail}"),
}
CATALOG.update(INTAKE_MESSAGES)
CATALOG.update(IDENTITY_MESSAGES)
CATALOG.update(SHEET_MESSAGES)

DECISION_MESSAGES: dict[str, tuple[str, str]] = {
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
    "decision.reason_needed": ("须说明原因（--reason）", "a reason is needed (--reason)"),
    "decision.not_cancellable": (
        "申请 #{id} 没有可撤销的批准（状态：{status:term}）；已放款的不能撤销",
        "application #{id} has no approval to cancel (status {status:term}); "
        "a paid-out facility cannot be cancelled",
    ),
    "decision.matching_received": (
        "申请 #{id} 已收到配套资金，须先退回配套资金才能撤销批准",
        "matching funds were received for #{id}; refund them before cancelling",
    ),
    "capacity.cash": (
        "基金可用资金不足：需要 {need:fen}，可用 {available:fen}"
        "（银行存款 {bank:fen} − 未放款承诺 {committed:fen} − 准备金下限 {reserve:fen}）",
        "not enough available cash: needs {need:fen}, available {available:fen} "
        "(bank {bank:fen} − undisbursed commitments {committed:fen} − reserve floor {reserve:fen})",
    ),
    "capacity.leverage": (
        "超过担保放大倍数上限：现有担保责任 {exposure:fen} + 本笔 {new:fen} > "
        "净资产 {net_assets:fen} × {cap} 倍 = {limit:fen}",
        "guarantee leverage cap exceeded: exposure {exposure:fen} + {new:fen} > "
        "net assets {net_assets:fen} × {cap} = {limit:fen}",
    ),
    "capacity.county": (
        "超过县 {county} 的集中度上限：现有 {exposure:fen} + 本笔 {new:fen} > {limit:fen}",
        "county {county} concentration limit exceeded: {exposure:fen} + {new:fen} > {limit:fen}",
    ),
    "facility.not_found": ("业务不存在：#{id}", "no such facility: #{id}"),
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
        "matching exceeds the pledge: {amount:fen} more on {received:fen} received "
        "of {required:fen}",
    ),
    "support.counter_exceeds": (
        "反担保金额 {amount:fen} 超过本金 {principal:fen}",
        "counter-guarantee {amount:fen} exceeds the principal {principal:fen}",
    ),
    "support.counter_exists": (
        "业务 #{id} 已登记反担保",
        "facility #{id} already has its counter-guarantee",
    ),
    "support.bad_guarantor": ("反担保人名称过长", "guarantor name too long"),
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
        "（已到位 {received:fen}，应配 {required:fen}）",
        "local support ({kind:term}) for facility #{id} is not in place "
        "({received:fen} of {required:fen} received)",
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
}
CATALOG.update(DECISION_MESSAGES)
TERMS["none"] = ("无", "none")
TERMS["cancelled"] = ("已撤销", "cancelled")
TERMS["current"] = ("正常", "current")
TERMS["overdue"] = ("逾期", "overdue")
TERMS["repaid"] = ("已还清", "repaid")
TERMS["defaulted"] = ("违约", "defaulted")
TERMS["claimed"] = ("已代偿", "claimed")
TERMS["written_off"] = ("已核销", "written off")
TERMS["paid"] = ("已拨付", "paid")
TERMS["closed"] = ("已结清", "closed")
TERMS["awaiting_second_approval"] = ("待第二人批准", "awaiting a second approval")

SERVICING_MESSAGES: dict[str, tuple[str, str]] = {
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
    "repay.bad_row": ("第 {line} 行：{reason}", "line {line}: {reason}"),
    "claim.not_defaulted_guarantee": (
        "业务 #{id}（{status:term}）不是已违约的担保贷款，不能代偿",
        "facility #{id} ({status:term}) is not a defaulted guarantee",
    ),
    "claim.more_than_covered": (
        "代偿 {amount:fen} 超过担保责任 {covered:fen}",
        "claim {amount:fen} exceeds the guaranteed {covered:fen}",
    ),
    "recovery.ref_needed": ("追偿须有参考号（--ref）", "a recovery needs its --ref"),
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
}
CATALOG.update(SERVICING_MESSAGES)
CATALOG.update(
    {
        "bankfile.bad_facility": (
            "业务编号应为数字：{value}",
            "facility must be a number: {value}",
        ),
        "bankfile.bad_ref": ("流水号最多64个字符", "ref must be at most 64 characters"),
    }
)
CATALOG.update(WORKDAY_MESSAGES)
TERMS.update(WORKDAY_REASONS)
CATALOG.update(
    {
        "restructure.not_serviced": (
            "业务 #{id}（{status:term}）没有可调整的还款计划",
            "facility #{id} ({status:term}) has no schedule to restructure",
        ),
        "restructure.too_long": (
            "调整后到期日 {maturity} 超过放款后 {months} 个月的上限 {limit}",
            "the new maturity {maturity} is past the limit {limit} ({months} months from pay-out)",
        ),
    }
)
CATALOG.update(
    {
        "auth.failed": (
            "无法确认操作员 {name} 的身份（{reason}）：请用 FUNDCORE_TOKEN 出示其令牌",
            "cannot confirm operator {name} ({reason}): present their token in FUNDCORE_TOKEN",
        ),
    }
)
CATALOG.update(
    {
        "backup.sqlite_only": (
            "备份与恢复命令只用于 SQLite 数据库文件；PostgreSQL 请用 pg_dump / pg_restore",
            "backup and restore are for the SQLite file; use pg_dump / pg_restore for PostgreSQL",
        ),
        "backup.exists": (
            "备份文件已存在，不覆盖：{file}",
            "the backup file exists, not overwritten: {file}",
        ),
        "backup.missing": ("备份文件不存在：{file}", "no such backup file: {file}"),
        "backup.broken": (
            "备份文件未通过账簿校验，不能使用：{file}",
            "the backup does not verify and cannot be used: {file}",
        ),
        "backup.restore_failed": (
            "恢复后的数据库未通过账簿校验：{file}",
            "the restored database does not verify: {file}",
        ),
        "backup.confirm": (
            "恢复会以备份替换当前数据库；确认请加 --yes",
            "restoring replaces the current database with the backup; add --yes to confirm",
        ),
    }
)
CATALOG.update(
    {
        "role.bad_name": ("数据库角色名无效：{name}", "invalid database role name: {name}"),
        "role.postgres_only": (
            "数据库角色只用于 PostgreSQL",
            "database roles are for PostgreSQL only",
        ),
    }
)
CATALOG.update(
    {
        "statement.bad_period": (
            "报告期间无效：开始日期 {start} 晚于结束日期 {end}",
            "invalid period: the start {start} is after the end {end}",
        ),
        "statement.not_verified": (
            "本次生成未逐笔复核哈希链（这不是校验失败）；复核请运行 fund ledger verify，"
            "或生成报表时加 --verify",
            "the hash chain was not re-verified in this run (this is not a failed check); "
            "run fund ledger verify, or add --verify when making the statement",
        ),
        "statement.cash_mismatch": (
            "现金流量表的期末现金与资产负债表科目 {code} 的期末余额不一致："
            "请运行 fund ledger verify",
            "closing cash in the cash flows differs from account {code} in the balance sheet: "
            "run fund ledger verify",
        ),
        "statement.out_needed": (
            "请用 --out 指定输出文件",
            "give the output file with --out",
        ),
        "statement.pdf_only": (
            "此报表只能输出 PDF",
            "this statement is PDF only",
        ),
        "archive.not_found": ("未找到该青年的创业档案：{who}", "no record found for {who}"),
    }
)
from fundcore.demo.messages import MESSAGES as DEMO_MESSAGES  # noqa: E402

CATALOG.update(DEMO_MESSAGES)
CATALOG.update(
    {
        "ref.needed": ("须给出参考号（--ref）", "a reference is needed (--ref)"),
        "ref.too_long": (
            "参考号太长：{length} 个字符（最多 {max} 个）",
            "the reference is too long: {length} characters (at most {max})",
        ),
    }
)
CATALOG.update(
    {
        "date.out_of_range": (
            "日期 {text} 超出业务日期范围（{low} 至 {high}）",
            "date {text} is outside the business dates {low} to {high}",
        ),
        "register.unreadable": (
            "县名录第 {line} 行无法读取：{detail}",
            "the register cannot be read at line {line}: {detail}",
        ),
    }
)

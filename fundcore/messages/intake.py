"""Intake: the register, the policy, eligibility rules and application rows."""

MESSAGES: dict[str, tuple[str, str]] = {
    "rule.county.ok": (
        "县 {code} 在名录中",
        "county {code} is in the register",
    ),
    "rule.county.fail": (
        "县代码 {code} 不在县名录中",
        "county {code} is not in the register of programme counties",
    ),
    "rule.county.fail_of": (
        "县代码 {code} 不在县名录中（名录现有 {size} 个县）",
        "county {code} is not in the register of programme counties (it holds {size})",
    ),
    "rule.amount.ok": (
        "金额 {amount:fen} 在 {min:fen}–{max:fen} 之间",
        "amount {amount:fen} is within {min:fen}–{max:fen}",
    ),
    "rule.amount.fail": (
        "金额 {amount:fen} 不在 {min:fen}–{max:fen} 之间",
        "amount {amount:fen} is outside {min:fen}–{max:fen}",
    ),
    "rule.term_grant.ok": (
        "小额资助无期限要求",
        "grants have no term",
    ),
    "rule.term.ok": (
        "期限 {term} 个月在 {min}–{max} 个月之间",
        "term {term} months is within {min}–{max}",
    ),
    "rule.term.fail": (
        "期限 {term} 个月不在 {min}–{max} 个月之间",
        "term {term} months is outside {min}–{max} months",
    ),
    "rule.local_support_grant.ok": (
        "小额资助无需地方配套",
        "grants need no local support",
    ),
    "rule.local_support.ok": (
        "已申报地方配套：{kind:term}",
        "local support declared: {kind:term}",
    ),
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
    "rule.employee_not_applicant.ok": (
        "带动就业的贫困青年中没有申请人本人",
        "the applicant is not among the poor youth employed",
    ),
    "rule.employee_not_applicant.fail": (
        "申请人本人（{id}）不能算作带动就业的贫困青年",
        "the applicant ({id}) cannot count as a poor youth the project employs",
    ),
    "rule.employed_once_off.ok": (
        "政策未限制一名贫困青年只计入一个项目",
        "the policy lets an employed poor youth count for several projects",
    ),
    "rule.employed_once.ok": (
        "带动的贫困青年未计入其他在办项目",
        "no employed poor youth is counted by another open project",
    ),
    "rule.employed_once.fail": (
        "{count} 名带动的贫困青年已计入另一个在办项目（县/编号），同一时间只能计入一个项目："
        "{conflicts}",
        "{count} employed poor youth already counted by another open project (county/ref); "
        "one project at a time: {conflicts}",
    ),
    "rule.age.ok": (
        "申请人 {age} 岁，在 {min}–{max} 岁之间",
        "applicant is {age}, within {min}–{max}",
    ),
    "rule.age.fail": (
        "申请人 {age} 岁，不在 {min}–{max} 岁之间",
        "applicant is {age}, outside {min}–{max}",
    ),
    "rule.no_open.ok": (
        "申请人没有同类未结业务",
        "no open {instrument:term} for this applicant",
    ),
    "rule.no_open.fail": (
        "申请人已有未结的同类业务（{instrument:term}）",
        "the applicant already has an open {instrument:term}",
    ),
    "intake.required": (
        "必填项为空",
        "required, but empty",
    ),
    "intake.bad_text": (
        "内容过长（最多 {limit} 字）或含控制字符",
        "too long (at most {limit} characters) or has control characters",
    ),
    "intake.bad_choice": (
        "无效的值：{value}（可选：{choices}）",
        "invalid value: {value} ({choices})",
    ),
    "intake.bad_term": (
        "期限应为月数，如 36：{value}",
        "term must be months, e.g. 36: {value}",
    ),
    "intake.bad_county_code": (
        "县代码应为6位数字（县级行政区划代码）：{value}",
        "a county code is 6 digits (the county's division code): {value}",
    ),
    "intake.bad_household_ref": (
        "户口簿户号应为4–40位数字、字母或连字符：{value}",
        "a household register number is 4-40 digits, letters or hyphens: {value}",
    ),
    "intake.bad_enterprise_code": (
        "统一社会信用代码应为18位且校验位正确：{value}",
        "a unified social credit code has 18 characters and a valid check character: {value}",
    ),
    "intake.bank_only_guarantee": (
        "合作银行只适用于担保贷款",
        "a cooperating bank applies to guarantees only",
    ),
    "intake.bank_ignored": (
        "合作银行仅用于担保贷款，{instrument:term}不需要，已忽略",
        "a partner bank applies to guarantees only; ignored for this {instrument:term}",
    ),
    "intake.applicant_employed_ignored": (
        "申请人本人不计入带动就业的贫困青年，已从该列忽略",
        "the applicant is never counted among the youth employed; ignored in this column",
    ),
    "intake.repeated_ignored": (
        "与第 {first} 行完全相同（编号 {ref}），已忽略",
        "the same as line {first} (ref {ref}); ignored",
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
        "ref {ref} was already submitted with different content; a submitted "
        "application is not changed by re-importing",
    ),
    "intake.person_elsewhere": (
        "此人无法由本县受理，请联系基金会",
        "this person cannot be accepted from this county; contact the Foundation",
    ),
    "intake.name_mismatch": (
        "该身份证号已登记在另一姓名下",
        "this ID number is registered under a different name",
    ),
    "intake.no_such_application": (
        "申请不存在：#{id}",
        "no such application: #{id}",
    ),
    "register.empty": (
        "县名录文件为空",
        "the register file is empty",
    ),
    "register.encoding": (
        "无法识别文件编码（应为 UTF-8 或 GBK）",
        "cannot decode the file (use UTF-8 or GBK)",
    ),
    "register.missing_column": (
        "缺少列：{column}",
        "missing column: {column}",
    ),
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
    "policy.none_in_force": (
        "{date} 没有生效的政策",
        "no policy in force on {date}",
    ),
    "policy.no_such_version": (
        "政策版本不存在：{version}",
        "no such policy version: {version}",
    ),
    "policy.unknown_setting": (
        "未知的政策项：{name}",
        "unknown policy setting: {name}",
    ),
    "policy.bad_value": (
        "政策项 {name} 的值无效：{value}；应为：{allowed_zh}",
        "invalid value for {name}: {value}; expected {allowed_en}",
    ),
    "policy.decided_under_in_force": (
        "第 {version} 版政策下已有 {count} 项决定的业务日期不早于 {date}（决定编号 {ids}，"
        "最晚 {latest}）：新版本最早自 {earliest} 起生效",
        "{count} decision(s) under policy version {version} are dated on or after {date} "
        "(decision ids {ids}, latest {latest}): a new version can take effect from {earliest}",
    ),
    "policy.bad_setting": (
        "应写作 键=值：{item}",
        "write settings as KEY=VALUE: {item}",
    ),
    "policy.effective_before_latest": (
        "生效日期不能早于第 {version} 版的 {date}",
        "effective date cannot be before version {version}'s {date}",
    ),
    "policy.inconsistent": (
        "政策数值自相矛盾：{detail}",
        "inconsistent policy figures: {detail}",
    ),
    "register.unreadable": (
        "县名录第 {line} 行无法读取：{detail}",
        "the register cannot be read at line {line}: {detail}",
    ),
    "amend.bad_field": (
        "“{text}”不是 字段=值（字段用申请表的表头或英文字段名）",
        "“{text}” is not field=value (a field is a sheet header or its English name)",
    ),
    "amend.fixed_field": (
        "编号、县代码、身份证号和姓名不能修改：请撤回此申请后重新提交",
        "ref, county code, ID number and name cannot be amended: withdraw and submit anew",
    ),
    "amend.field_twice": (
        "同一字段给了两次",
        "the same field is given twice",
    ),
    "amend.nothing_given": (
        "须给出要修改的 字段=值",
        "give the fields to amend as field=value",
    ),
    "amend.nothing_changed": (
        "修改后的内容与原申请相同，未重新提交",
        "the amended content is the same as before; nothing resubmitted",
    ),
    "amend.not_returned": (
        "申请 #{id} 的状态是{status:term}：只有退回的申请可以修改",
        "application #{id} is {status:term}: only a returned application can be amended",
    ),
    "withdraw.not_pending": (
        "申请 #{id} 的状态是{status:term}：只有待审或退回的申请可以撤回",
        "application #{id} is {status:term}: only a pending or returned one can be withdrawn",
    ),
    "amend.before_last": (
        "申请 #{id} 的上一次提交或决定日期是 {date}，不能早于该日",
        "application #{id} was last submitted or decided on {date}; not before that date",
    ),
}

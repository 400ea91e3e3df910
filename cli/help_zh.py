"""Help in the user's language: every ``--help`` and click's own usage errors.

Users read Chinese by default (``--lang en`` or ``FUNDCORE_LANG=en`` for English). The
commands' help is written in English in their docstrings and options, as the code is;
this module holds the Chinese of each, keyed by command path and by the English option
text, and the Chinese of the strings click itself prints ("Usage:", "Missing option").
``use(root, lang)`` puts one language in place before click parses anything, and puts
the other back on a later call (tests run many commands in one process). A command or
option without Chinese here keeps its English: ``tests/cli/test_help_lang.py`` lists
none missing.

Each command's help ends with examples (``EXAMPLES``), the same in both languages.
"""

# ruff: noqa: E501  (a table of translations: one text a line reads and diffs best)

from __future__ import annotations

from collections.abc import Iterator

import click

#: click's own strings (gettext message ids) -> Chinese
CLICK: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing option": "缺少选项",
    "Missing argument": "缺少参数",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否想输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想输入其中之一：{possibilities}？）",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "Aborted!": "已中止！",
    "Do you want to continue?": "是否继续？",
}

#: option help, by its English text -> Chinese
OPTIONS: dict[str, str] = {
    "Database URL (default: SQLite file fund.db here).": "数据库 URL（默认：当前目录的 SQLite 文件 fund.db）。",
    "The operator acting.": "执行操作的操作员。",
    "Print one JSON document on stdout.": "在标准输出打印一个 JSON 文档。",
    "Language of messages: zh (default) or en.": "提示语言：zh（默认）或 en。",
    "Show the version and exit.": "显示版本并退出。",
    "The county's own reference.": "县里自己的申请编号。",
    "是/否": "是/否",
    "guarantee|loan|grant (担保贷款/免息借款/小额资助)": "担保贷款/免息借款/小额资助（guarantee|loan|grant）",
    "Yuan.": "金额（元）。",
    "Months (guarantees and loans).": "期限（月；担保贷款和免息借款）。",
    "Cooperating bank (guarantees).": "合作银行（担保贷款）。",
    "counter-guarantee|matching": "反担保或1:1配资（counter-guarantee|matching）",
    "ID numbers of poor-household youth employed, separated by ;": "带动就业的贫困家庭青年身份证号，用 ; 分隔",
    "户口簿户号 (related parties share one).": "户口簿户号（关联方共用一个）。",
    "统一社会信用代码 (related parties share one).": "统一社会信用代码（关联方共用一个）。",
    "Submission date.": "提交日期。",
    "Replace FILE if it exists.": "FILE 已存在时替换它。",
    "Check everything, write nothing.": "全部检查，但不写入。",
    "Take nothing if any row is bad.": "有任何错误行就一行都不接收。",
    "Those submitted by this date, with their status then (--status filters on it).": "截至该日提交的申请及其当日状态（--status 按当日状态筛选）。",
    "Amendment date.": "修改日期。",
    "Withdrawal date.": "撤回日期。",
    "Only this province (e.g. 山西省).": "只列该省（如 山西省）。",
    "Create the first admin (only while there is no operator).": "创建第一个管理员（仅在还没有操作员时）。",
    "Guarantees: interest-only months of the bank loan (default: policy bank_grace_months).": "担保贷款：银行贷款只付息的月数（默认：政策项 bank_grace_months）。",
    "Business date of the decision.": "决定的业务日期。",
    "Counter-guarantor, e.g. 灵丘县人民政府 (counter-guarantees).": "反担保方，如 灵丘县人民政府（反担保）。",
    "Document ref; idempotent by it (required for counter-guarantees).": "文件编号；同一编号只登记一次（反担保必填）。",
    "Bank loan annual rate in percent, e.g. 4.75 (guarantees).": "银行贷款年利率（%），如 4.75（担保贷款）。",
    "Every figure as of this date, under the policy in force on it.": "所有数字截至该日，按当日有效的政策计算。",
    "Counties taking part (1-865).": "参与的县数（1–865）。",
    "Applications in all.": "申请总数。",
    "Months from January 2019.": "自2019年1月起的月数。",
    "The same seed, the same run.": "相同的种子，相同的运行结果。",
    "Folder for the database (fund.db), the sheets and the statements.": "存放数据库（fund.db）、申请表和报表的文件夹。",
    "Replace the database of an earlier demo in --out (never a folder the demo did not make).": "替换 --out 中以前演示的数据库（绝不替换不是演示创建的文件夹）。",
    "Yuan, e.g. 500000 or 50万.": "金额（元），如 500000 或 50万。",
    "Purpose the gift is restricted to.": "捐赠的限定用途。",
    "The donation's reference; the same ref twice is one donation.": "捐赠的参考号；同一参考号只算一笔捐赠。",
    "Balances at the end of this business date.": "该业务日期结束时的余额。",
    "The county of a county operator.": "县级操作员所属的县。",
    "Why (kept in the audit log).": "原因（记入审计日志）。",
    "Why the month is reopened.": "重新打开该月的原因。",
    "The finance operator approving it.": "批准此操作的财务操作员。",
    "A given version.": "指定的版本。",
    "The version in force on this date.": "该日有效的版本。",
    "Every key: type, unit, allowed values, meaning.": "列出每个政策项：类型、单位、允许值、含义。",
    "The business date the version takes effect.": "新版本生效的业务日期。",
    "As it stood at the end of this day: the version then in force, paid by then.": "截至该日结束时的情况：当时有效的版本和已还金额。",
    "This schedule version (an earlier one a restructuring replaced) instead.": "改为显示这一版还款计划（被重组替换的旧版本）。",
    "Months of repayment in the new schedule.": "新还款计划的还款月数。",
    "Months with no principal due first (e.g. after a disaster).": "开始几个月不还本金（如受灾后）。",
    "The bank's reference; the same ref twice is one.": "银行流水号；同一流水号只算一笔。",
    "What is beyond the amount due shortens the term (the last instalments first); without it, it pays the next instalments ahead.": "超过应还金额的部分用于缩短期限（先冲最后几期）；不加此项则提前偿还接下来的几期。",
    "Record nothing if any row is bad.": "有任何错误行就一笔都不登记。",
    "What is paid to the bank (default: everything the guarantee covers).": "支付给银行的金额（默认：担保覆盖的全部）。",
    "Reverse the facility's write-off.": "冲回该业务的核销。",
    "First day.": "起始日。",
    "Last day.": "截止日。",
    "The file to write.": "要写出的文件。",
    "Replace --out if it exists (never the database, its -wal/-shm, a backup or an anchors file).": "--out 已存在时替换它（绝不替换数据库、其 -wal/-shm、备份或锚点文件）。",
    "Re-verify the whole hash chain first (slow on a big ledger); if it fails, exit 1 and write nothing.": "先重新校验整条哈希链（账簿大时较慢）；校验失败则退出码 1，不写任何文件。",
    "With --verify: write the statement even if the ledger fails; every page says so.": "与 --verify 同用：账簿校验失败也写出报表，每页注明。",
    "PDF statement, or the portfolio and region tables as CSV files or one XLSX.": "PDF 报表，或把业务组合和地区表写成 CSV 文件或一个 XLSX。",
    "As it stood at the end of this day (default: at its last day close).": "截至该日结束时（默认：最近一次日终）。",
    "Confirm replacing the current database.": "确认替换当前数据库。",
    "Why the whole numbers are needed (audited).": "需要完整号码的原因（记入审计）。",
    "Write a .csv or .xlsx file.": "写出 .csv 或 .xlsx 文件。",
    "Only this county (code).": "只列该县（县代码）。",
    "Only facilities in this status.": "只列该状态的业务。",
    "As they stood at the end of this day.": "截至该日结束时的情况。",
    "Overdue at the end of this day.": "截至该日结束时逾期的。",
    # --- books, audit log, progress, anchors, corrections, purposes ---
    "Only this operator's acts.": "只列此操作员的操作。",
    "The Foundation's own matching donation (配捐): other income, never restricted.": "基金会自身的配捐：计入其他收入，不限定用途。",
    "The donor's own words for the restriction (a note; alone: restricted to the programme as a whole).": "捐赠方对限定用途的原话（备注；单独使用时限定于整个项目）。",
    "A table on the screen, CSV files or an XLSX workbook (--out).": "在屏幕上显示表格，或写成 CSV 文件或一个 XLSX 工作簿（--out）。",
    "Also check every (seq, hash) this anchors file signed is still on the chain.": "同时核对此锚点文件签名的每个（序号，哈希）仍在链上。",
    "Cancel a pay-out made in error (with --reason): reversed on --date, approved again.": "撤销误放的款项（须 --reason）：在 --date 冲销，恢复为已批准。",
    "First business date.": "第一个业务日期。",
    "First day recorded (UTC).": "记录的第一天（UTC）。",
    "Last business date.": "最后一个业务日期。",
    "Last day recorded (UTC).": "记录的最后一天（UTC）。",
    "One county (a county league: its own).": "一个县（县级团委：仅本县）。",
    "Only this kind of act (e.g. repayments, decisions.decide).": "只列这类操作（如 repayments、decisions.decide）。",
    "Purpose the gift is restricted to: guarantee|loan|grant|working_funds|programme (or 担保贷款|免息借款|小额资助|工作经费|项目通用); without it the gift is unrestricted.": "捐赠限定的用途：guarantee|loan|grant|working_funds|programme（或 担保贷款|免息借款|小额资助|工作经费|项目通用）；不填则为非限定性捐赠。",
    "Replace --out if it exists.": "--out 已存在时替换它。",
    "The figures at the end of this business date (default: the last day closed).": "截至此业务日期日终的数字（默认：最近一次日终处理之日）。",
    "Undo the repayment with this ref from --date on (with --reason); newest first.": "自 --date 起撤销此流水号的还款（须 --reason）；须从最新的一笔开始。",
    "Why the pay-out is cancelled (with --cancel).": "撤销放款的原因（与 --cancel 一起）。",
    "Why the repayment is undone (with --undo).": "撤销还款的原因（与 --undo 一起）。",
    "PDF statement, or every figure of it as JSON (to stdout without --out).": "PDF 报表，或其全部数字的 JSON（不带 --out 时输出到屏幕）。",
    "PDF statement, the portfolio and region tables as CSV files or one XLSX, or every figure of the statement as JSON (to stdout without --out).": "PDF 报表；业务组合表和地区表的 CSV 文件或一个 XLSX；或报表全部数字的 JSON（不带 --out 时输出到屏幕）。",
    # --- county shares, subsidies ---
    "Pay the subsidies of instalments due by D.": "支付到期日在 D 及以前的各期贴息。",
    "Payment date (default: --through).": "付款日期（默认：--through）。",
    "The cooperating bank, as named at pay-out.": "合作银行，与放款时的名称一致。",
    "Write off what the county still owes (its counter-guarantee share), on its own.": "单独核销县政府仍欠的款项（其反担保份额）。",
    # --- matching ---
    "Matching paid into the fund's own bank account (government grant income, passed on with `local-support pass-on`); without it, the register only.": "配资款打入基金自己的银行账户（计政府补助收入，以 `local-support pass-on` 转付）；不加则只登记。",
    "Matching: who paid it, e.g. 灵丘县财政局.": "配资：由谁支付，如 灵丘县财政局。",
}

#: command path -> Chinese help (its first sentence is the short help in listings)
COMMANDS: dict[str, str] = {
    "": "fundcore：面向青年创业者的贷款担保、免息借款和小额资助基金管理。",
    "apply": "提交一份申请（县团委或财务）。",
    "applications": "县团委提交的申请。",
    "applications template": "写出带规定表头的空白申请表（.xlsx 或 .csv）。",
    "applications import": "导入申请表：接收每一有效行，报告每一错误行（行号、列、原因）。",
    "applications list": "列出申请：建档立卡贫困户负责人的优先，其次按提交顺序。",
    "applications show": "显示一份申请的全部内容（证件号码已遮盖）。",
    "applications amend": "修改一份被退回的申请（由其县团委）并重新提交。",
    "applications withdraw": "撤回一份待审或退回的申请；申请人可以重新申请。",
    "review": "对一份申请运行每一条资格规则并显示结果。",
    "counties": "项目县名录。",
    "counties import": "导入县名录（CSV：代码、名称、省、类别[、地市]）；管理员。",
    "counties list": "列出名录中的县。",
    "init": "创建或升级数据库；载入会计科目和默认政策。",
    "db": "数据库结构迁移。",
    "db upgrade": "把数据库迁移到最新版本（参考数据由 fund init 载入）。",
    "db current": "显示数据库的版本和代码的最新版本。",
    "db check": "数据库不在最新版本或模型与迁移不一致时退出码为 1。",
    "db role": "PostgreSQL：为操作员建立登录角色 LOGIN，归入其角色组（管理员）。",
    "approve": "批准一份申请（财务；不能是提交人本人）。",
    "reject": "拒绝一份申请，并说明原因（财务）。",
    "return": "把申请退回所属县补充材料。",
    "cancel": "在放款前取消批准；释放其占用的额度。",
    "local-support": "地方配套：1:1配资或县里的反担保。",
    "local-support record": "登记收到的配资资金或反担保（财务）。",
    "disburse": "发放免息借款、出具担保或支付小额资助（财务）。",
    "working-funds": "县级工作经费。",
    "working-funds pay": "向本年度尚未支付的每个县团委支付工作经费（财务）。",
    "capacity": "截至某日基金还能承诺的额度：可用现金和担保放大倍数。",
    "demo": "在 --out 中（SQLite）完整运行一个逼真的项目，然后写出报表。",
    "donations": "进入基金的资金。",
    "donations record": "登记一笔捐赠并记入账簿（财务）。",
    "ledger": "复式记账账簿。",
    "ledger trial-balance": "每个科目的借方、贷方和余额，以及合计。",
    "ledger verify": "重新计算哈希链并核对余额；任何断裂则退出码为 1。",
    "ledger reverse": "通过冲销分录更正一笔分录（财务）。",
    "operators": "可以操作基金的人员。",
    "operators add": "添加操作员（仅管理员）。",
    "operators deactivate": "停用操作员（仅管理员）：其不能再操作，令牌被吊销。",
    "operators list": "列出操作员。",
    "operators token": "操作员令牌（仅管理员）。",
    "operators token issue": "为 NAME 签发令牌（NAME 原有的令牌被吊销）。只显示一次。",
    "operators token revoke": "吊销 NAME 的所有令牌。",
    "operators require-tokens": "从现在起要求每个操作员出示令牌（FUNDCORE_TOKEN）。",
    "period": "会计月份：按顺序结账、列出、重新打开最近一个月。",
    "period close": "结账月份 YYYY-MM（财务）：之后不能再记入该月的业务。",
    "period list": "已结账的每个月份，以及任何重新打开。",
    "period reopen": "重新打开最近结账的月份（管理员，需财务批准人）；记入审计。",
    "policy": "作为数据的项目规则。",
    "policy show": "显示政策版本（默认：所有版本，最新的在最后），或用 --keys 列出每个政策项。",
    "policy set": "由最新版本修改 KEY=VALUE 得到新的政策版本（管理员）。",
    "schedule": "一笔业务现行的还款计划（或 --version N），以及已还情况。",
    "restructure": "对尚欠金额制定新的还款计划；保留旧版本（财务）。",
    "calendar": "中国法定节假日和调休工作日。",
    "calendar import": "载入国务院节假日安排（CSV：日期、类型、名称）；重排尚未到期的日期。",
    "repay": "登记一笔还款（财务）：先还最早到期的，再还接下来的几期。",
    "repayments": "批量还款。",
    "repayments import": "导入银行还款文件（业务编号、流水号、金额、日期）；按流水号只登记一次。",
    "close-day": "把每笔业务的账龄推进到某日：逾期、违约、拨备、PAR（财务）。",
    "claims": "担保代偿。",
    "claims pay": "为违约的担保贷款向银行代偿：先用保证金，再用现金（财务）。",
    "recoveries": "代偿后的追偿。",
    "recoveries record": "登记从借款人或反担保方追回的资金（财务）。",
    "write-off": "对无法追回的部分用拨备核销（财务）。",
    "statement": "给审计的报表：基金、县、单笔业务（PDF、CSV 或 XLSX）。",
    "statement fund": "某期间的基金报表（财务、审计、管理员）。",
    "statement county": "一个县的报表（县团委：只能查看本县）。",
    "statement facility": "一笔借款或担保：借款人（已遮盖）、还款计划、还款、余额。",
    "archive": "一名青年的创业档案，按申请/业务编号或身份证号查询。",
    "backup": "在数据库使用中把 SQLite 数据库复制到 FILE，并校验副本。",
    "restore": "用校验过的备份替换 SQLite 数据库，然后再次校验。",
    "applicants": "申请人的个人信息。",
    "applicants reveal": "显示申请人完整的身份证号和手机号（仅管理员；记录在案）。",
    "facilities": "借款、担保和资助业务。",
    "facilities list": "列出每笔业务的余额和状态（借款人已遮盖）。",
    "collections": "需要催收的逾期业务。",
    "collections list": "某日逾期的业务，逾期天数多的在前（催收清单）。",
    "dues": "即将到期的还款，用于提醒。",
    "dues list": "--from 至 --to 之间到期且尚未还清的各期，按到期日排列。",
    "donations list": "已收到的捐赠，按日期排列，含限定用途。",
    "claims list": "已代偿的每笔担保：代偿金额、县反担保份额、追回金额。",
    # --- books, audit log, progress, anchors ---
    "audit": "操作日志：谁在何时做了什么（财务、审计、管理员）。",
    "audit list": "列出指定日期内记录的操作，按时间先后。",
    "ledger account": "明细账：一个科目的各行及逐笔余额（借/贷），从期初余额到期末余额。",
    "ledger anchor": "将链头（序号、哈希、日期）签名记入锚点文件（财务、管理员）。",
    "ledger balances": "科目余额表：每个科目的期初余额、本期借贷发生额和期末余额，借贷两栏合计相等。",
    "ledger journal": "序时账：期间内每笔分录的各行，按日期顺序（财务、审计、管理员）。",
    "progress": "项目进展：筹集资金、支持青年、带动贫困人口和拨付工作经费，对照项目目标（政策数据），分省、分县。",
    # --- county shares, subsidies ---
    "claims county": "向县政府主张已违约免息借款的反担保份额：转为应收县政府款（财务）。",
    "subsidies": "担保贷款的贴息。",
    "subsidies pay": "向银行支付到期日在 --through 及以前的各期已计提贴息（财务）。",
    # --- matching ---
    "local-support migrate": "在未结账月份一次性冲回旧的配资承诺和到账分录（科目 1214）（财务）。",
    "local-support pass-on": "将经基金账户收到的配资款转付给其项目（财务）。",
}

#: command path -> example command lines (the same in both languages)
EXAMPLES: dict[str, tuple[str, ...]] = {
    "apply": (
        "fund apply --ref LQ-2019-001 --name 王伟 --id-number 140224199001011234 "
        "--phone 13800138000 --county 140224 --registered-poor 是 --project-name 香菇种植 "
        "--instrument loan --amount 3万 --term 36 --local-support matching "
        "--date 2019-06-01 --as lq",
    ),
    "applications template": ("fund applications template 申请表.xlsx",),
    "applications import": (
        "fund applications import 申请表.xlsx --date 2019-06-01 --as lq",
        "fund applications import 申请表.csv --date 2019-06-01 --dry-run --as lq",
    ),
    "applications list": ("fund applications list --status submitted --as-of 2019-06-30",),
    "applications show": ("fund applications show 12",),
    "applications amend": (
        "fund applications amend 12 金额=3万 期限(月)=36 --date 2019-06-05 --as lq",
    ),
    "applications withdraw": (
        "fund applications withdraw 12 --reason 项目取消 --date 2019-06-05 --as lq",
    ),
    "review": ("fund review 12 --as fin1",),
    "counties import": ("fund counties import counties.csv --as admin",),
    "counties list": ("fund counties list --province 山西省",),
    "init": ("fund init --admin admin",),
    "db upgrade": ("fund db upgrade",),
    "db current": ("fund db current",),
    "db check": ("fund db check",),
    "db role": (
        "fund db role lq_login --operator lq --as admin --db postgresql+psycopg://postgres@127.0.0.1:5432/fund",
    ),
    "approve": ("fund approve 12 --date 2019-06-10 --as fin1",),
    "reject": ("fund reject 12 --reason 不符合条件 --date 2019-06-10 --as fin1",),
    "return": ("fund return 12 --reason 请补充带动就业名单 --date 2019-06-10 --as fin1",),
    "cancel": ("fund cancel 12 --reason 申请人放弃 --date 2019-06-12 --as fin1",),
    "local-support record": (
        "fund local-support record 12 --kind matching --amount 3万 --ref PZ-001 --date 2019-06-15 --as fin1",
    ),
    "disburse": ("fund disburse 12 --date 2019-06-20 --as fin1",),
    "working-funds pay": ("fund working-funds pay --year 2019 --date 2019-03-01 --as fin1",),
    "capacity": ("fund capacity --date 2019-06-30",),
    "demo": ("fund demo --out fund-demo", "fund demo --out fund-demo --force --seed 7"),
    "donations record": (
        "fund donations record --amount 1亿 --donor 联合劝募 --date 2019-01-15 "
        "--ref DON-2019-001 --as cashier",
    ),
    "ledger trial-balance": ("fund ledger trial-balance --as-of 2019-12-31",),
    "ledger verify": ("fund ledger verify",),
    "ledger reverse": ("fund ledger reverse 42 --reason 金额录错 --date 2019-06-30 --as fin1",),
    "operators add": (
        "fund operators add lq --role county --county 140224 --as admin",
        "fund operators add cashier --role finance --as admin",
    ),
    "operators deactivate": ("fund operators deactivate lq --reason 调离 --as admin",),
    "operators list": ("fund operators list",),
    "operators token issue": ("fund operators token issue lq --as admin",),
    "operators token revoke": ("fund operators token revoke lq --as admin",),
    "operators require-tokens": ("fund operators require-tokens on --as admin",),
    "period close": ("fund period close 2019-06 --as fin1",),
    "period list": ("fund period list",),
    "period reopen": ("fund period reopen 2019-06 --reason 补记 --approver fin2 --as admin",),
    "policy show": ("fund policy show --keys",),
    "policy set": ("fund policy set amount_max_fen=10万 --effective 2019-07-01 --as admin",),
    "schedule": ("fund schedule 12",),
    "restructure": (
        "fund restructure 12 --term 24 --pause 3 --reason 受灾 --date 2020-01-10 --as fin1",
    ),
    "calendar import": ("fund calendar import holidays-2020.csv --date 2019-12-01 --as admin",),
    "repay": ("fund repay 12 --amount 1000 --date 2019-07-20 --ref B-0001 --as fin1",),
    "repayments import": ("fund repayments import bank-2019-07.csv --as fin1",),
    "close-day": ("fund close-day --through 2019-07-31 --as fin1",),
    "claims pay": ("fund claims pay 12 --date 2020-03-01 --as fin1",),
    "recoveries record": (
        "fund recoveries record 12 --amount 5000 --ref ZC-001 --date 2020-05-01 --as fin1",
    ),
    "write-off": ("fund write-off 12 --reason 无法追回 --date 2021-01-31 --as fin1",),
    "statement fund": (
        "fund statement fund --from 2019-01-01 --to 2019-12-31 --out 基金报表.pdf --as auditor",
    ),
    "statement county": (
        "fund statement county 140224 --from 2019-01-01 --to 2019-12-31 --out 灵丘县.pdf --as lq",
    ),
    "statement facility": ("fund statement facility 12 --out 业务12.pdf --as auditor",),
    "archive": ("fund archive 12",),
    "backup": ("fund backup fund-2019-06-30.db",),
    "restore": ("fund restore fund-2019-06-30.db --yes",),
    "facilities list": (
        "fund facilities list --county 140224 --status overdue --as fin1",
        "fund facilities list --as-of 2019-12-31 --out 业务清单.xlsx --as fin1",
    ),
    "donations list": (
        "fund donations list --from 2019-01-01 --to 2019-12-31 --out 捐赠.xlsx --as fin1",
    ),
    "claims list": ("fund claims list --county 140224 --as fin1",),
    "dues list": ("fund dues list --from 2019-08-01 --to 2019-08-31 --county 140224 --as fin1",),
    "collections list": ("fund collections list --as-of 2019-12-31 --out 催收清单.csv --as fin1",),
    "applicants reveal": ("fund applicants reveal 12 --reason 银行核实身份 --as admin",),
    # --- books, audit log, progress, anchors ---
    "audit list": (
        "fund audit list --from 2026-12-01 --to 2026-12-31 --kind decisions --as auditor",
    ),
    "ledger account": ("fund ledger account 1211 --from 2019-01-01 --to 2019-03-31 --as auditor",),
    "ledger anchor": ("fund ledger anchor --date 2019-12-31 --as fin1",),
    "ledger balances": (
        "fund ledger balances --from 2019-01-01 --to 2019-12-31 --format xlsx --out 科目余额表.xlsx --as auditor",
    ),
    "ledger journal": ("fund ledger journal --from 2019-01-01 --to 2019-01-31 --as auditor",),
    "progress": (
        "fund progress --as-of 2020-12-31 --as fin1",
        "fund progress --county 140224 --as lq",
    ),
    # --- county shares, subsidies ---
    "claims county": ("fund claims county 42 --date 2020-03-31 --as fin1",),
    "subsidies pay": ("fund subsidies pay --bank 中国农业银行 --through 2020-06-30 --as fin1",),
    # --- matching ---
    "local-support migrate": ("fund local-support migrate --date 2026-12-31 --as fin1",),
    "local-support pass-on": ("fund local-support pass-on 7 --date 2019-07-01 --as fin1",),
}

_lang = "zh"
_original: dict[int, tuple[click.Command | click.Parameter, str | None, str | None]] = {}


def translate(message: str) -> str:
    """click's gettext: the Chinese of one of its strings when the language is zh."""
    return CLICK.get(message, message) if _lang == "zh" else message


def translate_plural(singular: str, plural: str, n: int) -> str:
    """click's ngettext, likewise."""
    return translate(singular if n == 1 else plural)


def _install() -> None:
    """Route click's gettext through ``translate`` (each module bound it at import)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]


def commands(root: click.Command) -> Iterator[tuple[str, click.Command]]:
    """Every command under ``root`` (itself first), with its path ('' for the root)."""
    stack: list[tuple[str, click.Command]] = [("", root)]
    while stack:
        path, command = stack.pop()
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items(), reverse=True):
                stack.append((f"{path} {name}".strip(), sub))


def _examples(path: str, lang: str) -> str:
    lines = EXAMPLES.get(path)
    if not lines:
        return ""
    head = "示例：" if lang == "zh" else "Examples:"
    # \b keeps click from rewrapping the lines
    return "\n\n\b\n" + head + "\n" + "\n".join("  " + line for line in lines)


def use(root: click.Command, lang: str) -> None:
    """Put ``lang``'s help on every command and option under ``root``, and make click's
    own messages follow it."""
    global _lang
    if not _original:
        _install()
        for _path, command in commands(root):
            _original[id(command)] = (command, command.help, command.short_help)
            for param in command.params:
                if isinstance(param, click.Option):
                    _original[id(param)] = (param, param.help, None)
    _lang = lang
    for path, command in commands(root):
        if hasattr(command, "_help_option"):  # click keeps the --help option it made, in
            command._help_option = None  # the language of then: made again in this one
        _, help_en, short_en = _original.get(id(command), (command, command.help, None))
        if lang == "zh" and path in COMMANDS:
            zh = COMMANDS[path]
            command.help = zh + _examples(path, lang)
            command.short_help = zh
        else:
            command.help = (help_en or "") + _examples(path, lang) if help_en else help_en
            command.short_help = short_en
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            _, option_en, _ = _original.get(id(param), (param, param.help, None))
            param.help = (
                OPTIONS.get(option_en, option_en) if lang == "zh" and option_en else option_en
            )

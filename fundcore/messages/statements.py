"""Statements and records for auditors."""

MESSAGES: dict[str, tuple[str, str]] = {
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
        "现金流量表的期末现金与资产负债表科目 {code} 的期末余额不一致：请运行 fund ledger verify",
        "closing cash in the cash flows differs from account {code} in the balance "
        "sheet: run fund ledger verify",
    ),
    "statement.unverified": (
        "账本校验未通过（{count} 个问题），未写出报表，--out 指定的文件未改动；"
        "确需据此账本出具（每页将注明未通过）请加 --allow-unverified",
        "the ledger failed verification ({count} problems): no statement written, the "
        "--out file is untouched; add --allow-unverified to issue it anyway (every page "
        "will say so)",
    ),
    "statement.unverified_problem": ("  · {problem}", "  · {problem}"),
    # --- official ---
    "statement.unmapped_account": (
        "科目 {account} 未映射到 {standard} 报表的任何行次，报表未生成："
        "请在 official_forms 中为其指定行次",
        "account {account} has no line in the {standard} forms: no statement made; give it "
        "a line in official_forms",
    ),
    "statement.unmapped_kind": (
        "分录类型 {kind} 发生了现金收付，但在 {standard} 现金流量表中没有行次，报表未生成："
        "请在 official_forms 中为其指定行次",
        "entry kind {kind} moved cash but has no line in the {standard} cash flow "
        "statement: no statement made; give it a line in official_forms",
    ),
    "statement.out_needed": (
        "请用 --out 指定输出文件",
        "give the output file with --out",
    ),
    "statement.pdf_only": (
        "此报表只能输出 PDF",
        "this statement is PDF only",
    ),
    "archive.not_found": (
        "未找到该青年的创业档案：{who}",
        "no record found for {who}",
    ),
    # --- progress ---
    "progress.other_county": (
        "无权查看县 {county} 的进展：县级团委只能查看本县",
        "not permitted to see county {county}'s progress: a county league sees its own county only",
    ),
    "progress.as_of_needed": (
        "尚未做过日终处理，请用 --as-of 指定日期",
        "no day has been closed yet: give the date with --as-of",
    ),
}

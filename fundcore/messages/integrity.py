"""Anchors of the ledger, the audit trail's chain, clean text and references."""

MESSAGES: dict[str, tuple[str, str]] = {
    "anchors.not_configured": (
        "未配置签名密钥或锚点文件：请设置 FUNDCORE_SIGNING_KEY 和 FUNDCORE_ANCHORS"
        "（SQLite 数据库默认放在 fund.db 旁）",
        "no signing key or anchors file configured: set FUNDCORE_SIGNING_KEY and "
        "FUNDCORE_ANCHORS (beside fund.db by default on SQLite)",
    ),
    "anchors.no_key": (
        "签名密钥不存在：{file}（由 fund init 生成）",
        "no signing key at {file} (fund init makes it)",
    ),
    "anchors.bad_key": (
        "{file} 不是 Ed25519 签名密钥",
        "{file} is not an Ed25519 signing key",
    ),
    "anchors.empty_ledger": (
        "账簿中还没有分录，无可锚定",
        "the ledger has no entry yet: nothing to anchor",
    ),
    "anchors.bad_anchor": (
        "锚点无效：#{seq}（{source}）",
        "invalid anchor: #{seq} ({source})",
    ),
    "anchors.bad_line": (
        "锚点文件第 {line} 行无法读取",
        "line {line} of the anchors file cannot be read",
    ),
    "anchors.no_file": (
        "锚点文件不存在：{file}",
        "no anchors file at {file}",
    ),
    "anchors.unreadable": (
        "无法读取锚点文件：{file}",
        "cannot read the anchors file {file}",
    ),
    "anchors.not_anchors": (
        "{file} 不是锚点文件（首行应为 fundcore_anchors 文件头）",
        "{file} is not an anchors file (its first line must be the fundcore_anchors header)",
    ),
    "out.anchors": (
        "不能覆盖 {file}：它是账本锚点文件或签名密钥；请换一个输出文件",
        "will not overwrite {file}: it is a ledger anchors file or signing key; "
        "choose another output file",
    ),
    "verify.anchor_unreadable": (
        "锚点文件第 {line} 行无法读取",
        "line {line} of the anchors file cannot be read",
    ),
    "verify.anchor_signature": (
        "锚点文件第 {line} 行（分录 #{seq}，{date}，{source}）签名无效：不是本基金密钥所签",
        "anchor on line {line} (entry #{seq}, {date}, {source}) has an invalid signature: "
        "not signed by this fund's key",
    ),
    "verify.anchor_missing": (
        "已锚定的分录 #{seq}（{date}，{source}）已不在账簿中：其后的账簿被删除",
        "anchored entry #{seq} ({date}, {source}) is no longer on the chain: the ledger "
        "was cut short after it",
    ),
    "verify.anchor_rewritten": (
        "已锚定的分录 #{seq}（{date}，{source}）哈希已变（锚定时 {hash}…）："
        "该分录或其之前的历史被改写",
        "anchored entry #{seq} ({date}, {source}) no longer has its anchored hash "
        "({hash}…): it or the history before it was rewritten",
    ),
    "text.bad_char": (
        "{field} 含不允许的字符 {char}（第 {position} 个字符）：控制字符、双向控制符和零宽字符"
        "不能记入账簿",
        "{field} holds a character that is not allowed, {char} (character {position}): "
        "control, bidi and zero-width characters cannot go into the record",
    ),
    "verify.audit_broken_link": (
        "审计日志第 {id} 条与前一条的链接断开：其前的审计记录被删除、插入或调换",
        "audit record {id} no longer links to the one before it: a record before it "
        "was deleted, inserted or swapped",
    ),
    "verify.audit_altered": (
        "审计日志第 {id} 条的内容与其哈希不符：该记录被改动",
        "audit record {id} no longer matches its hash: it was altered",
    ),
    "verify.audit_missing_tail": (
        "审计日志末尾缺失：现有 {counted} 条，链头记录为 {kept} 条，末尾的记录被删除",
        "the audit trail's end is missing: {counted} records, but the head counts {kept}; "
        "the last ones were deleted",
    ),
    "verify.audit_head_mismatch": (
        "审计日志的末条与链头记录（{kept} 条）不符：现有 {counted} 条，"
        "有未经程序写入的审计记录，或链头被篡改",
        "the audit trail's end does not match its head ({kept} records, {counted} found): "
        "records were written behind the engine's back, or the head was altered",
    ),
}

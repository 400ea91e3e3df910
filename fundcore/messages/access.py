"""Operators, roles, tokens, the database and backups."""

MESSAGES: dict[str, tuple[str, str]] = {
    "operator.missing": (
        "未指定操作员：请使用 --as 或环境变量 FUNDCORE_OPERATOR",
        "no operator given: use --as or FUNDCORE_OPERATOR",
    ),
    "operator.unknown": (
        "操作员不存在或已停用：{name}",
        "unknown or inactive operator: {name}",
    ),
    "operator.role_refused": (
        "操作员 {name}（角色 {role}）无权执行 {action}",
        "operator {name} (role {role}) may not do {action}",
    ),
    "operator.bad_name": (
        "操作员名称无效：{name}",
        "invalid operator name: {name}",
    ),
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
    "operator.exists": (
        "操作员已存在：{name}",
        "operator already exists: {name}",
    ),
    "county.unknown": (
        "县代码不在名录中：{code}",
        "county code not in the register: {code}",
    ),
    "db.unreachable": (
        "无法连接数据库：{detail}",
        "cannot reach the database: {detail}",
    ),
    "db.not_initialised": (
        "数据库尚未初始化或版本过旧：请运行 fund init",
        "the database is not initialised or out of date: run fund init",
    ),
    "db.empty": (
        "数据库文件是空的（0 字节），不是新的基金，可能已损坏：{file}；请把它移走（留作检查），"
        "再用 fund restore 从备份恢复，或确属新建时用 fund init 新建",
        "the database file is empty (0 bytes): not a new fund, it may be damaged: {file}; "
        "move it aside (keep it for inspection), then restore a backup with fund restore, "
        "or run fund init if a new fund is meant",
    ),
    "db.not_sqlite": (
        "不是 SQLite 数据库文件（文件头不符），可能已损坏：{file}",
        "not a SQLite database file (wrong header), it may be damaged: {file}",
    ),
    "db.damaged": (
        "数据库文件已损坏，无法读取（{detail}）；请运行 fund ledger verify，并用 fund restore "
        "从备份恢复",
        "the database file is damaged and cannot be read ({detail}); run fund ledger verify "
        "and restore a backup with fund restore",
    ),
    "db.bad_url": (
        "数据库地址无效：{url}（应为 sqlite:///文件 或 postgresql+psycopg://…）",
        "invalid database URL: {url} (use sqlite:///FILE or postgresql+psycopg://…)",
    ),
    "db.unsupported": (
        "不支持的数据库：{url}（只支持 SQLite 与 PostgreSQL：sqlite:///文件 或 "
        "postgresql+psycopg://…）",
        "unsupported database: {url} (only SQLite and PostgreSQL: sqlite:///FILE or "
        "postgresql+psycopg://…)",
    ),
    "db.driver_missing": (
        "缺少数据库驱动 {module}，无法连接 {url}；PostgreSQL 请用 postgresql+psycopg://…",
        "the database driver {module} is not installed, cannot open {url}; for PostgreSQL "
        "use postgresql+psycopg://…",
    ),
    "db.no_folder": (
        "数据库文件夹不存在：{folder}（未创建 {file}）",
        "the database folder does not exist: {folder} ({file} not created)",
    ),
    "db.conflict": (
        "与同时进行的另一写入冲突，未写入任何内容；请重试：{detail}",
        "conflicted with a concurrent write; nothing was written, run it again: {detail}",
    ),
    "internal": (
        "内部错误，未写入任何内容：{detail}",
        "internal error, nothing written: {detail}",
    ),
    "input.too_large": (
        "输入的数值过大，无法处理，未写入任何内容（{detail}）",
        "a number given is too large to handle; nothing written ({detail})",
    ),
    "input.bad_text": (
        "{option} 含有无法编码的字符 {char}（终端或文件的编码不是 UTF-8？），未写入任何内容",
        "{option} holds a character that cannot be encoded, {char} (is the terminal or "
        "file not UTF-8?); nothing written",
    ),
    "input.bad_text_somewhere": (
        "输入含有无法编码的字符，未写入任何内容（{detail}）",
        "the input holds a character that cannot be encoded; nothing written ({detail})",
    ),
    "out.database": (
        "不能写到 {file}：它是数据库 {database} 本身或其附属文件（-wal、-shm、锚点等）；"
        "请换一个输出文件",
        "cannot write to {file}: it is the database {database} or one of its files (-wal, "
        "-shm, anchors…); choose another output file",
    ),
    "out.sqlite": (
        "不能覆盖 {file}：它是一个数据库文件（备份或另一个基金的数据库）；请换一个输出文件",
        "will not overwrite {file}: it is a database file (a backup or another fund's "
        "database); choose another output file",
    ),
    "out.bad_suffix": (
        "{file}：文件类型应为 {allowed}",
        "{file}: the file type must be {allowed}",
    ),
    "out.exists": (
        "{file} 已存在：换一个文件名，或加 --force 替换",
        "{file} exists: choose another name, or add --force to replace it",
    ),
    "out.is_dir": (
        "{file} 是一个文件夹，请给出文件名",
        "{file} is a folder: give a file name",
    ),
    "out.no_folder": (
        "输出文件夹不存在：{folder}（未写出 {file}）",
        "the output folder does not exist: {folder} ({file} not written)",
    ),
    "out.not_writable": (
        "无权写入文件夹：{folder}",
        "no permission to write in the folder {folder}",
    ),
    "operator.deactivated": (
        "操作员已停用：{name}",
        "operator deactivated: {name}",
    ),
    "operator.inactive_already": (
        "操作员已是停用状态：{name}",
        "the operator is inactive already: {name}",
    ),
    "operator.last_admin": (
        "{name} 是最后一位在用的管理员，不能停用；请先添加另一位管理员",
        "{name} is the last active admin and cannot be deactivated; add another admin first",
    ),
    "operator.not_found": (
        "操作员不存在：{name}",
        "no such operator: {name}",
    ),
    "auth.failed": (
        "无法确认操作员 {name} 的身份（{reason}）：请用 FUNDCORE_TOKEN 出示其令牌",
        "cannot confirm operator {name} ({reason}): present their token in FUNDCORE_TOKEN",
    ),
    "backup.sqlite_only": (
        "备份与恢复命令只用于 SQLite 数据库文件；PostgreSQL 请用 pg_dump / pg_restore",
        "backup and restore are for the SQLite file; use pg_dump / pg_restore for PostgreSQL",
    ),
    "backup.exists": (
        "备份文件已存在，不覆盖：{file}",
        "the backup file exists, not overwritten: {file}",
    ),
    "backup.missing": (
        "备份文件不存在：{file}",
        "no such backup file: {file}",
    ),
    "backup.broken": (
        "备份文件未通过账簿校验，不能使用：{file}",
        "the backup does not verify and cannot be used: {file}",
    ),
    "backup.restore_failed": (
        "恢复后的数据库未通过账簿校验：{file}",
        "the restored database does not verify: {file}",
    ),
    "backup.source_broken": (
        "数据库未通过校验，不做备份（未写出任何文件）：{file}",
        "the database does not verify, no backup made (no file written): {file}",
    ),
    "backup.not_sqlite": (
        "不是 SQLite 数据库文件，不能用于恢复：{file}",
        "not a SQLite database file, cannot be restored from: {file}",
    ),
    "backup.same_file": (
        "备份文件就是当前数据库本身：{file}",
        "the backup file is the current database itself: {file}",
    ),
    "backup.confirm": (
        "恢复会以备份替换当前数据库；确认请加 --yes",
        "restoring replaces the current database with the backup; add --yes to confirm",
    ),
    "role.bad_name": (
        "数据库角色名无效：{name}",
        "invalid database role name: {name}",
    ),
    "role.postgres_only": (
        "数据库角色只用于 PostgreSQL",
        "database roles are for PostgreSQL only",
    ),
}

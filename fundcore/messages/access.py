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
    "db.conflict": (
        "与同时进行的另一写入冲突，未写入任何内容；请重试：{detail}",
        "conflicted with a concurrent write; nothing was written, run it again: {detail}",
    ),
    "internal": (
        "内部错误，未写入任何内容：{detail}",
        "internal error, nothing written: {detail}",
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

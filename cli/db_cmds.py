"""``fund init`` and ``fund db upgrade|current|check``."""

from __future__ import annotations

import click

from cli import context
from cli.context import common_options, emit, t
from fundcore.services import anchoring, database
from fundcore.services.operators import check_name


@click.command("init")
@click.option(
    "--admin", metavar="NAME", help="Create the first admin (only while there is no operator)."
)
@common_options
def init_cmd(admin: str | None) -> None:
    """Create or upgrade the database; load the chart of accounts and the default policy."""
    if admin is not None:
        admin = check_name(admin)  # refuse before anything is written
    engine = context.engine(require_schema=False)
    result = database.initialise(engine, context.operator(), admin)
    key = anchoring.make_key(context.anchor_place())
    revision = result.revision
    lines = [
        t(
            f"数据库已就绪（版本 {revision}）：{context.db_url()}",
            f"database ready (revision {revision}): {context.db_url()}",
        )
    ]
    if key is not None:
        lines.append(
            t(
                f"账本锚点签名密钥：{key}（请妥善保管，勿与数据库放在一起备份）",
                f"ledger anchor signing key: {key} (keep it safe, apart from the database)",
            )
        )
    if result.accounts_added:
        lines.append(
            t(
                f"已载入会计科目 {result.accounts_added} 个",
                f"loaded {result.accounts_added} accounts",
            )
        )
    if result.pii_key_made:
        made = result.pii_key_made
        lines.append(
            t(
                f"已生成个人信息密钥：{made}（数据库之外；请另行妥善备份，丢失则身份证号和手机号无法解密）",
                f"made the personal-data key: {made} (outside the database; back it up "
                "apart: without it the ID and phone numbers cannot be read)",
            )
        )
    if result.policy_loaded:
        lines.append(t("已载入默认政策（第1版）", "loaded the default policy (version 1)"))
    if admin and result.admin_created:
        lines.append(t(f"已创建首位管理员：{admin}", f"created the first admin: {admin}"))
    elif admin:
        lines.append(
            t(
                "已有操作员，未创建管理员；请由现有管理员用 fund operators add 添加",
                "operators exist already, no admin created; an admin adds operators",
            )
        )
    emit(
        {
            "ok": True,
            "revision": revision,
            "accounts_added": result.accounts_added,
            "policy_loaded": result.policy_loaded,
            "admin_created": result.admin_created,
            "signing_key": None if key is None else str(key),
            "pii_key_made": result.pii_key_made,
        },
        "\n".join(lines),
    )


@click.group("db")
@common_options
def db_group() -> None:
    """Schema migrations."""


@db_group.command("upgrade")
@common_options
def upgrade_cmd() -> None:
    """Run the migrations up to head (the reference data is loaded by fund init)."""
    revision = database.upgrade(context.engine(require_schema=False), context.operator())
    emit({"ok": True, "revision": revision}, t(f"已升级到 {revision}", f"upgraded to {revision}"))


@db_group.command("current")
@common_options
def current_cmd() -> None:
    """Show the database's revision and the code's head."""
    found = database.revisions(context.engine(require_schema=False, create=False))
    revision, head = found.current, found.head
    emit(
        {"current": revision, "head": head},
        t(
            f"当前版本 {revision or '无'}，最新 {head}",
            f"current {revision or 'none'}, head {head}",
        ),
    )


@db_group.command("check")
@common_options
def check_cmd() -> None:
    """Exit 1 unless the database is at head and the models agree with the migrations."""
    result = database.check(context.engine(require_schema=False, create=False))
    if result.ok:
        emit(
            {"ok": True, "revision": result.current},
            t(
                f"模型与迁移一致（版本 {result.current}）",
                f"models and migrations agree ({result.current})",
            ),
        )
        return
    problems = list(result.diffs)
    if result.current != result.head:
        problems.insert(
            0,
            t(
                f"数据库版本 {result.current} 不是最新 {result.head}",
                f"database at {result.current}, head is {result.head}",
            ),
        )
    for p in problems:
        click.echo(p, err=True)
    if context.want_json():
        emit(
            {"ok": False, "current": result.current, "head": result.head, "diffs": result.diffs}, ""
        )
    raise SystemExit(1)


def register(group: click.Group) -> None:
    group.add_command(init_cmd)
    group.add_command(db_group)

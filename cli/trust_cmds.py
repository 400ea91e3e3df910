"""``fund backup``, ``fund restore``, ``fund applicants reveal`` and ``fund db role``."""

from __future__ import annotations

from pathlib import Path

import click

from cli import context
from cli.context import common_options, emit, t
from cli.types import RECORD_ID
from fundcore.domain.errors import InputError
from fundcore.services import backup, db_roles, people
from fundcore.store.uow import UnitOfWork


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@common_options
def backup_cmd(file: Path) -> None:
    """Copy the SQLite database to FILE while it stays in use, and verify the copy."""
    report = backup.backup(context.db_url(), file, context.operator())
    emit(
        {"ok": True, "file": str(file), "entries": report.entries, "head_hash": report.head_hash},
        t(
            f"已备份到 {file}：分录 {report.entries} 条，链头 {report.head_hash}",
            f"backed up to {file}: {report.entries} entries, head {report.head_hash}",
        ),
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm replacing the current database.")
@common_options
def restore_cmd(file: Path, yes: bool) -> None:
    """Replace the SQLite database with a verified backup, then verify it again."""
    if not yes:
        raise InputError("backup.confirm")
    report = backup.restore(context.db_url(), file, context.operator())
    emit(
        {"ok": True, "file": str(file), "entries": report.entries, "head_hash": report.head_hash},
        t(
            f"已从 {file} 恢复并校验：分录 {report.entries} 条，链头 {report.head_hash}",
            f"restored from {file} and verified: {report.entries} entries, head {report.head_hash}",
        ),
    )


@click.group("applicants")
@common_options
def applicants_group() -> None:
    """Applicants' personal data."""


@applicants_group.command("reveal")
@click.argument("app_id", type=RECORD_ID)
@click.option("--reason", required=True, help="Why the whole numbers are needed (audited).")
@common_options
def reveal_cmd(app_id: int, reason: str) -> None:
    """Show an applicant's whole ID and phone numbers (admins only; recorded)."""
    with UnitOfWork(context.engine()) as uow:
        person = people.reveal(uow.conn, context.operator(), app_id, reason)
        uow.commit()
    emit(
        {"id": app_id, "name": person.name, "id_number": person.id_number, "phone": person.phone},
        f"{person.name}  {person.id_number}  {person.phone}",
    )


@click.command("role")
@click.argument("login")
@click.option("--operator", "operator_name", required=True)
@common_options
def role_cmd(login: str, operator_name: str) -> None:
    """PostgreSQL: a login role LOGIN for an operator, in its role's group (admins)."""
    db_roles.check_login(login)  # refuse before the database is opened
    with UnitOfWork(context.engine()) as uow:
        made = db_roles.create_login_role(uow.conn, context.operator(), login, operator_name)
        uow.commit()
    emit(
        {"ok": True, "login": made.login, "group": made.group},
        t(
            f"已创建数据库登录角色 {made.login}（{made.group}）",
            f"database login role {made.login} created ({made.group})",
        ),
    )


def register(group: click.Group) -> None:
    group.add_command(backup_cmd)
    group.add_command(restore_cmd)
    group.add_command(applicants_group)
    db = group.commands["db"]
    assert isinstance(db, click.Group)
    db.add_command(role_cmd)

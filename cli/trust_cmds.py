"""``fund backup``, ``fund restore``, ``fund applicants reveal`` and ``fund db role``."""

from __future__ import annotations

import re
from pathlib import Path

import click
from sqlalchemy import insert, select, text

from cli import context
from cli.context import common_options, emit, t
from cli.types import RECORD_ID
from fundcore.domain.errors import InputError, NotFound, RuleBroken
from fundcore.services import backup, operators
from fundcore.store import audit
from fundcore.store.models import Applicant, Application, DbRoleCounty, Operator
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
    apps, people = Application.__table__, Applicant.__table__
    with UnitOfWork(context.engine()) as uow:
        actor = operators.authorise(uow.conn, context.operator(), "applicants.reveal")
        row = uow.conn.execute(
            select(people.c.name, people.c.id_number, apps.c.phone)
            .select_from(apps.join(people, people.c.id == apps.c.applicant_id))
            .where(apps.c.id == app_id)
        ).first()
        if row is None:
            raise NotFound("intake.no_such_application", id=app_id)
        audit.record(
            uow.conn,
            actor.name,
            "applicants.reveal",
            object_type="application",
            object_id=app_id,
            reason=reason,
        )
        uow.commit()
    emit(
        {"id": app_id, "name": row.name, "id_number": row.id_number, "phone": row.phone},
        f"{row.name}  {row.id_number}  {row.phone}",
    )


_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@click.command("role")
@click.argument("login")
@click.option("--operator", "operator_name", required=True)
@common_options
def role_cmd(login: str, operator_name: str) -> None:
    """PostgreSQL: a login role LOGIN for an operator, in its role's group (admins)."""
    if not _ROLE.match(login):
        raise InputError("role.bad_name", name=login)
    with UnitOfWork(context.engine()) as uow:
        if uow.conn.dialect.name != "postgresql":
            raise RuleBroken("role.postgres_only")
        actor = operators.authorise(uow.conn, context.operator(), "operators.add")
        op = uow.conn.execute(
            select(Operator.__table__).where(Operator.name == operator_name)
        ).first()
        if op is None:
            raise NotFound("operator.unknown", name=operator_name)
        uow.conn.execute(
            text(
                f"DO $$ BEGIN CREATE ROLE {login} LOGIN; EXCEPTION WHEN duplicate_object "
                "THEN NULL; END $$"
            )
        )
        uow.conn.execute(text(f"GRANT fundcore_{op.role} TO {login}"))
        if op.county_code:
            uow.conn.execute(
                insert(DbRoleCounty.__table__).values(role_name=login, county_code=op.county_code)
            )
        audit.record(
            uow.conn,
            actor.name,
            "db.role",
            object_type="operator",
            object_id=operator_name,
            login=login,
        )
        uow.commit()
    emit(
        {"ok": True, "login": login, "group": f"fundcore_{op.role}"},
        t(
            f"已创建数据库登录角色 {login}（fundcore_{op.role}）",
            f"database login role {login} created (fundcore_{op.role})",
        ),
    )


def register(group: click.Group) -> None:
    group.add_command(backup_cmd)
    group.add_command(restore_cmd)
    group.add_command(applicants_group)
    db = group.commands["db"]
    assert isinstance(db, click.Group)
    db.add_command(role_cmd)

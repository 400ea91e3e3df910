"""``fund operators add|list``."""

from __future__ import annotations

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from fundcore import operators
from fundcore.uow import UnitOfWork


@click.group("operators")
@common_options
def operators_group() -> None:
    """Who may act on the fund."""


@operators_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(operators.ROLES))
@click.option("--county", "county_code", metavar="CODE", help="The county of a county operator.")
@common_options
def add_cmd(name: str, role: str, county_code: str | None) -> None:
    """Add an operator (admins only)."""
    with UnitOfWork(context.engine()) as uow:
        actor = operators.authorise(uow.conn, context.operator(), "operators.add")
        operators.add(uow.conn, actor, name, role, county_code)
        uow.commit()
    emit(
        {"ok": True, "name": name.strip(), "role": role, "county": county_code},
        t(f"已添加操作员 {name.strip()}（{role}）", f"added operator {name.strip()} ({role})"),
    )


@operators_group.command("list")
@common_options
def list_cmd() -> None:
    """List operators."""
    with UnitOfWork(context.engine(), write=False) as uow:
        rows = operators.list_all(uow.conn)
    headers = [t("名称", "name"), t("角色", "role"), t("县", "county"), t("状态", "status")]
    body = [
        [
            r["name"],
            r["role"],
            r["county_code"] or "",
            t("在用", "active") if r["active"] else t("停用", "inactive"),
        ]
        for r in rows
    ]
    emit(
        [{k: r[k] for k in ("name", "role", "county_code", "active")} for r in rows],
        lambda: render(headers, body, set()),
    )


def register(group: click.Group) -> None:
    group.add_command(operators_group)

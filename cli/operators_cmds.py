"""``fund operators add|deactivate|list`` and operators' tokens."""

from __future__ import annotations

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from fundcore.services import operator_admin, operators
from fundcore.store.uow import UnitOfWork


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
        operator_admin.add_operator(uow.conn, context.operator(), name, role, county_code)
        uow.commit()
    emit(
        {"ok": True, "name": name.strip(), "role": role, "county": county_code},
        t(f"已添加操作员 {name.strip()}（{role}）", f"added operator {name.strip()} ({role})"),
    )


@operators_group.command("deactivate")
@click.argument("name")
@click.option("--reason", help="Why (kept in the audit log).")
@common_options
def deactivate_cmd(name: str, reason: str | None) -> None:
    """Deactivate an operator (admins only): they can no longer act; their tokens are revoked."""
    with UnitOfWork(context.engine()) as uow:
        revoked = operator_admin.deactivate_operator(uow.conn, context.operator(), name, reason)
        uow.commit()
    emit(
        {"ok": True, "name": name, "active": False, "tokens_revoked": revoked},
        t(
            f"已停用操作员 {name}（吊销令牌 {revoked} 个）",
            f"deactivated operator {name} ({revoked} token(s) revoked)",
        ),
    )


@operators_group.command("list")
@common_options
def list_cmd() -> None:
    """List operators."""
    with UnitOfWork(context.engine(), write=False) as uow:
        rows = operator_admin.list_operators(uow.conn)
    headers = [t("名称", "name"), t("角色", "role"), t("县", "county"), t("状态", "status")]
    body = [
        [
            r.name,
            r.role,
            r.county_code or "",
            t("在用", "active") if r.active else t("停用", "inactive"),
        ]
        for r in rows
    ]
    emit(
        [
            {"name": r.name, "role": r.role, "county_code": r.county_code, "active": r.active}
            for r in rows
        ],
        lambda: render(headers, body, set()),
    )


def register(group: click.Group) -> None:
    group.add_command(operators_group)


@operators_group.group("token")
@common_options
def token_group() -> None:
    """Operators' tokens (admins only)."""


@token_group.command("issue")
@click.argument("name")
@common_options
def token_issue_cmd(name: str) -> None:
    """Issue a token for NAME (any older token of NAME is revoked). Shown once."""
    with UnitOfWork(context.engine()) as uow:
        issued = operator_admin.issue_token(uow.conn, context.operator(), name)
        uow.commit()
    emit(
        {"ok": True, "operator": name, "token": issued.token},
        t(
            f"{name} 的令牌（只显示这一次，请妥善交付）：\n{issued.token}",
            f"token for {name} (shown only this once; hand it over safely):\n{issued.token}",
        ),
    )


@token_group.command("revoke")
@click.argument("name")
@common_options
def token_revoke_cmd(name: str) -> None:
    """Revoke every token of NAME."""
    with UnitOfWork(context.engine()) as uow:
        n = operator_admin.revoke_tokens(uow.conn, context.operator(), name)
        uow.commit()
    emit(
        {"ok": True, "operator": name, "revoked": n},
        t(f"已吊销 {name} 的令牌 {n} 个", f"revoked {n} token(s) of {name}"),
    )


@operators_group.command("require-tokens")
@click.argument("state", type=click.Choice(["on", "off"]))
@common_options
def require_tokens_cmd(state: str) -> None:
    """Require every operator to present their token (FUNDCORE_TOKEN) from now on."""
    with UnitOfWork(context.engine()) as uow:
        operator_admin.require_tokens(uow.conn, context.operator(), state == "on")
        uow.commit()
    emit(
        {"ok": True, "required": state == "on"},
        t(
            "已要求所有操作员出示令牌" if state == "on" else "已取消令牌要求",
            "tokens are now required" if state == "on" else "tokens are no longer required",
        ),
    )

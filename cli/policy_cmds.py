"""``fund policy show|set``: the programme's figures, versioned by effective date."""

from __future__ import annotations

import dataclasses
from datetime import date

import click

from cli import context
from cli.context import common_options, emit, t
from cli.types import DATE
from fundcore.domain.errors import InputError
from fundcore.domain.money import format_fen
from fundcore.domain.policy import PolicyInForce, parse_setting
from fundcore.services import policy
from fundcore.store.uow import UnitOfWork


@click.group("policy")
@common_options
def policy_group() -> None:
    """Programme rules as data."""


@policy_group.command("show")
@click.option("--version", "version", type=click.IntRange(1, 2**31 - 1), help="A given version.")
@click.option("--on", "on", type=DATE, help="The version in force on this date.")
@common_options
def show_cmd(version: int | None, on: date | None) -> None:
    """Show a policy version (default: every version, newest last)."""
    with UnitOfWork(context.engine(), write=False) as uow:
        if version is not None:
            versions = [policy.by_version(uow.conn, version)]
        elif on is not None:
            versions = [policy.in_force(uow.conn, on)]
        else:
            versions = policy.history(uow.conn)
    emit([_doc(v) for v in versions], lambda: "\n\n".join(_human(v) for v in versions))


def _doc(v: PolicyInForce) -> dict:
    return {
        "version": v.version,
        "effective_from": v.effective_from.isoformat(),
        **dataclasses.asdict(v.policy),
    }


def _human(v: PolicyInForce) -> str:
    lines = [
        t(
            f"政策第 {v.version} 版，自 {v.effective_from} 起施行",
            f"policy version {v.version}, in force from {v.effective_from}",
        )
    ]
    for key, value in dataclasses.asdict(v.policy).items():
        if key.endswith("_fen") and isinstance(value, int):
            value = format_fen(value, context.lang())
        elif isinstance(value, list | tuple):
            value = ", ".join(map(str, value))
        lines.append(f"  {key} = {value}")
    return "\n".join(lines)


@policy_group.command("set")
@click.argument("settings", nargs=-1, required=True, metavar="KEY=VALUE...")
@click.option("--effective", "effective", required=True, type=DATE)
@common_options
def set_cmd(settings: tuple[str, ...], effective: date) -> None:
    """A new policy version from the newest one with KEY=VALUE changed (admin).

    Amounts (*_fen keys) are typed in yuan, e.g. amount_max_fen=10万.
    """
    changes: dict[str, object] = {}
    for item in settings:
        key, sep, value = item.partition("=")
        if not sep:
            raise InputError("policy.bad_setting", item=item)
        changes[key.strip()] = parse_setting(key.strip(), value)
    with UnitOfWork(context.engine()) as uow:
        v = policy.add_version(uow.conn, context.operator(), effective, changes)
        uow.commit()
    emit(
        _doc(v),
        t(
            f"已生效政策第 {v.version} 版（自 {effective} 起）",
            f"policy version {v.version} recorded, in force from {effective}",
        ),
    )


def register(group: click.Group) -> None:
    group.add_command(policy_group)

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
from fundcore.domain.policy import PolicyInForce
from fundcore.domain.policy_keys import PolicyKey, all_keys, parse_setting
from fundcore.services import policy
from fundcore.store.uow import UnitOfWork


@click.group("policy")
@common_options
def policy_group() -> None:
    """Programme rules as data."""


@policy_group.command("show")
@click.option("--version", "version", type=click.IntRange(1, 2**31 - 1), help="A given version.")
@click.option("--on", "on", type=DATE, help="The version in force on this date.")
@click.option(
    "--keys", "keys", is_flag=True, help="Every key: type, unit, allowed values, meaning."
)
@common_options
def show_cmd(version: int | None, on: date | None, keys: bool) -> None:
    """Show a policy version (default: every version, newest last), or with --keys what
    each key means and takes."""
    if keys:
        described = [_key_doc(k) for k in all_keys()]
        emit(described, lambda: "\n".join(_key_human(d) for d in described))
        return
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


def _key_doc(k: PolicyKey) -> dict:
    i = 1 if context.lang() == "en" else 0
    return {
        "name": k.name,
        "type": k.kind,
        "unit": k.unit[i],
        "allowed": k.allowed(context.lang()),
        "choices": [word for word, _zh, _en in k.choices],
        "meaning": k.meaning[i],
    }


def _key_human(d: dict) -> str:
    kind = f"{d['type']}, {d['unit']}" if d["unit"] else d["type"]
    allowed = t("可取值", "allowed")
    return f"{d['name']}  [{kind}]  {d['meaning']}\n    {allowed}: {d['allowed']}"


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
@click.option(
    "--effective",
    "--date",
    "effective",
    required=True,
    type=DATE,
    help="The business date the version takes effect.",
)
@common_options
def set_cmd(settings: tuple[str, ...], effective: date) -> None:
    """A new policy version from the newest one with KEY=VALUE changed (admin).

    Amounts (*_fen keys) are typed in yuan, e.g. amount_max_fen=10万; text keys take
    their words, e.g. bank_method=equal_principal (or 等额本金). `fund policy show --keys`
    lists every key, its type and what it takes. A version may not take effect in a closed
    month, nor on or before a day decisions were taken under the version then in force.
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

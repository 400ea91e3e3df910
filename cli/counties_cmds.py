"""``fund counties import|list``."""

from __future__ import annotations

from pathlib import Path

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from fundcore.intake.register import parse_register
from fundcore.messages import term
from fundcore.services import registry
from fundcore.store.uow import UnitOfWork


@click.group("counties")
@common_options
def counties_group() -> None:
    """The register of programme counties."""


@counties_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@common_options
def import_cmd(file: Path) -> None:
    """Import the register (CSV: code, name, province, category[, prefecture]); admin."""
    rows = parse_register(file.read_bytes())
    with UnitOfWork(context.engine()) as uow:
        report = registry.import_counties(uow.conn, context.operator(), rows, file.name)
        uow.commit()
    added = sum(change.added for change in report.taken)
    updated = len(report.taken) - added
    unchanged = len(report.unchanged)
    emit(
        {"ok": True, "added": added, "updated": updated, "unchanged": unchanged},
        t(
            f"县名录：新增 {added}，更新 {updated}，未变 {unchanged}",
            f"register: {added} added, {updated} updated, {unchanged} unchanged",
        ),
    )


@counties_group.command("list")
@click.option("--province", help="Only this province (e.g. 山西省).")
@common_options
def list_cmd(province: str | None) -> None:
    """List the counties of the register."""
    with UnitOfWork(context.engine(), write=False) as uow:
        rows = registry.list_counties(uow.conn, province)
    lang = context.lang()
    headers = [
        t("代码", "code"),
        t("县", "county"),
        t("省份", "province"),
        t("地市", "prefecture"),
        t("类别", "category"),
    ]
    body = [[r.code, r.name, r.province, r.prefecture or "", term(r.category, lang)] for r in rows]
    emit(
        [registry.as_dict(r) for r in rows],
        lambda: (
            render(headers, body, set()) + "\n" + t(f"共 {len(rows)} 个县", f"{len(rows)} counties")
        ),
    )


def register(group: click.Group) -> None:
    group.add_command(counties_group)

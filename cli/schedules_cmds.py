"""``fund schedule``, ``fund restructure`` and ``fund calendar import``: repayment
schedules, seen, replaced by a new version, and re-dated for China's holidays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from cli.types import DATE, RECORD_ID
from fundcore.domain.money import format_fen
from fundcore.domain.schedules import interest_only_months
from fundcore.domain.workdays import parse_holiday_notice
from fundcore.messages import term
from fundcore.services import facility_views, plans
from fundcore.store.uow import UnitOfWork

_date = click.option("--date", "business_date", required=True, type=DATE)


@click.command("schedule")
@click.argument("facility_id", type=RECORD_ID)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    help="As it stood at the end of this day: the version then in force, paid by then.",
)
@click.option(
    "--version",
    "version",
    type=click.IntRange(1),
    help="This schedule version (an earlier one a restructuring replaced) instead.",
)
@common_options
def schedule_cmd(facility_id: int, as_of: date | None, version: int | None) -> None:
    """A facility's repayment schedule in force (or --version N), with what has been paid."""
    with UnitOfWork(context.engine(), write=False) as uow:
        view = facility_views.schedule(uow.conn, context.operator(), facility_id, as_of, version)
    rows = view.instalments
    lang = context.lang()
    headers = [
        t("期", "no"),
        t("应还日", "due"),
        t("本金", "principal"),
        t("利息", "interest"),
        t("贴息", "subsidy"),
        t("已还本金", "paid"),
    ]
    body = [
        [
            str(r.no),
            r.due_date.isoformat(),
            format_fen(r.principal_fen, lang),
            format_fen(r.interest_fen, lang),
            format_fen(r.subsidy_fen, lang),
            format_fen(r.paid_principal_fen, lang),
        ]
        for r in rows
    ]
    kind, status = term(view.facility.instrument, lang), term(view.status, lang)
    owed = format_fen(view.outstanding_fen, lang)
    title = t(
        f"业务 #{facility_id}（{kind}，{status}）在贷余额 {owed}，第 {view.version} 版计划",
        f"facility #{facility_id} ({kind}, {status}), outstanding {owed}, "
        f"schedule version {view.version}",
    )
    grace = interest_only_months(r.principal_fen for r in rows)
    if grace:
        title += t(
            f"；前 {grace} 期只付利息、不还本金", f"; the first {grace} instalments interest only"
        )
    if view.as_of is not None:
        title = t(f"截至 {view.as_of.isoformat()}：", f"As of {view.as_of.isoformat()}: ") + title
    title += _version_note(view)
    emit(
        {
            "id": facility_id,
            "as_of": view.as_of.isoformat() if view.as_of else None,
            "status": view.status,
            "outstanding_fen": view.outstanding_fen,
            "version": view.version,
            "in_force_version": view.in_force,
            "version_from": view.from_date.isoformat() if view.from_date else None,
            "version_until": view.until.isoformat() if view.until else None,
            "interest_only_months": grace,
            "instalments": [
                {
                    "no": r.no,
                    "due_date": r.due_date.isoformat(),
                    "principal_fen": r.principal_fen,
                    "interest_fen": r.interest_fen,
                    "subsidy_fen": r.subsidy_fen,
                    "paid_principal_fen": r.paid_principal_fen,
                }
                for r in rows
            ],
        },
        lambda: title + "\n" + render(headers, body, {0, 2, 3, 4, 5}),
    )


def _version_note(view: facility_views.ScheduleView) -> str:
    """For an earlier version: the days it was in force and the version in force instead."""
    if view.version == view.in_force or view.from_date is None:
        return ""
    start, until = view.from_date.isoformat(), view.until.isoformat() if view.until else ""
    then = view.as_of is not None
    return t(
        f"（执行期 {start} 至 {until}；{'当时' if then else '现'}执行第 {view.in_force} 版）",
        f" (in force {start} to {until}; version {view.in_force} in force "
        f"{'then' if then else 'now'})",
    )


@click.command("restructure")
@click.argument("facility_id", type=RECORD_ID)
@click.option(
    "--term",
    "term_months",
    required=True,
    type=click.IntRange(1, 120),
    help="Months of repayment in the new schedule.",
)
@click.option(
    "--pause",
    "pause_months",
    default=0,
    type=click.IntRange(0, 24),
    help="Months with no principal due first (e.g. after a disaster).",
)
@click.option("--reason", required=True)
@_date
@common_options
def restructure_cmd(
    facility_id: int, term_months: int, pause_months: int, reason: str, business_date: date
) -> None:
    """A new schedule over what is still owed; the old version is kept (finance)."""
    with UnitOfWork(context.engine()) as uow:
        version = plans.restructure(
            uow.conn,
            context.operator(),
            facility_id,
            business_date,
            term_months,
            pause_months,
            reason,
        )
        uow.commit()
    emit(
        {"ok": True, "id": facility_id, "version": version},
        t(
            f"业务 #{facility_id} 已调整还款计划（第 {version} 版）",
            f"facility #{facility_id} restructured (schedule version {version})",
        ),
    )


@click.group("calendar")
@common_options
def calendar_group() -> None:
    """China's statutory holidays and adjusted working days."""


@calendar_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_date
@common_options
def calendar_import_cmd(file: Path, business_date: date) -> None:
    """Load a State Council holiday notice (CSV date,kind,name); re-date what is not yet due."""
    rows = parse_holiday_notice(file.read_bytes().decode("utf-8-sig", errors="replace"))
    with UnitOfWork(context.engine()) as uow:
        out = plans.import_notice(uow.conn, context.operator(), rows, business_date)
        uow.commit()
    years = ", ".join(map(str, out.years))
    emit(
        {"ok": True, "days": out.days, "years": list(out.years), "redated": out.redated},
        t(
            f"已载入 {years} 年节假日安排 {out.days} 天，调整未到期应还日 {out.redated} 期",
            f"loaded {out.days} days of the {years} notice; {out.redated} instalments re-dated",
        ),
    )


def register(group: click.Group) -> None:
    for cmd in (schedule_cmd, restructure_cmd, calendar_group):
        group.add_command(cmd)

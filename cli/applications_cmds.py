"""``fund apply``, ``fund applications template|import|list|show|amend|withdraw`` and
``fund review``."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from cli.types import DATE, RECORD_ID
from fundcore.domain.errors import InputError
from fundcore.domain.money import format_fen, format_plain
from fundcore.domain.terms import ApplicationStatus
from fundcore.intake.application import read_application
from fundcore.intake.batch import Problem
from fundcore.intake.columns import APPLICATION_COLUMNS
from fundcore.intake.sheet import read_sheet
from fundcore.intake.template import write_template
from fundcore.messages import render as message
from fundcore.messages import term
from fundcore.services import amendments, applications, queue, sheet_import
from fundcore.services.applications import Taken
from fundcore.services.batch import BatchReport, Mode
from fundcore.store import paths
from fundcore.store.uow import UnitOfWork

_COLUMN_NAMES = {c.key: (c.zh, c.en) for c in APPLICATION_COLUMNS}


def _column(key: str | None, headers: dict[str, str] | None = None) -> str:
    if key is None:
        return ""
    if headers and key in headers:
        return headers[key]
    zh, en = _COLUMN_NAMES.get(key, (key, key))
    return en if context.lang() == "en" else zh


_OPTION_NAMES = {
    "county_code": "--county",
    "term_months": "--term",
    "employed_poor_ids": "--employed",
}


def _option(key: str | None) -> str:
    """The ``fund apply`` option a problem is about."""
    if key is None:
        return ""
    return _OPTION_NAMES.get(key, "--" + key.replace("_", "-"))


def _problem_line(p: Problem, headers: dict[str, str] | None) -> str:
    reason = message(p.code, p.params, context.lang())
    if p.line is None:
        return f"{_option(p.column)}: {reason}" if p.column else reason
    col = _column(p.column, headers)
    return t(f"第 {p.line} 行 [{col}]：{reason}", f"line {p.line} [{col}]: {reason}")


def _note_line(p: Problem, headers: dict[str, str] | None) -> str:
    """A note: something ignored in a row that was still taken."""
    reason = message(p.code, p.params, context.lang())
    if p.line is None:
        where = _option(p.column)
        return t(f"提示：{where}：{reason}", f"note: {where}: {reason}")
    col = _column(p.column, headers)
    return t(f"第 {p.line} 行 [{col}]（提示）：{reason}", f"line {p.line} [{col}] (note): {reason}")


def _problem_doc(p: Problem, headers: dict[str, str] | None) -> dict:
    return {
        "line": p.line,
        "column": p.column,
        "header": _column(p.column, headers),
        "code": p.code,
        "message": message(p.code, p.params, context.lang()),
    }


@click.command("apply")
@click.option("--ref", required=True, help="The county's own reference.")
@click.option("--name", required=True)
@click.option("--id-number", required=True)
@click.option("--phone", required=True)
@click.option("--county", "county_code", required=True)
@click.option("--registered-poor", default="否", show_default=True, help="是/否")
@click.option("--project-name", required=True)
@click.option("--project-type", default="")
@click.option("--industry", default="")
@click.option(
    "--instrument", required=True, help="guarantee|loan|grant (担保贷款/免息借款/小额资助)"
)
@click.option("--amount", required=True, help="Yuan.")
@click.option("--term", "term_months", default="", help="Months (guarantees and loans).")
@click.option("--bank", default="", help="Cooperating bank (guarantees).")
@click.option("--local-support", default="", help="counter-guarantee|matching")
@click.option(
    "--employed",
    "employed_poor_ids",
    default="",
    help="ID numbers of poor-household youth employed, separated by ;",
)
@click.option("--household-ref", default="", help="户口簿户号 (related parties share one).")
@click.option("--enterprise-code", default="", help="统一社会信用代码 (related parties share one).")
@click.option("--date", "business_date", required=True, type=DATE, help="Submission date.")
@common_options
def apply_cmd(business_date: date, **values: str) -> None:
    """Submit one application (county league or finance)."""
    row = read_application(values)
    notes = [Problem(None, n.column, n.code, n.params) for n in row.notes]
    app = row.app
    with UnitOfWork(context.engine()) as uow:
        if app is None:  # exactly when there are errors: add those of the rules still run
            probs = [Problem(None, e.column, e.code, e.params) for e in row.errors]
            bad = applications.Unparsed.of(None, row)
            screened = applications.submit(
                uow.conn, context.operator(), [], business_date, unparsed=[bad]
            )
            _refuse(probs + screened.problems, None, notes)
        report = applications.submit(uow.conn, context.operator(), [(None, app)], business_date)
        if report.problems:
            _refuse(report.problems, None, notes)
        uow.commit()
    for n in notes:
        click.echo(_note_line(n, None), err=True)
    if report.unchanged:
        _, ref, app_id = report.unchanged[0]
        emit(
            {"ok": True, "created": False, "id": app_id},
            t(
                f"编号 {ref} 已提交过（申请 #{app_id}），内容相同，未重复提交",
                f"ref {ref} was already submitted as application #{app_id}; nothing changed",
            ),
        )
        return
    _, ref, app_id = report.taken[0]
    emit(
        {
            "ok": True,
            "created": True,
            "id": app_id,
            "policy_version": report.policy_version,
            "notes": [_problem_doc(n, None) for n in notes],
        },
        t(f"已提交申请 #{app_id}（编号 {ref}）", f"submitted application #{app_id} (ref {ref})"),
    )


def _refuse(
    problems: list[Problem], headers: dict[str, str] | None, notes: list[Problem] | None = None
) -> NoReturn:
    for n in notes or ():
        click.echo(_note_line(n, headers), err=True)
    for p in problems:
        click.echo(_problem_line(p, headers), err=True)
    if context.want_json():
        emit({"ok": False, "errors": [_problem_doc(p, headers) for p in problems]}, "")
    sys.exit(1)


@click.group("applications")
@common_options
def applications_group() -> None:
    """Applications from county leagues."""


@applications_group.command("template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@common_options
def template_cmd(file: Path, force: bool) -> None:
    """Write an empty application sheet (.xlsx or .csv) with the expected headers."""
    if file.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError("out.bad_suffix", file=str(file), allowed=".csv / .xlsx")
    paths.check_target(file, context.database_file(), force=force)
    with paths.written(file, context.database_file(), force=force) as staged:
        write_template(staged, context.lang())
    emit({"ok": True, "file": str(file)}, t(f"已写出模板：{file}", f"template written: {file}"))


@applications_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--date", "business_date", required=True, type=DATE, help="Submission date.")
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option("--all-or-nothing", is_flag=True, help="Take nothing if any row is bad.")
@common_options
def import_cmd(file: Path, business_date: date, dry_run: bool, all_or_nothing: bool) -> None:
    """Import a sheet: take every valid row, report every bad one (line, column, reason)."""
    sheet = read_sheet(file)
    with UnitOfWork(context.engine()) as uow:
        report = sheet_import.import_sheet(
            uow.conn,
            context.operator(),
            sheet,
            business_date,
            Mode(dry_run=dry_run, all_or_nothing=all_or_nothing),
            source=file.name,
            progress=_progress,
        )
        uow.commit()
    _import_summary(report, sheet.headers, len(sheet.rows))
    if report.problems:
        sys.exit(1)


@contextlib.contextmanager
def _progress(n: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal for a large sheet; nothing otherwise."""
    if sys.stderr.isatty() and n > 200:
        label = t("审核", "screening")
        with click.progressbar(length=n, label=label, file=sys.stderr, show_eta=False) as bar:
            yield bar.update
    else:
        yield lambda _n: None


def _import_summary(report: BatchReport[Taken, Taken], headers: dict[str, str], rows: int) -> None:
    for p in report.problems:
        click.echo(_problem_line(p, headers), err=True)
    for n in report.notes:
        click.echo(_note_line(n, headers), err=True)
    written = report.written
    if report.mode.dry_run:
        head = t("试运行，未写入：", "dry run, nothing written: ")
    elif report.refused:
        head = t(
            "有错误行，按 --all-or-nothing 未写入：", "bad rows, --all-or-nothing took nothing: "
        )
    else:
        head = ""
    took = (t("接收", "taken") if written else t("可接收", "could be taken"), len(report.accepted))
    text = head + t(
        f"共 {rows} 行：{took[0]} {took[1]}，未变 {len(report.unchanged)}，错误 {report.bad_lines}",
        f"{rows} rows: {took[1]} {took[0]}, {len(report.unchanged)} unchanged, "
        f"{report.bad_lines} bad",
    )
    if report.notes:
        text += t(f"，提示 {len(report.notes)}", f", {len(report.notes)} with notes")
    # ids exist only once written: a dry run's or a refusal's were rolled back
    emit(
        {
            "ok": not report.problems,
            "dry_run": report.mode.dry_run,
            "written": bool(report.taken),
            "rows": rows,
            "batch_id": report.batch_id if written else None,
            "taken": [{"line": ln, "ref": ref, "id": i} for ln, ref, i in report.taken],
            "would_take": [{"line": ln, "ref": ref} for ln, ref, _ in report.would_take],
            "unchanged": [{"line": ln, "ref": ref, "id": i} for ln, ref, i in report.unchanged],
            "errors": [_problem_doc(p, headers) for p in report.problems],
            "notes": [_problem_doc(n, headers) for n in report.notes],
        },
        text,
    )


def _status(v: queue.ApplicationView, lang: str) -> str:
    """The status as people read it; a half-approved one as "已批准 1/2"."""
    if v.approvals_needed:
        n, of = v.approvals, v.approvals_needed
        return t(f"已批准 {n}/{of}", f"approved {n}/{of}")
    return term(v.status, lang)


def _view_doc(v: queue.ApplicationView) -> dict:
    return {
        "id": v.id,
        "county_code": v.county_code,
        "county": v.county_name,
        "ref": v.ref,
        "name": v.name,
        "id_number": v.id_number_masked,
        "phone": v.phone_masked,
        "instrument": v.instrument,
        "amount": format_plain(v.amount_fen),
        "amount_fen": v.amount_fen,
        "term_months": v.term_months,
        "registered_poor": v.registered_poor,
        "status": v.status,
        "approvals": v.approvals,
        "approvals_needed": v.approvals_needed,
        "submitted_on": v.submitted_on.isoformat(),
        "project_name": v.project_name,
        "project_type": v.project_type,
        "industry": v.industry,
        "bank": v.bank,
        "local_support": v.local_support,
        "policy_version": v.policy_version,
        "employed_poor_ids": list(v.employed_masked),
    }


@applications_group.command("list")
@click.option("--status", type=click.Choice([status.value for status in ApplicationStatus]))
@click.option("--county", metavar="CODE")
@click.option("--limit", type=click.IntRange(1, 1_000_000))
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    help="Those submitted by this date, with their status then (--status filters on it).",
)
@common_options
def list_cmd(status: str | None, county: str | None, limit: int | None, as_of: date | None) -> None:
    """Applications, registered-poor-led first, then by submission."""
    with UnitOfWork(context.engine(), write=False) as uow:
        views = queue.list_applications(
            uow.conn, context.operator(), status=status, county=county, limit=limit, as_of=as_of
        )
    lang = context.lang()
    headers = [
        t("申请", "id"),
        t("县", "county"),
        t("编号", "ref"),
        t("姓名", "name"),
        t("身份证号", "ID number"),
        t("方式", "instrument"),
        t("金额", "amount"),
        t("贫困户", "poor"),
        t("状态", "status"),
        t("提交日", "submitted"),
    ]
    body = [
        [
            str(v.id),
            v.county_name,
            v.ref,
            v.name,
            v.id_number_masked,
            term(v.instrument, lang),
            format_fen(v.amount_fen, lang),
            t("是", "yes") if v.registered_poor else t("否", "no"),
            _status(v, lang),
            v.submitted_on.isoformat(),
        ]
        for v in views
    ]
    emit(
        [_view_doc(v) for v in views],
        lambda: (
            render(headers, body, {0, 6})
            + "\n"
            + t(f"共 {len(views)} 件", f"{len(views)} applications")
            + (t(f"（截至 {as_of}）", f" as of {as_of}") if as_of else "")
        ),
    )


@applications_group.command("show")
@click.argument("app_id", type=RECORD_ID)
@common_options
def show_cmd(app_id: int) -> None:
    """One application in full (identifiers masked)."""
    with UnitOfWork(context.engine(), write=False) as uow:
        v = queue.show(uow.conn, context.operator(), app_id)
        amended = amendments.history(uow.conn, app_id)
    lang = context.lang()
    pairs = [
        (t("申请", "application"), f"#{v.id}  {_status(v, lang)}"),
        (t("县", "county"), f"{v.county_name} ({v.county_code})"),
        (t("编号", "ref"), v.ref),
        (t("姓名", "name"), v.name),
        (t("身份证号", "ID number"), v.id_number_masked),
        (t("手机号", "phone"), v.phone_masked),
        (
            t("建档立卡贫困户", "registered poor"),
            t("是", "yes") if v.registered_poor else t("否", "no"),
        ),
        (t("项目", "project"), v.project_name),
        (t("支持方式", "instrument"), term(v.instrument, lang)),
        (t("金额", "amount"), format_fen(v.amount_fen, lang)),
        (t("期限(月)", "term (months)"), str(v.term_months or "")),
        (t("合作银行", "bank"), v.bank or ""),
        (t("地方配套", "local support"), term(v.local_support, lang) if v.local_support else ""),
        (t("带动贫困青年", "poor youth employed"), "; ".join(v.employed_masked)),
        (t("提交", "submitted"), f"{v.submitted_on} {v.submitted_by}"),
        (t("政策版本", "policy version"), str(v.policy_version)),
    ]
    pairs += [
        (
            t("修改", "amended"),
            f"{a.business_date} {a.operator} "
            + "; ".join(f"{_column(k)} {old} → {new}" for k, (old, new) in a.changes.items()),
        )
        for a in amended
    ]
    doc = _view_doc(v) | {
        "amendments": [
            {"date": a.business_date.isoformat(), "operator": a.operator, "changes": a.changes}
            for a in amended
        ]
    }
    emit(doc, lambda: "\n".join(f"{k}: {val}" for k, val in pairs))


@applications_group.command("amend")
@click.argument("app_id", type=RECORD_ID)
@click.argument("fields", nargs=-1, required=True, metavar="FIELD=VALUE...")
@click.option("--date", "business_date", required=True, type=DATE, help="Amendment date.")
@common_options
def amend_cmd(app_id: int, fields: tuple[str, ...], business_date: date) -> None:
    """Correct a returned application (its county league) and submit it again.

    FIELD is a sheet header or its English name (金额=30000, amount=30000); the
    application is screened again under the policy in force on --date."""
    with UnitOfWork(context.engine()) as uow:
        report = amendments.amend(uow.conn, context.operator(), app_id, fields, business_date)
        if report.problems:
            _refuse_fields(report.problems)
        uow.commit()
    names = "、".join(_column(k) for k in report.changed)
    emit(
        {
            "ok": True,
            "id": app_id,
            "changed": report.changed,
            "status": ApplicationStatus.SUBMITTED,
            "policy_version": report.policy_version,
        },
        t(
            f"申请 #{app_id} 已修改（{names}）并重新提交审核",
            f"application #{app_id} amended ({names}) and submitted again for review",
        ),
    )


def _refuse_fields(problems: list[Problem]) -> NoReturn:
    """Every problem of an amendment, each naming its field as the sheet heads it."""
    for p in problems:
        reason = message(p.code, p.params, context.lang())
        click.echo(f"{_column(p.column)}: {reason}" if p.column else reason, err=True)
    if context.want_json():
        emit({"ok": False, "errors": [_problem_doc(p, None) for p in problems]}, "")
    sys.exit(1)


@applications_group.command("withdraw")
@click.argument("app_id", type=RECORD_ID)
@click.option("--reason", required=True)
@click.option("--date", "business_date", required=True, type=DATE, help="Withdrawal date.")
@common_options
def withdraw_cmd(app_id: int, reason: str, business_date: date) -> None:
    """Withdraw a pending or returned application; its applicant may apply again."""
    with UnitOfWork(context.engine()) as uow:
        amendments.withdraw(uow.conn, context.operator(), app_id, business_date, reason)
        uow.commit()
    emit(
        {"ok": True, "id": app_id, "status": ApplicationStatus.WITHDRAWN},
        t(f"申请 #{app_id} 已撤回", f"application #{app_id} withdrawn"),
    )


@click.command("review")
@click.argument("app_id", type=RECORD_ID)
@common_options
def review_cmd(app_id: int) -> None:
    """Run every eligibility rule on an application and show each result."""
    with UnitOfWork(context.engine(), write=False) as uow:
        results = queue.review(uow.conn, context.operator(), app_id)
    lang = context.lang()
    lines = [f"{'✓' if r.passed else '✗'} {message(r.code, r.params, lang)}" for r in results]
    ok = all(r.passed for r in results)
    lines.append(
        t("全部规则通过" if ok else "有规则未通过", "all rules pass" if ok else "some rules fail")
    )
    emit(
        {
            "id": app_id,
            "eligible": ok,
            "rules": [
                {
                    "rule": r.rule,
                    "passed": r.passed,
                    "code": r.code,
                    "message": message(r.code, r.params, lang),
                }
                for r in results
            ],
        },
        "\n".join(lines),
    )


def register(group: click.Group) -> None:
    group.add_command(apply_cmd)
    group.add_command(applications_group)
    group.add_command(review_cmd)

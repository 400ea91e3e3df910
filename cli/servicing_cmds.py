"""``fund repay`` (and ``--undo``), ``fund repayments import``, ``fund close-day``,
``fund claims pay``, ``fund claims county``, ``fund recoveries record`` and
``fund write-off``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from cli.types import DATE, RECORD_ID, YUAN
from fundcore.domain.claims import Cover
from fundcore.domain.money import format_fen, format_plain
from fundcore.domain.repayments import RepaymentIn
from fundcore.domain.terms import RecoverySource
from fundcore.intake import bankfile
from fundcore.messages import render as message
from fundcore.services import bank_import, claims, dayclose, repayment_undo, repayments
from fundcore.services.batch import Mode
from fundcore.store.uow import UnitOfWork

_date = click.option("--date", "business_date", required=True, type=DATE)


@click.command("repay")
@click.argument("facility_id", type=RECORD_ID, required=False)
@click.option("--amount", type=YUAN)
@click.option("--ref", help="The bank's reference; the same ref twice is one.")
@click.option(
    "--prepay",
    is_flag=True,
    help="What is beyond the amount due shortens the term (the last instalments first); "
    "without it, it pays the next instalments ahead.",
)
@click.option(
    "--undo",
    "undo_ref",
    metavar="REF",
    help="Undo the repayment with this ref from --date on (with --reason); newest first.",
)
@click.option("--reason", help="Why the repayment is undone (with --undo).")
@_date
@common_options
def repay_cmd(
    facility_id: int | None,
    amount: int | None,
    ref: str | None,
    prepay: bool,
    undo_ref: str | None,
    reason: str | None,
    business_date: date,
) -> None:
    """Record a repayment (finance): what is due, oldest first, then the next instalments
    ahead (or, with --prepay, the last ones); idempotent by --ref. With --undo REF,
    undo a repayment from --date on."""
    if undo_ref is not None:
        _undo(facility_id, amount, ref, prepay, undo_ref, reason, business_date)
        return
    if facility_id is None or amount is None or ref is None or reason is not None:
        raise click.UsageError(
            t(
                "须有 FACILITY、--amount 和 --ref（--reason 只用于 --undo）",
                "needs FACILITY, --amount and --ref (--reason goes with --undo)",
            )
        )
    item = RepaymentIn(facility_id, amount, business_date, ref.strip(), prepay=prepay)
    with UnitOfWork(context.engine()) as uow:
        report = repayments.repay_many(uow.conn, context.operator(), [item])
        if report.problems:
            raise report.problems[0][1]
        uow.commit()
    lang = context.lang()
    if report.replayed:
        emit(
            {"ok": True, "created": False, "ref": item.ref},
            t(
                f"流水号 {item.ref} 已登记过，未重复记账",
                f"ref {item.ref} was already recorded; nothing posted again",
            ),
        )
        return
    _, principal, interest = report.applied[0]
    emit(
        {
            "ok": True,
            "created": True,
            "ref": item.ref,
            "principal": format_plain(principal),
            "interest": format_plain(interest),
        },
        t(
            f"已登记还款 {format_fen(amount, lang)}（本金 {format_fen(principal, lang)}）",
            f"repayment {format_fen(amount, lang)} recorded "
            f"(principal {format_fen(principal, lang)})",
        ),
    )


def _undo(
    facility_id: int | None,
    amount: int | None,
    ref: str | None,
    prepay: bool,
    undo_ref: str,
    reason: str | None,
    on: date,
) -> None:
    if amount is not None or ref is not None or prepay:
        raise click.UsageError(
            t(
                "--undo 不用 --amount、--ref 或 --prepay",
                "--undo takes no --amount, --ref or --prepay",
            )
        )
    if reason is None:
        raise click.UsageError(t("--undo 须有 --reason", "--undo needs --reason"))
    with UnitOfWork(context.engine()) as uow:
        out = repayment_undo.undo_repayment(
            uow.conn, context.operator(), undo_ref, on, reason, facility_id
        )
        uow.commit()
    lang = context.lang()
    emit(
        {
            "ok": True,
            "undone": True,
            "ref": out.ref,
            "id": out.facility_id,
            "amount": format_plain(out.amount_fen),
            "principal": format_plain(out.principal_fen),
            "entry_seqs": list(out.entry_seqs),
            "date": on.isoformat(),
        },
        t(
            f"已自 {on.isoformat()} 起撤销还款 {out.ref}（业务 #{out.facility_id}，"
            f"{format_fen(out.amount_fen, lang)}，本金 {format_fen(out.principal_fen, lang)}）",
            f"repayment {out.ref} (facility #{out.facility_id}, "
            f"{format_fen(out.amount_fen, lang)}, principal {format_fen(out.principal_fen, lang)}) "
            f"undone from {on.isoformat()}",
        ),
    )


@click.group("repayments")
@common_options
def repayments_group() -> None:
    """Repayments in bulk."""


@repayments_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option("--all-or-nothing", is_flag=True, help="Record nothing if any row is bad.")
@common_options
def import_cmd(file: Path, dry_run: bool, all_or_nothing: bool) -> None:
    """Import a bank's repayment file (业务编号, 流水号, 金额, 日期); idempotent by ref."""
    read = bankfile.read_repayment_file(file)
    mode = Mode(dry_run=dry_run, all_or_nothing=all_or_nothing)
    with UnitOfWork(context.engine()) as uow:
        report = bank_import.import_repayments(
            uow.conn, context.operator(), read.items, read.problems, mode
        )
        uow.commit()
    lang = context.lang()
    for p in report.problems:
        col = read.header(p.column, lang)  # as the bank's file heads it
        click.echo(
            t(f"第 {p.line} 行 [{col}]：", f"line {p.line} [{col}]: ")
            + message(p.code, p.params, lang),
            err=True,
        )
    head = ""
    if dry_run:
        head = t("试运行，未写入：", "dry run, nothing written: ")
    elif not report.written:
        head = t(
            "有错误行，按 --all-or-nothing 未写入：", "bad rows, --all-or-nothing took nothing: "
        )
    written, applied, bad = report.written, len(report.accepted), len(report.problems)
    emit(
        {
            "ok": not report.problems,
            "dry_run": dry_run,
            "written": bool(report.taken),
            "applied": len(report.taken),
            "would_apply": len(report.would_take),
            "unchanged": len(report.unchanged),
            "errors": [
                {
                    "line": p.line,
                    "column": p.column,
                    "header": read.header(p.column, lang),
                    "code": p.code,
                    "message": message(p.code, p.params, lang),
                }
                for p in report.problems
            ],
        },
        head
        + t(
            f"还款：{'登记' if written else '可登记'} {applied}，"
            f"已有 {len(report.unchanged)}，错误 {bad}",
            f"repayments: {applied} {'recorded' if written else 'could be recorded'},"
            f" {len(report.unchanged)} already there, {bad} bad",
        ),
    )
    if report.problems:
        sys.exit(1)


@click.command("close-day")
@click.option("--through", "through", required=True, type=DATE)
@common_options
def close_day_cmd(through: date) -> None:
    """Age every facility up to a date: overdue, default, provision, PAR (finance)."""
    with UnitOfWork(context.engine()) as uow:
        results = dayclose.close_through(uow.conn, context.operator(), through)
        uow.commit()
    if not results:
        emit(
            {"ok": True, "closed": []},
            t(
                f"已日终处理至 {through} 或更晚，无需处理",
                f"already closed through {through} or later",
            ),
        )
        return
    lang = context.lang()

    def pct(bp: int | None) -> str:
        return "—" if bp is None else f"{bp / 100:.2f}%"

    headers = [
        t("日期", "date"),
        t("业务", "facilities"),
        t("逾期", "overdue"),
        t("违约", "defaulted"),
        t("在贷余额", "outstanding"),
        "PAR30",
        "PAR90",
        t("担保赔偿准备", "provision"),
    ]
    body = [
        [
            r.business_date.isoformat(),
            str(r.facilities),
            str(r.overdue),
            str(r.defaulted),
            format_fen(r.outstanding_fen, lang),
            pct(r.par30_bp),
            pct(r.par90_bp),
            format_fen(r.provision_fen, lang),
        ]
        for r in results
    ]
    emit(
        {
            "ok": True,
            "closed": [
                {
                    "date": r.business_date.isoformat(),
                    "facilities": r.facilities,
                    "overdue": r.overdue,
                    "defaulted": r.defaulted,
                    "outstanding_fen": r.outstanding_fen,
                    "par30_fen": r.par30_fen,
                    "par90_fen": r.par90_fen,
                    "par30_bp": r.par30_bp,
                    "par90_bp": r.par90_bp,
                    "provision_fen": r.provision_fen,
                }
                for r in results
            ],
        },
        lambda: render(headers, body, set(range(1, 8))),
    )


@click.group("claims")
@common_options
def claims_group() -> None:
    """Guarantee claims (代偿)."""


@claims_group.command("pay")
@click.argument("facility_id", type=RECORD_ID)
@click.option(
    "--amount",
    type=YUAN,
    help="What is paid to the bank (default: everything the guarantee covers).",
)
@_date
@common_options
def claim_cmd(facility_id: int, amount: int | None, business_date: date) -> None:
    """Pay the bank for a defaulted guarantee: deposit first, then cash (finance)."""
    with UnitOfWork(context.engine()) as uow:
        out = claims.pay_claim(uow.conn, context.operator(), facility_id, amount, business_date)
        uow.commit()
    lang = context.lang()
    emit(
        {
            "ok": True,
            "id": facility_id,
            "amount": format_plain(out.amount_fen),
            "principal": format_plain(out.principal_fen),
            "interest": format_plain(out.interest_fen),
            "coverage_bp": out.cover.coverage_bp,
            "covers_interest": out.cover.covers_interest,
            "overdue_interest": format_plain(out.cover.overdue_interest_fen),
            "from_deposit": format_plain(out.from_deposit_fen),
            "from_cash": format_plain(out.from_cash_fen),
            "county_share": format_plain(out.county_share_fen),
            "entry_seq": out.entry_seq,
        },
        lambda: _claim_text(out, out.cover, lang),
    )


@claims_group.command("county")
@click.argument("facility_id", type=RECORD_ID)
@_date
@common_options
def county_claim_cmd(facility_id: int, business_date: date) -> None:
    """Claim a defaulted interest-free loan's county counter-guarantee share: it becomes
    receivable from the county government (finance)."""
    with UnitOfWork(context.engine()) as uow:
        out = claims.call_county_share(uow.conn, context.operator(), facility_id, business_date)
        uow.commit()
    lang = context.lang()
    share = f"{out.share_bp // 100}.{out.share_bp % 100:02d}%"
    emit(
        {
            "ok": True,
            "id": facility_id,
            "share_bp": out.share_bp,
            "county_share": format_plain(out.amount_fen),
            "entry_seq": out.entry_seq,
        },
        t(
            f"业务 #{facility_id} 的县政府反担保份额（{share}）{format_fen(out.amount_fen, lang)} "
            f"已转为应收县政府款（分录 #{out.entry_seq}）",
            f"facility #{facility_id}: the county's counter-guarantee share ({share}) "
            f"{format_fen(out.amount_fen, lang)} is now receivable from the county "
            f"(entry #{out.entry_seq})",
        ),
    )


def _claim_text(out: claims.ClaimOut, cover: Cover, lang: str) -> str:
    """What the claim paid, what it covered (principal, interest, coverage share), and
    where the money came from."""
    share = f"{cover.coverage_bp // 100}.{cover.coverage_bp % 100:02d}%"
    overdue = format_fen(cover.overdue_interest_fen, lang)
    scope = t(
        f"担保责任比例 {share}，代偿范围：本金及逾期利息（逾期利息 {overdue}）"
        if cover.covers_interest
        else f"担保责任比例 {share}，代偿范围：仅本金（逾期利息 {overdue} 不在担保范围内）",
        f"coverage share {share}, covering principal and overdue interest (overdue {overdue})"
        if cover.covers_interest
        else f"coverage share {share}, covering principal only (overdue interest {overdue} "
        "not covered)",
    )
    return t(
        f"已代偿 {format_fen(out.amount_fen, lang)}：本金 {format_fen(out.principal_fen, lang)}，"
        f"利息 {format_fen(out.interest_fen, lang)}（{scope}）\n"
        f"资金来源：保证金 {format_fen(out.from_deposit_fen, lang)}，"
        f"现金 {format_fen(out.from_cash_fen, lang)}；县政府反担保应收 "
        f"{format_fen(out.county_share_fen, lang)}",
        f"claim paid {format_fen(out.amount_fen, lang)}: principal "
        f"{format_fen(out.principal_fen, lang)}, interest {format_fen(out.interest_fen, lang)} "
        f"({scope})\nfrom the deposit {format_fen(out.from_deposit_fen, lang)}, cash "
        f"{format_fen(out.from_cash_fen, lang)}; due from the county "
        f"{format_fen(out.county_share_fen, lang)}",
    )


@click.group("recoveries")
@common_options
def recoveries_group() -> None:
    """Recoveries (追偿) after a claim."""


@recoveries_group.command("record")
@click.argument("facility_id", type=RECORD_ID)
@click.option("--amount", required=True, type=YUAN)
@click.option("--ref", required=True)
@click.option(
    "--from",
    "source",
    type=click.Choice([s.value for s in RecoverySource]),
    default=RecoverySource.BORROWER.value,
    show_default=True,
)
@_date
@common_options
def recovery_cmd(facility_id: int, amount: int, ref: str, source: str, business_date: date) -> None:
    """Record money recovered from the borrower or the counter-guarantor (finance)."""
    with UnitOfWork(context.engine()) as uow:
        rec_id, created = claims.record_recovery(
            uow.conn,
            context.operator(),
            facility_id,
            amount,
            business_date,
            ref,
            RecoverySource(source),
        )
        uow.commit()
    lang = context.lang()
    emit(
        {"ok": True, "id": rec_id, "created": created},
        t(
            f"已登记追偿 {format_fen(amount, lang)}" if created else f"参考号 {ref} 已登记过",
            f"recovery {format_fen(amount, lang)} recorded"
            if created
            else f"ref {ref} already recorded",
        ),
    )


@click.command("write-off")
@click.argument("facility_id", type=RECORD_ID)
@click.option("--reason", required=True)
@click.option("--undo", is_flag=True, help="Reverse the facility's write-off.")
@click.option(
    "--county",
    is_flag=True,
    help="Write off what the county still owes (its counter-guarantee share), on its own.",
)
@_date
@common_options
def write_off_cmd(
    facility_id: int, reason: str, undo: bool, county: bool, business_date: date
) -> None:
    """Write off what the borrower cannot repay, against the provision (a guarantee) or
    the loan-loss allowance (a loan); the county's share only with --county (finance)."""
    with UnitOfWork(context.engine()) as uow:
        if county:
            amount, seq = claims.write_off_county(
                uow.conn, context.operator(), facility_id, business_date, reason
            )
        elif undo:
            seq = claims.undo_write_off(
                uow.conn, context.operator(), facility_id, business_date, reason
            )
            amount = None
        else:
            amount, seq = claims.write_off(
                uow.conn, context.operator(), facility_id, business_date, reason
            )
        uow.commit()
    lang = context.lang()
    text = (
        t(
            f"已撤销业务 #{facility_id} 的核销（分录 #{seq}）",
            f"write-off of #{facility_id} reversed (entry #{seq})",
        )
        if amount is None
        else t(
            f"已核销业务 #{facility_id} 应收县政府的反担保款：{format_fen(amount, lang)}"
            f"（分录 #{seq}）",
            f"facility #{facility_id}: the county's share written off: "
            f"{format_fen(amount, lang)} (entry #{seq})",
        )
        if county
        else t(
            f"已核销业务 #{facility_id}：{format_fen(amount, lang)}（分录 #{seq}）",
            f"facility #{facility_id} written off: {format_fen(amount, lang)} (entry #{seq})",
        )
    )
    emit(
        {
            "ok": True,
            "id": facility_id,
            "entry_seq": seq,
            "amount": None if amount is None else format_plain(amount),
        },
        text,
    )


def register(group: click.Group) -> None:
    for cmd in (
        repay_cmd,
        repayments_group,
        close_day_cmd,
        claims_group,
        recoveries_group,
        write_off_cmd,
    ):
        group.add_command(cmd)

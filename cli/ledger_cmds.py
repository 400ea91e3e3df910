"""``fund ledger trial-balance|verify|reverse``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from cli.types import DATE
from fundcore.domain.money import format_fen, format_plain
from fundcore.messages import render as message
from fundcore.services import anchoring, ledger_views
from fundcore.services.corrections import reverse_entry
from fundcore.statements.books import side_of, split_balance
from fundcore.store.uow import UnitOfWork
from fundcore.store.verify import verify


@click.group("ledger")
@common_options
def ledger_group() -> None:
    """The double-entry ledger."""


@ledger_group.command("trial-balance")
@click.option("--as-of", "as_of", type=DATE, help="Balances at the end of this business date.")
@common_options
def trial_balance_cmd(as_of: date | None) -> None:
    """Every account's debits, credits and balance, and the totals."""
    with UnitOfWork(context.engine(), write=False) as uow:
        tb = ledger_views.trial_balance(uow.conn, as_of)
    rows = tb.accounts
    lang = context.lang()
    doc = {
        "as_of": as_of.isoformat() if as_of else None,
        "accounts": [
            {
                "code": r.code,
                "name": r.name_en if lang == "en" else r.name_zh,
                "type": r.type,
                "debit_fen": r.debit_fen,
                "credit_fen": r.credit_fen,
                "balance_fen": r.balance_fen,
                "balance": format_plain(r.balance_fen),
                # the side the balance sits on, as a Chinese ledger reads it: 借 D, 贷 C
                "balance_side": side_of(r.debit_fen - r.credit_fen) or None,
            }
            for r in rows
        ],
        "total_debit_fen": tb.total_debit_fen,
        "total_credit_fen": tb.total_credit_fen,
        "debit_balances_fen": tb.debit_balances_fen,
        "credit_balances_fen": tb.credit_balances_fen,
        "balanced": tb.balanced,
    }

    def human() -> str:
        headers = [
            t("科目", "account"),
            t("名称", "name"),
            t("借方发生额", "debits"),
            t("贷方发生额", "credits"),
            t("借方余额", "debit balance"),
            t("贷方余额", "credit balance"),
        ]
        body = []
        for r in rows:
            debit_balance, credit_balance = split_balance(r.debit_fen - r.credit_fen)
            body.append(
                [
                    r.code,
                    r.name_en if lang == "en" else r.name_zh,
                    format_fen(r.debit_fen, lang),
                    format_fen(r.credit_fen, lang),
                    format_fen(debit_balance, lang) if debit_balance else "",
                    format_fen(credit_balance, lang) if credit_balance else "",
                ]
            )
        body.append(
            [
                "",
                t("合计", "total"),
                format_fen(tb.total_debit_fen, lang),
                format_fen(tb.total_credit_fen, lang),
                format_fen(tb.debit_balances_fen, lang),
                format_fen(tb.credit_balances_fen, lang),
            ]
        )
        title = t(
            f"试算平衡表（截至 {as_of}）" if as_of else "试算平衡表",
            f"Trial balance (as of {as_of})" if as_of else "Trial balance",
        )
        verdict = t(
            "借贷平衡" if tb.balanced else f"借贷不平：相差 {format_fen(tb.difference_fen, lang)}",
            "debits equal credits"
            if tb.balanced
            else f"OUT OF BALANCE by {format_fen(tb.difference_fen, lang)}",
        )
        return title + "\n" + render(headers, body, {2, 3, 4, 5}) + "\n" + verdict

    emit(doc, human)


@ledger_group.command("verify")
@click.option(
    "--anchors",
    "anchors_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also check every (seq, hash) this anchors file signed is still on the chain.",
)
@common_options
def verify_cmd(anchors_file: Path | None) -> None:
    """Recompute the hash chain and check balances; exit 1 on any break."""
    anchored = 0
    with UnitOfWork(context.engine(), write=False) as uow:
        report = verify(uow.conn)
        if anchors_file is not None:
            anchored, findings = anchoring.check(uow.conn, context.anchor_place(), anchors_file)
            for f in findings:
                report.add(f.code, **f.params)
    lang = context.lang()
    problems = [message(p.code, p.params, lang) for p in report.problems]
    doc = {
        "ok": report.ok,
        "entries": report.entries,
        "lines": report.lines,
        "head_seq": report.head_seq,
        "head_hash": report.head_hash,
        "anchors_checked": anchored,
        "problems": [{"code": p.code, **p.params} for p in report.problems],
    }
    for line in problems:
        click.echo(line, err=True)
    head = f"#{report.head_seq} {report.head_hash}"
    summary = t(
        f"分录 {report.entries} 条，分录行 {report.lines} 行，链头 {head}",
        f"{report.entries} entries, {report.lines} lines, head {head}",
    )
    verdict = t(
        "账簿完整" if report.ok else "账簿已损坏", "ledger intact" if report.ok else "ledger BROKEN"
    )
    if anchors_file is not None:
        summary += t(f"，核对锚点 {anchored} 个", f", {anchored} anchors checked")
    emit(doc, f"{verdict}: {summary}")
    if not report.ok:
        raise SystemExit(1)


@ledger_group.command("anchor")
@click.option("--date", "business_date", required=True, type=DATE)
@common_options
def anchor_cmd(business_date: date) -> None:
    """Sign the chain's head (seq, hash, date) into the anchors file (finance, admin)."""
    place = context.anchor_place()
    with UnitOfWork(context.engine()) as uow:
        done = anchoring.anchor_head(uow.conn, context.operator(), place, business_date)
        uow.commit()
    a = done.signed.anchor
    emit(
        {
            "ok": True,
            "seq": a.seq,
            "hash": a.hash,
            "date": a.day.isoformat(),
            "file": str(done.file),
            "added": done.added,
            "public_key": done.signed.public_key,
            "signature": done.signed.signature,
        },
        t(
            f"已锚定分录 #{a.seq}（{a.hash[:16]}…，{a.day}）于 {done.file}",
            f"anchored entry #{a.seq} ({a.hash[:16]}…, {a.day}) in {done.file}",
        ),
    )


@ledger_group.command("reverse")
@click.argument("seq", type=int)
@click.option("--date", "business_date", required=True, type=DATE)
@click.option("--reason", required=True)
@common_options
def reverse_cmd(seq: int, business_date: date, reason: str) -> None:
    """Correct an entry by posting its reversal (finance)."""
    with UnitOfWork(context.engine()) as uow:
        posted = reverse_entry(uow.conn, context.operator(), seq, business_date, reason)
        uow.commit()
    emit(
        {"ok": True, "reversed": seq, "entry_seq": posted.seq},
        t(
            f"已冲销分录 #{seq}，冲销分录 #{posted.seq}",
            f"reversed entry #{seq} by entry #{posted.seq}",
        ),
    )


def register(group: click.Group) -> None:
    group.add_command(ledger_group)

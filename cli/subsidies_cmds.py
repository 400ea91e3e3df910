"""``fund subsidies pay``: the interest subsidies (贴息) owed to a bank, paid."""

from __future__ import annotations

from datetime import date

import click

from cli import context
from cli.context import common_options, emit, t
from cli.types import DATE
from fundcore.domain.money import format_fen, format_plain
from fundcore.services import subsidies
from fundcore.store.uow import UnitOfWork


@click.group("subsidies")
@common_options
def subsidies_group() -> None:
    """Interest subsidies (贴息) on guaranteed bank loans."""


@subsidies_group.command("pay")
@click.option("--bank", required=True, help="The cooperating bank, as named at pay-out.")
@click.option(
    "--through", required=True, type=DATE, help="Pay the subsidies of instalments due by D."
)
@click.option("--date", "business_date", type=DATE, help="Payment date (default: --through).")
@common_options
def pay_cmd(bank: str, through: date, business_date: date | None) -> None:
    """Pay a bank the subsidies accrued for the instalments due by --through (finance)."""
    with UnitOfWork(context.engine()) as uow:
        out = subsidies.pay(uow.conn, context.operator(), bank, through, business_date)
        uow.commit()
    lang = context.lang()
    emit(
        {
            "ok": True,
            "bank": out.bank,
            "through": out.through.isoformat(),
            "date": out.business_date.isoformat(),
            "amount": format_plain(out.amount_fen),
            "instalments": out.instalments,
            "entry_seq": out.entry_seq,
        },
        t(
            f"已向 {out.bank} 支付截至 {out.through} 的贴息 {format_fen(out.amount_fen, lang)}"
            f"（{out.instalments} 期，分录 #{out.entry_seq}）",
            f"paid {out.bank} the interest subsidies through {out.through}: "
            f"{format_fen(out.amount_fen, lang)} ({out.instalments} instalments, "
            f"entry #{out.entry_seq})",
        ),
    )


def register(group: click.Group) -> None:
    group.add_command(subsidies_group)

"""``fund donations record``."""

from __future__ import annotations

from datetime import date

import click

from cli import context
from cli.context import common_options, emit, t
from cli.types import DATE, YUAN
from fundcore.domain.money import format_fen, format_plain
from fundcore.services import donations
from fundcore.store.uow import UnitOfWork


@click.group("donations")
@common_options
def donations_group() -> None:
    """Money into the fund."""


@donations_group.command("record")
@click.option("--amount", required=True, type=YUAN, help="Yuan, e.g. 500000 or 50万.")
@click.option("--donor", required=True)
@click.option("--date", "business_date", required=True, type=DATE)
@click.option(
    "--purpose",
    metavar="PURPOSE",
    help="Purpose the gift is restricted to: guarantee|loan|grant|working_funds|programme "
    "(or 担保贷款|免息借款|小额资助|工作经费|项目通用); without it the gift is unrestricted.",
)
@click.option(
    "--restricted",
    "words",
    metavar="TEXT",
    help="The donor's own words for the restriction (a note; alone: restricted to the "
    "programme as a whole).",
)
@click.option(
    "--foundation-match",
    is_flag=True,
    help="The Foundation's own matching donation (配捐): other income, never restricted.",
)
@click.option("--ref", help="The donation's reference; the same ref twice is one donation.")
@common_options
def record_cmd(
    amount: int,
    donor: str,
    business_date: date,
    purpose: str | None,
    words: str | None,
    foundation_match: bool,
    ref: str | None,
) -> None:
    """Record a donation and post it to the ledger (finance)."""
    d = donations.DonationIn(amount, donor, business_date, words, ref, purpose, foundation_match)
    with UnitOfWork(context.engine()) as uow:
        out = donations.record(uow.conn, context.operator(), d)
        uow.commit()
    money = format_fen(amount, context.lang())
    if out.created:
        text = t(
            f"已记录捐赠 #{out.id}：{money}，分录 #{out.entry_seq}",
            f"recorded donation #{out.id}: {money}, entry #{out.entry_seq}",
        )
    else:
        text = t(
            f"参考号 {ref} 已记录为捐赠 #{out.id}，未重复记账",
            f"ref {ref} is already donation #{out.id}; nothing posted again",
        )
    emit(
        {
            "ok": True,
            "created": out.created,
            "id": out.id,
            "entry_seq": out.entry_seq,
            "amount": format_plain(amount),
            "amount_fen": amount,
        },
        text,
    )


def register(group: click.Group) -> None:
    group.add_command(donations_group)

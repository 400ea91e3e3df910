"""``fund period close|list|reopen``: accounting months finance has closed."""

from __future__ import annotations

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from fundcore.services import anchoring, periods
from fundcore.store.uow import UnitOfWork


@click.group("period")
@common_options
def period_group() -> None:
    """Accounting months: close in order, list, reopen the latest."""


@period_group.command("close")
@click.argument("month")
@common_options
def close_cmd(month: str) -> None:
    """Close a month YYYY-MM (finance): nothing dated in it may be posted afterwards."""
    with UnitOfWork(context.engine()) as uow:
        out = periods.close(uow.conn, context.operator(), month)
        uow.commit()
    place = context.anchor_place()
    signed = anchoring.sign_point(
        place, out.head_seq, out.head_hash, out.through, f"period:{out.month}"
    )
    kept = anchoring.keep(place, signed)
    text = t(f"已结账 {out.month}", f"closed {out.month}")
    if out.year_end_seq is not None:
        text += t(
            f"；期末结转分录 #{out.year_end_seq}", f"; year-end closing entry #{out.year_end_seq}"
        )
    emit(
        {
            "ok": True,
            "month": out.month,
            "day_closes": out.day_closes,
            "year_end_seq": out.year_end_seq,
            "anchor": None if kept is None else {"seq": out.head_seq, "file": str(kept)},
        },
        text
        + (
            ""
            if kept is None
            else t(f"；已锚定分录 #{out.head_seq}", f"; anchored entry #{out.head_seq}")
        ),
    )


@period_group.command("list")
@common_options
def list_cmd() -> None:
    """Every month closed so far, and any reopening."""
    with UnitOfWork(context.engine()) as uow:
        rows = periods.list_periods(uow.conn)
    doc = [
        {
            "month": p.month,
            "status": p.status.value,
            "closed_by": p.closed_by,
            "closed_at": p.closed_at.isoformat(),
            "year_end_seq": p.year_end_seq,
            "reopened_by": p.reopened_by,
            "approved_by": p.approved_by,
            "reason": p.reason,
        }
        for p in rows
    ]

    def human() -> str:
        if not rows:
            return t("尚无结账的月份", "no month has been closed")
        status = {"closed": t("已结账", "closed"), "open": t("已反结账", "reopened")}
        headers = [t("月份", "month"), t("状态", "status"), t("结账人", "closed by")]
        headers += [t("反结账人", "reopened by"), t("批准人", "approved by"), t("理由", "reason")]
        cells = [
            [
                p.month,
                status[p.status.value],
                p.closed_by,
                p.reopened_by or "",
                p.approved_by or "",
                p.reason or "",
            ]
            for p in rows
        ]
        return render(headers, cells, set())

    emit({"ok": True, "periods": doc}, human)


@period_group.command("reopen")
@click.argument("month")
@click.option("--reason", required=True, help="Why the month is reopened.")
@click.option("--approver", required=True, help="The finance operator approving it.")
@common_options
def reopen_cmd(month: str, reason: str, approver: str) -> None:
    """Reopen the latest closed month (admin, with a finance approver); audited."""
    with UnitOfWork(context.engine()) as uow:
        row = periods.reopen(uow.conn, context.operator(), month, reason, approver)
        uow.commit()
    emit(
        {"ok": True, "month": row.month, "status": row.status.value, "approved_by": approver},
        t(
            f"已反结账 {row.month}（批准人 {approver}）",
            f"reopened {row.month} (approved by {approver})",
        ),
    )


def register(group: click.Group) -> None:
    group.add_command(period_group)

"""``fund approve|reject|return|cancel``, ``fund local-support record``, ``fund disburse``,
``fund working-funds pay`` and ``fund capacity``."""

from __future__ import annotations

from datetime import date

import click

from cli import context
from cli.context import common_options, emit, t
from cli.types import DATE, RECORD_ID, YUAN
from fundcore.domain.capacity import format_bp
from fundcore.domain.decisions import OutcomeStatus
from fundcore.domain.money import format_fen, format_plain
from fundcore.domain.terms import LocalSupportKind
from fundcore.messages import term
from fundcore.services import (
    capacity_view,
    decisions,
    disbursement,
    local_support,
    payout_cancel,
    working_funds,
)
from fundcore.store.uow import UnitOfWork

_date = click.option(
    "--date", "business_date", required=True, type=DATE, help="Business date of the decision."
)


def _outcome(out: decisions.Outcome) -> None:
    lang = context.lang()
    if out.status == OutcomeStatus.AWAITING_SECOND_APPROVAL:
        text = t(
            f"申请 #{out.application_id}：已记录第 {out.approvals} 人批准，需 {out.needed} 人",
            f"application #{out.application_id}: approval {out.approvals} of {out.needed} recorded",
        )
    else:
        text = t(
            f"申请 #{out.application_id}：{term(out.status, lang)}",
            f"application #{out.application_id}: {term(out.status, lang)}",
        )
    doc: dict[str, object] = {
        "ok": True,
        "id": out.application_id,
        "status": out.status,
        "approvals": out.approvals,
        "needed": out.needed,
    }
    if out.matching_basis:
        need, base = format_fen(out.matching_fen, lang), format_fen(out.matching_base_fen, lang)
        basis = term(out.matching_basis, lang)
        text += t(
            f"；须到位配套资金 {need}（按{basis} {base} 配比）",
            f"; matching of {need} to be received ({basis} {base})",
        )
        doc.update(
            matching=format_plain(out.matching_fen),
            matching_basis=out.matching_basis,
            matching_base=format_plain(out.matching_base_fen),
        )
    emit(doc, text)


@click.command("approve")
@click.argument("app_id", type=RECORD_ID)
@click.option("--note", default="")
@click.option(
    "--grace-months",
    "grace",
    type=click.IntRange(0, None),
    help="Guarantees: interest-only months of the bank loan (default: policy bank_grace_months).",
)
@_date
@common_options
def approve_cmd(app_id: int, note: str, grace: int | None, business_date: date) -> None:
    """Approve an application (finance; not the one who submitted it)."""
    with UnitOfWork(context.engine()) as uow:
        out = decisions.approve(uow.conn, context.operator(), app_id, business_date, note, grace)
        uow.commit()
    _outcome(out)


def _closing(action: str, help_: str) -> click.Command:
    @click.command(action, help=help_)
    @click.argument("app_id", type=RECORD_ID)
    @click.option("--reason", required=True)
    @_date
    @common_options
    def cmd(app_id: int, reason: str, business_date: date) -> None:
        with UnitOfWork(context.engine()) as uow:
            if action == "cancel":
                out = decisions.cancel(uow.conn, context.operator(), app_id, business_date, reason)
            else:
                out = decisions.reject(
                    uow.conn, context.operator(), app_id, business_date, reason, action
                )
            uow.commit()
        _outcome(out)

    return cmd


reject_cmd = _closing("reject", "Reject an application, with the reason (finance).")
return_cmd = _closing("return", "Return an application to its county for more information.")
cancel_cmd = _closing("cancel", "Cancel an approval before pay-out; releases its commitment.")


@click.group("local-support")
@common_options
def local_support_group() -> None:
    """Local leverage: 1:1 matching or the county's counter-guarantee."""


@local_support_group.command("record")
@click.argument("facility_id", type=RECORD_ID)
@click.option("--kind", required=True, type=click.Choice([k.value for k in LocalSupportKind]))
@click.option("--amount", required=True, type=YUAN)
@click.option("--guarantor", help="Counter-guarantor, e.g. 灵丘县人民政府 (counter-guarantees).")
@click.option("--ref", help="Document ref; idempotent by it (required for counter-guarantees).")
@click.option("--paid-by", help="Matching: who paid it, e.g. 灵丘县财政局.")
@click.option(
    "--through-fund",
    is_flag=True,
    help="Matching paid into the fund's own bank account (government grant income, "
    "passed on with `local-support pass-on`); without it, the register only.",
)
@_date
@common_options
def record_support_cmd(
    facility_id: int,
    kind: str,
    amount: int,
    guarantor: str | None,
    ref: str | None,
    paid_by: str | None,
    through_fund: bool,
    business_date: date,
) -> None:
    """Record matching money received or a counter-guarantee (finance). Matching is the
    county's money put into the project: it is registered, with no journal entry."""
    s = local_support.SupportIn(
        facility_id,
        LocalSupportKind(kind),
        amount,
        business_date,
        ref,
        guarantor,
        paid_by,
        through_fund,
    )
    with UnitOfWork(context.engine()) as uow:
        out = local_support.record(uow.conn, context.operator(), s)
        uow.commit()
    text = (
        t(f"已登记 #{out.id}：", f"recorded #{out.id}: ")
        if out.created
        else t(
            f"参考号 {ref} 已登记过（#{out.id}），未重复登记：",
            f"ref {ref} already recorded as #{out.id}; nothing changed: ",
        )
    )
    emit(_support_doc(out), text + _support_text(kind, out))


def _support_text(kind: str, out: local_support.SupportOut) -> str:
    """Matching: received of required, and what it is 1:1 of; a counter-guarantee: its
    guarantor and the share of the principal it covers against the policy's minimum."""
    lang = context.lang()
    got, need = format_fen(out.received_fen, lang), format_fen(out.required_fen, lang)
    if out.basis is not None:
        basis, base = term(out.basis, lang), format_fen(out.base_fen, lang)
        where = (
            t("；经基金账户收到，记政府补助收入", "; received through the fund's account")
            if out.through_fund
            else t("；仅登记，不入基金账", "; registered, no journal entry")
        )
        return t(
            f"{term(kind, lang)} 已到位 {got} / {need}（按{basis} {base} 配比）{where}",
            f"{term(kind, lang)} {got} of {need} (matching {basis} {base}){where}",
        )
    share, least = format_bp(out.share_bp or 0), format_bp(out.min_bp or 0)
    return t(
        f"{term(kind, lang)} {got}，反担保人 {out.guarantor}，覆盖本金 {need} 的 {share}"
        f"（至少 {least}）",
        f"{term(kind, lang)} {got} by {out.guarantor}, covering {share} of the principal "
        f"{need} (at least {least})",
    )


def _support_doc(out: local_support.SupportOut) -> dict[str, object]:
    doc: dict[str, object] = {
        "ok": True,
        "id": out.id,
        "created": out.created,
        "received": format_plain(out.received_fen),
        "required": format_plain(out.required_fen),
    }
    if out.basis is not None:
        doc.update(
            basis=out.basis,
            base=format_plain(out.base_fen),
            paid_by=out.paid_by,
            through_fund=out.through_fund,
        )
    else:
        doc.update(guarantor=out.guarantor, share_bp=out.share_bp, min_bp=out.min_bp)
    return doc


@local_support_group.command("pass-on")
@click.argument("support_id", type=RECORD_ID)
@_date
@common_options
def pass_on_cmd(support_id: int, business_date: date) -> None:
    """Pass matching received through the fund's account on to its project (finance)."""
    with UnitOfWork(context.engine()) as uow:
        out = local_support.pass_on(uow.conn, context.operator(), support_id, business_date)
        uow.commit()
    money = format_fen(out.amount_fen, context.lang())
    emit(
        {
            "ok": True,
            "id": out.support_id,
            "facility": out.facility_id,
            "amount": format_plain(out.amount_fen),
            "entry_seq": out.entry_seq,
        },
        t(
            f"登记 #{out.support_id} 的配套资金 {money} 已转付业务 #{out.facility_id} 的项目，"
            f"分录 #{out.entry_seq}",
            f"record #{out.support_id}: {money} passed on to facility #{out.facility_id}'s "
            f"project, entry #{out.entry_seq}",
        ),
    )


@local_support_group.command("migrate")
@_date
@common_options
def migrate_support_cmd(business_date: date) -> None:
    """Reverse the old matching pledges and receipts (account 1214) in an open month, once,
    with a note; the register keeps them (finance)."""
    with UnitOfWork(context.engine()) as uow:
        out = local_support.migrate(uow.conn, context.operator(), business_date)
        uow.commit()
    lang = context.lang()
    pledged, got = format_fen(out.pledged_fen, lang), format_fen(out.received_fen, lang)
    emit(
        {
            "ok": True,
            "pledges": out.pledges,
            "pledged": format_plain(out.pledged_fen),
            "receipts": out.receipts,
            "received": format_plain(out.received_fen),
            "entries": list(out.seqs),
        },
        t(
            f"已冲回旧的配套资金分录：承诺 {out.pledges} 笔 {pledged}，到账 {out.receipts} 笔 "
            f"{got}（日期 {business_date.isoformat()}）；登记簿保持不变",
            f"reversed the old matching entries: {out.pledges} pledges {pledged}, "
            f"{out.receipts} receipts {got} (dated {business_date.isoformat()}); "
            "the register is unchanged",
        ),
    )


@click.command("disburse")
@click.argument("facility_id", type=RECORD_ID)
@click.option("--bank", help="Cooperating bank (guarantees).")
@click.option("--rate", help="Bank loan annual rate in percent, e.g. 4.75 (guarantees).")
@click.option(
    "--cancel",
    is_flag=True,
    help="Cancel a pay-out made in error (with --reason): reversed on --date, approved again.",
)
@click.option("--reason", help="Why the pay-out is cancelled (with --cancel).")
@_date
@common_options
def disburse_cmd(
    facility_id: int,
    bank: str | None,
    rate: str | None,
    cancel: bool,
    reason: str | None,
    business_date: date,
) -> None:
    """Pay out a loan, issue a guarantee or pay a grant (finance); or, with --cancel,
    cancel a pay-out made in error."""
    if cancel:
        _cancel_payout(facility_id, bank, rate, reason, business_date)
        return
    if reason is not None:
        raise click.UsageError(t("--reason 只用于 --cancel", "--reason goes with --cancel"))
    rate_bp = disbursement.parse_rate(rate) if rate is not None else None
    with UnitOfWork(context.engine()) as uow:
        out = disbursement.disburse(
            uow.conn, context.operator(), facility_id, business_date, bank, rate_bp
        )
        uow.commit()
    lang = context.lang()
    if out.unknown_years:
        years = ", ".join(map(str, out.unknown_years))
        click.echo(
            t(
                f"注意：{years} 年节假日安排尚未载入，这些年的应还日只避开周末；"
                "载入后请运行 fund calendar import",
                f"note: the {years} holiday notice is not loaded; due dates in those years "
                "only avoid weekends until fund calendar import loads it",
            ),
            err=True,
        )
    text = t(
        f"业务 #{out.facility_id}（{term(out.instrument, lang)}）已支付 "
        f"{format_fen(out.cash_fen, lang)}，分录 #{out.entry_seq}，还款计划 {out.instalments} 期",
        f"facility #{out.facility_id} ({term(out.instrument, lang)}): paid "
        f"{format_fen(out.cash_fen, lang)}, entry #{out.entry_seq}, "
        f"{out.instalments} instalments",
    )
    emit(
        {
            "ok": True,
            "id": out.facility_id,
            "instrument": out.instrument,
            "cash": format_plain(out.cash_fen),
            "entry_seq": out.entry_seq,
            "instalments": out.instalments,
        },
        text,
    )


def _cancel_payout(
    facility_id: int, bank: str | None, rate: str | None, reason: str | None, on: date
) -> None:
    if bank is not None or rate is not None:
        raise click.UsageError(
            t("--cancel 不用 --bank 或 --rate", "--cancel takes no --bank or --rate")
        )
    if reason is None:
        raise click.UsageError(t("--cancel 须有 --reason", "--cancel needs --reason"))
    with UnitOfWork(context.engine()) as uow:
        out = payout_cancel.cancel_payout(uow.conn, context.operator(), facility_id, on, reason)
        uow.commit()
    lang = context.lang()
    emit(
        {
            "ok": True,
            "id": out.facility_id,
            "instrument": out.instrument,
            "cancelled": True,
            "cash": format_plain(out.cash_fen),
            "entry_seq": out.entry_seq,
            "committed": format_plain(out.committed_fen),
        },
        t(
            f"业务 #{out.facility_id}（{term(out.instrument, lang)}）的放款已撤销："
            f"{format_fen(out.cash_fen, lang)} 退回，冲销分录 #{out.entry_seq}，恢复为已批准",
            f"pay-out of facility #{out.facility_id} ({term(out.instrument, lang)}) cancelled: "
            f"{format_fen(out.cash_fen, lang)} back, reversal entry #{out.entry_seq}; "
            "approved again",
        ),
    )


@click.group("working-funds")
@common_options
def working_funds_group() -> None:
    """County working funds."""


@working_funds_group.command("pay")
@click.option("--year", required=True, type=click.IntRange(2000, 2100))
@_date
@common_options
def pay_cmd(year: int, business_date: date) -> None:
    """Pay the year's working funds to every county league not yet paid (finance)."""
    with UnitOfWork(context.engine()) as uow:
        out = working_funds.pay(uow.conn, context.operator(), year, business_date)
        uow.commit()
    money = format_fen(out.total_fen, context.lang())
    emit(
        {
            "ok": True,
            "year": year,
            "paid": out.paid,
            "already_paid": out.already,
            "total": format_plain(out.total_fen),
        },
        t(
            f"{year} 年工作经费：本次拨付 {out.paid} 个县共 {money}，此前已拨 {out.already} 个县",
            f"{year} working funds: paid {out.paid} counties {money}; "
            f"{out.already} were paid before",
        ),
    )


@click.command("capacity")
@click.option(
    "--date",
    "business_date",
    required=True,
    type=DATE,
    help="Every figure as of this date, under the policy in force on it.",
)
@common_options
def capacity_cmd(business_date: date) -> None:
    """What the fund could still commit as of a date: available cash and guarantee leverage."""
    with UnitOfWork(context.engine(), write=False) as uow:
        view = capacity_view.capacity_on(uow.conn, business_date)
    cap, room = view.capacity, view.room
    lang = context.lang()
    on = business_date.isoformat()
    rows = [
        (t("银行存款", "bank"), cap.bank_fen),
        (t("未放款承诺", "undisbursed commitments"), cap.commitments_fen),
        (t("准备金下限", "reserve floor"), cap.reserve_fen),
        (t("代管配套资金", "matching held for projects"), cap.held_fen),
        (t("可用资金", "available cash"), cap.available_fen),
        (t("净资产", "net assets"), cap.net_assets_fen),
        (t("担保责任余额", "guarantee exposure"), cap.exposure_fen),
        (
            t(f"担保上限（净资产×{cap.leverage_cap_x}）", f"exposure cap (×{cap.leverage_cap_x})"),
            view.exposure_cap_fen,
        ),
        (t("净资产放大倍数余量", "room under the net-asset multiple"), room.leverage_fen),
    ]
    if room.cash_fen is not None:
        deposit = format_bp(cap.deposit_bp)
        cash = t(f"可用资金可支持的新增担保（保证金 {deposit}）", f"room cash supports ({deposit})")
        rows.append((cash, room.cash_fen))
    bound = term(room.binding, lang)
    rows.append(
        (t(f"新增担保余量（受{bound}约束）", f"guarantee room (bound by {bound})"), room.room_fen)
    )
    emit(
        {
            "as_of": on,
            "bank_fen": cap.bank_fen,
            "commitments_fen": cap.commitments_fen,
            "reserve_fen": cap.reserve_fen,
            "available_fen": cap.available_fen,
            "net_assets_fen": cap.net_assets_fen,
            "exposure_fen": cap.exposure_fen,
            "leverage_cap_x": cap.leverage_cap_x,
            "exposure_cap_fen": view.exposure_cap_fen,
            "held_fen": cap.held_fen,
            "leverage_room_fen": room.leverage_fen,
            "cash_room_fen": room.cash_fen,
            "guarantee_room_fen": room.room_fen,
            "binding": str(room.binding).removeprefix("room."),
        },
        "\n".join(
            [t(f"可承诺额度（截至 {on}）", f"capacity as of {on}")]
            + [f"{k}: {format_fen(v, lang)}" for k, v in rows]
        ),
    )


def register(group: click.Group) -> None:
    for cmd in (
        approve_cmd,
        reject_cmd,
        return_cmd,
        cancel_cmd,
        local_support_group,
        disburse_cmd,
        working_funds_group,
        capacity_cmd,
    ):
        group.add_command(cmd)

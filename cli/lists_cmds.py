"""``fund facilities list`` and ``fund collections list``: the finance officer's lists.

Text on a terminal, ``--json`` for programs, ``--out FILE.csv|.xlsx`` for Excel (the
same columns as the county statement's facility table).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli import context
from cli.context import common_options, emit, t
from cli.table import render
from cli.types import DATE
from fundcore.domain.errors import InputError
from fundcore.domain.money import format_fen
from fundcore.domain.terms import FacilityStatus
from fundcore.messages import term
from fundcore.statements import export, lists
from fundcore.statements.model import FacilityRow
from fundcore.store import paths
from fundcore.store.uow import UnitOfWork

_STATUS = click.Choice([s.value for s in FacilityStatus])


def _doc(r: FacilityRow) -> dict[str, object]:
    return {
        "id": int(r.facility_id),
        "borrower": r.borrower_masked,
        "instrument": r.instrument,
        "status": r.status,
        "principal_fen": r.principal_fen,
        "disbursed_on": r.disbursed_on.isoformat() if r.disbursed_on else None,
        "outstanding_fen": r.outstanding_fen,
        "overdue_fen": r.overdue_fen,
        "days_overdue": r.days_overdue,
    }


def _text(found: tuple[FacilityRow, ...], lang: str) -> str:
    if not found:
        return t("（无）", "(none)")
    heads = [
        t(zh, en)
        for zh, en in (
            ("编号", "id"),
            ("借款人", "borrower"),
            ("业务品种", "instrument"),
            ("状态", "status"),
            ("本金", "principal"),
            ("放款日", "disbursed"),
            ("余额", "outstanding"),
            ("逾期金额", "overdue"),
            ("逾期天数", "days"),
        )
    ]

    def money(fen: int | None) -> str:
        return "" if fen is None else format_fen(fen, lang)

    rows = [
        [
            r.facility_id,
            r.borrower_masked,
            term(r.instrument, lang),
            term(r.status, lang),
            money(r.principal_fen),
            r.disbursed_on.isoformat() if r.disbursed_on else "",
            money(r.outstanding_fen),
            money(r.overdue_fen),
            str(r.days_overdue),
        ]
        for r in found
    ]
    return render(heads, rows, right={4, 6, 7, 8})


def _show(found: tuple[FacilityRow, ...], out: Path | None, force: bool) -> None:
    """Print the list, or write it to ``out`` (.csv or .xlsx)."""
    lang = context.lang()
    if out is None:
        emit([_doc(r) for r in found], lambda: _text(found, lang))
        return
    _write(export.facility_table(found, lang), out, force, len(found))


def _write(table: export.Table, out: Path, force: bool, count: int) -> None:
    """The table as ``out`` (.csv or .xlsx), and say so."""
    lang = context.lang()
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError("out.bad_suffix", file=str(out), allowed=".csv / .xlsx")
    with paths.written(out, context.database_file(), force=force) as staged:
        if suffix == ".csv":
            export.write_table_csv(table, staged, lang)
        else:
            export.write_xlsx([table], staged, lang)
    emit(
        {"ok": True, "file": str(out), "rows": count},
        t(f"已写出 {count} 行：{out}", f"{count} rows written: {out}"),
    )


_out = click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write a .csv or .xlsx file."
)
_force = click.option("--force", is_flag=True, help="Replace FILE if it exists.")
_county = click.option("--county", default=None, help="Only this county (code).")


@click.group("facilities")
@common_options
def facilities_group() -> None:
    """Loans, guarantees and grants."""


@facilities_group.command("list")
@_county
@click.option("--status", type=_STATUS, default=None, help="Only facilities in this status.")
@click.option(
    "--as-of", "as_of", type=DATE, default=None, help="As they stood at the end of this day."
)
@_out
@_force
@common_options
def facilities_list(
    county: str | None, status: str | None, as_of: date | None, out: Path | None, force: bool
) -> None:
    """Every facility with its balance and status (borrowers masked)."""
    if out is not None:
        paths.check_target(out, context.database_file(), force=force)
    with UnitOfWork(context.engine(), write=False) as uow:
        found = lists.facilities(
            uow.conn, context.operator(), county=county, status=status, as_of=as_of
        )
    _show(found, out, force)


@click.group("collections")
@common_options
def collections_group() -> None:
    """Overdue facilities to chase (催收)."""


@collections_group.command("list")
@click.option("--as-of", "as_of", type=DATE, required=True, help="Overdue at the end of this day.")
@_county
@_out
@_force
@common_options
def collections_list(as_of: date, county: str | None, out: Path | None, force: bool) -> None:
    """The facilities overdue on a day, most days overdue first (催收清单)."""
    if out is not None:
        paths.check_target(out, context.database_file(), force=force)
    with UnitOfWork(context.engine(), write=False) as uow:
        found = lists.collections(uow.conn, context.operator(), as_of, county=county)
    _show(found, out, force)


@click.group("dues")
@common_options
def dues_group() -> None:
    """Instalments coming due, for reminders."""


_DUE_COLUMNS = (
    ("编号", "Facility", export.TEXT),
    ("县代码", "County", export.TEXT),
    ("借款人", "Borrower", export.TEXT),
    ("业务品种", "Instrument", export.TEXT),
    ("期次", "No.", export.COUNT),
    ("到期日", "Due on", export.TEXT),
    ("应还金额", "Due", export.AMOUNT),
)


@dues_group.command("list")
@click.option("--from", "start", type=DATE, required=True, help="First day.")
@click.option("--to", "end", type=DATE, required=True, help="Last day.")
@_county
@_out
@_force
@common_options
def dues_list(start: date, end: date, county: str | None, out: Path | None, force: bool) -> None:
    """The instalments falling due from --from to --to not yet paid in full, by due date."""
    if out is not None:
        paths.check_target(out, context.database_file(), force=force)
    with UnitOfWork(context.engine(), write=False) as uow:
        found = lists.dues(uow.conn, context.operator(), start, end, county=county)
    lang = context.lang()
    cells = [
        (str(d.facility_id), d.county_code, d.borrower_masked, term(d.instrument, lang), d.no,
         d.due_date.isoformat(), d.due_fen)
        for d in found
    ]  # fmt: skip
    if out is None:
        docs = [
            {"id": d.facility_id, "county": d.county_code, "borrower": d.borrower_masked,
             "instrument": d.instrument, "no": d.no, "due_date": d.due_date.isoformat(),
             "due_fen": d.due_fen}
            for d in found
        ]  # fmt: skip
        heads = [t(zh, en) for zh, en, _ in _DUE_COLUMNS]
        body = [[*c[:4], str(c[4]), c[5], format_fen(c[6], lang)] for c in cells]
        emit(docs, lambda: render(heads, body, right={4, 6}) if body else t("（无）", "(none)"))
        return
    table = export.Table("dues", "到期提醒", "Instalments due", _DUE_COLUMNS, tuple(cells))
    _write(table, out, force, len(found))


def _listed(
    columns: tuple[tuple[str, str, str], ...],
    keys: tuple[str, ...],
    rows: list[tuple[object, ...]],
    name: str,
    out: Path | None,
    force: bool,
) -> None:
    """Rows of plain values (fen for amounts) as text, JSON (by ``keys``) or a file."""
    lang = context.lang()
    if out is not None:
        title = next(zh for zh, _, _ in columns)
        table = export.Table(name, title, name, columns, tuple(rows))  # type: ignore[arg-type]
        _write(table, out, force, len(rows))
        return
    docs = [dict(zip(keys, row, strict=True)) for row in rows]
    amounts = {i for i, (_, _, kind) in enumerate(columns) if kind == export.AMOUNT}

    def shown(i: int, value: object) -> str:
        if value is None:
            return ""
        return format_fen(int(str(value)), lang) if i in amounts else str(value)

    heads = [t(zh, en) for zh, en, _ in columns]
    body = [[shown(i, v) for i, v in enumerate(row)] for row in rows]
    emit(docs, lambda: render(heads, body, right=amounts) if body else t("（无）", "(none)"))


_DONATION_COLUMNS = (
    ("编号", "Id", export.TEXT),
    ("日期", "Date", export.TEXT),
    ("捐赠方", "Donor", export.TEXT),
    ("金额", "Amount", export.AMOUNT),
    ("参考号", "Ref", export.TEXT),
    ("限定用途", "Restricted purpose", export.TEXT),
    ("捐赠方原话", "Donor's words", export.TEXT),
    ("基金会配捐", "Foundation's match", export.TEXT),
)


@click.command("list")
@click.option("--from", "start", type=DATE, default=None, help="First day.")
@click.option("--to", "end", type=DATE, default=None, help="Last day.")
@_out
@_force
@common_options
def donations_list(start: date | None, end: date | None, out: Path | None, force: bool) -> None:
    """The donations received, by date, with any restricted purpose."""
    if out is not None:
        paths.check_target(out, context.database_file(), force=force)
    with UnitOfWork(context.engine(), write=False) as uow:
        found = lists.donations(uow.conn, context.operator(), start=start, end=end)
    rows = [
        (d.id, d.business_date.isoformat(), d.donor, d.amount_fen, d.ref,
         term(d.purpose, context.lang()) if d.purpose else None, d.words,
         t("是", "yes") if d.foundation_match else None)
        for d in found
    ]  # fmt: skip
    keys = ("id", "date", "donor", "amount_fen", "ref", "purpose", "words", "foundation_match")
    _listed(_DONATION_COLUMNS, keys, rows, "donations", out, force)


_CLAIM_COLUMNS = (
    ("编号", "Facility", export.TEXT),
    ("县代码", "County", export.TEXT),
    ("借款人", "Borrower", export.TEXT),
    ("状态", "Status", export.TEXT),
    ("代偿金额", "Claim paid", export.AMOUNT),
    ("县反担保份额", "County share", export.AMOUNT),
    ("已追回（借款人）", "Recovered (borrower)", export.AMOUNT),
    ("已追回（县）", "Recovered (county)", export.AMOUNT),
)


@click.command("list")
@_county
@_out
@_force
@common_options
def claims_list(county: str | None, out: Path | None, force: bool) -> None:
    """Every guarantee with a claim paid: claim, county share, recoveries."""
    if out is not None:
        paths.check_target(out, context.database_file(), force=force)
    with UnitOfWork(context.engine(), write=False) as uow:
        found = lists.claims(uow.conn, context.operator(), county=county)
    lang = context.lang()
    rows = [
        (c.facility_id, c.county_code, c.borrower_masked, term(c.status, lang), c.claim_paid_fen,
         c.county_share_fen, c.recovered_borrower_fen, c.recovered_county_fen)
        for c in found
    ]  # fmt: skip
    keys = ("id", "county", "borrower", "status", "claim_paid_fen", "county_share_fen",
            "recovered_borrower_fen", "recovered_county_fen")  # fmt: skip
    _listed(_CLAIM_COLUMNS, keys, rows, "claims", out, force)


def register(group: click.Group) -> None:
    group.add_command(facilities_group)
    group.add_command(collections_group)
    group.add_command(dues_group)
    # ``donations list`` and ``claims list`` join the groups their records have
    from cli.donations_cmds import donations_group
    from cli.servicing_cmds import claims_group

    donations_group.add_command(donations_list)
    claims_group.add_command(claims_list)

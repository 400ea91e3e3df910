"""``fund statement fund|county|facility`` and ``fund archive``: statements for auditors.

Every statement is read in a read-only unit of work and written to ``--out``: a PDF in
the language of ``--lang``, or, for the fund and county statements, CSV or XLSX tables
(``--format``), or for any of the three every figure as JSON (``--format json``, to
stdout without ``--out``; see ``fundcore.statements.as_json``). With ``--verify`` the
whole chain is re-verified first: a ledger that fails gives exit 1 and no file, unless
``--allow-unverified`` (then every PDF page says the ledger failed). Each PDF prints the
command that reproduces it: this command line, without ``--db`` (a URL may hold a
password; the auditor names their own database).
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from cli import context
from cli.context import common_options, emit, t
from cli.types import DATE, RECORD_ID
from fundcore.domain.errors import InputError, IntegrityBroken
from fundcore.domain.money import format_fen
from fundcore.services import anchoring
from fundcore.statements import as_json
from fundcore.statements import export as export
from fundcore.statements.model import (
    ArchiveStatement,
    CountyStatement,
    FacilityStatement,
    FundStatement,
    IntegrityBlock,
)
from fundcore.store import paths
from fundcore.store.uow import UnitOfWork

_from = click.option("--from", "period_from", required=True, type=DATE, help="First day.")
_to = click.option("--to", "period_to", required=True, type=DATE, help="Last day.")
_out = click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="The file to write."
)
_force = click.option(
    "--force",
    is_flag=True,
    help="Replace --out if it exists (never the database, its -wal/-shm, a backup or an "
    "anchors file).",
)
_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "csv", "xlsx", "json"]),
    default="pdf",
    show_default=True,
    help="PDF statement, the portfolio and region tables as CSV files or one XLSX, or "
    "every figure of the statement as JSON (to stdout without --out).",
)
_format_facility = click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "json"]),
    default="pdf",
    show_default=True,
    help="PDF statement, or every figure of it as JSON (to stdout without --out).",
)
_verify = click.option(
    "--verify",
    is_flag=True,
    help="Re-verify the whole hash chain first (slow on a big ledger); if it fails, exit 1 "
    "and write nothing.",
)
_allow_unverified = click.option(
    "--allow-unverified",
    is_flag=True,
    help="With --verify: write the statement even if the ledger fails; every page says so.",
)


def _command(*words: object, out: Path | None = None, **flags: Any) -> str:
    """The ``fund …`` line that reproduces this output (no --db: it may hold a secret).

    The output file is named ``OUT`` with the file's suffix, not by the name it was
    written to: where one auditor saves a statement does not change its bytes, so two
    runs of the same command give the same file wherever they write it."""
    line = ["fund", *map(str, words)]
    for name, value in flags.items():
        if value is True:
            line.append(f"--{name}")
        elif value not in (None, False, ""):
            line += [f"--{name}", str(value)]
    if out is not None:
        line += ["--out", f"OUT{out.suffix}"]
    if context.lang() == "en":
        line += ["--lang", "en"]
    operator = context.operator()
    if operator:
        line += ["--as", operator]
    return shlex.join(line)


def _need_out(out: Path | None, force: bool, fmt: str = "pdf") -> Path | None:
    """The --out file, refused before any work if it may not be written (see store.paths).

    CSV writes ``<stem>-<table>.csv`` beside ``out`` rather than ``out`` itself; those
    names are checked when they are written. JSON without --out goes to stdout (None)."""
    if out is None:
        if fmt == "json":
            return None
        raise InputError("statement.out_needed")
    if fmt == "csv":
        paths.check_place(out, context.database_file())
    else:
        paths.check_target(out, context.database_file(), force=force)
    return out


def _produce(out: Path, force: bool, write: Callable[[Path], list[Path]]) -> list[Path]:
    """Run ``write`` on a private path beside ``out``, then move what it made into place."""
    with paths.written(out, context.database_file(), force=force) as staged:
        made = write(staged)
    return [out.with_name(p.name) for p in made]


def _refuse_unverified(integrity: IntegrityBlock, allow: bool) -> None:
    """A ledger that failed ``--verify`` gives no statement (exit 1, nothing written, an
    existing ``--out`` untouched) unless ``--allow-unverified`` asks for one anyway."""
    if integrity.checked and not integrity.verified and not allow:
        found: list[tuple[str, dict[str, object]]] = [
            ("statement.unverified_problem", {"problem": p}) for p in integrity.problems
        ]
        raise IntegrityBroken("statement.unverified", count=len(found)).also(found)


Anchorable = TypeVar("Anchorable", FundStatement, CountyStatement, FacilityStatement)


def _anchored(stmt: Anchorable) -> Anchorable:
    """The statement with its head signed as an anchor (printed in the PDF), where the
    signing key is at hand; the anchor is kept in the anchors file once written."""
    block = stmt.integrity
    if block.as_of is None:
        return stmt
    signed = anchoring.sign_point(
        context.anchor_place(), block.head_seq, block.head_hash, block.as_of,
        f"statement:{block.as_of.isoformat()}",
    )  # fmt: skip
    return dataclasses.replace(stmt, integrity=dataclasses.replace(block, anchor=signed))


def _json(
    stmt: FundStatement | CountyStatement | FacilityStatement,
    kind: str,
    out: Path | None,
    force: bool,
) -> None:
    """The statement as JSON: to stdout, or written to ``out`` like any other format."""
    text = as_json.dumps(as_json.document(stmt, kind))
    if out is None:
        click.echo(text, nl=False)
        return

    def write(path: Path) -> list[Path]:
        path.write_text(text, encoding="utf-8")
        return [path]

    _written(_produce(out, force, write), stmt.integrity)


def _written(files: list[Path], integrity: IntegrityBlock) -> None:
    kept = anchoring.keep(context.anchor_place(), integrity.anchor)
    names = ", ".join(map(str, files))
    emit(
        {
            "ok": True,
            "anchors_file": None if kept is None else str(kept),
            "files": [str(f) for f in files],
            "head_seq": integrity.head_seq,
            "head_hash": integrity.head_hash,
            "verified": integrity.verified,
            "checked": integrity.checked,
            "problems": list(integrity.problems),
        },
        t(
            f"已写出：{names}（账本头 #{integrity.head_seq}）",
            f"written: {names} (journal head #{integrity.head_seq})",
        ),
    )


@click.group("statement")
@common_options
def statement_group() -> None:
    """Statements for auditors: the fund, a county, a facility (PDF, CSV, XLSX or JSON)."""


@statement_group.command("fund")
@_from
@_to
@_out
@_force
@_verify
@_allow_unverified
@_format
@common_options
def fund_cmd(
    period_from: date,
    period_to: date,
    out: Path | None,
    force: bool,
    verify: bool,
    allow_unverified: bool,
    fmt: str,
) -> None:
    """The fund statement for a period (finance, auditor, admin)."""
    out = _need_out(out, force, fmt)
    lang = context.lang()
    fmt_flag = fmt if fmt != "pdf" else None
    command = _command(
        "statement", "fund", **{"from": period_from, "to": period_to}, verify=verify,
        **{"allow-unverified": allow_unverified}, format=fmt_flag, out=out,
    )  # fmt: skip
    with UnitOfWork(context.engine(), write=False) as uow:
        from fundcore.statements.fund import fund_statement  # imported when one is made

        stmt = fund_statement(
            uow.conn,
            context.operator(),
            period_from,
            period_to,
            verify_chain=verify,
            command=command,
            lang=lang,
        )
    _refuse_unverified(stmt.integrity, allow_unverified)
    stmt = _anchored(stmt)
    if fmt == "json":
        _json(stmt, "fund", out, force)
        return
    assert out is not None
    tables = [
        export.portfolio_table(stmt.portfolio, stmt.portfolio_total, lang),
        export.region_table(stmt.provinces, stmt.province_total, lang, county=False),
        export.region_table(stmt.counties, stmt.county_total, lang, county=True),
    ]
    files = _produce(out, force, lambda path: _write(stmt, tables, path, fmt, lang))
    _written(files, stmt.integrity)


def _write(
    stmt: FundStatement | CountyStatement,
    tables: list[export.Table],
    out: Path,
    fmt: str,
    lang: str,
) -> list[Path]:
    """The tables as CSV or XLSX, or the statement as a PDF (reportlab loaded only then)."""
    if fmt == "csv":
        return export.write_csv(tables, out, lang)
    if fmt == "xlsx":
        return export.write_xlsx(tables, out, lang)
    from reports import render_county_statement, render_fund_statement

    if isinstance(stmt, FundStatement):
        render_fund_statement(stmt, out, lang)
    else:
        render_county_statement(stmt, out, lang)
    return [out]


@statement_group.command("county")
@click.argument("county_code")
@_from
@_to
@_out
@_force
@_verify
@_allow_unverified
@_format
@common_options
def county_cmd(
    county_code: str,
    period_from: date,
    period_to: date,
    out: Path | None,
    force: bool,
    verify: bool,
    allow_unverified: bool,
    fmt: str,
) -> None:
    """One county's statement (a county league: its own county only)."""
    out = _need_out(out, force, fmt)
    lang = context.lang()
    fmt_flag = fmt if fmt != "pdf" else None
    command = _command(
        "statement", "county", county_code, **{"from": period_from, "to": period_to},
        verify=verify, **{"allow-unverified": allow_unverified}, format=fmt_flag, out=out,
    )  # fmt: skip
    with UnitOfWork(context.engine(), write=False) as uow:
        from fundcore.statements.county import county_statement

        stmt = county_statement(
            uow.conn,
            context.operator(),
            county_code,
            period_from,
            period_to,
            verify_chain=verify,
            command=command,
            lang=lang,
        )
    _refuse_unverified(stmt.integrity, allow_unverified)
    stmt = _anchored(stmt)
    if fmt == "json":
        _json(stmt, "county", out, force)
        return
    assert out is not None
    tables = [
        export.portfolio_table(stmt.portfolio, stmt.portfolio_total, lang),
        export.facility_table(stmt.facilities, lang),
    ]
    files = _produce(out, force, lambda path: _write(stmt, tables, path, fmt, lang))
    _written(files, stmt.integrity)


@statement_group.command("facility")
@click.argument("facility_id", type=RECORD_ID)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="As it stood at the end of this day (default: at its last day close).",
)
@_out
@_force
@_verify
@_allow_unverified
@_format_facility
@common_options
def facility_cmd(
    facility_id: int,
    as_of: date | None,
    out: Path | None,
    force: bool,
    verify: bool,
    allow_unverified: bool,
    fmt: str,
) -> None:
    """One loan or guarantee: borrower (masked), schedule, payments, balance."""
    out = _need_out(out, force, fmt)
    lang = context.lang()
    command = _command(
        "statement", "facility", facility_id, **{"as-of": as_of}, verify=verify,
        **{"allow-unverified": allow_unverified}, format=fmt if fmt != "pdf" else None,
        out=out,
    )  # fmt: skip
    with UnitOfWork(context.engine(), write=False) as uow:
        from fundcore.statements.person import facility_statement

        stmt = facility_statement(
            uow.conn, context.operator(), facility_id, verify_chain=verify, command=command,
            lang=lang, as_of=as_of,
        )  # fmt: skip
    _refuse_unverified(stmt.integrity, allow_unverified)
    stmt = _anchored(stmt)
    if fmt == "json":
        _json(stmt, "facility", out, force)
        return
    assert out is not None
    from reports import render_facility_statement

    def write(path: Path) -> list[Path]:
        render_facility_statement(stmt, path, lang)
        return [path]

    _written(_produce(out, force, write), stmt.integrity)


@click.command("archive")
@click.argument("id_or_person")
@_out
@_force
@common_options
def archive_cmd(id_or_person: str, out: Path | None, force: bool) -> None:
    """A youth's record (创业档案), by application/facility id or resident ID number."""
    if out is not None:
        paths.check_target(out, context.database_file(), force=force)
    lang = context.lang()
    with UnitOfWork(context.engine(), write=False) as uow:
        from fundcore.statements.person import archive_statement

        stmt = archive_statement(uow.conn, context.operator(), id_or_person, lang=lang)
    # reproduced by the person's first application id: the ID number is never printed
    first = stmt.applications[0].application_id
    command = _command("archive", first, out=out)
    stmt = dataclasses.replace(
        stmt, header=dataclasses.replace(stmt.header, reproduce_command=command)
    )
    if out is not None:
        from reports import render_archive

        def write(path: Path) -> list[Path]:
            render_archive(stmt, path, lang)
            return [path]

        _produce(out, force, write)
        if not context.want_json():
            _written([out], stmt.integrity)
            return
    if context.want_json():
        emit(_plain(dataclasses.asdict(stmt)), "")
        return
    click.echo(_summary(stmt, lang))


def _plain(value: Any) -> Any:
    """Dates as ISO text, tuples as lists: a JSON document."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _summary(stmt: ArchiveStatement, lang: str) -> str:
    p = stmt.person
    lines = [
        t(
            f"{p.name_masked}（{p.id_masked}，{p.county_name_zh}）",
            f"{p.name_masked} ({p.id_masked}, {p.county_name_en or p.county_name_zh})",
        ),
        t(
            f"申请 {len(stmt.applications)} 件，业务 {len(stmt.facilities)} 笔，"
            f"获得资金支持 {format_fen(stmt.support_total_fen, lang)}，"
            f"还款 {format_fen(stmt.payments_total_fen, lang)}",
            f"{len(stmt.applications)} applications, {len(stmt.facilities)} facilities, "
            f"support {format_fen(stmt.support_total_fen, lang)}, "
            f"repaid {format_fen(stmt.payments_total_fen, lang)}",
        ),
    ]
    return "\n".join(lines)


def register(group: click.Group) -> None:
    group.add_command(statement_group)
    group.add_command(archive_cmd)

"""The statements a demo ends with: the fund's, its busiest county's, and one facility's.

The statements are computed here (``fundcore.statements.fund``, as an auditor reads them);
the caller renders them to PDF. Each carries the ``fund statement`` command that
reproduces it from inside the demo's folder (whose ``fund.db`` is the default database).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, case, func, select

from fundcore.statements.county import county_statement
from fundcore.statements.fund import fund_statement
from fundcore.statements.person import facility_statement
from fundcore.store.models import Facility
from fundcore.store.uow import UnitOfWork

if TYPE_CHECKING:
    from fundcore.demo.run import Run

_fac = Facility.__table__


@dataclass(frozen=True)
class Statement:
    """One statement to render: 'fund', 'county' or 'facility', its model and its file."""

    kind: str
    model: Any
    path: Path


def _command(words: list[str], lang: str, operator: str) -> str:
    tail = ["--lang", "en"] if lang == "en" else []
    return shlex.join(["fund", *words, *tail, "--as", operator])


def compute(demo: Run, operator: str, bar: Any) -> list[Statement]:
    cfg, res = demo.config, demo.result
    period = ["--from", res.first_day.isoformat(), "--to", res.last_day.isoformat()]
    out: list[Statement] = []
    with UnitOfWork(demo.engine, write=False) as uow:
        conn = uow.conn
        name = "fund-statement.pdf"
        cmd = _command(["statement", "fund", *period, "--out", name], cfg.lang, operator)
        fund = fund_statement(
            conn, operator, res.first_day, res.last_day, command=cmd, lang=cfg.lang
        )
        out.append(Statement("fund", fund, cfg.out / name))
        bar(1)
        code = busiest_county(conn)
        name = f"county-statement-{code}.pdf"
        words = ["statement", "county", code, *period, "--out", name]
        county = county_statement(
            conn,
            operator,
            code,
            res.first_day,
            res.last_day,
            command=_command(words, cfg.lang, operator),
            lang=cfg.lang,
        )
        out.append(Statement("county", county, cfg.out / name))
        bar(1)
        fid = telling_facility(conn)
        if fid is not None:
            name = f"facility-statement-{fid}.pdf"
            words = ["statement", "facility", str(fid), "--out", name]
            cmd = _command(words, cfg.lang, operator)
            facility = facility_statement(conn, operator, fid, command=cmd, lang=cfg.lang)
            out.append(Statement("facility", facility, cfg.out / name))
        bar(1)
    return out


def busiest_county(conn: Connection) -> str:
    """The county with the most facilities (the lowest code among equals)."""
    code: str | None = conn.scalar(
        select(_fac.c.county_code)
        .group_by(_fac.c.county_code)
        .order_by(func.count().desc(), _fac.c.county_code)
        .limit(1)
    )
    if code is None:  # the demo always pays some out; a county statement needs one
        raise RuntimeError("the demo made no facility")
    return code


def telling_facility(conn: Connection) -> int | None:
    """A facility with a story: a claimed guarantee with recoveries if there is one,
    else a defaulted or overdue one, else the first loan or guarantee paid out."""
    rank = case(
        (_fac.c.recovered_county_fen + _fac.c.recovered_borrower_fen > 0, 0),
        (_fac.c.status.in_(("claimed", "written_off")), 1),
        (_fac.c.status.in_(("defaulted", "overdue")), 2),
        else_=3,
    )
    fid: int | None = conn.scalar(
        select(_fac.c.id)
        .where(_fac.c.instrument != "grant", _fac.c.disbursed_on.is_not(None))
        .order_by(rank, _fac.c.id)
        .limit(1)
    )
    return fid

"""Test data: the demo's realistic generators (``fundcore.demo.people``), sheets, a fund."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from fundcore.demo.people import application_row, phone, resident_id, youth_id
from fundcore.intake.sheet import APPLICATION_COLUMNS

__all__ = [
    "application_row",
    "disbursed",
    "phone",
    "resident_id",
    "setup_fund",
    "write_csv",
    "youth_id",
]

SAMPLE_COUNTIES = ["140224", "141126", "141124", "410225", "520203", "530622"]


def write_csv(
    path: Path, rows: list[dict[str, str]], encoding: str = "utf-8", lang: str = "zh"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.zh if lang == "zh" else c.en for c in APPLICATION_COLUMNS])
        for r in rows:
            writer.writerow([r.get(c.key, "") for c in APPLICATION_COLUMNS])
    return path


def setup_fund(engine, donation_fen: int = 10_000_000_000) -> None:  # noqa: ANN001
    """Register, county league 'lq' (灵丘县), finance 'fin1'/'fin2', and a donation."""
    from fundcore.intake import register
    from fundcore.services import donations, operators, registry
    from fundcore.store.uow import UnitOfWork

    with UnitOfWork(engine) as uow:
        rows = register.parse_register(register.SAMPLE_REGISTER.read_bytes())
        registry.import_register(uow.conn, "root", rows, "sample")
        operators.add(uow.conn, None, "lq", "county", "140224")
        operators.add(uow.conn, None, "fin1", "finance")
        operators.add(uow.conn, None, "fin2", "finance")
        donations.record(
            uow.conn, "fin1", donations.DonationIn(donation_fen, "donor", date(2019, 1, 2))
        )
        uow.commit()


def disbursed(
    engine,
    n: int,
    kind: str = "loan",
    yuan: int = 30_000,
    term: int = 24,  # noqa: ANN001
    support: str = "1:1配资",
    on: date = date(2019, 6, 10),
    rate_bp: int = 475,
    approve_on: date = date(2019, 6, 2),
) -> int:
    """A facility submitted, approved (``approve_on``), supported three days later and
    paid out (``on``); its id."""
    from fundcore.intake.application import parse_application
    from fundcore.services import applications, decisions, disbursement, local_support
    from fundcore.store.uow import UnitOfWork

    names = {"loan": "免息借款", "guarantee": "担保贷款", "grant": "小额资助"}
    row = application_row(random.Random(n), n, "140224", date(2019, 6, 1), names[kind])
    row.update(
        amount=str(yuan),
        term_months=str(term) if kind != "grant" else "",
        local_support=support if kind != "grant" else "",
    )
    app, errors = parse_application(row)
    assert not errors, errors
    with UnitOfWork(engine) as uow:
        report = applications.submit(uow.conn, "lq", [(None, app)], date(2019, 6, 1))
        assert not report.problems, report.problems
        fid = report.taken[0][2]
        decisions.approve(uow.conn, "fin1", fid, approve_on)
        if yuan * 100 > 5_000_000:
            decisions.approve(uow.conn, "fin2", fid, approve_on)
        if kind != "grant":
            k = "matching" if support == "1:1配资" else "counter-guarantee"
            amount = yuan * 100 if k == "matching" else yuan * 50
            when = approve_on + timedelta(days=3)
            by = "灵丘县人民政府" if k == "counter-guarantee" else None
            support_in = local_support.SupportIn(fid, k, amount, when, f"LS-{fid}", by)
            local_support.record(uow.conn, "fin1", support_in)
        disbursement.disburse(
            uow.conn,
            "fin2",
            fid,
            on,
            "农商银行" if kind == "guarantee" else None,
            rate_bp if kind == "guarantee" else None,
        )
        uow.commit()
    return fid


def tamper(engine, *statements: str, then=None) -> None:  # noqa: ANN001
    """Change rows behind the engine's back, as an insider with the file or a superuser
    would: the triggers that guard the journal off (SQLite drops them; PostgreSQL skips
    them as a replica), the ``statements`` run, then ``then(conn)`` in the same
    transaction (a rewrite that makes the chain consistent again, say)."""
    from sqlalchemy import text

    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            names = conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
            for (name,) in names.all():
                conn.execute(text(f"DROP TRIGGER {name}"))
            conn.execute(text("PRAGMA defer_foreign_keys = ON"))
        else:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            conn.execute(text(statement))
        if then is not None:
            then(conn)

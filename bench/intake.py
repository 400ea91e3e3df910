"""Import and screening of an application sheet, against the raw insert floor.

Floor: ``sqlite3.executemany`` of the same rows the import writes (applicants,
applications, employees) into tables of the same shape, in one transaction.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

from bench.common import county_codes, peak_rss_mib, registered_fund, timer
from fundcore.intake.application import parse_application
from fundcore.intake.sheet import read_sheet
from fundcore.services import applications
from fundcore.store.db import make_engine
from fundcore.store.uow import UnitOfWork
from tests.factories import application_row, write_csv

ON = date(2019, 6, 1)


def _setup(url: str) -> None:
    registered_fund(url, {"fin": "finance"}).dispose()


def _floor(db: Path, app_rows: list[tuple], people: list[tuple], emps: list[tuple]) -> None:
    con = sqlite3.connect(db)
    con.executescript(
        "CREATE TABLE p (id INTEGER PRIMARY KEY, n TEXT UNIQUE, name TEXT, b TEXT, g TEXT,"
        " c TEXT, by TEXT);"
        "CREATE TABLE a (id INTEGER PRIMARY KEY, county TEXT, ref TEXT, pid INT, i TEXT,"
        " amt INT, term INT, pn TEXT, pt TEXT, ind TEXT, bank TEXT, ls TEXT, poor INT,"
        " phone TEXT, st TEXT, d TEXT, by TEXT, batch INT, pv INT, h TEXT,"
        " UNIQUE(county, ref));"
        "CREATE TABLE e (aid INT, n TEXT, PRIMARY KEY (aid, n));"
    )
    with con:
        con.executemany("INSERT INTO p VALUES (?,?,?,?,?,?,?)", people)
        con.executemany("INSERT INTO a VALUES (" + ",".join("?" * 20) + ")", app_rows)
        con.executemany("INSERT INTO e VALUES (?,?)", emps)
    con.close()


def main(rows: int = 10_000, url: str | None = None) -> None:
    rng = random.Random(2019)
    counties = [c for c, _, _ in county_codes()]
    kinds = ["免息借款", "担保贷款", "小额资助"]
    sheet_rows = [
        application_row(rng, i, rng.choice(counties), ON, rng.choice(kinds)) for i in range(rows)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        url = url or f"sqlite:///{tmpdir / 'fund.db'}"
        _setup(url)
        path = write_csv(tmpdir / "sheet.csv", sheet_rows, encoding="gb18030")
        t: dict[str, float] = {}
        with timer(t, "read"):
            sheet = read_sheet(path)
        with timer(t, "parse"):
            parsed = [(r.line, parse_application(r.values)[0]) for r in sheet.rows]
        engine = make_engine(url)
        with timer(t, "screen+write"), UnitOfWork(engine) as uow:
            report = applications.submit(uow.conn, "fin", parsed, ON, source="bench")
            uow.commit()
        with timer(t, "reimport (no-op)"), UnitOfWork(engine) as uow:
            again = applications.submit(uow.conn, "fin", parsed, ON, source="bench")
            uow.commit()
        assert len(report.taken) == rows and not report.problems, report.problems[:3]
        assert len(again.unchanged) == rows
        people = [
            (
                i,
                a.applicant.number,
                a.name,
                a.applicant.birth_date.isoformat(),
                a.applicant.gender,
                ON.isoformat(),
                "fin",
            )
            for i, (_, a) in enumerate(parsed)
        ]
        apps = [
            (
                i,
                a.county_code,
                a.ref,
                i,
                a.instrument,
                a.amount_fen,
                a.term_months,
                a.project_name,
                a.project_type,
                a.industry,
                a.bank,
                a.local_support,
                int(a.registered_poor),
                a.phone,
                "submitted",
                ON.isoformat(),
                "fin",
                1,
                1,
                a.content_hash(),
            )
            for i, (_, a) in enumerate(parsed)
        ]
        emps = [(i, e.number) for i, (_, a) in enumerate(parsed) for e in a.employed]
        with timer(t, "floor"):
            _floor(tmpdir / "floor.db", apps, people, emps)
    total = t["read"] + t["parse"] + t["screen+write"]
    print(f"intake benchmark: {rows} rows, {len(emps)} employees, SQLite")
    for name, secs in t.items():
        print(f"  {name:<18} {secs:7.3f} s  {secs / t['floor']:6.1f} x floor")
    print(f"  {'import total':<18} {total:7.3f} s  {total / t['floor']:6.1f} x floor")
    print(f"  peak RSS {peak_rss_mib():.0f} MiB")

"""``python -m bench as-of``: a catch-up close of every pending month end, and statements
of past and present periods, at programme scale, each against a raw floor measured in
the same run.

Build (timed, but not what is measured): the programme through the core services as
``bench programme`` runs it (865 counties, ``facilities`` applications imported, approved,
locally supported and paid out with 36-month schedules; grants have none), then ``months``
monthly repayment files through ``services.repayments.repay_many`` (1 borrower in 50 pays
a month late, 1 in 97 stops after six months) and **no day close**, so every month end from
the first pay-out to the last month's end is pending.

Measured, through public entry points only (``services.dayclose.close_through``,
``statements.fund.fund_statement`` / ``county_statement`` and ``reports``):

- the catch-up: ``close_through(last month end)`` in one transaction, closing ``months``
  month ends. Each run but the last is rolled back, the last is committed; the median of
  the runs is printed (``--close-runs``, default 1: at full scale one run takes minutes).
  Floor: one raw SQL pass per month end, on the driver's connection, that reads the
  repayments dated by that day and the instalments due before it, fills
  each facility's principal repaid over its schedule oldest first (a running sum) and
  sums what a close reports: serviced facilities, overdue, defaulted, outstanding, PAR30,
  PAR90. That is the reading an as-of close cannot avoid; the floor writes nothing (the
  close also rewrites the ageing of every serviced facility and posts the provision).
  The floor's figures are also compared with the close's, month end by month end.
- the fund statement (the model, then its PDF) for the first calendar year (a past,
  closed period) and for the last month, and the county statement with its PDF for both,
  after the catch-up (median of ``--runs``, default 3).
  Floor: one raw ``GROUP BY`` over the facilities paid out by the period's last day D
  (county × instrument: count, principal, outstanding at D from the repayments dated ≤ D).

    python -m bench as-of --facilities 5000 --months 12     # a quick look (a minute)
    nice python -m bench as-of                              # 100,000 facilities, 36 months
    python -m bench as-of --db postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from bench import programme
from bench.common import peak_rss_mib
from fundcore.services import dayclose, repayments
from fundcore.statements.county import county_statement
from fundcore.statements.fund import fund_statement
from fundcore.store.db import make_engine
from fundcore.store.models import Instalment, JournalLine, Repayment
from fundcore.store.uow import UnitOfWork

FIRST_DUE = programme.ON + timedelta(days=9)  # the programme's pay-out day
OPERATOR = "cashier"  # finance: may close days and read every statement
DEFAULT_AFTER_DAYS = 90  # the shipped policy's default; the cross-check's only use


class _Build(programme.Bench):
    """The programme bench's stages without their floors (this bench does not time them)."""

    def floor_of(self, stage: str, marks: dict, updates: Any = None) -> tuple[float, int]:
        return 0.0, 0


@contextmanager
def _database(url: str | None, workdir: Path) -> Iterator[Engine]:
    """An empty database: a temp SQLite file, or a fresh schema on the PostgreSQL server."""
    if not (url and url.startswith("postgresql")):
        engine = make_engine(url or f"sqlite:///{workdir / 'fund.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    schema = f"bench_asof_{int(time.time())}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{sep}options=-csearch_path%3D{schema}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def month_ends(months: int) -> list[date]:
    """The month ends a catch-up closes: the pay-out month's and the ``months - 1`` after."""
    return [FIRST_DUE + relativedelta(months=m, day=31) for m in range(months)]


def build(engine: Engine, workdir: Path, n: int, months: int, counties_n: int) -> list[str]:
    """The programme through the services, repayments for ``months`` months, no day close."""
    codes = programme.set_up(engine, counties_n)
    b = _Build(engine, None, workdir)  # type: ignore[arg-type]
    programme.stage_import(b, programme.sheets(workdir, codes, n, 2019))
    programme.stage_approvals(b)
    programme.stage_support(b)
    programme.stage_disburse(b)
    start, count = time.perf_counter(), 0
    for m, last in enumerate(month_ends(months)):
        first = FIRST_DUE + relativedelta(months=m, day=1) if m else FIRST_DUE
        items = programme._month_items(engine, first, last, m)
        with UnitOfWork(engine) as uow:
            report = repayments.repay_many(uow.conn, OPERATOR, items)
            uow.commit()
        assert not report.problems, report.problems[:3]
        count += len(report.applied)
        programme._autovacuum(engine)
    b.record("repayments, no day close", time.perf_counter() - start, None, f"{count} repayments")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return codes


# --- raw floors ---------------------------------------------------------------------------


def _raw(engine: Engine, sql: str, params: dict[str, Any]) -> list[tuple]:
    """``sql`` (``:name`` parameters) on the driver's own connection, in one read."""
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        if engine.dialect.name == "postgresql":
            for name in sorted(params, key=len, reverse=True):
                sql = sql.replace(f":{name}", f"%({name})s")
            cur.execute("SET LOCAL jit = off")  # as the statements do (statements.common)
        else:
            params = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
        cur.execute(sql, params)
        rows = cur.fetchall()
        cur.close()
        conn.rollback()
        return [tuple(r) for r in rows]
    finally:
        conn.close()


def _days(engine: Engine, later: str, earlier: str) -> str:
    if engine.dialect.name == "postgresql":
        return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def close_floor_sql(engine: Engine) -> str:
    """What a close of :d reports, from the repayments dated by :d and the schedules."""
    dpd = _days(engine, ":d", "o.due")
    return f"""
    WITH paid AS (
        SELECT facility_id, SUM(principal_fen) AS p FROM repayments
        WHERE business_date <= :d GROUP BY facility_id),
    sched AS (
        SELECT facility_id, due_date, SUM(principal_fen)
               OVER (PARTITION BY facility_id ORDER BY no) AS through_fen
        FROM instalments WHERE active AND due_date < :d),
    oldest AS (
        SELECT s.facility_id, MIN(s.due_date) AS due FROM sched s
        LEFT JOIN paid ON paid.facility_id = s.facility_id
        WHERE s.through_fen > COALESCE(paid.p, 0) GROUP BY s.facility_id),
    aged AS (
        SELECT f.principal_fen - COALESCE(paid.p, 0) AS owed,
               CASE WHEN o.due IS NULL THEN 0 ELSE {dpd} END AS dpd
        FROM facilities f
        LEFT JOIN paid ON paid.facility_id = f.id
        LEFT JOIN oldest o ON o.facility_id = f.id
        WHERE f.instrument <> 'grant' AND f.disbursed_on <= :d)
    SELECT COUNT(*), SUM(CASE WHEN dpd > 0 THEN 1 ELSE 0 END),
           SUM(CASE WHEN dpd > :dflt THEN 1 ELSE 0 END), SUM(owed),
           SUM(CASE WHEN dpd > 30 THEN owed ELSE 0 END),
           SUM(CASE WHEN dpd > 90 THEN owed ELSE 0 END)
    FROM aged WHERE owed > 0"""


STATEMENT_FLOOR = """
    SELECT f.county_code, f.instrument, COUNT(*), SUM(f.principal_fen),
           SUM(f.principal_fen - COALESCE(r.p, 0))
    FROM facilities f
    LEFT JOIN (SELECT facility_id, SUM(principal_fen) AS p FROM repayments
               WHERE business_date <= :d {of_county} GROUP BY facility_id) r
      ON r.facility_id = f.id
    WHERE f.disbursed_on <= :d {county}
    GROUP BY f.county_code, f.instrument"""


# --- measuring ----------------------------------------------------------------------------


class Table:
    """Rows of (stage, median seconds, floor seconds, peak RSS), printed as they come."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float | None, float, str]] = []

    def add(self, stage: str, secs: float, floor: float | None, note: str = "") -> None:
        self.rows.append((stage, secs, floor, peak_rss_mib(), note))
        ratio = f"{secs / floor:7.1f} x" if floor else "      — "
        print(f"  {stage:<44} {secs:8.2f} s {ratio}  {note}", flush=True)

    def markdown(self) -> str:
        out = [
            "| stage | seconds | × floor | floor s | peak RSS | |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for stage, secs, floor, rss, note in self.rows:
            ratio = f"{secs / floor:.1f}" if floor else "—"
            fl = f"{floor:.2f}" if floor else "—"
            out.append(f"| {stage} | {secs:.2f} | {ratio} | {fl} | {rss:.0f} MiB | {note} |")
        return "\n".join(out)


def median_of(runs: int, fn: Callable[[], object]) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def catch_up_floor(engine: Engine, ends: list[date], runs: int) -> tuple[float, list[tuple]]:
    """The raw as-of pass over every month end: (median seconds, its figures)."""
    sql = close_floor_sql(engine)
    figures: list[tuple] = []

    def floor() -> None:
        figures.clear()
        for d in ends:
            figures.append(_raw(engine, sql, {"d": d, "dflt": DEFAULT_AFTER_DAYS})[0])

    secs, _ = median_of(runs, floor)
    print(f"    floor (raw as-of pass over {len(ends)} month ends): {secs:.2f} s", flush=True)
    return secs, figures


def measure_catch_up(
    engine: Engine, ends: list[date], runs: int, limit: float, figures: list[tuple]
) -> tuple[float, str, bool]:
    """(median seconds, note, committed): the catch-up, each run cancelled after ``limit``
    seconds (0: never); a cancelled run is rolled back and no further run is tried."""
    times: list[float] = []
    for k in range(runs):
        start = time.perf_counter()
        try:
            closed = _close_within(engine, ends[-1], limit, commit=k == runs - 1)
        except DBAPIError as err:
            secs = time.perf_counter() - start
            print(f"    catch-up run {k + 1}: cancelled after {secs:.0f} s ({err.orig})")
            return secs, f"CANCELLED at {limit:.0f} s, not done (a lower bound)", False
        times.append(time.perf_counter() - start)
        print(f"    catch-up run {k + 1}: {times[-1]:.2f} s", flush=True)
    assert [r.business_date for r in closed] == ends, [r.business_date for r in closed]
    _compare(closed, figures)
    note = "runs " + ", ".join(f"{t:.1f}" for t in times) + " s (last committed)"
    return statistics.median(times), note, True


def _close_within(
    engine: Engine, through: date, limit: float, commit: bool
) -> list[dayclose.CloseResult]:
    """``close_through`` in one unit of work, its driver connection cancelled (SQLite
    ``interrupt``, psycopg ``cancel``) every second once ``limit`` seconds have passed."""
    with UnitOfWork(engine) as uow:
        raw = uow.conn.connection.dbapi_connection
        stop = threading.Event()

        def cancel() -> None:
            if stop.wait(limit):
                return
            while not stop.is_set():
                raw.interrupt() if hasattr(raw, "interrupt") else raw.cancel()  # type: ignore[union-attr, attr-defined]
                stop.wait(1.0)

        watcher = threading.Thread(target=cancel, daemon=True)
        if limit:
            watcher.start()
        try:
            closed = dayclose.close_through(uow.conn, OPERATOR, through)
            if commit:
                uow.commit()
        finally:
            stop.set()
    return closed


def _compare(closed: list[dayclose.CloseResult], figures: list[tuple]) -> None:
    """Print where the close's figures differ from the raw as-of pass's."""
    names = ("facilities", "overdue", "defaulted", "outstanding_fen", "par30_fen", "par90_fen")
    differ = []
    for r, raw in zip(closed, figures, strict=True):
        mine = tuple(getattr(r, n) for n in names)
        theirs = tuple(int(v or 0) for v in raw)
        if mine != theirs:
            differ.append((r.business_date, mine, theirs))
    print(f"    close figures = raw as-of figures at {len(closed) - len(differ)} of"
          f" {len(closed)} month ends", flush=True)  # fmt: skip
    for day, mine, theirs in differ[:5]:
        print(f"      {day}: close {mine} raw {theirs}  ({', '.join(names)})", flush=True)


def measure_statements(
    engine: Engine,
    workdir: Path,
    county: str,
    ends: list[date],
    runs: int,
    table: Table,
    when: str,
) -> None:
    first_year = (date(ends[0].year, 1, 1), date(ends[0].year, 12, 31))
    last_month = (ends[-1].replace(day=1), ends[-1])
    for label, period in (("first year", first_year), ("last month", last_month)):
        _period(engine, workdir, county, f"{label}, {when}", period, runs, table)


def _period(
    engine: Engine,
    workdir: Path,
    county: str,
    label: str,
    period: tuple[date, date],
    runs: int,
    table: Table,
) -> None:
    """The fund statement (model, PDF) and a county statement with its PDF for ``period``."""
    from reports import render_county_statement, render_fund_statement

    p_from, p_to = period
    held: dict[str, Any] = {}

    def fund() -> None:
        with UnitOfWork(engine, write=False) as uow:
            held["fund"] = fund_statement(uow.conn, OPERATOR, p_from, p_to)

    def fund_pdf() -> None:
        render_fund_statement(held["fund"], workdir / "fund.pdf", "zh")

    def county_all() -> None:
        with UnitOfWork(engine, write=False) as uow:
            stmt = county_statement(uow.conn, OPERATOR, county, p_from, p_to)
        render_county_statement(stmt, workdir / "county.pdf", "zh")

    day = {"d": p_to}
    all_sql = STATEMENT_FLOOR.format(county="", of_county="")
    ids = f"SELECT id FROM facilities WHERE county_code = '{county}'"
    one_sql = STATEMENT_FLOOR.format(
        county=f"AND f.county_code = '{county}'", of_county=f"AND facility_id IN ({ids})"
    )
    floor_all, _ = median_of(runs, lambda: _raw(engine, all_sql, day))
    floor_one, _ = median_of(runs, lambda: _raw(engine, one_sql, day))
    q, _ = median_of(runs, fund)
    pdf, _ = median_of(runs, fund_pdf)
    table.add(f"fund statement, {label} (model)", q, floor_all, f"{p_from}..{p_to}")
    table.add(f"fund statement, {label} (PDF)", pdf, None)
    table.add(f"fund statement, {label} (model + PDF)", q + pdf, None, "target < 5 s")
    c, _ = median_of(runs, county_all)
    table.add(f"county statement + PDF, {label}", c, floor_one, f"county {county}")


def _counts(engine: Engine) -> str:
    with engine.connect() as conn:
        n_inst = conn.scalar(select(func.count()).select_from(Instalment.__table__))
        n_rep = conn.scalar(select(func.count()).select_from(Repayment.__table__))
        n_lines = conn.scalar(select(func.count()).select_from(JournalLine.__table__))
    return f"{n_inst:,} instalments, {n_rep:,} repayments, {n_lines:,} journal lines"


def _copy_sqlite(src: Path, dst: Path) -> None:
    """A consistent copy of a SQLite database (the backup API, WAL included)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def _prepare(
    engine: Engine, workdir: Path, n: int, months: int, counties_n: int, built: Path | None
) -> list[str]:
    """Build the fund, or (SQLite) take a copy of one an earlier run kept with ``--keep``:
    the build is the long part, so the measures can be rerun on a quieter machine."""
    if built is None:
        start = time.perf_counter()
        codes = build(engine, workdir, n, months, counties_n)
        print(f"  built in {time.perf_counter() - start:.0f} s: {_counts(engine)}", flush=True)
        return codes
    engine.dispose()
    _copy_sqlite(built, workdir / "fund.db")
    print(f"  copied the fund built earlier from {built}: {_counts(engine)}", flush=True)
    return [str(r[0]) for r in _raw(engine, _FIRST_COUNTY, {})]


_FIRST_COUNTY = "SELECT county_code FROM facilities ORDER BY id LIMIT 1"


def main(
    facilities: int = 100_000,
    url: str | None = None,
    months: int = 36,
    counties_n: int = 865,
    runs: int = 3,
    close_runs: int = 1,
    close_limit: float = 0,
    keep: Path | None = None,
    built: Path | None = None,
) -> None:
    ends = month_ends(months)
    sqlite = not (url and url.startswith("postgresql"))
    if (keep or built) and not sqlite:
        raise SystemExit("--keep and --built are for the SQLite default only")
    with tempfile.TemporaryDirectory() as tmp, _database(url, Path(tmp)) as engine:
        workdir = Path(tmp)
        backend = engine.dialect.name
        print(f"as-of benchmark: {backend}, {counties_n} counties, {facilities:,} facilities,"
              f" {months} month ends {ends[0]}..{ends[-1]}, median of {runs}"
              f" (catch-up: {close_runs})",
              flush=True)  # fmt: skip
        codes = _prepare(engine, workdir, facilities, months, counties_n, built)
        if keep is not None:
            engine.dispose()
            _copy_sqlite(workdir / "fund.db", keep)
            print(f"  kept a copy of the fund as built in {keep}", flush=True)
        table = Table()
        measure_statements(engine, workdir, codes[0], ends, runs, table, "before the close")
        floor_s, figures = catch_up_floor(engine, ends, close_runs)
        secs, note, done = measure_catch_up(engine, ends, close_runs, close_limit, figures)
        table.add(f"catch-up close of {months} month ends", secs, floor_s, note)
        if done:
            measure_statements(engine, workdir, codes[0], ends, runs, table, "after the close")
    print(f"\n{backend}, {facilities:,} facilities, {months} month ends, median of {runs}"
          f" (catch-up: {close_runs}):\n")  # fmt: skip
    print(table.markdown(), flush=True)

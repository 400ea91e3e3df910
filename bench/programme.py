"""``python -m bench programme``: the whole programme at full scale, stage by stage,
each against its raw floor (``bench.floor``) measured in the same run.

Default scale: 865 counties (the 832 of shared/data/counties-832.csv and 33
placeholders), 100,000 applications, 36 months of servicing. Stages: import and
screening (one sheet per county, read, parsed and submitted as the county league),
approvals, local support, disbursement with schedules, monthly repayments (one bank
file a month), month-end day closes, and the fund statement PDF when the journal is
small and again when it is large.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, func, select, text

from bench import floor as fl
from bench.common import SHARED_COUNTIES, peak_rss_mib
from fundcore.demo import counties, people
from fundcore.intake.application import parse_application
from fundcore.intake.sheet import read_sheet
from fundcore.services import (
    applications,
    dayclose,
    decisions,
    disbursement,
    donations,
    local_support,
    operators,
    registry,
    repayments,
    setup,
)
from fundcore.store import pii, schema
from fundcore.store.db import make_engine
from fundcore.store.models import Application, Facility, Instalment, JournalLine
from fundcore.store.uow import UnitOfWork

ON = date(2019, 4, 1)
BATCH = 10_000
_apps, _fac, _inst = Application.__table__, Facility.__table__, Instalment.__table__
#: the tables each stage inserts into, with the key that grows as rows are added
INSERTED = {
    "import": {
        "intake_batches": "id",
        "applicants": "id",
        "applications": "id",
        "application_employees": "application_id",
        "audit_log": "id",
    },
    "approvals": {"facilities": "id", "decisions": "id", "journal_lines": "entry_seq",
                  "journal_entries": "seq", "audit_log": "id"},
    "local support": {"local_support": "id", "journal_lines": "entry_seq",
                      "journal_entries": "seq", "audit_log": "id"},
    "disbursement": {"instalments": "facility_id", "journal_lines": "entry_seq",
                     "journal_entries": "seq", "audit_log": "id"},
    "repayments": {"repayments": "id", "journal_lines": "entry_seq", "journal_entries": "seq",
                   "audit_log": "id"},
}  # fmt: skip


class Bench:
    def __init__(self, engine: Engine, floor: fl.Floor, workdir: Path) -> None:
        self.engine, self.floor, self.workdir = engine, floor, workdir
        self.rows: list[tuple[str, float, float | None, str]] = []

    def marks(self, stage: str) -> dict[str, tuple[str, object]]:
        with self.engine.connect() as conn:
            return {t: (k, fl.watermark(conn, t, k)) for t, k in INSERTED[stage].items()}

    def floor_of(self, stage: str, marks: dict, updates=None) -> tuple[float, int]:  # noqa: ANN001
        before = self.floor.seconds
        self.floor.begin()
        with self.engine.connect() as conn:
            n = fl.copy_new(self.floor, conn, marks)
            if updates:
                updates(conn)
        self.floor.commit()
        return self.floor.seconds - before, n

    def record(self, stage: str, secs: float, floor: float | None, note: str = "") -> None:
        self.rows.append((stage, secs, floor, f"{note}; RSS {peak_rss_mib():.0f} MiB".lstrip("; ")))
        ratio = f"{secs / floor:6.1f} x" if floor else "     — "
        print(f"  {stage:<28} {secs:8.2f} s  {ratio}  {self.rows[-1][3]}", flush=True)


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)


def set_up(engine: Engine, n_counties: int) -> list[str]:
    pii.ensure_key(engine)  # as fund init: the personal-data key beside the database
    schema.upgrade(engine)
    register = counties.programme(n_counties, SHARED_COUNTIES if SHARED_COUNTIES.exists() else None)
    with _uow(engine) as uow:
        setup.load_reference_data(uow.conn, "root")
        registry.import_register(uow.conn, "root", register, "bench")
        admin = operators.authorise(uow.conn, "root", "operators.add")
        for name in ("cashier", "reviewer1", "reviewer2"):
            operators.add(uow.conn, admin, name, "finance")
        for c in register:
            operators.add(uow.conn, admin, f"league-{c.code}", "county", c.code)
        # enough that capacity never refuses: the bench measures the database, not the fund
        gift = donations.DonationIn(5_000_000_000 * 100, "bench", date(2019, 1, 2), None, "B1")
        donations.record(uow.conn, "cashier", gift)
        uow.commit()
    return [c.code for c in register]


def sheets(workdir: Path, codes: list[str], n: int, seed: int) -> list[tuple[str, Path]]:
    """One sheet per county, ``n`` valid rows in all, every term 36 months."""
    rng = random.Random(seed)
    ids = people.Registry(rng)
    per: dict[str, int] = {}
    for i in range(n):
        per[codes[i % len(codes)]] = per.get(codes[i % len(codes)], 0) + 1
    out = []
    for code in codes:
        rows = [
            people.realistic_row(rng, ids, f"{code}-{k:05d}", code, ON, term_months=36)
            for k in range(per.get(code, 0))
        ]
        out.append((code, people.write_sheet(workdir / f"{code}.csv", rows)))
    return out


def stage_import(b: Bench, files: list[tuple[str, Path]]) -> None:
    marks = b.marks("import")
    start = time.perf_counter()
    taken = 0
    for code, path in files:
        sheet = read_sheet(path)
        parsed = [(r.line, parse_application(r.values)[0]) for r in sheet.rows]
        with _uow(b.engine) as uow:
            report = applications.submit(uow.conn, f"league-{code}", parsed, ON, source=path.name)
            uow.commit()
        assert not report.problems, report.problems[:3]
        taken += len(report.taken)
    secs = time.perf_counter() - start
    floor, n = b.floor_of("import", marks)
    b.record("import + screening", secs, floor, f"{taken} applications, {n} rows")


def _ids(engine: Engine, stmt) -> list[int]:  # noqa: ANN001
    with engine.connect() as conn:
        return list(conn.scalars(stmt))


def stage_approvals(b: Bench) -> None:
    marks = b.marks("approvals")
    ids = _ids(
        b.engine, select(_apps.c.id).where(_apps.c.status == "submitted").order_by(_apps.c.id)
    )
    start = time.perf_counter()
    second: list[int] = []
    for reviewer, todo in (("reviewer1", ids), ("reviewer2", second)):
        for i in range(0, len(todo), BATCH):
            with _uow(b.engine) as uow:
                report = decisions.approve_many(uow.conn, reviewer, todo[i : i + BATCH], ON)
                uow.commit()
            assert not report.problems, report.problems[:3]
            second += [
                o.application_id for o in report.outcomes if o.needed == 2 and o.approvals == 1
            ]
    secs = time.perf_counter() - start

    def updates(conn) -> None:  # noqa: ANN001
        b.floor.update("applications", ["status"], ["id"], [("approved", i) for i in ids])

    floor, n = b.floor_of("approvals", marks, updates)
    b.record("approvals", secs, floor, f"{len(ids)} applications, {len(second)} twice, {n} rows")


def stage_support(b: Bench) -> None:
    marks = b.marks("local support")
    with b.engine.connect() as conn:
        facs = conn.execute(
            select(
                _fac.c.id,
                _fac.c.local_support_kind,
                _fac.c.principal_fen,
                _fac.c.matching_required_fen,
            )
            .where(_fac.c.instrument != "grant")
            .order_by(_fac.c.id)
        ).all()
    items = [
        local_support.SupportIn(fid, kind, need if kind == "matching" else p, ON, f"S{fid}")
        for fid, kind, p, need in facs
    ]
    start = time.perf_counter()
    for i in range(0, len(items), BATCH):
        with _uow(b.engine) as uow:
            report = local_support.record_many(uow.conn, "cashier", items[i : i + BATCH])
            uow.commit()
        assert not report.problems, report.problems[:3]
    secs = time.perf_counter() - start
    floor, n = b.floor_of("local support", marks)
    b.record("local support", secs, floor, f"{len(items)} facilities, {n} rows")


def stage_disburse(b: Bench) -> None:
    marks = b.marks("disbursement")
    on = ON + timedelta(days=9)
    with b.engine.connect() as conn:
        facs = conn.execute(
            select(_fac.c.id, _fac.c.instrument, _fac.c.bank).order_by(_fac.c.id)
        ).all()
    items = [
        disbursement.DisburseIn(fid, bank, 475)
        if kind == "guarantee"
        else disbursement.DisburseIn(fid)
        for fid, kind, bank in facs
    ]
    start = time.perf_counter()
    for i in range(0, len(items), BATCH):
        with _uow(b.engine) as uow:
            report = disbursement.disburse_many(uow.conn, "cashier", items[i : i + BATCH], on)
            uow.commit()
        assert not report.problems, report.problems[:3]
    secs = time.perf_counter() - start

    def updates(conn) -> None:  # noqa: ANN001
        for part in (
            conn.execution_options(yield_per=fl.CHUNK)
            .execute(
                select(
                    _fac.c.status,
                    _fac.c.committed_fen,
                    _fac.c.disbursed_on,
                    _fac.c.bank,
                    _fac.c.annual_rate_bp,
                    _fac.c.outstanding_fen,
                    _fac.c.id,
                )
            )
            .partitions()
        ):
            b.floor.update("facilities", ["status", "committed_fen", "disbursed_on", "bank",
                                          "annual_rate_bp", "outstanding_fen"], ["id"],
                           [tuple(r) for r in part])  # fmt: skip

    floor, n = b.floor_of("disbursement", marks, updates)
    with b.engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(_inst))
    b.record(
        "disbursement + schedules", secs, floor, f"{len(items)} facilities, {count} instalments"
    )


def _month_items(engine: Engine, first: date, last: date, month: int) -> list:
    """The bank's file of a month: what falls due (1 in 50 borrowers pays a month late,
    1 in 97 stops after six months)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(_inst.c.facility_id, _inst.c.no, _inst.c.due_date,
                   _inst.c.principal_fen + _inst.c.interest_fen)
            .where(_inst.c.active, _inst.c.due_date >= first - relativedelta(months=1),
                   _inst.c.due_date <= last)
        ).all()  # fmt: skip
    items = []
    for fid, no, due, amount in rows:
        late = fid % 50 == 0
        if fid % 97 == 0 and no > 6:
            continue
        day = due + relativedelta(months=1) if late else due
        if first <= day <= last:
            items.append(repayments.RepaymentIn(fid, amount, day, f"R{fid}-{no}"))
    return items


def stage_servicing(b: Bench, months: int, statement_at: set[int]) -> None:
    first_due = ON + timedelta(days=9)
    total = close_total = floor_total = 0.0
    close_max, n_items = 0.0, 0
    for m in range(months + 1):
        first = (first_due + relativedelta(months=m, day=1)) if m else first_due
        last = first_due + relativedelta(months=m, day=31)
        items = _month_items(b.engine, first, last, m)
        marks = b.marks("repayments")
        start = time.perf_counter()
        with _uow(b.engine) as uow:
            report = repayments.repay_many(uow.conn, "cashier", items)
            uow.commit()
        secs = time.perf_counter() - start
        assert not report.problems, report.problems[:3]
        start = time.perf_counter()
        with _uow(b.engine) as uow:
            dayclose.close_through(uow.conn, "cashier", last)
            uow.commit()
        close = time.perf_counter() - start

        def updates(conn, first=first, last=last) -> None:  # noqa: ANN001
            for part in (
                conn.execution_options(yield_per=fl.CHUNK)
                .execute(
                    select(
                        _inst.c.paid_principal_fen,
                        _inst.c.paid_interest_fen,
                        _inst.c.facility_id,
                        _inst.c.version,
                        _inst.c.no,
                    ).where(_inst.c.due_date >= first, _inst.c.due_date <= last)
                )
                .partitions()
            ):
                paid = ["paid_principal_fen", "paid_interest_fen"]
                keys = ["facility_id", "version", "no"]
                b.floor.update("instalments", paid, keys, [tuple(r) for r in part])

        floor, _ = b.floor_of("repayments", marks, updates)
        _autovacuum(b.engine)
        total, close_total, floor_total = total + secs, close_total + close, floor_total + floor
        close_max, n_items = max(close_max, close), n_items + len(report.applied)
        print(f"    month {m:2d} {last}: {len(report.applied):6d} repayments {secs:6.2f} s"
              f" (floor {floor:5.2f} s), close {close:5.2f} s, RSS {peak_rss_mib():.0f} MiB",
              flush=True)  # fmt: skip
        if m in statement_at:
            stage_statement(b, last, f"month {m}")
    b.record(
        "monthly repayments", total, floor_total, f"{n_items} repayments in {months + 1} files"
    )
    b.record(
        "day close (slowest month)", close_max, None, f"mean {close_total / (months + 1):.2f} s"
    )


def _autovacuum(engine: Engine) -> None:
    """Untimed, on PostgreSQL: what autovacuum would have done by the next month.

    Every repayment file and day close rewrites most facility rows; a server running
    with autovacuum off (as the benchmark machine's does) would keep every dead version
    of them, and the next month's scans would read through 36 months of garbage.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE) facilities")


def stage_statement(b: Bench, through: date, when: str) -> None:
    try:
        from fundcore.statements.fund import fund_statement
        from reports import render_fund_statement
    except ImportError:
        b.record(f"fund statement ({when})", 0.0, None, "fundcore.statements.fund missing")
        return
    with b.engine.connect() as conn:
        lines = conn.scalar(select(func.count()).select_from(JournalLine.__table__))
    start = time.perf_counter()
    with UnitOfWork(b.engine, write=False) as uow:
        stmt = fund_statement(uow.conn, "cashier", date(2019, 1, 1), through)
    render_fund_statement(stmt, b.workdir / f"fund-{through}.pdf", "zh")
    b.record(
        f"fund statement ({when})", time.perf_counter() - start, None, f"{lines} journal lines"
    )


def main(
    rows: int = 100_000, url: str | None = None, months: int = 36, counties_n: int = 865
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        backend = "postgresql" if url and url.startswith("postgresql") else "sqlite"
        pg_schema = None
        if backend == "postgresql":
            pg_schema = f"bench_{int(time.time())}"
            admin = make_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{pg_schema}"'))
            admin.dispose()
            sep = "&" if "?" in url else "?"
            real_url = f"{url}{sep}options=-csearch_path%3D{pg_schema}"
        else:
            real_url = url or f"sqlite:///{workdir / 'fund.db'}"
        engine = make_engine(real_url)
        floor = fl.Floor(backend, workdir, url)
        try:
            codes = set_up(engine, counties_n)
            files = sheets(workdir, codes, rows, 2019)
            print(f"programme benchmark: {backend}, {len(codes)} counties, {rows} applications,"
                  f" {months} months", flush=True)  # fmt: skip
            b = Bench(engine, floor, workdir)
            stage_import(b, files)
            stage_approvals(b)
            stage_statement(b, date(2019, 4, 30), "small journal")
            stage_support(b)
            stage_disburse(b)
            stage_servicing(b, months, {months})
            print(f"  peak RSS {peak_rss_mib():.0f} MiB")
        finally:
            floor.close()
            engine.dispose()
            if pg_schema:
                admin = make_engine(url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'DROP SCHEMA "{pg_schema}" CASCADE'))
                admin.dispose()

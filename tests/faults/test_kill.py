"""Faults lose nothing: a real ``fund`` process killed (SIGKILL) at random points.

Each case prepares two identical databases. On the *reference* the command runs once,
uninterrupted (in-process, through the click runner). On the *victim* a real ``fund``
process (``fund --db URL …``) is started and killed with SIGKILL, again and again. After
every kill:

* ``fund ledger verify`` passes;
* nothing is half-written: the victim's state fingerprint is exactly the reference's
  before the command or exactly the reference's after it (every command is one
  transaction);
* a process that ended before its kill succeeded and left the reference's end state.

Finally the same command runs again on the victim, uninterrupted: it must succeed, verify
must pass, there must be no duplicate (ref, repayment ref, entry hash) and the fingerprint
must equal the reference's after the command: a killed run followed by a re-run loses
nothing and doubles nothing.

The demo is many transactions in a SQLite file of its own under ``--out`` (it does not
use ``--db``), so it runs on SQLite only: after each kill its database verifies (or was
killed while its schema was being created), the same command refuses with a reason
because a demo database exists, ``--force`` starts it again, and the last, uninterrupted
``--force`` run ends with exactly the reference demo's state.

The fingerprint is every row of every table, except what legitimately differs between
two runs: wall-clock columns (``recorded_at``, ``created_at``…) and surrogate ids, which
PostgreSQL sequences burn in rolled-back transactions. A surrogate id is replaced by a
digest of the row it names (an application by its county, ref and content; a facility
by its application), both in foreign keys and in the audit log's ``object_id``. The
journal keeps ``seq`` and ``hash``, so the chain itself must come out identical.

While a ``fund`` process runs, the harness polls every 5 ms (20 ms on PostgreSQL)
whether it holds a write transaction (SQLite: the write lock is taken; PostgreSQL: its
session, tagged by ``application_name``, has a transaction id). The reference run is
watched the same way to learn how long its write transaction lasts. Two attempts in
three kill at a random point within 3/4 of that length after the victim's write
transaction is first seen; every third attempt kills at any time from 30% to 100% of
the expected run (start-up, measured once, plus the reference's duration), which
sometimes falls before the database is touched or after the commit. When an attempt
has let the command commit and the next one aims at the write transaction, the victim
is first put back as prepared (SQLite: the prepared file copied in with SQLite's backup
API; PostgreSQL: its schema emptied and prepared again), so that there is a write
transaction to kill.

Random numbers come from ``random.Random(seed)``, the seed being ``FUNDCORE_KILL_SEED``
(default 20260101) with the case and backend. Every test prints its seed, timings and
the outcome of each kill (finished first; killed inside or outside the write
transaction, leaving nothing written, its commit, or an earlier attempt's result);
``-s`` or ``-rP`` shows them. A failure names the attempt and its kill plan; the same
seed draws the same plans (the machine's timing still varies).

Runtime by default (3 kills per command): about 15 s on SQLite, 20 s on PostgreSQL.
``FUNDCORE_SOAK=1`` kills each command 25 times on larger inputs (minutes).
PostgreSQL runs only when ``FUNDCORE_TEST_PG`` is set (see ``tests/conftest.py``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import DateTime, Engine, Table, create_engine, select, text

from cli.main import fund as fund_group
from fundcore.domain.repayments import RepaymentIn
from fundcore.intake.application import parse_application
from fundcore.services import applications, decisions, disbursement, local_support, repayments
from fundcore.store import pii_key
from fundcore.store.db import make_engine
from fundcore.store.models import Base, Instalment
from fundcore.store.uow import UnitOfWork
from tests.conftest import PG_URL, Fund, init_db, pg_schema_url
from tests.factories import SAMPLE_COUNTIES, application_row, setup_fund, write_csv

SOAK = bool(os.environ.get("FUNDCORE_SOAK"))
SEED = int(os.environ.get("FUNDCORE_KILL_SEED", "20260101"))
KILLS = 25 if SOAK else 3
SHEET_ROWS = 5_000 if SOAK else 1_000
FACILITIES = 150 if SOAK else 24
PAID_INSTALMENTS = 24
SETTLE_SECONDS = 60
POLL_SECONDS = 0.005  # SQLite; PostgreSQL polls 4 times slower

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"])


# --- databases ------------------------------------------------------------------------


@dataclass
class Db:
    """One database: the URL for in-process use, and the one given to killed processes."""

    url: str
    proc_url: str
    tag: str | None  # PostgreSQL application_name of the killed processes
    path: Path | None  # the SQLite file
    engine: Engine


def _sqlite_db(path: Path) -> Db:
    url = f"sqlite:///{path}"
    return Db(url, url, None, path, make_engine(url))


def _pg_db(url: str) -> Db:
    tag = f"fundkill_{uuid.uuid4().hex[:12]}"
    return Db(url, f"{url}&application_name={tag}", tag, None, make_engine(url))


@contextmanager
def _pair(
    backend: str, tmp_path: Path, prepare: Callable[[Engine], None]
) -> Iterator[tuple[Db, Db, Callable[[], None]]]:
    """A reference and a victim database, both prepared the same way, and a function that
    puts the victim back as prepared."""
    dbs: list[Db] = []
    try:
        if backend == "sqlite":
            template = tmp_path / "template.db"
            eng = init_db(f"sqlite:///{template}")
            prepare(eng)
            eng.dispose()  # the last connection checkpoints the WAL into the file
            for name in ("reference", "victim"):
                _copy_sqlite(template, tmp_path / f"{name}.db")
                dbs.append(_sqlite_db(tmp_path / f"{name}.db"))

            def restore() -> None:  # through SQLite: other connections may still be open
                dbs[1].engine.dispose()
                source = sqlite3.connect(template)
                target = sqlite3.connect(tmp_path / "victim.db", timeout=30)
                source.backup(target)
                source.close()
                target.close()

            yield dbs[0], dbs[1], restore
        else:
            with pg_schema_url() as ref_url, pg_schema_url() as victim_url:
                for url in (ref_url, victim_url):
                    _prepare_pg(url, prepare)
                    dbs.append(_pg_db(url))

                def restore() -> None:
                    dbs[1].engine.dispose()
                    _prepare_pg(victim_url, prepare, fresh=True)

                yield dbs[0], dbs[1], restore
                for db in dbs:  # before the schemas are dropped
                    db.engine.dispose()
    finally:
        for db in dbs:
            db.engine.dispose()


def _copy_sqlite(source: Path, target: Path) -> None:
    """The fund whole: its database and its personal-data key beside it."""
    for suffix in ("-wal", "-shm", pii_key.SUFFIX):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    for suffix in ("", "-wal", pii_key.SUFFIX):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


def _prepare_pg(url: str, prepare: Callable[[Engine], None], fresh: bool = False) -> None:
    """Migrate and prepare the schema ``url`` names; ``fresh``: empty it first."""
    if fresh:
        schema = re.search(r"search_path%3D(\w+)", url).group(1)  # type: ignore[union-attr]
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    eng = init_db(url)
    prepare(eng)
    eng.dispose()


# --- the state fingerprint --------------------------------------------------------------

#: audit_log.object_type -> the table whose surrogate id its object_id holds
_AUDIT_OBJECTS = {
    "intake_batch": "intake_batches",
    "application": "applications",
    "facility": "facilities",
}


#: the audit trail's chain hashes cover its wall-clock times, so they differ between runs
_WALL_CLOCK_HASHES = {
    ("audit_log", "prev_hash"),
    ("audit_log", "hash"),
    ("ledger_head", "audit_hash"),
}


def _surrogate(table: Table) -> str | None:
    """The name of the table's generated id, if its primary key is one."""
    pk = list(table.primary_key.columns)
    if len(pk) == 1 and pk[0].name == "id" and not pk[0].foreign_keys:
        return None if pk[0].autoincrement is False else "id"
    return None


def _digest(line: str) -> str:
    return "#" + hashlib.sha256(line.encode()).hexdigest()[:16]


def fingerprint(engine: Engine) -> dict[str, list[str]]:
    """Every table's rows as sorted text, minus wall-clock columns and surrogate ids.

    Read in one snapshot (REPEATABLE READ on PostgreSQL; one read transaction on SQLite).
    Tables are read parents first, so a foreign key to a surrogate id can be replaced by
    the digest of the row it names.
    """
    keys: dict[str, dict[object, object]] = {}
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            tables = Base.metadata.sorted_tables
            for table in [t for t in tables if t.name != "audit_log"] + [
                t for t in tables if t.name == "audit_log"
            ]:
                out[table.name] = _table_lines(conn, table, keys)
    return out


#: columns computed with the fund's personal-data key (a random one per fund): two funds
#: run alike differ in them and only in them (the values they hash are compared)
_KEYED = {"id_number_hmac", "content_hash", "before_hash"}


def _table_lines(conn, table: Table, keys: dict[str, dict[object, object]]) -> list[str]:  # noqa: ANN001
    surrogate = _surrogate(table)
    pk = list(table.primary_key.columns)
    own: dict[object, object] = {}
    lines = []
    for row in conn.execute(select(table)).mappings():
        parts = []
        for col in table.columns:
            if col.name == surrogate or isinstance(col.type, DateTime) or col.name in _KEYED:
                continue
            if (table.name, col.name) in _WALL_CLOCK_HASHES:
                continue
            value = row[col.name]
            fk = next(iter(col.foreign_keys), None)
            if value is not None and fk is not None and fk.column.primary_key:
                value = keys.get(fk.column.table.name, {}).get(value, value)
            elif table.name == "audit_log" and col.name == "object_id" and value is not None:
                ids = keys.get(_AUDIT_OBJECTS.get(row["object_type"], ""), {})
                value = ids.get(int(value), value) if value.isdigit() else value
            parts.append(f"{col.name}={value!r}")
        line = "|".join(parts)
        lines.append(line)
        if surrogate is not None:
            own[row[surrogate]] = _digest(line)
        elif len(pk) == 1 and pk[0].foreign_keys:  # e.g. facilities.id -> applications.id
            fk = next(iter(pk[0].foreign_keys))
            raw = row[pk[0].name]
            own[raw] = keys.get(fk.column.table.name, {}).get(raw, raw)
    keys[table.name] = own
    return sorted(lines)


def _diff(a: dict[str, list[str]], b: dict[str, list[str]], limit: int = 3) -> str:
    """What differs between two fingerprints, table by table (a few rows each)."""
    out = []
    for name in sorted(set(a) | set(b)):
        left, right = Counter(a.get(name, [])), Counter(b.get(name, []))
        if left == right:
            continue
        only_a = list((left - right).elements())[:limit]
        only_b = list((right - left).elements())[:limit]
        out.append(f"{name}: only in first {only_a}; only in second {only_b}")
    return "\n".join(out) or "(identical)"


# --- preparing the databases -------------------------------------------------------------

ON = date(2019, 6, 1)


def _unique_rows(rng: random.Random, start: int, count: int, on: date, **kw) -> list[dict]:  # noqa: ANN003
    """Valid application rows whose people (applicants and employees) are all distinct."""
    rows: list[dict] = []
    used: set[str] = set()
    n = start
    while len(rows) < count:
        county = kw.get("county") or rng.choice(SAMPLE_COUNTIES)
        row = application_row(rng, n, county, on, kw.get("instrument", "免息借款"))
        n += 1
        people = {row["id_number"], *filter(None, row["employed_poor_ids"].split(";"))}
        if people & used:
            continue
        used |= people
        rows.append(row)
    return rows


def _facilities(engine: Engine, count: int) -> None:
    """``count`` facilities paid out in 灵丘县 on 2019-06-10: loans and a third guarantees."""
    rng = random.Random(11)
    parsed = []
    for i, row in enumerate(_unique_rows(rng, 1, count, ON, county="140224")):
        guarantee = i % 3 == 0
        row.update(
            instrument="担保贷款" if guarantee else "免息借款",
            amount="50000" if guarantee else "20000",
            term_months="24",
            bank="农商银行" if guarantee else "",
            local_support="反担保",
        )
        app, errors = parse_application(row)
        assert not errors, errors
        parsed.append((i + 2, app))
    with UnitOfWork(engine) as uow:
        report = applications.submit(uow.conn, "lq", parsed, ON)
        assert not report.problems, report.problems[:3]
        for _, _, fid in report.taken:
            decisions.approve(uow.conn, "fin1", fid, date(2019, 6, 2))
        for (_, app), (_, _, fid) in zip(parsed, report.taken, strict=True):
            half = app.amount_fen // 2  # the policy's minimum share of the principal
            support = local_support.SupportIn(
                fid, "counter-guarantee", half, date(2019, 6, 5), f"CG-{fid}", "灵丘县人民政府"
            )
            local_support.record(uow.conn, "fin1", support)
        for (_, app), (_, _, fid) in zip(parsed, report.taken, strict=True):
            guarantee = app.instrument == "guarantee"
            disbursement.disburse(
                uow.conn,
                "fin2",
                fid,
                date(2019, 6, 10),
                "农商银行" if guarantee else None,
                475 if guarantee else None,
            )
        uow.commit()


def _instalments(engine: Engine, upto: int) -> list[tuple[int, int, date, int]]:
    """(facility, instalment no, due date, amount due) of the first ``upto`` instalments."""
    inst = Instalment.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                inst.c.facility_id,
                inst.c.no,
                inst.c.due_date,
                inst.c.principal_fen + inst.c.interest_fen,
            )
            .where(inst.c.active, inst.c.no <= upto)
            .order_by(inst.c.facility_id, inst.c.no)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _prepare_base(engine: Engine) -> None:
    setup_fund(engine)


def _prepare_facilities(engine: Engine) -> None:
    setup_fund(engine)
    _facilities(engine, FACILITIES)


def _prepare_history(engine: Engine) -> None:
    """Facilities, about half repaying on time for six months, the rest stopping early."""
    _prepare_facilities(engine)
    items = [
        RepaymentIn(fid, fen, due, f"H{fid}-{no}")
        for fid, no, due, fen in _instalments(engine, 6)
        if fid % 2 == 0 or no <= 2
    ]
    with UnitOfWork(engine) as uow:
        report = repayments.repay_many(uow.conn, "fin1", items)
        assert not report.problems, report.problems[:3]
        uow.commit()


def _application_sheet(workdir: Path, _ref: Db) -> list[str]:
    rows = _unique_rows(random.Random(5), 10_000, SHEET_ROWS, date(2019, 7, 1))
    sheet = write_csv(workdir / "applications.csv", rows)
    return ["applications", "import", str(sheet), "--date", "2019-07-01", "--as", "fin1"]


def _repayment_file(workdir: Path, ref: Db) -> list[str]:
    path = workdir / "repayments.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["业务编号", "流水号", "金额", "日期"])
        for fid, no, due, fen in _instalments(ref.engine, PAID_INSTALMENTS):
            out.writerow([fid, f"B{fid}-{no}", f"{fen // 100}.{fen % 100:02d}", due.isoformat()])
    return ["repayments", "import", str(path), "--as", "fin1"]


def _day_close(_workdir: Path, _ref: Db) -> list[str]:
    return ["close-day", "--through", "2021-06-30", "--as", "fin1"]


# --- killing --------------------------------------------------------------------------------


def _fund_command() -> list[str]:
    """How to start ``fund``: the installed script next to this Python, else the module."""
    script = Path(sys.executable).with_name("fund")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from cli.main import main; main()"]


def _env() -> dict[str, str]:
    drop = {"FUNDCORE_DB", "FUNDCORE_OPERATOR", "FUNDCORE_LANG", "FUNDCORE_TOKEN", "FUNDCORE_DEBUG"}
    return {k: v for k, v in os.environ.items() if k not in drop}


@pytest.fixture(scope="module")
def startup() -> float:
    """Seconds a ``fund`` process needs to start (import everything) and exit."""
    began = time.perf_counter()
    subprocess.run([*_fund_command(), "--version"], check=True, capture_output=True, env=_env())
    return time.perf_counter() - began


def _in_transaction(db: Db) -> bool:
    """Whether a ``fund`` process holds a write transaction on ``db`` right now.

    SQLite: the write lock is taken (a write unit of work begins IMMEDIATE). PostgreSQL:
    a session of the killed processes' application_name has a transaction id, i.e. has
    written or locked a row.
    """
    if db.path is not None:
        try:  # mode=rw: never create the file (the demo must find none)
            probe = sqlite3.connect(f"file:{db.path}?mode=rw", uri=True, timeout=0)
        except sqlite3.OperationalError:
            return False
        probe.isolation_level = None
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with db.engine.connect() as conn:
        return bool(
            conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name = :tag AND backend_xid IS NOT NULL"
                ),
                {"tag": db.tag},
            )
        )


@dataclass
class Run:
    """How one ``fund`` process ended."""

    killed: bool
    rc: int | None
    in_tx: bool  # killed while holding a write transaction
    output: str


def _launch(
    db: Db,
    args: list[str],
    workdir: Path,
    *,
    at: float | None = None,
    after_tx: float | None = None,
    probe: bool = True,
) -> Run:
    """Run ``fund`` on ``db``; SIGKILL it ``at`` seconds after the start, or ``after_tx``
    seconds after its write transaction is first seen (polled every few ms unless not
    ``probe``)."""
    out_path = workdir / "fund.out"
    poll = POLL_SECONDS if db.path is not None else 4 * POLL_SECONDS
    with out_path.open("wb") as out:
        proc = subprocess.Popen(
            [*_fund_command(), "--db", db.proc_url, *args],
            cwd=workdir,
            env=_env(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        began = time.perf_counter()
        tx_at = None
        while (rc := proc.poll()) is None:
            now = time.perf_counter() - began
            inside = probe and _in_transaction(db)
            if inside and tx_at is None:
                tx_at = now
            if (at is not None and now >= at) or (
                after_tx is not None and tx_at is not None and now >= tx_at + after_tx
            ):
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return Run(True, None, inside, "")
            time.sleep(poll)
    return Run(False, rc, False, out_path.read_text(errors="replace"))


def _reference(db: Db, args: list[str]) -> tuple[Result, float, float]:
    """Run ``fund`` in-process on ``db`` while polling for its write transaction:
    (result, seconds, seconds the write transaction was seen open, or the whole run's)."""
    box: dict[str, object] = {}

    def run() -> None:
        began = time.perf_counter()
        box["result"] = Fund(db.proc_url)(*args)
        box["seconds"] = time.perf_counter() - began

    thread = threading.Thread(target=run)
    thread.start()
    tx_at = tx_end = None
    while thread.is_alive():
        inside = _in_transaction(db)
        if inside and tx_at is None:
            tx_at = time.perf_counter()
        elif not inside and tx_at is not None and tx_end is None:
            tx_end = time.perf_counter()
        time.sleep(POLL_SECONDS if db.path is not None else 4 * POLL_SECONDS)
    thread.join()
    assert "result" in box, "the reference run raised (see the thread's exception above)"
    seconds = box["seconds"]
    tx = (tx_end or time.perf_counter()) - tx_at if tx_at is not None else seconds
    return box["result"], seconds, tx  # type: ignore[return-value]


def _settle(db: Db) -> None:
    """Wait until PostgreSQL has noticed the killed client and rolled its work back."""
    if db.tag is None:
        return
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        with db.engine.connect() as conn:
            left = conn.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :tag"),
                {"tag": db.tag},
            )
        if not left:
            return
        assert time.monotonic() < deadline, "a killed client's session is still open"
        time.sleep(0.05)


def _verify(db: Db) -> None:
    result = Fund(db.url)("--json", "ledger", "verify")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"], result.stdout


def _no_duplicates(engine: Engine) -> None:
    checks = {
        "applications": "SELECT count(*) - count(DISTINCT county_code || '/' || ref) "
        "FROM applications",
        "repayments": "SELECT count(*) - count(DISTINCT ref) FROM repayments",
        "journal": "SELECT count(*) - count(DISTINCT hash) FROM journal_entries",
    }
    with engine.connect() as conn:
        for name, sql in checks.items():
            assert conn.scalar(text(sql)) == 0, f"duplicate {name}"


def _plan(
    rng: random.Random, attempt: int, work: float, tx: float, startup: float
) -> dict[str, float]:
    """Two attempts in three: a random point of the write transaction (within 3/4 of the
    reference's, which a subprocess may run faster); every third: any time after 30% of
    the expected run (start-up included), which sometimes falls after the commit."""
    if attempt % 3:
        return {"after_tx": rng.uniform(0, 0.75 * tx)}
    return {"at": rng.uniform(0.3, 1.0) * (startup + work)}


def _kill_repeatedly(
    backend: str,
    tmp_path: Path,
    startup: float,
    case: str,
    prepare: Callable[[Engine], None],
    command: Callable[[Path, Db], list[str]],
) -> None:
    """The harness: reference run, KILLS killed runs on the victim, then a full re-run."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    with _pair(backend, tmp_path, prepare) as (ref, victim, restore):
        args = command(workdir, ref)
        before = fingerprint(ref.engine)
        assert fingerprint(victim.engine) == before, "the two databases were prepared differently"
        reference, work, tx = _reference(ref, args)
        assert reference.exit_code == 0, reference.output
        after = fingerprint(ref.engine)
        assert after != before, "the command changed nothing: nothing to interrupt"

        seed = f"{SEED}/{case}/{backend}"
        rng = random.Random(seed)
        outcomes: Counter[str] = Counter()
        state = before
        for attempt in range(1, KILLS + 1):
            plan = _plan(rng, attempt, work, tx, startup)
            where = f"{case} on {backend}, seed {seed!r}, attempt {attempt}, kill {plan}"
            prior = state
            run = _launch(victim, args, workdir, **plan)
            _settle(victim)
            _verify(victim)
            state = fingerprint(victim.engine)
            if not run.killed:
                assert run.rc == 0, f"{where}: exit {run.rc}: {run.output}"
                assert "Traceback" not in run.output, f"{where}: {run.output}"
                assert state == after, f"{where}: finished differently:\n{_diff(after, state)}"
                how = "finished first"
            else:
                how = "killed in write tx" if run.in_tx else "killed outside write tx"
                if state == before:
                    how += ", nothing written"
                elif state == after:
                    how += ", already done" if prior == after else ", committed"
                else:
                    pytest.fail(f"{where}: half-written:\n{_diff(before, state)}")
            outcomes[how] += 1
            if state == after and attempt < KILLS and (attempt + 1) % 3:
                # the next attempt aims at the write transaction: give it one to kill
                restore()
                state = fingerprint(victim.engine)
                assert state == before, "the victim was not put back as prepared"
                outcomes["(victim put back as prepared)"] += 1

        again = Fund(victim.url)(*args)
        assert again.exit_code == 0, again.output
        _verify(victim)
        _no_duplicates(victim.engine)
        final = fingerprint(victim.engine)
        assert final == after, f"{case} on {backend}: re-run differs:\n{_diff(after, final)}"
        print(
            f"\nkill {case} [{backend}] seed {seed!r}: {KILLS} kills {dict(outcomes)}; "
            f"start-up {startup:.2f}s, in-process run {work:.2f}s, write transaction {tx:.2f}s"
        )


# --- the cases ------------------------------------------------------------------------------


def test_killed_application_import(backend: str, tmp_path: Path, startup: float) -> None:
    _kill_repeatedly(
        backend, tmp_path, startup, "application-import", _prepare_base, _application_sheet
    )


def test_killed_repayment_import(backend: str, tmp_path: Path, startup: float) -> None:
    _kill_repeatedly(
        backend, tmp_path, startup, "repayment-import", _prepare_facilities, _repayment_file
    )


def test_killed_day_close(backend: str, tmp_path: Path, startup: float) -> None:
    _kill_repeatedly(backend, tmp_path, startup, "day-close", _prepare_history, _day_close)


DEMO = ["--counties", "2", "--youth", "60", "--months", "6"]


def test_killed_demo(backend: str, tmp_path: Path, startup: float) -> None:
    """The demo, killed anywhere; each kill leaves a database that verifies (or one not yet
    initialised); the same command then refuses with a reason, ``--force`` starts it
    again, and a full run with ``--force`` ends exactly as an uninterrupted demo."""
    if "demo" not in fund_group.commands:
        pytest.skip("`fund demo` does not exist yet (No such command 'demo'): case skipped")
    if backend != "sqlite":
        pytest.skip("`fund demo` always runs in a SQLite file of its own in --out (not --db)")
    began = time.perf_counter()
    reference = Fund("sqlite://")("demo", *DEMO, "--out", str(tmp_path / "reference"))
    work = time.perf_counter() - began
    assert reference.exit_code == 0, reference.output
    after = fingerprint(ref_engine := make_engine(f"sqlite:///{tmp_path / 'reference/fund.db'}"))
    ref_engine.dispose()

    out = tmp_path / "victim"
    victim = _sqlite_db(out / "fund.db")
    args = ["demo", *DEMO, "--out", str(out), "--force"]
    seed = f"{SEED}/demo/{backend}"
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    refused_once = False
    try:
        for attempt in range(1, KILLS + 1):
            plan = {"at": rng.uniform(0.3, 1.0) * (startup + work)}
            where = f"demo, seed {seed!r}, attempt {attempt}, kill {plan}"
            run = _launch(victim, args, tmp_path, **plan, probe=False)
            if not run.killed:
                assert run.rc == 0, f"{where}: exit {run.rc}: {run.output}"
                outcomes["finished first"] += 1
                continue
            if not victim.path.exists():  # type: ignore[union-attr]
                outcomes["killed before the database existed"] += 1
                continue
            checked = Fund(victim.url)("--json", "ledger", "verify")
            if checked.exit_code != 0:
                codes = [e["code"] for e in json.loads(checked.stdout)["errors"]]
                assert codes == ["db.not_initialised"], f"{where}: {checked.output}"
                outcomes["killed while creating the schema"] += 1
                continue
            assert json.loads(checked.stdout)["ok"], f"{where}: {checked.stdout}"
            outcomes["killed, ledger verifies"] += 1
            if not refused_once:  # the same command without --force: a reason, no change
                state = fingerprint(victim.engine)
                plain = Fund("sqlite://")(*args[:-1])
                assert plain.exit_code == 1 and plain.stderr.strip(), plain.output
                assert fingerprint(victim.engine) == state
                victim.engine.dispose()  # --force replaces the file under a pooled connection
                refused_once = True
        victim.engine.dispose()
        again = Fund("sqlite://")(*args)
        assert again.exit_code == 0, again.output
        _verify(victim)
        final = fingerprint(victim.engine)
        assert final == after, f"demo: re-run differs:\n{_diff(after, final)}"
    finally:
        victim.engine.dispose()
    print(
        f"\nkill demo [{backend}] seed {seed!r}: {KILLS} kills {dict(outcomes)}; work {work:.2f}s"
    )

"""Load: several processes working the fund at once on PostgreSQL, for a sustained period.

Separate processes (``multiprocessing``, spawn), each with its own engine and operator,
call the core services the ``fund`` commands call, one unit of work per operation, on
a business calendar that runs at ``DAYS_PER_SECOND`` from 2019-07-01:

* two *importers* submit sheets of 3-10 applications (loans, guarantees, grants across
  the sample register's counties) under refs of their own, plus one returning applicant
  (whose first application was rejected) under a new ref, the importers walking the
  returning applicants in the same order so that both apply for the same person at
  about the same time; now and then an importer re-submits one of its sheets (all
  unchanged);
* two *deciders* approve submitted applications (two approvals above 50,000 yuan, never
  by the submitter) and pay out approved facilities (local support first: 1:1 matching
  money or a counter-guarantee), now and then cancel an approval;
* a *repayer* pays due instalments in batches, as a bank file would, and now and then
  replays an earlier batch;
* a *closer* closes the books through two days ago;
* a *monitor* reads the fund's capacity in one snapshot every 0.2 s.

A database error that the operation can simply be retried for (deadlock, serialisation
failure, a unique key taken by a concurrent transaction) is retried, up to 8 times with
a growing random pause, and counted as a handled retry. A ``FundError`` is a refusal and
counted by its code. Anything else is a failure.

Afterwards: no failure and no operation that ran out of retries; ``verify()`` ok; no
duplicate (county, ref), repayment ref or applicant; local support never over the
pledge (matching) or doubled (counter-guarantee); journal entries exactly those the
workers' committed operations posted (each worker counts, inside its transaction, the
entries posted under its own operator name), in total and per operator; capacity never
over-committed (the monitor never saw bank − commitments − reserve < 0 nor exposure over
the leverage cap, and neither holds at the end). A summary line with the figures is
printed (always, not captured): operations by kind, refusals by code, retries by cause,
failures, duration, and how many people hold two open applications of one instrument:
a bug fixed since (two sheets for one person at once), kept as a regression test
``test_known_concurrent_submissions_for_one_person``; make it an assertion once fixed.

Settings: ``FUNDCORE_LOAD_SECONDS`` (default 10; ``FUNDCORE_SOAK=1`` makes it 300),
``FUNDCORE_LOAD_SEED`` (default 1). Skipped, with the reason shown, unless
``FUNDCORE_TEST_PG`` is set. Runtime: the duration plus about 10 s.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from fundcore.domain.errors import FundError
from fundcore.domain.repayments import RepaymentIn
from fundcore.intake import register
from fundcore.intake.application import ApplicationIn, parse_application
from fundcore.services import (
    applications,
    capacity,
    dayclose,
    decisions,
    disbursement,
    donations,
    local_support,
    operators,
    registry,
    repayments,
)
from fundcore.services.policy import in_force
from fundcore.store.db import make_engine
from fundcore.store.models import Facility, JournalEntry
from fundcore.store.uow import UnitOfWork
from fundcore.store.verify import verify
from tests.factories import application_row

SOAK = bool(os.environ.get("FUNDCORE_SOAK"))
SECONDS = float(os.environ.get("FUNDCORE_LOAD_SECONDS") or (300 if SOAK else 10))
SEED = int(os.environ.get("FUNDCORE_LOAD_SEED", "1"))
START = date(2019, 7, 1)
DAYS_PER_SECOND = 6
DONATION_FEN = 70_000_000  # 700,000 yuan: approvals run into the cash limit
RETURNING = 40  # people whose first application was rejected, who apply again
ROLES = ("importer", "importer", "decider", "decider", "repayer", "closer", "monitor")
RETRIES = 8
COUNTIES = ("140224", "141126", "141124", "410225", "520203", "530622")
SERVICED = ("current", "overdue", "defaulted")


# --- what each worker keeps ---------------------------------------------------------------------


@dataclass
class Tally:
    role: str
    operator: str
    ok: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)
    gave_up: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    entries: int = 0
    min_available_fen: int | None = None
    violations: list[str] = field(default_factory=list)


def _retryable(err: DBAPIError) -> str | None:
    """The cause of a database error worth retrying, or None."""
    code = getattr(err.orig, "sqlstate", None)
    return {
        "40P01": "deadlock",
        "40001": "serialization",
        "23505": "unique key taken concurrently",
        "55P03": "lock not available",
    }.get(code or "")


def _unit(
    engine: Engine, tally: Tally, kind: str, work: Callable[[Connection], Any], rng: random.Random
) -> Any:
    """One operation in one unit of work, retried on a retryable database error."""
    mine = (
        select(func.count())
        .select_from(JournalEntry)
        .where(JournalEntry.operator == tally.operator)
    )
    for attempt in range(RETRIES):
        try:
            with UnitOfWork(engine) as uow:
                before = uow.conn.scalar(mine)
                result = work(uow.conn)
                posted = uow.conn.scalar(mine) - before
                uow.commit()
            tally.ok[kind] += 1
            tally.entries += posted
            return result
        except FundError as err:
            tally.refused[err.code] += 1
            return None
        except DBAPIError as err:
            cause = _retryable(err)
            if cause is None:
                tally.failures.append(f"{kind}: {type(err.orig).__name__}: {err.orig}")
                return None
            tally.retries[f"{cause} ({kind})"] += 1
            time.sleep(rng.uniform(0, 0.02 * 2**attempt))
        except Exception:  # noqa: BLE001 - any other failure is what this test looks for
            tally.failures.append(f"{kind}: {traceback.format_exc(limit=4)}")
            return None
    tally.gave_up[kind] += 1
    return None


# --- the operations -----------------------------------------------------------------------------


def _row(rng: random.Random, n: int, ref: str, on: date) -> dict[str, str]:
    kind = rng.choices(["免息借款", "担保贷款", "小额资助"], [5, 4, 1])[0]
    row = application_row(rng, n, rng.choice(COUNTIES), on, kind)
    row["ref"] = ref
    if kind == "担保贷款":
        row["amount"] = rng.choice(["50000", "60000", "80000"])
    return row


def _parsed(rows: list[dict[str, str]]) -> list[tuple[int, ApplicationIn]]:
    out = []
    for line, row in enumerate(rows, start=2):
        app, errors = parse_application(row)
        if app is not None:
            out.append((line, app))
    return out


def _import(conn: Connection, tally: Tally, rows: list[dict[str, str]], on: date) -> None:
    report = applications.submit(conn, tally.operator, _parsed(rows), on, source="load.csv")
    for p in report.problems:
        tally.refused[f"row:{p.code}"] += 1


def _pick(conn: Connection, sql: str, **params: object) -> list[Any]:
    return list(conn.execute(text(sql), params))


def _approve(conn: Connection, tally: Tally, on: date) -> None:
    rows = _pick(
        conn,
        "SELECT id FROM applications WHERE status = 'submitted' AND submitted_by <> :me "
        "AND submitted_on <= :on ORDER BY random() LIMIT 1",
        me=tally.operator,
        on=on,
    )
    if not rows:
        time.sleep(0.05)  # nothing yet: do not spin
        raise FundError("load.nothing_to_approve")
    decisions.approve(conn, tally.operator, rows[0].id, on)


def _pay_out(conn: Connection, tally: Tally, on: date, rng: random.Random) -> None:
    rows = _pick(
        conn,
        "SELECT id, instrument, principal_fen, local_support_kind, matching_required_fen "
        "FROM facilities WHERE status = 'approved' AND approved_on <= :on "
        "ORDER BY random() LIMIT 1",
        on=on,
    )
    if not rows:
        time.sleep(0.05)
        raise FundError("load.nothing_to_pay")
    fac = rows[0]
    if rng.random() < 0.08:
        decisions.cancel(conn, tally.operator, fac.id, on, "负载测试：撤销批准")
        return
    if fac.instrument != "grant":
        amount = (
            fac.matching_required_fen
            if fac.local_support_kind == "matching"
            else fac.principal_fen // 2
        )
        support = local_support.SupportIn(
            fac.id, fac.local_support_kind, amount, on, f"LS-{fac.id}", "县人民政府"
        )
        local_support.record(conn, tally.operator, support)
    guarantee = fac.instrument == "guarantee"
    disbursement.disburse(
        conn,
        tally.operator,
        fac.id,
        on,
        "农商银行" if guarantee else None,
        475 if guarantee else None,
    )


def _due_batch(conn: Connection, on: date, rng: random.Random) -> list[tuple[int, int]]:
    owed = "i.principal_fen - i.paid_principal_fen + i.interest_fen - i.paid_interest_fen"
    rows = _pick(
        conn,
        f"SELECT i.facility_id, min(i.due_date) AS due, sum({owed}) AS owed "
        "FROM instalments i JOIN facilities f ON f.id = i.facility_id "
        f"WHERE i.active AND f.status IN ('current', 'overdue', 'defaulted') "
        f"AND i.due_date <= :on AND {owed} > 0 "
        "GROUP BY i.facility_id ORDER BY random() LIMIT 25",
        on=on,
    )
    # most pay what is due, some only part of it; a few facilities never pay
    return [
        (r.facility_id, int(r.owed) if rng.random() < 0.8 else max(1, int(r.owed) // 2))
        for r in rows
        if r.facility_id % 7 != 0
    ]


def _repay(conn: Connection, tally: Tally, items: list[RepaymentIn]) -> None:
    report = repayments.repay_many(conn, tally.operator, items)
    for _, err in report.problems:
        tally.refused[f"item:{err.code}"] += 1
    tally.ok["repayment items"] += len(report.applied)
    tally.ok["repayment items replayed"] += len(report.replayed)


def _close(conn: Connection, tally: Tally, through: date) -> None:
    closed = dayclose.close_through(conn, tally.operator, through)
    tally.ok["days closed"] += len(closed)


def _monitor(engine: Engine, tally: Tally) -> None:
    with engine.connect() as raw:
        conn = raw.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            cap = capacity.capacity(conn, in_force(conn, START).policy)
    tally.ok["capacity samples"] += 1
    low = cap.available_fen
    tally.min_available_fen = (
        low if tally.min_available_fen is None else min(tally.min_available_fen, low)
    )
    if cap.available_fen < 0:
        tally.violations.append(f"over-committed: {cap}")
    if cap.exposure_fen > cap.net_assets_fen * cap.leverage_cap_x:
        tally.violations.append(f"over the leverage cap: {cap}")


# --- a worker -------------------------------------------------------------------------------------


def _today(t0: float) -> date:
    return START + timedelta(days=int((time.time() - t0) * DAYS_PER_SECOND))


def worker(url: str, role: str, index: int, ready: Any, go: Any, t0: Any, out: Any) -> None:
    """One process: its role's operations until the time is up; its tally into ``out``."""
    tally = Tally(role, f"{role}{index}")
    rng = random.Random(f"{SEED}/{index}")
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
        ready.put(index)
        go.wait()
        _work(engine, tally, rng, t0.value)
    except Exception:  # noqa: BLE001
        tally.failures.append(f"{role}: {traceback.format_exc(limit=6)}")
    finally:
        engine.dispose()
        out.put(tally)


def _work(engine: Engine, tally: Tally, rng: random.Random, t0: float) -> None:
    sheets: list[list[dict[str, str]]] = []
    batches: list[list[RepaymentIn]] = []
    serial = 0
    while time.time() - t0 < SECONDS:
        on = _today(t0)
        serial += 1
        if tally.role == "importer":
            if sheets and rng.random() < 0.15:
                rows = rng.choice(sheets)
            else:
                rows = [
                    _row(rng, serial * 100 + i, f"L{tally.operator}-{serial}-{i}", on)
                    for i in range(rng.randint(3, 10))
                ]
                rows += _returning(rng, tally, serial, on)
                sheets.append(rows)
            _unit(engine, tally, "import", lambda c, r=rows, d=on: _import(c, tally, r, d), rng)
        elif tally.role == "decider":
            if rng.random() < 0.6:
                _unit(engine, tally, "approve", lambda c, d=on: _approve(c, tally, d), rng)
            else:
                _unit(engine, tally, "pay out", lambda c, d=on: _pay_out(c, tally, d, rng), rng)
        elif tally.role == "repayer":
            if batches and rng.random() < 0.15:
                items = rng.choice(batches)  # the bank sends a file again
            else:
                with engine.connect() as conn:
                    due = _due_batch(conn, on, rng)
                items = [
                    RepaymentIn(fid, fen, on, f"P{tally.operator}-{serial}-{fid}")
                    for fid, fen in due
                ]
                if items:
                    batches.append(items)
            if items:
                _unit(engine, tally, "repay batch", lambda c, i=items: _repay(c, tally, i), rng)
            else:
                time.sleep(0.05)
        elif tally.role == "closer":
            through = on - timedelta(days=2)
            if through >= START:
                _unit(engine, tally, "close", lambda c, d=through: _close(c, tally, d), rng)
            time.sleep(0.1)
        else:
            _monitor(engine, tally)
            time.sleep(0.2)


def _returning(rng: random.Random, tally: Tally, serial: int, on: date) -> list[dict[str, str]]:
    """A returning applicant in each of an importer's first sheets: every importer walks
    them in the same order, so two sheets for the same person, under different refs, are
    submitted at about the same time."""
    if serial > RETURNING:
        return []
    who = serial - 1
    row = _returning_row(who, START)
    row["ref"] = f"R{tally.operator}-{serial}-{who}"
    return [row]


def _returning_row(who: int, on: date) -> dict[str, str]:
    row = application_row(random.Random(f"returning/{who}"), who, "140224", on, "免息借款")
    row.update(amount="30000", term_months="24", local_support="反担保")
    return row


# --- preparing and checking ---------------------------------------------------------------------


def _prepare(engine: Engine) -> None:
    """Register, operators, a donation, and the returning applicants' rejected first go."""
    names = [f"{r}{i}" for i, r in enumerate(ROLES)]
    with UnitOfWork(engine) as uow:
        rows = register.parse_register(register.SAMPLE_REGISTER.read_bytes())
        registry.import_register(uow.conn, "root", rows, "sample")
        for name in ["setup", "county", *names]:
            role = "county" if name == "county" else "finance"
            operators.add(uow.conn, None, name, role, "140224" if role == "county" else None)
        donations.record(
            uow.conn, "setup", donations.DonationIn(DONATION_FEN, "负载测试捐赠", START)
        )
        firsts = [_returning_row(who, START) for who in range(RETURNING)]
        report = applications.submit(uow.conn, "county", _parsed(firsts), START)
        assert not report.problems, report.problems[:3]
        for _, _, app_id in report.taken:
            decisions.reject(uow.conn, "setup", app_id, START, "首次申请材料不全")
        uow.commit()


def _scalar(conn: Connection, sql: str) -> int:
    return int(conn.scalar(text(sql)) or 0)


def _check(engine: Engine, tallies: list[Tally], setup_entries: int) -> list[str]:
    """Every invariant the load must keep; the broken ones, described."""
    broken: list[str] = []
    with engine.connect() as conn:
        report = verify(conn)
        if not report.ok:
            broken.append(f"verify: {report.problems[:3]}")
        duplicates = {
            "application ref": "SELECT count(*) - count(DISTINCT (county_code, ref)) "
            "FROM applications",
            "repayment ref": "SELECT count(*) - count(DISTINCT ref) FROM repayments",
            "applicant": "SELECT count(*) - count(DISTINCT id_number_hmac) FROM applicants",
        }
        for what, sql in duplicates.items():
            if _scalar(conn, sql):
                broken.append(f"duplicate {what}")
        if _open_twice(conn):
            broken.append("a person holds two open applications of one kind")
        over = _scalar(
            conn,
            "SELECT count(*) FROM facilities f WHERE f.matching_required_fen < "
            "(SELECT coalesce(sum(amount_fen), 0) FROM local_support s "
            "WHERE s.facility_id = f.id AND s.kind = 'matching')",
        )
        if over:
            broken.append(f"{over} facilities received more matching money than pledged")
        doubled = _scalar(
            conn,
            "SELECT count(*) FROM (SELECT facility_id FROM local_support "
            "WHERE kind = 'counter-guarantee' GROUP BY facility_id HAVING count(*) > 1) d",
        )
        if doubled:
            broken.append(f"{doubled} facilities have two counter-guarantees")
        entries = _scalar(conn, "SELECT count(*) FROM journal_entries")
        reported = setup_entries + sum(t.entries for t in tallies)
        if entries != reported:
            broken.append(f"journal holds {entries} entries, workers report {reported}")
        by_operator = dict(
            conn.execute(
                select(JournalEntry.operator, func.count()).group_by(JournalEntry.operator)
            ).all()
        )
        for t in tallies:
            if by_operator.get(t.operator, 0) != t.entries:
                broken.append(
                    f"{t.operator}: {by_operator.get(t.operator, 0)} entries, reported {t.entries}"
                )
        cap = capacity.capacity(conn, in_force(conn, START).policy)
        if cap.available_fen < 0 or cap.exposure_fen > cap.net_assets_fen * cap.leverage_cap_x:
            broken.append(f"capacity over-committed at the end: {cap}")
    for t in tallies:
        broken += [f"{t.operator}: {v}" for v in t.violations]
        broken += [f"{t.operator}: {f}" for f in t.failures]
        if t.gave_up:
            broken.append(f"{t.operator} ran out of retries: {dict(t.gave_up)}")
    return broken


def _open_twice(conn: Connection) -> list[tuple[int, str]]:
    opened = applications.open_applications().subquery()
    return [
        (r[0], r[1])
        for r in conn.execute(
            select(opened.c.applicant_id, opened.c.instrument)
            .group_by(opened.c.applicant_id, opened.c.instrument)
            .having(func.count() > 1)
        )
    ]


def _summary(tallies: list[Tally], seconds: float, engine: Engine) -> str:
    ok: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    retries: Counter[str] = Counter()
    for t in tallies:
        ok.update(t.ok)
        refused.update(t.refused)
        retries.update(t.retries)
    with engine.connect() as conn:
        entries = _scalar(conn, "SELECT count(*) FROM journal_entries")
        facilities = dict(
            conn.execute(select(Facility.status, func.count()).group_by(Facility.status)).all()
        )
        instalments = _scalar(conn, "SELECT count(*) FROM instalments")
        twice = len(_open_twice(conn))
    units = sum(v for k, v in ok.items() if k in ("import", "approve", "pay out", "repay batch",
                                                     "close"))  # fmt: skip
    low = min((t.min_available_fen for t in tallies if t.min_available_fen is not None),
              default=None)  # fmt: skip
    failures = sum(len(t.failures) + sum(t.gave_up.values()) for t in tallies)
    return (
        f"load [postgresql]: {len(tallies)} processes, {seconds:.1f} s, "
        f"{units} committed operations ({units / seconds:.1f}/s): {dict(ok)}; "
        f"refusals {sum(refused.values())}: {dict(refused.most_common(8))}; "
        f"handled retries {sum(retries.values())}: {dict(retries)}; failures {failures}; "
        f"journal {entries} entries, {instalments} instalments, facilities {facilities}; "
        f"lowest available cash seen {'n/a' if low is None else f'{low / 100:,.2f} yuan'}; "
        f"{twice} people hold two open applications of one kind"
    )


def test_sustained_concurrent_load(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import init_db, pg_schema_url

    with pg_schema_url() as url:
        engine = init_db(url)
        _prepare(engine)
        with engine.connect() as conn:
            setup_entries = _scalar(conn, "SELECT count(*) FROM journal_entries")
        ctx = multiprocessing.get_context("spawn")
        ready, out, go, t0 = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Value("d", 0.0)
        procs = [
            ctx.Process(target=worker, args=(url, role, i, ready, go, t0, out), daemon=True)
            for i, role in enumerate(ROLES)
        ]
        began = time.time()
        for p in procs:
            p.start()
        try:
            for _ in procs:
                ready.get(timeout=120)
            t0.value = time.time()
            spawn = t0.value - began
            go.set()
            tallies = [out.get(timeout=SECONDS + 180) for _ in procs]
            seconds = time.time() - t0.value
        finally:
            for p in procs:
                p.join(timeout=30)
                if p.is_alive():
                    p.kill()
        checked = time.time()
        broken = _check(engine, tallies, setup_entries)
        line = _summary(tallies, seconds, engine)
        line += f"; processes started in {spawn:.1f} s, checks took {time.time() - checked:.1f} s"
        engine.dispose()
    with capsys.disabled():
        print(f"\n{line}")
    assert not broken, "\n".join(broken)


def test_known_concurrent_submissions_for_one_person() -> None:
    """Sheet A is submitted and not yet committed when sheet B, for the same returning
    person under another ref, is submitted from another connection."""
    import threading

    from tests.conftest import init_db, pg_schema_url

    with pg_schema_url() as url:
        engine = init_db(url)
        _prepare(engine)
        rows = []
        for ref in ("A-1", "B-1"):
            row = _returning_row(0, START)
            row["ref"] = ref
            rows.append(row)
        first = UnitOfWork(engine).__enter__()
        applications.submit(first.conn, "importer0", _parsed(rows[:1]), START)
        other = make_engine(url)

        def second() -> None:
            with UnitOfWork(other) as uow:
                applications.submit(uow.conn, "importer1", _parsed(rows[1:]), START)
                uow.commit()

        racer = threading.Thread(target=second)
        racer.start()
        racer.join(timeout=2)  # after a fix it waits for the first sheet's transaction
        first.commit()
        first.__exit__(None, None, None)
        racer.join(timeout=30)
        with engine.connect() as conn:
            twice = _open_twice(conn)
        other.dispose()
        engine.dispose()
    assert not twice, f"people holding two open loans: {twice}"

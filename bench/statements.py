"""Statements on a programme-sized fund: does their cost stay flat as the journal grows?

Setup (timed, but not what is measured): 832 counties, ``rows`` facilities with their
applicants and applications bulk-inserted directly (Core ``insert`` executemany), with
schedules for the loans and guarantees, statuses and ageing as a day close leaves them;
then journal entries posted through ``fundcore.store.journal.post_many`` in large batches,
spread over two and a half years, until the journal holds the first line count.

Measured: ``fund_statement`` (the core's queries) and ``render_fund_statement`` (the PDF),
then the same after the journal has grown to the second line count. A statement reads
kept balances and facility aggregates, so the statement time should hardly move while
the journal grows 50-fold; the ratio printed is time(large) ÷ time(small).

    python -c "from bench.statements import main; main()"                   # 100k facilities
    python -c "from bench.statements import main; main(lines=(100_000, 5_000_000))"
"""

from __future__ import annotations

import itertools
import random
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text

from bench.common import best_of, county_codes, peak_rss_mib, registered_fund, timer
from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.statements.county import county_statement
from fundcore.statements.fund import fund_statement
from fundcore.store import journal
from fundcore.store.models import Applicant, Application, DayClose, Facility, Instalment
from fundcore.store.uow import UnitOfWork
from tests.factories import resident_id

START = date(2019, 6, 1)
CLOSE = date(2021, 6, 30)
BATCH = 20_000  # journal entries per post_many
CHUNK = 20_000  # rows per bulk insert
SUPPORT = ("matching", "counter-guarantee")


def _setup(url: str) -> Engine:
    return registered_fund(url, {"fin": "finance", "audit": "auditor"})


def _facility(rng: random.Random, i: int, counties: list[str]) -> dict:
    """One facility as the services would have left it at the close of CLOSE."""
    county = counties[i % len(counties)]
    kind = rng.choices(("loan", "guarantee", "grant"), (5, 3, 2))[0]
    principal = rng.choice((2_000_000, 3_000_000, 5_000_000)) if kind != "grant" else 500_000
    roll = rng.random()
    status, dpd = "current", 0
    if kind == "grant":
        status = "paid"
    elif roll < 0.05:
        status, dpd = "overdue", rng.randint(1, 90)
    elif roll < 0.07:
        status, dpd = "defaulted", rng.randint(91, 400)
    elif roll < 0.12:
        status = "repaid"
    elif roll < 0.13 and kind == "guarantee":
        status = "claimed"
    serviced = status in ("current", "overdue", "defaulted")
    outstanding = principal * rng.randint(20, 90) // 100 if serviced else 0
    guarantee = kind == "guarantee"
    return {
        "id": i,
        "instrument": kind,
        "county_code": county,
        "applicant_id": i,
        "principal_fen": principal,
        "term_months": None if kind == "grant" else 36,
        "status": status,
        "approved_on": START,
        "policy_version": 1,
        "committed_fen": 0,
        "local_support_kind": None if kind == "grant" else rng.choice(SUPPORT),
        "matching_required_fen": 0,
        "deposit_bp": 2_000 if guarantee else 0,
        "deposit_fen": principal // 5 if guarantee and serviced else 0,
        "coverage_bp": 10_000 if guarantee else 0,
        "exposure_fen": outstanding if guarantee else 0,
        "disbursed_on": START + timedelta(days=i % 300),
        "outstanding_fen": outstanding,
        "repaid_fen": principal - outstanding if kind != "grant" else 0,
        "days_past_due": dpd,
        "closed_through": CLOSE if serviced else None,
        "claim_paid_fen": principal // 2 if status == "claimed" else 0,
    }  # fmt: skip


def _people(rng: random.Random, facs: list[dict]) -> tuple[list[dict], list[dict]]:
    people, apps = [], []
    for f in facs:
        i = f["id"]
        born = date(1990, 1, 1) + timedelta(days=i % 3_000)
        number = resident_id(rng, f["county_code"], born)  # its hash: a unique stand-in, the
        # bench never looks an applicant up by number
        people.append({"id": i, "id_number": number, "id_number_hmac": f"{i:064d}",
                       "name": "张" + "伟芳娜强磊"[i % 5], "birth_date": born, "gender": "M",
                       "created_on": START, "created_by": "fin"})  # fmt: skip
        apps.append({"id": i, "county_code": f["county_code"], "ref": f"B-{i}", "applicant_id": i,
                     "instrument": f["instrument"], "amount_fen": f["principal_fen"],
                     "term_months": f["term_months"], "project_name": "香菇种植",
                     "registered_poor": i % 3 == 0, "phone": f"138{i:08d}", "status": "approved",
                     "submitted_on": START, "submitted_by": "fin", "policy_version": 1,
                     "content_hash": f"{i:064d}"})  # fmt: skip
    return people, apps


def _schedule(f: dict) -> list[dict]:
    """36 monthly instalments; those due before the close paid unless the facility is late."""
    if f["instrument"] == "grant":
        return []
    per = f["principal_fen"] // 36
    out = []
    for n in range(1, 37):
        due = f["disbursed_on"] + timedelta(days=30 * n)
        late = f["days_past_due"] and due >= CLOSE - timedelta(days=f["days_past_due"])
        paid = per if due < CLOSE and not late else 0
        out.append({"facility_id": f["id"], "version": 1, "no": n, "due_date": due,
                    "anchor_date": due, "principal_fen": per,
                    "paid_principal_fen": paid})  # fmt: skip
    return out


def _bulk(engine: Engine, table, rows: Iterable[dict]) -> None:  # noqa: ANN001
    """Insert ``rows`` CHUNK at a time, never holding more than a chunk of them."""
    for chunk in _chunks(rows):
        with UnitOfWork(engine) as uow:
            uow.conn.execute(insert(table), chunk)
            uow.commit()


def _chunks(rows: Iterable[dict]) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


def _facilities(engine: Engine, n: int) -> None:
    rng = random.Random(2019)
    counties = [c for c, _, _ in county_codes()]
    facs = [_facility(rng, i, counties) for i in range(1, n + 1)]
    people, apps = _people(rng, facs)
    _bulk(engine, Applicant.__table__, people)
    _bulk(engine, Application.__table__, apps)
    _bulk(engine, Facility.__table__, facs)
    _bulk(engine, Instalment.__table__, (row for f in facs for row in _schedule(f)))
    with UnitOfWork(engine) as uow:
        uow.conn.execute(insert(DayClose.__table__).values(
            business_date=CLOSE, facilities=n, overdue=0, defaulted=0, outstanding_fen=0,
            par30_fen=0, par90_fen=0, provision_fen=0, operator="fin",
            recorded_at=datetime(2021, 7, 1)))  # fmt: skip
        uow.commit()


def _drafts(rng: random.Random, start: int, count: int) -> list[EntryDraft]:
    """Two-line entries of the programme's kinds, dated across the two and a half years."""
    kinds = (
        ("donation", chart.BANK, chart.DONATIONS_UNRESTRICTED),
        ("disburse.loan", chart.LOANS_RECEIVABLE, chart.BANK),
        ("repayment", chart.BANK, chart.LOANS_RECEIVABLE),
        ("disburse.guarantee", chart.GUARANTEE_DEPOSITS, chart.BANK),
        ("working_funds", chart.PROGRAMME_WORKING_FUNDS, chart.BANK),
    )
    out = []
    for k in range(start, start + count):
        kind, dr, cr = kinds[0] if k % 50 == 0 else kinds[1 + k % 4]
        amount = 10_000_000 if kind == "donation" else rng.randint(10_000, 200_000)
        day = START + timedelta(days=k % 760)
        out.append(EntryDraft(day, kind, "fin", (debit(dr, amount), credit(cr, amount)),
                              object_type="bench", object_id=str(k)))  # fmt: skip
    return out


def _grow(engine: Engine, lines_now: int, lines_wanted: int) -> int:
    rng = random.Random(lines_now)
    entries = (lines_wanted - lines_now) // 2
    done = 0
    while done < entries:
        batch = min(BATCH, entries - done)
        with UnitOfWork(engine) as uow:
            journal.post_many(uow.conn, _drafts(rng, lines_now // 2 + done, batch))
            uow.commit()
        done += batch
    return lines_now + 2 * entries


def _analyze(engine: Engine) -> None:
    """Table statistics after the bulk loads, as autovacuum would gather (PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def _measure(engine: Engine, out: Path) -> tuple[float, float, float]:
    """(fund statement queries, its PDF, a county statement with its PDF), best of runs."""
    from reports import render_county_statement, render_fund_statement

    holder: dict[str, object] = {}

    def statement() -> None:
        with UnitOfWork(engine, write=False) as uow:
            holder["s"] = fund_statement(uow.conn, "audit", date(2021, 1, 1), CLOSE)

    def county() -> None:
        with UnitOfWork(engine, write=False) as uow:
            stmt = county_statement(uow.conn, "audit", "140224", date(2021, 1, 1), CLOSE)
        render_county_statement(stmt, out / "county.pdf")

    query = best_of(3, statement)
    render = best_of(1, lambda: render_fund_statement(holder["s"], out / "fund.pdf"))
    return query, render, best_of(2, county)


def main(
    rows: int = 100_000, url: str | None = None, lines: tuple[int, int] = (100_000, 1_000_000)
) -> None:
    small, large = lines
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        url = url or f"sqlite:///{out / 'fund.db'}"
        t: dict[str, float] = {}
        with timer(t, "setup: facilities"):
            engine = _setup(url)
            _facilities(engine, rows)
        with timer(t, f"setup: journal to {small:,} lines"):
            have = _grow(engine, 0, small)
        _analyze(engine)
        q1, r1, c1 = _measure(engine, out)
        with timer(t, f"setup: journal to {large:,} lines"):
            have = _grow(engine, have, large)
        _analyze(engine)
        q2, r2, c2 = _measure(engine, out)
        backend = engine.dialect.name
        engine.dispose()
    print(f"statements benchmark: {rows:,} facilities, 832 counties, {backend}")
    for name, secs in t.items():
        print(f"  {name:<32} {secs:8.2f} s")
    print(f"  {'':<24} {small:>12,} lines {large:>12,} lines   ratio")
    print(f"  {'fund_statement (queries)':<24} {q1:16.2f} s {q2:16.2f} s  {q2 / q1:6.2f}")
    print(f"  {'render_fund_statement':<24} {r1:16.2f} s {r2:16.2f} s  {r2 / r1:6.2f}")
    print(f"  {'county statement + PDF':<24} {c1:16.2f} s {c2:16.2f} s  {c2 / c1:6.2f}")
    print(f"  peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()

"""Any interleaving of repayments (duplicates, out-of-order dates, early ones paid ahead
and prepayments), day closes, claims,
recoveries and write-offs keeps the books whole and every facility's figures true.

After each step: the ledger verifies; each loan's outstanding is principal − repaid −
written off and equals its schedule's unpaid principal; loans receivable, deposits and
claim receivables in the ledger equal the sums over facilities.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fundcore.domain import chart
from fundcore.domain.errors import FundError
from fundcore.services import claims, dayclose, repayments
from fundcore.store import journal
from fundcore.store.models import Facility, Instalment
from fundcore.store.uow import UnitOfWork
from fundcore.store.verify import verify
from tests.conftest import fresh_engine
from tests.factories import disbursed, setup_fund

START = date(2019, 6, 10)
day = st.integers(1, 900)
pick = st.integers(0, 3)
operation = st.one_of(
    st.tuples(
        st.just("repay"), pick, st.integers(1, 3_000_000), day, st.integers(0, 15), st.booleans()
    ),
    st.tuples(st.just("close"), day),
    st.tuples(st.just("claim"), pick, st.integers(1, 5_000_000), day),
    st.tuples(
        st.just("recover"),
        pick,
        st.integers(1, 500_000),
        day,
        st.sampled_from(["borrower", "county"]),
        st.integers(0, 15),
    ),
    st.tuples(st.just("write_off"), pick, day),
    st.tuples(st.just("undo"), pick, day),
)


def _apply(conn, fids: list[int], op: tuple) -> None:  # noqa: ANN001
    name, *a = op
    if name == "repay":
        on, ref = START + timedelta(days=a[2]), f"R-{a[3]}"
        item = repayments.RepaymentIn(fids[a[0]], a[1], on, ref, prepay=a[4])
        report = repayments.repay_many(conn, "fin1", [item])
        if report.problems:
            raise report.problems[0][1]
    elif name == "close":
        dayclose.close_through(conn, "fin1", START + timedelta(days=a[0]))
    elif name == "claim":
        claims.pay_claim(conn, "fin1", fids[a[0]], a[1], START + timedelta(days=a[2]))
    elif name == "recover":
        claims.record_recovery(
            conn, "fin1", fids[a[0]], a[1], START + timedelta(days=a[2]), f"C-{a[4]}", a[3]
        )
    elif name == "write_off":
        claims.write_off(conn, "fin1", fids[a[0]], START + timedelta(days=a[1]), "lost")
    else:
        claims.undo_write_off(conn, "fin1", fids[a[0]], START + timedelta(days=a[1]), "undo")


def _check(engine) -> None:  # noqa: ANN001
    fac, inst = Facility.__table__, Instalment.__table__
    with UnitOfWork(engine, write=False) as uow:
        conn = uow.conn
        report = verify(conn)
        assert report.ok, report.problems
        bal = {r.code: r.balance_fen for r in journal.balances(conn)}
        rows = conn.execute(select(fac)).mappings().all()
        unpaid = dict(
            conn.execute(
                select(
                    inst.c.facility_id, func.sum(inst.c.principal_fen - inst.c.paid_principal_fen)
                )
                .where(inst.c.active)
                .group_by(inst.c.facility_id)
            ).all()
        )
    loans = [r for r in rows if r["instrument"] == "loan"]
    for r in loans:
        # a loan's called county share is the county's debt, off the borrower's balance
        called = r["county_share_fen"]
        left = r["principal_fen"] - r["repaid_fen"] - r["written_off_fen"] - called
        assert r["outstanding_fen"] == left
        if r["status"] != "written_off":
            assert unpaid[r["id"]] == r["outstanding_fen"] + called
    assert bal[chart.LOANS_RECEIVABLE] == sum(r["outstanding_fen"] for r in loans)
    guarantees = [r for r in rows if r["instrument"] == "guarantee"]
    assert bal[chart.GUARANTEE_DEPOSITS] == sum(r["deposit_fen"] for r in guarantees)
    owed = [claims.receivables(r) for r in guarantees if r["status"] == "claimed"]
    assert bal[chart.CLAIMS_RECEIVABLE] == sum(b for b, _ in owed)
    # the county's share stays owed when the borrower's debt is written off
    county = sum(claims.receivables(r)[1] for r in rows)
    assert bal[chart.COUNTER_GUARANTEE_RECEIVABLE] == county


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=10, max_size=40))
def test_any_interleaving_keeps_the_books_whole(ops: list[tuple]) -> None:
    with fresh_engine("sqlite") as engine:
        setup_fund(engine)
        fids = [
            disbursed(engine, 1, yuan=24_000),
            disbursed(engine, 2, yuan=36_000, term=36),
            disbursed(engine, 3, kind="guarantee", yuan=50_000, term=36, support="反担保"),
            disbursed(engine, 4, kind="guarantee", yuan=20_000, term=24),
        ]
        for op in ops:
            try:
                with UnitOfWork(engine) as uow:
                    _apply(uow.conn, fids, op)
                    uow.commit()
            except FundError:
                pass
            _check(engine)

"""Finance operators approving at the same moment never together over-commit the fund.

Real, separate PostgreSQL connections race to approve more loans than the fund can
honour; the commitments that win must fit the cash exactly, whatever the interleaving.
"""

from __future__ import annotations

import random
import threading
from datetime import date

from sqlalchemy import Engine, func, select

from fundcore.domain.errors import FundError
from fundcore.intake import register
from fundcore.intake.application import parse_application
from fundcore.services import applications, decisions, donations, operators, registry
from fundcore.store.db import make_engine
from fundcore.store.models import Facility
from fundcore.store.uow import UnitOfWork
from tests.factories import application_row

ON = date(2019, 6, 1)
LOANS, FITS, AMOUNT_FEN = 24, 7, 3_000_000


def _prepare(engine: Engine) -> list[int]:
    with UnitOfWork(engine) as uow:
        rows = register.parse_register(register.SAMPLE_REGISTER.read_bytes())
        registry.import_register(uow.conn, "root", rows, "sample")
        operators.add(uow.conn, None, "lq", "county", "140224")
        for name in ("fin1", "fin2", "fin3"):
            operators.add(uow.conn, None, name, "finance")
        donations.record(
            uow.conn,
            "fin1",
            donations.DonationIn(AMOUNT_FEN * FITS + AMOUNT_FEN // 2, "donor", date(2019, 1, 2)),
        )
        parsed = []
        for i in range(LOANS):
            row = application_row(random.Random(i), i, "140224", ON, "免息借款")
            row.update(amount="30000", local_support="1:1配资", term_months="24")
            app, errors = parse_application(row)
            assert not errors
            parsed.append((i + 2, app))
        report = applications.submit(uow.conn, "lq", parsed, ON)
        uow.commit()
    return [app_id for _, _, app_id in report.taken]


def _approver(
    url: str, who: str, ids: list[int], seed: int, won: list[int], failures: list[str]
) -> None:
    engine = make_engine(url)
    order = ids[:]
    random.Random(seed).shuffle(order)
    for app_id in order:
        try:
            with UnitOfWork(engine) as uow:
                decisions.approve(uow.conn, who, app_id, date(2019, 6, 2))
                uow.commit()
            won.append(app_id)
        except FundError:
            pass
        except Exception as exc:  # noqa: BLE001 - any other failure is the bug we hunt
            failures.append(f"{type(exc).__name__}: {exc}")
    engine.dispose()


def test_concurrent_approvals_never_over_commit(pg_url: str) -> None:
    from tests.conftest import init_db

    engine = init_db(pg_url)
    ids = _prepare(engine)
    for round_ in range(3):
        won: list[int] = []
        failures: list[str] = []
        threads = [
            threading.Thread(
                target=_approver,
                args=(pg_url, f"fin{1 + k % 3}", ids, round_ * 10 + k, won, failures),
            )
            for k in range(6)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not failures, failures[:3]
        with engine.connect() as conn:
            committed = conn.scalar(
                select(func.coalesce(func.sum(Facility.committed_fen), 0)).where(
                    Facility.status == "approved"
                )
            )
            approved = conn.scalar(
                select(func.count()).select_from(Facility).where(Facility.status == "approved")
            )

        assert len(won) == approved == FITS
        assert committed == FITS * AMOUNT_FEN
        with UnitOfWork(engine) as uow:
            for app_id in won:
                decisions.cancel(uow.conn, "fin1", app_id, date(2019, 6, 3), "next round")
            uow.commit()
        ids = [i for i in ids if i not in won]
    engine.dispose()

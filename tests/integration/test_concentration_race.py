"""Finance operators approving related guarantees at the same moment never together
breach the related-party concentration limit (issue 14 item 9).

Six guarantees of ¥40,000 declare one household register; the fund's net assets are
¥1,000,000, so with its related parties a borrower may carry ¥150,000: three fit, the
fourth would make ¥160,000. Real, separate PostgreSQL connections race to approve all
six; exactly three win, whatever the interleaving (the limit is read under the fund lock).
"""

from __future__ import annotations

import random
import threading
from datetime import date

from sqlalchemy import func, select

from fundcore.intake.application import parse_application
from fundcore.services import applications
from fundcore.store.models import Facility
from fundcore.store.uow import UnitOfWork
from tests.factories import application_row, setup_fund
from tests.integration.test_capacity_race import _approver

ON = date(2019, 6, 1)


def test_concurrent_approvals_never_breach_the_related_limit(pg_url: str) -> None:
    from tests.conftest import init_db

    engine = init_db(pg_url)
    setup_fund(engine, donation_fen=100_000_000)
    parsed = []
    for i in range(6):
        row = application_row(random.Random(i), i, "140224", ON, "担保贷款")
        row.update(amount="40000", local_support="反担保", household_ref="140224-0007")
        app, errors = parse_application(row)
        assert not errors, errors
        parsed.append((i + 2, app))
    with UnitOfWork(engine) as uow:
        ids = [i for _, _, i in applications.submit(uow.conn, "lq", parsed, ON).taken]
        uow.commit()
    won: list[int] = []
    failures: list[str] = []
    threads = [
        threading.Thread(target=_approver, args=(pg_url, f"fin{1 + k % 2}", ids, k, won, failures))
        for k in range(4)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not failures, failures[:3]
    with engine.connect() as conn:
        exposure = conn.scalar(
            select(func.sum(Facility.exposure_fen)).where(Facility.status == "approved")
        )
    assert len(won) == 3 and exposure == 12_000_000
    engine.dispose()

"""Several processes posting at once keep one linear hash chain and right balances."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import Engine

from fundcore.domain import chart
from fundcore.store import journal
from fundcore.store.uow import UnitOfWork
from fundcore.store.verify import verify

WORKER = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from fundcore.domain import chart
    from fundcore.store import journal
    from fundcore.store.db import make_engine
    from fundcore.domain.ledger import EntryDraft, credit, debit
    from fundcore.store.uow import UnitOfWork

    url, worker, n, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    engine = make_engine(url)
    while time.time() < start:
        time.sleep(0.001)
    for i in range(n):
        amount = worker * 1000 + i + 1
        lines = (debit(chart.BANK, amount), credit(chart.DONATIONS_UNRESTRICTED, amount))
        draft = EntryDraft(date(2020, 1, 1 + i % 28), "test", f"w{worker}", lines)
        with UnitOfWork(engine) as uow:
            journal.post(uow.conn, draft)
            uow.commit()
    """
)

WORKERS, PER_WORKER = 4, 40


def test_processes_posting_at_once_keep_one_chain(engine: Engine, tmp_path: Path) -> None:
    import time

    url = engine.url.render_as_string(hide_password=False)
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    root = str(Path(__file__).resolve().parents[2])
    start = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), url, str(w), str(PER_WORKER), str(start)],
            cwd=root,
            env={"PYTHONPATH": root, "PATH": "/usr/bin:/bin"},
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(1, WORKERS + 1)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    expected = sum(w * 1000 + i + 1 for w in range(1, WORKERS + 1) for i in range(PER_WORKER))
    with UnitOfWork(engine, write=False) as uow:
        report = verify(uow.conn)
        bank = {r.code: r for r in journal.balances(uow.conn)}[chart.BANK]
    assert report.ok, report.problems
    assert report.entries == WORKERS * PER_WORKER
    assert report.head_seq == WORKERS * PER_WORKER
    assert bank.balance_fen == expected

"""The database itself refuses to edit the journal or accept an unbalanced entry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.store import journal
from fundcore.store.uow import UnitOfWork


def _post_one(engine: Engine) -> int:
    draft = EntryDraft(
        date(2020, 1, 2),
        "test",
        "alice",
        (debit(chart.BANK, 100), credit(chart.DONATIONS_UNRESTRICTED, 100)),
    )
    with UnitOfWork(engine) as uow:
        seq = journal.post(uow.conn, draft).seq
        uow.commit()
    return seq


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE journal_lines SET amount_fen = 1",
        "UPDATE journal_entries SET memo = 'x'",
        "DELETE FROM journal_lines",
        "DELETE FROM journal_entries",
    ],
)
def test_journal_is_append_only(engine: Engine, statement: str) -> None:
    _post_one(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))


def test_unbalanced_entry_is_refused_by_the_database(engine: Engine) -> None:
    with pytest.raises(DBAPIError, match="balance"), engine.begin() as conn:
        conn.execute(text("INSERT INTO journal_lines VALUES (1, 1, '1002', 'D', 100)"))
        conn.execute(text("INSERT INTO journal_lines VALUES (1, 2, '4101.01', 'C', 90)"))
        conn.execute(
            text(
                "INSERT INTO journal_entries (seq, business_date, kind, operator, memo, total_fen,"
                " line_count, prev_hash, hash) VALUES (1, '2020-01-01', 'x', 'x', '', 100, 2,"
                " 'p', 'h')"
            )
        )


def test_lines_cannot_be_added_to_a_posted_entry(engine: Engine) -> None:
    seq = _post_one(engine)
    with pytest.raises(DBAPIError, match="posted entry"), engine.begin() as conn:
        conn.execute(text(f"INSERT INTO journal_lines VALUES ({seq}, 3, '1002', 'D', 5)"))


def test_lines_without_an_entry_fail_at_commit(engine: Engine) -> None:
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("INSERT INTO journal_lines VALUES (99, 1, '1002', 'D', 100)"))

"""Edits made behind the engine's back are caught by ``fund ledger verify``.

The tamperer here has write access to the database file or server and first gets
the append-only triggers out of the way, as a real one would.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.messages import render
from fundcore.store import journal
from fundcore.store.uow import UnitOfWork
from tests.conftest import Fund
from tests.factories import tamper


def _post_entries(engine: Engine, n: int) -> None:
    drafts = [
        EntryDraft(
            date(2020, 1, i + 1),
            "donation",
            "alice",
            (
                debit(chart.BANK, 1000 * (i + 1)),
                credit(chart.DONATIONS_UNRESTRICTED, 1000 * (i + 1)),
            ),
            object_type="donation",
            object_id=str(i + 1),
            memo=f"gift {i + 1}",
        )
        for i in range(n)
    ]
    with UnitOfWork(engine) as uow:
        journal.post_many(uow.conn, drafts)
        uow.commit()


def _verify(engine: Engine) -> tuple[int, str]:
    result = Fund(engine.url.render_as_string(hide_password=False))(
        "--lang", "en", "ledger", "verify"
    )
    return result.exit_code, result.stderr


def test_untouched_ledger_verifies(engine: Engine) -> None:
    _post_entries(engine, 5)
    code, err = _verify(engine)
    assert code == 0, err


def test_empty_ledger_verifies(engine: Engine) -> None:
    assert _verify(engine)[0] == 0


def test_changed_line_amount_names_the_entry(engine: Engine) -> None:
    _post_entries(engine, 5)
    tamper(
        engine,
        "UPDATE journal_lines SET amount_fen = 99999 WHERE entry_seq = 3",
        "UPDATE journal_entries SET total_fen = 99999 WHERE seq = 3",
    )
    code, err = _verify(engine)
    assert code == 1
    assert err.splitlines()[0] == render("verify.altered_entry", {"seq": 3}, "en")


def test_changed_memo_names_the_entry(engine: Engine) -> None:
    _post_entries(engine, 4)
    tamper(engine, "UPDATE journal_entries SET memo = 'someone else' WHERE seq = 2")
    code, err = _verify(engine)
    assert code == 1
    assert err.splitlines()[0] == render("verify.altered_entry", {"seq": 2}, "en")


def test_deleted_entry_names_the_gap(engine: Engine) -> None:
    _post_entries(engine, 5)
    tamper(
        engine,
        "DELETE FROM journal_lines WHERE entry_seq = 2",
        "DELETE FROM journal_entries WHERE seq = 2",
    )
    code, err = _verify(engine)
    assert code == 1
    assert err.splitlines()[0] == render("verify.missing_entry", {"seq": 2, "next": 3}, "en")


def test_deleted_last_entry_is_caught_by_the_head(engine: Engine) -> None:
    _post_entries(engine, 3)
    tamper(
        engine,
        "DELETE FROM journal_lines WHERE entry_seq = 3",
        "DELETE FROM journal_entries WHERE seq = 3",
    )
    code, err = _verify(engine)
    assert code == 1
    first = err.splitlines()[0]
    assert first == render("verify.missing_tail", {"seq": 2, "head_seq": 3, "first": 3}, "en")
    assert "balance" not in first  # the fault is named: the end is missing, not an imbalance


def test_deleted_last_entry_is_named_in_chinese_as_missing_not_unbalanced(
    engine: Engine,
) -> None:
    _post_entries(engine, 3)
    tamper(
        engine,
        "DELETE FROM journal_lines WHERE entry_seq = 3",
        "DELETE FROM journal_entries WHERE seq = 3",
    )
    result = Fund(engine.url.render_as_string(hide_password=False))("ledger", "verify")
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("账本末尾的分录缺失")
    assert "不平衡" not in result.stderr


def test_emptied_last_entry_is_named_as_lines_missing_not_unbalanced(engine: Engine) -> None:
    _post_entries(engine, 3)
    tamper(engine, "DELETE FROM journal_lines WHERE entry_seq = 3")
    code, err = _verify(engine)
    assert code == 1
    problems = err.splitlines()
    assert problems[0] == render("verify.altered_entry", {"seq": 3}, "en")
    assert problems[1] == render("verify.lines_missing", {"seq": 3, "total": 3000}, "en")
    assert not any("does not balance" in p for p in problems)


def test_a_changed_entry_total_with_balanced_lines_is_not_called_unbalanced(
    engine: Engine,
) -> None:
    _post_entries(engine, 3)
    tamper(engine, "UPDATE journal_entries SET total_fen = 5 WHERE seq = 2")
    code, err = _verify(engine)
    assert code == 1
    problems = err.splitlines()
    expected = render("verify.total_mismatch", {"seq": 2, "lines": 2000, "total": 5}, "en")
    assert problems[0] == expected  # the total is not hashed: this check is what finds it
    assert not any("does not balance" in p for p in problems)


def test_lines_whose_sides_differ_are_still_unbalanced(engine: Engine) -> None:
    _post_entries(engine, 3)
    tamper(
        engine,
        "UPDATE journal_lines SET amount_fen = 1500 WHERE entry_seq = 2 AND side = 'C'",
    )
    code, err = _verify(engine)
    assert code == 1
    expected = render("verify.unbalanced_entry", {"seq": 2, "debit": 2000, "credit": 1500}, "en")
    assert err.splitlines()[1] == expected


def _renumber(old: int, new: int) -> list[str]:
    return [
        f"UPDATE journal_entries SET seq = {new} WHERE seq = {old}",
        f"UPDATE journal_lines SET entry_seq = {new} WHERE entry_seq = {old}",
    ]


def test_reordered_entries_are_caught(engine: Engine) -> None:
    _post_entries(engine, 4)
    tamper(engine, *_renumber(2, 1002), *_renumber(3, 2), *_renumber(1002, 3))
    code, err = _verify(engine)
    assert code == 1
    assert err.splitlines()[0] == render("verify.broken_link", {"seq": 2}, "en")


def test_swapped_contents_are_caught(engine: Engine) -> None:
    _post_entries(engine, 4)
    cols = ["business_date", "memo", "object_id", "total_fen"]
    sets = ", ".join(
        f"{c} = (SELECT {c} FROM swap WHERE swap.seq = 5 - journal_entries.seq)" for c in cols
    )
    tamper(
        engine,
        "CREATE TABLE swap AS SELECT * FROM journal_entries WHERE seq IN (2, 3)",
        f"UPDATE journal_entries SET {sets} WHERE seq IN (2, 3)",
        "UPDATE journal_lines SET entry_seq = -entry_seq WHERE entry_seq IN (2, 3)",
        "UPDATE journal_lines SET entry_seq = 5 + entry_seq WHERE entry_seq IN (-2, -3)",
    )
    code, err = _verify(engine)
    assert code == 1
    assert err.splitlines()[0] == render("verify.altered_entry", {"seq": 2}, "en")


def test_kept_line_count_matches_and_an_altered_one_is_named(engine: Engine) -> None:
    _post_entries(engine, 4)
    with engine.connect() as conn:
        assert journal.kept_line_count(conn) == 8  # what statements print, without a count
    tamper(engine, "UPDATE ledger_head SET line_count = 7")
    code, err = _verify(engine)
    assert code == 1
    expected = render("verify.line_count_mismatch", {"kept": 7, "counted": 8}, "en")
    assert err.splitlines()[0] == expected

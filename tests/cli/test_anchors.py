"""Issue 16 item 1: the chain anchored outside the database.

The attacker of these tests can write the database (the triggers dropped first) and
knows the project's own hash function: they recompute the whole chain and every kept
total after changing the 1亿 donation to 9000万, or after deleting the last entry.
``fund ledger verify`` alone cannot tell; with the anchors file it fails, naming the
anchored entry.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from fundcore.domain.ledger import entry_hash
from fundcore.messages import render
from fundcore.store import journal
from fundcore.store.paths import sqlite_file
from tests.cli.helpers import Typed, as_json, ok
from tests.factories import tamper

KEPT_DAILY = """INSERT INTO account_daily (account_code, business_date, debit_fen, credit_fen)
SELECT l.account_code, e.business_date,
       SUM(CASE WHEN l.side = 'D' THEN l.amount_fen ELSE 0 END),
       SUM(CASE WHEN l.side = 'C' THEN l.amount_fen ELSE 0 END)
FROM journal_lines l JOIN journal_entries e ON e.seq = l.entry_seq
GROUP BY l.account_code, e.business_date"""
KEPT_KIND = """INSERT INTO account_kind_daily
    (account_code, kind, business_date, debit_fen, credit_fen)
SELECT l.account_code, e.kind, e.business_date,
       SUM(CASE WHEN l.side = 'D' THEN l.amount_fen ELSE 0 END),
       SUM(CASE WHEN l.side = 'C' THEN l.amount_fen ELSE 0 END)
FROM journal_lines l JOIN journal_entries e ON e.seq = l.entry_seq
GROUP BY l.account_code, e.kind, e.business_date"""
KEPT_BALANCES = """UPDATE account_balances SET
 debit_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM journal_lines
              WHERE account_code = account_balances.account_code AND side = 'D'),
 credit_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM journal_lines
               WHERE account_code = account_balances.account_code AND side = 'C')"""


@pytest.fixture
def place(tmp_path: Path, ready: Typed) -> dict[str, str]:
    """Where the key and anchors are: beside fund.db on SQLite, named on PostgreSQL."""
    db = sqlite_file(ready.url)
    if db is not None:
        return {}
    return {
        "FUNDCORE_SIGNING_KEY": str(tmp_path / "signing.pem"),
        "FUNDCORE_ANCHORS": str(tmp_path / "ledger.anchors"),
    }


def _files(fund: Typed, place: dict[str, str]) -> tuple[Path, Path]:
    db = sqlite_file(fund.url)
    if db is not None:
        return Path(f"{db}.signing-key"), Path(f"{db}.anchors")
    return Path(place["FUNDCORE_SIGNING_KEY"]), Path(place["FUNDCORE_ANCHORS"])


@pytest.fixture
def books(ready: Typed, place: dict[str, str]) -> Typed:
    """Key made by init (again, with the place set), two donations, one anchor."""
    ok(ready("init --as root", env=place))
    ok(ready("operators add bob --role finance --as root"))
    ok(ready(
        "donations record --amount 1亿 --donor 联合劝募 --date 2019-01-15 --ref DON-1 --as alice",
        env=place,
    ))  # fmt: skip
    ok(ready(
        "donations record --amount 50万 --donor 某公司 --date 2019-01-20 --ref DON-2 --as alice",
        env=place,
    ))  # fmt: skip
    return ready


def _tamper(engine: Engine, *statements: str) -> None:
    tamper(engine, *statements, then=_recompute)


def _recompute(conn) -> None:  # noqa: ANN001
    """Every hash from the first entry on, with the project's own function, and every
    kept total from the lines: a consistent rewrite."""
    prev = "0" * 64
    seqs = conn.execute(text("SELECT seq FROM journal_entries ORDER BY seq")).scalars().all()
    last = 0
    for seq in seqs:
        digest = entry_hash(seq, prev, journal.load_entry(conn, seq))
        conn.execute(
            text("UPDATE journal_entries SET prev_hash = :p, hash = :h WHERE seq = :s"),
            {"p": prev, "h": digest, "s": seq},
        )
        prev, last = digest, seq
    conn.execute(text("DELETE FROM account_daily"))
    conn.execute(text(KEPT_DAILY))
    conn.execute(text("DELETE FROM account_kind_daily"))
    conn.execute(text(KEPT_KIND))
    conn.execute(text(KEPT_BALANCES))
    conn.execute(
        text(
            "UPDATE ledger_head SET last_seq = :s, last_hash = :h, "
            "line_count = (SELECT COUNT(*) FROM journal_lines)"
        ),
        {"s": last, "h": prev},
    )


def _seq_of(engine: Engine, memo_part: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT seq FROM journal_entries WHERE memo LIKE :m"), {"m": f"%{memo_part}%"}
            ).scalar_one()
        )


def test_init_makes_a_private_key_and_anchor_signs_the_head(
    books: Typed, place: dict[str, str]
) -> None:
    key, anchors = _files(books, place)
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    doc = as_json(books("ledger anchor --date 2019-01-31 --as alice --json", env=place))
    assert doc["seq"] == 2 and doc["added"] is True
    assert stat.S_IMODE(os.stat(anchors).st_mode) == 0o600
    lines = anchors.read_text().splitlines()
    assert json.loads(lines[0])["public_key"] == doc["public_key"]
    assert json.loads(lines[1])["hash"] == doc["hash"]
    again = as_json(books("ledger anchor --date 2019-01-31 --as alice --json", env=place))
    assert again["added"] is False and len(anchors.read_text().splitlines()) == 2
    verified = books(f"--lang en ledger verify --anchors {anchors}", env=place)
    assert verified.exit_code == 0, verified.output
    assert "1 anchors checked" in verified.stdout


def test_a_consistent_rewrite_passes_verify_but_not_the_anchors(
    books: Typed, place: dict[str, str], eng: Engine
) -> None:
    ok(books("ledger anchor --date 2019-01-31 --as alice", env=place))
    _, anchors = _files(books, place)
    seq = _seq_of(eng, "联合劝募")
    _tamper(
        eng,
        f"UPDATE journal_lines SET amount_fen = 9000000000 WHERE entry_seq = {seq}",
        f"UPDATE journal_entries SET total_fen = 9000000000 WHERE seq = {seq}",
    )
    plain = books("ledger verify", env=place)
    assert plain.exit_code == 0, plain.output  # the attack of the issue: verify alone is fooled
    result = books(f"--lang en ledger verify --anchors {anchors}", env=place)
    assert result.exit_code == 1
    anchored = json.loads(anchors.read_text().splitlines()[1])
    expected = render(
        "verify.anchor_rewritten",
        {"line": 2, "seq": 2, "date": "2019-01-31", "source": "manual",
         "hash": anchored["hash"][:16]},
        "en",
    )  # fmt: skip
    assert expected in result.stderr.splitlines(), result.stderr


def test_deleting_the_last_entry_shows_against_the_anchor(
    books: Typed, place: dict[str, str], eng: Engine
) -> None:
    ok(books("ledger anchor --date 2019-01-31 --as alice", env=place))
    _, anchors = _files(books, place)
    _tamper(
        eng,
        "DELETE FROM journal_lines WHERE entry_seq = 2",
        "DELETE FROM journal_entries WHERE seq = 2",
        "DELETE FROM donations WHERE ref = 'DON-2'",
    )
    assert books("ledger verify", env=place).exit_code == 0
    result = books(f"--lang en ledger verify --anchors {anchors}", env=place)
    assert result.exit_code == 1
    expected = render(
        "verify.anchor_missing",
        {"line": 2, "seq": 2, "date": "2019-01-31", "source": "manual"},
        "en",
    )
    assert expected in result.stderr.splitlines(), result.stderr


def test_an_anchor_edited_without_the_key_fails_its_signature(
    books: Typed, place: dict[str, str]
) -> None:
    ok(books("ledger anchor --date 2019-01-31 --as alice", env=place))
    _, anchors = _files(books, place)
    header, line = anchors.read_text().splitlines()
    doc = json.loads(line)
    doc["date"] = "2019-02-01"
    anchors.write_text(header + "\n" + json.dumps(doc) + "\n")
    result = books(f"--lang en ledger verify --anchors {anchors}", env=place)
    assert result.exit_code == 1
    expected = render(
        "verify.anchor_signature",
        {"line": 2, "seq": 2, "date": "2019-02-01", "source": "manual"},
        "en",
    )
    assert expected in result.stderr.splitlines(), result.stderr


def test_period_close_and_statement_anchor_and_the_pdf_prints_it(
    books: Typed, place: dict[str, str], tmp_path: Path
) -> None:
    _, anchors = _files(books, place)
    closed = as_json(books("period close 2019-01 --as alice --json", env=place))
    assert closed["anchor"]["seq"] == closed["anchor"]["seq"] >= 2
    out = tmp_path / "s.pdf"
    doc = as_json(
        books(
            f"statement fund --from 2019-01-01 --to 2019-01-31 --out {out} --as alice --json",
            env=place,
        )
    )
    assert doc["anchors_file"] == str(anchors)
    sources = [json.loads(x)["source"] for x in anchors.read_text().splitlines()[1:]]
    assert sources == ["period:2019-01", "statement:2019-01-31"]
    signature = json.loads(anchors.read_text().splitlines()[2])["signature"]
    import pdfplumber

    with pdfplumber.open(out) as pdf:
        words = "".join("".join(p.extract_text().split()) for p in pdf.pages)
    # the 128 hex digits wrap onto two lines of their cell, and the cell's label,
    # centred beside them, is read between the two
    assert signature in words.replace("账本锚点签名（Ed25519）", "")
    verified = books(f"ledger verify --anchors {anchors}", env=place)
    assert verified.exit_code == 0, verified.output


def test_no_output_replaces_the_anchors_file_or_the_key(
    books: Typed, place: dict[str, str], tmp_path: Path
) -> None:
    ok(books("ledger anchor --date 2019-01-31 --as alice", env=place))
    key, anchors = _files(books, place)
    for victim in (key, anchors):
        copy = tmp_path / f"copy-{victim.name}.pdf"
        copy.write_bytes(victim.read_bytes())
        for target in (victim, copy):
            before = target.read_bytes()
            result = books(
                f"statement fund --from 2019-01-01 --to 2019-01-31 --out {target} --force "
                "--as alice",
                env=place,
            )
            assert result.exit_code == 1, result.output
            assert target.read_bytes() == before


def test_without_the_key_a_statement_is_still_made_unanchored(
    books: Typed, place: dict[str, str], tmp_path: Path
) -> None:
    key, anchors = _files(books, place)
    key.unlink()  # an auditor's machine: the key stays with the administrator
    out = tmp_path / "s.pdf"
    doc = as_json(
        books(
            f"statement fund --from 2019-01-01 --to 2019-01-31 --out {out} --as alice --json",
            env=place,
        )
    )
    assert doc["anchors_file"] is None and out.exists() and not anchors.exists()
    refused = books("--lang en ledger anchor --date 2019-01-31 --as alice", env=place)
    assert refused.exit_code == 1
    assert render("anchors.no_key", {"file": str(key)}, "en") in refused.stderr

"""Issue 16 item 5: nothing that would make the permanent record read other than it is.

Control, bidi and zero-width characters are refused in names, refs and memos, naming
the field and the code point, and nothing is written; refs are one key however typed
(NFKC, trimmed, case-folded); a blank ``--ref`` is refused; operator names are ASCII.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from fundcore.messages import render
from fundcore.store.schema import alembic_config, upgrade
from tests.cli.helpers import Typed, as_json, ok, refused, refused_unchanged
from tests.conftest import Fund, snapshot
from tests.factories import application_row, setup_fund, write_csv

GIFT = "donations record --amount 500000 --date 2019-03-01 --as alice"
POISON = [
    ("\x01", "U+0001", 3),
    ("\x1b[31m", "U+001B", 3),
    ("\u202e", "U+202E", 3),
    ("\n", "U+000A", 3),
    ("\u200b", "U+200B", 3),
    ("\ufeff", "U+FEFF", 3),
    ("\u2066", "U+2066", 3),
]


@pytest.mark.parametrize(("bad", "point", "at"), POISON)
def test_a_poisoned_donor_is_refused_naming_field_and_code_point(
    ready: Typed, eng: Engine, bad: str, point: str, at: int
) -> None:
    donor = f"某公{bad}司"
    before = snapshot(eng)
    result = ready.cli(*GIFT.split(), "--donor", donor, "--lang", "en")
    assert result.exit_code == 1, result.output
    expected = render("text.bad_char", {"field": "donor", "char": point, "position": at}, "en")
    assert result.stderr.splitlines() == [expected]
    assert snapshot(eng) == before


@pytest.mark.parametrize(("bad", "point", "at"), POISON[:3])
def test_a_poisoned_ref_is_refused(
    ready: Typed, eng: Engine, bad: str, point: str, at: int
) -> None:
    before = snapshot(eng)
    result = ready.cli(*GIFT.split(), "--donor", "某公司", "--ref", f"D1{bad}", "--lang", "en")
    assert result.exit_code == 1
    expected = render("text.bad_char", {"field": "ref", "char": point, "position": at}, "en")
    assert result.stderr.splitlines() == [expected]
    assert snapshot(eng) == before


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_a_blank_ref_is_refused_not_taken_as_no_ref(ready: Typed, eng: Engine, blank: str) -> None:
    before = snapshot(eng)
    refused(ready.cli(*GIFT.split(), "--donor", "某公司", "--ref", blank), "ref.needed")
    assert snapshot(eng) == before


def test_refs_typed_three_ways_are_one_ref(ready: Typed, eng: Engine) -> None:
    first = as_json(ready(f"{GIFT} --donor 某公司 --ref DUP-1 --json"))
    assert first["created"] is True
    before = snapshot(eng)
    for typed in ("dup-1", "ＤＵＰ-1", "  Dup-1 "):
        again = as_json(ready.cli(*GIFT.split(), "--donor", "某公司", "--ref", typed, "--json"))
        assert (again["created"], again["id"]) == (False, first["id"]), typed
    assert snapshot(eng) == before


@pytest.mark.parametrize("name", ["саshier", "a b", "王五", "bob@x", "bob\u202e"])
def test_operator_names_are_plain_ascii(ready: Typed, eng: Engine, name: str) -> None:
    refused_unchanged(
        ready, eng, f"operators add '{name}' --role finance --as root", "operator.bad_name",
        name=name.strip(),
    )  # fmt: skip


def test_ascii_operator_names_with_dot_dash_underscore_are_taken(ready: Typed) -> None:
    ok(ready("operators add li.ping_2-x --role finance --as root"))


def test_a_sheet_never_carries_a_bidi_override_into_the_record(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Sheets drop invisible characters on reading (``intake.cells.clean``: pasted from
    web pages, they would make a correct ID number fail), so none reaches a name."""
    setup_fund(engine)
    on = date(2019, 6, 1)
    row = application_row(random.Random(3), 3, "140224", on) | {"name": "王\u202e伟"}
    path = write_csv(tmp_path / "s.csv", [row], lang="en")
    fund = Typed(Fund(db_url))
    ok(fund(f"--lang en applications import {path} --date {on} --as lq"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM applicants")).scalars().all() == ["王伟"]


def test_fund_apply_refuses_a_bidi_override_in_a_name(ready: Typed, eng: Engine) -> None:
    line = (
        "--lang en apply --ref A-1 --name 王\u202e伟 --id-number 140224199609245074 "
        "--phone 13800138000 --county 140224 --registered-poor 是 --project-name 香菇 "
        "--instrument grant --amount 5000 --date 2019-06-01 --as alice"
    )
    before = snapshot(eng)
    result = ready(line)
    assert result.exit_code == 1
    reason = render("text.bad_char", {"field": "name", "char": "U+202E", "position": 2}, "en")
    assert reason in result.stderr, result.stderr
    assert snapshot(eng) == before


def test_a_county_ref_typed_in_another_case_is_the_same_application(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    setup_fund(engine)
    on = date(2019, 6, 1)
    row = application_row(random.Random(4), 4, "140224", on) | {"ref": "lq-a-1"}
    fund = Typed(Fund(db_url))
    ok(fund(f"applications import {write_csv(tmp_path / 'a.csv', [row], lang='en')} "
            f"--date {on} --as lq"))  # fmt: skip
    before = snapshot(engine)
    again = write_csv(tmp_path / "b.csv", [row | {"ref": "ＬＱ-A-1"}], lang="en")
    doc = as_json(fund(f"applications import {again} --date {on} --as lq --json"))
    assert len(doc["unchanged"]) == 1 and not doc["taken"], doc
    assert snapshot(engine) == before


def _old_donation(engine: Engine, ref: str, n: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO donations (ref, donor, amount_fen, business_date, operator) "
                "VALUES (:ref, 'd', :n, '2019-01-01', 'root')"
            ),
            {"ref": ref, "n": n},
        )


def test_the_migration_normalises_stored_refs(engine: Engine) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0012_amendments")
    _old_donation(engine, "don-1", 100)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT ref FROM donations")).scalars().all() == ["DON-1"]


def test_the_migration_refuses_refs_that_become_one_listing_them(engine: Engine) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0012_amendments")
    _old_donation(engine, "dup-1", 100)
    _old_donation(engine, "DUP-1", 200)
    with pytest.raises(RuntimeError, match=r"donations: 'DUP-1' / 'dup-1'"):
        upgrade(engine)


@pytest.mark.parametrize("verb", ["reject", "return", "cancel"])
def test_a_poisoned_reason_is_refused_before_anything_is_looked_at(
    ready: Typed, eng: Engine, verb: str
) -> None:
    refused_unchanged(
        ready, eng, f"{verb} 1 --reason 'ok\u202eko' --date 2019-06-01 --as alice",
        "text.bad_char", field="reason", char="U+202E", position=3,
    )  # fmt: skip

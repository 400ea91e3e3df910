"""Personal data encrypted at rest (个人信息保护法 art. 51; issue 16 item 7).

ID and phone numbers of applicants and employed youth are stored under AES-GCM with a
key outside the database; a keyed hash finds them. Read without the key, the SQLite
file (and its WAL), a ``fund backup`` and a ``pg_dump`` hold none of them: the tests
grep them for every number the fund was given. With the key, everything works as
before: look-ups by ID number, masks in the lists, ``applicants reveal`` (audited).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from fundcore.domain.identity import mask_phone
from fundcore.intake.application import parse_application
from fundcore.messages import render
from fundcore.store import pii_key, schema
from fundcore.store.models import AuditRecord
from tests.cli.helpers import Typed, as_json, ok, refused
from tests.conftest import PG_URL, Fund, init_db, pg_schema_url
from tests.factories import application_row, setup_fund, write_csv, youth_id

ON = date(2019, 6, 1)
LQ = "140224"


def _sheet(tmp: Path, n: int = 6) -> tuple[Path, list[dict[str, str]]]:
    """A sheet of ``n`` rows for 灵丘县, every other one employing two youth."""
    rng = random.Random(16_7)
    rows = [application_row(rng, i, LQ, ON) for i in range(n)]
    for i, row in enumerate(rows):
        if i % 2 == 0:
            row["registered_poor"] = "否"
            row["employed_poor_ids"] = ";".join(youth_id(rng, LQ, ON) for _ in range(2))
    return write_csv(tmp / "sheet.csv", rows), rows


def _numbers(rows: list[dict[str, str]]) -> set[str]:
    """Every ID and phone number the rows carry (applicants' and employed youth's)."""
    out: set[str] = set()
    for r in rows:
        out |= {r["id_number"], r["phone"]}
        out |= {n for n in r["employed_poor_ids"].split(";") if n}
    return out


def _plain_hashes(rows: list[dict[str, str]]) -> set[str]:
    """The unkeyed content hash of each row (``ApplicationIn.content_hash``)."""
    out = set()
    for r in rows:
        app, errors = parse_application(r)
        assert app is not None, errors
        out.add(app.content_hash())
    return out


def _found(blob: bytes, numbers: set[str]) -> list[str]:
    return sorted(n for n in numbers if n.encode() in blob)


def _fund_with_sheet(engine: Engine, url: str, tmp: Path) -> tuple[Typed, list[dict[str, str]]]:
    """A fund, a county's sheet imported, one application returned and amended (new phone)."""
    setup_fund(engine)
    fund = Typed(Fund(url))
    path, rows = _sheet(tmp)
    ok(fund(f"applications import {path} --date {ON} --as lq"))
    ok(fund("return 1 --reason 请核对手机号 --date 2019-06-05 --as fin1"))
    rows.append(dict(rows[0], phone="13912345678"))  # the amended phone must not leak either
    ok(fund("applications amend 1 手机号=13912345678 --date 2019-06-06 --as lq"))
    return fund, rows


@pytest.fixture
def sqlite_fund(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Typed, Engine, Path, list[dict[str, str]]]]:
    db = tmp_path / "fund.db"
    url = f"sqlite:///{db}"
    monkeypatch.delenv(pii_key.ENV, raising=False)  # the key beside the database
    engine = init_db(url)
    fund, rows = _fund_with_sheet(engine, url, tmp_path)
    yield fund, engine, db, rows
    engine.dispose()


def test_sqlite_file_and_backup_hold_no_id_or_phone_number(sqlite_fund, tmp_path: Path) -> None:
    fund, engine, db, rows = sqlite_fund
    numbers = _numbers(rows)
    assert len(numbers) > 20
    key = Path(f"{db}{pii_key.SUFFIX}")
    assert key.is_file() and (key.stat().st_mode & 0o777) == 0o600
    backup = tmp_path / "copy.db"
    ok(fund(f"backup {backup} --as root"))
    engine.dispose()
    files = [db, Path(f"{db}-wal"), backup]
    # nor the plain hash of an application's content, which would let a guess of the
    # numbers in it be tested against the file (the rest of it is stored beside it)
    plain = _plain_hashes(rows)
    for f in files:
        if f.exists():
            assert _found(f.read_bytes(), numbers | plain) == [], f
    # the key opens them all the same: look-ups, masks, the reveal
    listed = as_json(fund("--json applications list --as fin1"))
    assert {a["phone"] for a in listed} == {mask_phone(r["phone"]) for r in rows[1:]}
    shown = as_json(fund("--json applicants reveal 1 --reason 核实身份 --as root"))
    assert (shown["id_number"], shown["phone"]) == (rows[0]["id_number"], "13912345678")
    # the same sheet again: each person found by the keyed hash, nothing taken twice
    path, _ = _sheet(tmp_path)
    again = fund(f"--json applications import {path} --date {ON} --as lq")
    doc = json.loads(again.stdout)
    assert (len(doc["taken"]), len(doc["unchanged"])) == (0, len(rows) - 2), doc


def test_reveal_decrypts_and_is_audited(sqlite_fund) -> None:
    fund, engine, _db, rows = sqlite_fund
    out = ok(fund("applicants reveal 2 --reason 法院调查 --as root")).stdout
    assert f"{rows[1]['id_number']}  {rows[1]['phone']}" in out
    with engine.connect() as conn:
        audited = conn.execute(
            select(AuditRecord.object_id, AuditRecord.details).where(
                AuditRecord.action == "applicants.reveal"
            )
        ).all()
    assert [(o, json.loads(d)["reason"]) for o, d in audited] == [("2", "法院调查")]


def test_without_its_key_personal_data_is_refused_and_nothing_else_is(sqlite_fund) -> None:
    fund, engine, db, _rows = sqlite_fund
    key = Path(f"{db}{pii_key.SUFFIX}")
    kept = key.read_bytes()
    key.unlink()
    engine.dispose()
    missing = {"file": str(key), "env": pii_key.ENV}
    refused(fund("applications list --as fin1"), "pii.key_missing", **missing)
    ok(fund("ledger verify"))  # what holds no personal data needs no key
    # init never makes a new key over encrypted data (it would open none of it)
    before = _dump(db)
    refused(fund("init --as root"), "pii.key_lost", file=str(key))
    assert not key.exists() and _dump(db) == before
    # another fund's key opens nothing, and says so
    other = key.parent / "other.key"
    pii_key.create(other)
    refused(
        fund("applications show 1 --as fin1", env={pii_key.ENV: str(other)}),
        "pii.undecryptable",
        column="applications.phone",
        file=str(other),
    )
    key.write_bytes(kept)
    ok(fund("applications show 1 --as fin1"))


def test_upgrade_encrypts_existing_rows_and_refuses_without_a_key(
    sqlite_fund, tmp_path: Path
) -> None:
    """Plain-text rows of the schema before (a downgrade makes them), encrypted by the
    upgrade with the key; without the key the upgrade is refused and changes nothing."""
    fund, engine, db, rows = sqlite_fund
    numbers = _numbers(rows)
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0012_amendments")
    engine.dispose()
    assert len(_found(db.read_bytes() + _wal(db), numbers)) == len(numbers)  # plain again
    key = Path(f"{db}{pii_key.SUFFIX}")
    key.unlink()
    before = _dump(db)
    result = fund("db upgrade --as root")
    assert (result.exit_code, result.stdout) == (1, ""), result.output
    assert result.stderr.splitlines() == [
        render("pii.migrate_needs_key", {}, "zh"),
        render("pii.key_missing", {"file": str(key), "env": pii_key.ENV}, "zh"),
    ]
    assert _dump(db) == before
    with engine.connect() as conn:
        assert schema.current(conn) == "0012_amendments"
    ok(fund("init --as root"))  # makes the key (the data is plain text), then upgrades
    assert key.is_file()
    engine.dispose()
    assert _found(db.read_bytes() + _wal(db), numbers) == []
    shown = as_json(fund("--json applicants reveal 1 --reason 核实 --as root"))
    assert (shown["id_number"], shown["phone"]) == (rows[0]["id_number"], "13912345678")
    amendments = as_json(fund("--json applications show 1 --as fin1"))["amendments"]
    assert amendments[0]["changes"]["phone"] == [
        mask_phone(rows[0]["phone"]),
        mask_phone("13912345678"),
    ]
    ok(fund("db check"))
    listed = as_json(fund("--json applications list --as fin1"))
    assert len(listed) == len(rows) - 1
    # the keyed hashes the upgrade wrote find the people and the rows: the same sheet
    # again takes nothing, the amended row is refused as changed
    path, _ = _sheet(tmp_path)
    doc = json.loads(fund(f"--json applications import {path} --date {ON} --as lq").stdout)
    assert (len(doc["taken"]), len(doc["unchanged"])) == (0, len(rows) - 2), doc
    assert [p["code"] for p in doc["errors"]] == ["intake.ref_changed"], doc


def _wal(db: Path) -> bytes:
    wal = Path(f"{db}-wal")
    return wal.read_bytes() if wal.exists() else b""


def _dump(db: Path) -> list[str]:
    """The whole SQLite database as SQL, read without fundcore (nor its key)."""
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def test_a_sealed_column_cannot_be_compared_in_sql() -> None:
    """A look-up on the ciphertext would silently find nothing: it raises instead."""
    from fundcore.store.models import Applicant

    with pytest.raises(TypeError, match="keyed hash"):
        _ = Applicant.__table__.c.id_number == "110101199003070011"
    with pytest.raises(TypeError, match="keyed hash"):
        Applicant.__table__.c.id_number.in_(["110101199003070011"])


def test_pg_dump_holds_no_id_or_phone_number(tmp_path: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    with pg_schema_url() as url:
        if pg_dump is None:
            pytest.skip("pg_dump is not installed")
        engine = init_db(url)
        try:
            fund, rows = _fund_with_sheet(engine, url, tmp_path)
            shown = as_json(fund("--json applicants reveal 3 --reason 核实 --as root"))
            assert shown["id_number"] == rows[2]["id_number"]
            with engine.connect() as conn:
                name = conn.scalar(text("SELECT current_schema()"))
        finally:
            engine.dispose()
        plain = make_url(url).set(drivername="postgresql", query={})
        dump = subprocess.run(
            [pg_dump, "--no-owner", "-n", str(name), plain.render_as_string(hide_password=False)],
            capture_output=True,
            check=True,
        ).stdout
        assert b"CREATE TABLE" in dump and b"applicants" in dump
        assert _found(dump, _numbers(rows)) == []


def test_pg_a_county_role_still_sees_only_its_county_and_no_plain_numbers(
    tmp_path: Path,
) -> None:
    """Row-level security is untouched: a county league's own login (as through psql)
    reads its county's applicants, and only ciphertext and keyed hashes of them."""
    with pg_schema_url() as url:
        engine = init_db(url)
        login = f"fc_pii_{os.getpid()}"
        admin = create_engine(PG_URL or "", isolation_level="AUTOCOMMIT")
        try:
            setup_fund(engine)
            fund = Typed(Fund(url))
            path, rows = _sheet(tmp_path)
            ok(fund(f"applications import {path} --date {ON} --as lq"))
            ok(fund(f"db role {login} --operator lq --as root"))
            league = create_engine(make_url(url).set(username=login))
            try:
                with league.connect() as conn:
                    seen = conn.execute(
                        text("SELECT id_number, id_number_hmac FROM applicants")
                    ).all()
                    phones = conn.scalars(text("SELECT phone FROM applications")).all()
            finally:
                league.dispose()
            assert len(seen) == len(rows)
            blob = repr((seen, phones)).encode()
            assert _found(blob, _numbers(rows)) == []
        finally:
            engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f"DROP ROLE IF EXISTS {login}"))
            admin.dispose()


def test_pg_init_must_be_told_where_the_key_goes() -> None:
    """PostgreSQL has no folder beside it: without FUNDCORE_PII_KEY, init refuses
    before it creates anything."""
    with pg_schema_url() as url:
        named = os.environ.pop(pii_key.ENV)
        try:
            refused(Fund(url)("init", "--admin", "root"), "pii.key_unplaced", env=pii_key.ENV)
            engine = create_engine(url)
            try:
                with engine.connect() as conn:
                    assert schema.current(conn) is None
            finally:
                engine.dispose()
            assert not Path(named).exists()
        finally:
            os.environ[pii_key.ENV] = named

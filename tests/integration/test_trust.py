"""Trust: tokens prove who acts, failures are logged, backups restore, data stays masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from fundcore.messages import render
from fundcore.store.models import AuditRecord, AuthFailure
from tests.conftest import Fund, snapshot
from tests.factories import disbursed, setup_fund


@pytest.fixture
def fund(engine: Engine) -> Fund:
    setup_fund(engine)
    return Fund(engine.url.render_as_string(hide_password=False))


def _token(fund: Fund, name: str) -> str:
    r = fund("--json", "operators", "token", "issue", name, "--as", "root")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["token"]


def _failures(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(AuthFailure.operator, AuthFailure.reason).order_by(AuthFailure.id)
            )
        ]


def test_required_tokens_refuse_impersonation_and_log_it(fund: Fund, engine: Engine) -> None:
    root, fin = _token(fund, "root"), _token(fund, "fin1")
    assert (
        fund(
            "operators", "require-tokens", "on", "--as", "root", env={"FUNDCORE_TOKEN": root}
        ).exit_code
        == 0
    )
    before = snapshot(engine)
    args = [
        "--lang",
        "en",
        "donations",
        "record",
        "--amount",
        "100",
        "--donor",
        "x",
        "--date",
        "2019-02-01",
        "--as",
        "fin1",
    ]
    for env, reason in (
        ({}, "no token"),
        ({"FUNDCORE_TOKEN": root}, "unknown token"),
        ({"FUNDCORE_TOKEN": fin[:-2] + "xx"}, "wrong secret"),
        ({"FUNDCORE_TOKEN": "nonsense"}, "malformed token"),
    ):
        r = fund(*args, env=env)
        assert r.exit_code == 1
        assert r.stderr.strip() == render("auth.failed", {"name": "fin1", "reason": reason}, "en")
    assert snapshot(engine) == before
    assert [f[1] for f in _failures(engine)] == [
        "no token",
        "unknown token",
        "wrong secret",
        "malformed token",
    ]
    assert fund(*args, env={"FUNDCORE_TOKEN": fin}).exit_code == 0


def test_rotation_and_revocation(fund: Fund, engine: Engine) -> None:
    root = _token(fund, "root")
    first = _token(fund, "fin1")
    fund("operators", "require-tokens", "on", "--as", "root", env={"FUNDCORE_TOKEN": root})
    rotated = json.loads(
        fund(
            "--json",
            "operators",
            "token",
            "issue",
            "fin1",
            "--as",
            "root",
            env={"FUNDCORE_TOKEN": root},
        ).stdout
    )["token"]
    read = ["applications", "list", "--as", "fin1"]
    assert fund(*read, env={"FUNDCORE_TOKEN": first}).exit_code == 1
    assert fund(*read, env={"FUNDCORE_TOKEN": rotated}).exit_code == 0
    fund("operators", "token", "revoke", "fin1", "--as", "root", env={"FUNDCORE_TOKEN": root})
    assert fund(*read, env={"FUNDCORE_TOKEN": rotated}).exit_code == 1
    assert _failures(engine)[-1] == ("fin1", "revoked token")


def test_tokens_are_stored_only_as_salted_hashes(fund: Fund, engine: Engine) -> None:
    token = _token(fund, "fin1")
    secret = token.split(".")[2]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM operator_tokens")).all()
        audit_text = " ".join(str(r) for r in conn.execute(select(AuditRecord.details)))
    assert secret not in " ".join(map(str, rows)) and secret not in audit_text


def test_only_an_admin_issues_tokens(fund: Fund, engine: Engine) -> None:
    r = fund("--lang", "en", "operators", "token", "issue", "fin2", "--as", "fin1")
    assert r.exit_code == 1
    assert r.stderr.strip() == render(
        "operator.role_refused",
        {"name": "fin1", "role": "finance", "action": "operators.tokens"},
        "en",
    )


def test_reveal_is_admin_only_and_audited(fund: Fund, engine: Engine) -> None:
    fid = disbursed(engine, 1)
    r = fund("applicants", "reveal", str(fid), "--reason", "court order", "--as", "fin1")
    assert r.exit_code == 1
    shown = json.loads(
        fund(
            "--json", "applicants", "reveal", str(fid), "--reason", "court order", "--as", "root"
        ).stdout
    )
    assert len(shown["id_number"]) == 18 and "*" not in shown["id_number"]
    with engine.connect() as conn:
        n = conn.scalar(
            select(func.count())
            .select_from(AuditRecord)
            .where(AuditRecord.action == "applicants.reveal")
        )
    assert n == 1


def test_backup_and_restore_verify(sqlite_url: str, tmp_path: Path) -> None:
    from tests.conftest import init_db

    engine = init_db(sqlite_url)
    setup_fund(engine)
    fund = Fund(sqlite_url)
    copy = tmp_path / "backup.db"
    assert fund("backup", str(copy), "--as", "fin1").exit_code == 1  # admins only
    r = fund("backup", str(copy), "--as", "root")
    assert r.exit_code == 0, r.stderr
    fund(
        "donations",
        "record",
        "--amount",
        "5",
        "--donor",
        "later",
        "--date",
        "2019-03-01",
        "--as",
        "fin1",
    )
    assert fund("restore", str(copy), "--as", "root").exit_code == 1  # needs --yes
    r = fund("--json", "restore", str(copy), "--yes", "--as", "root")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["entries"] == 1
    assert fund("ledger", "verify").exit_code == 0
    assert fund("backup", str(copy), "--as", "root").exit_code == 1  # never overwrites


def test_backup_refuses_postgresql(pg_url: str) -> None:
    from tests.conftest import init_db

    init_db(pg_url).dispose()
    r = Fund(pg_url)("--lang", "en", "backup", "/tmp/never.db")
    assert r.exit_code == 1 and "pg_dump" in r.stderr

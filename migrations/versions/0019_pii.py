"""pii: ID and phone numbers encrypted at rest, found by a keyed hash

Revision ID: 0019_pii
Revises: 0015_matching_register
Create Date: 2026-12-04

个人信息保护法 art. 51: the applicants' and employed youth's ID numbers, the
applications' phone numbers and the amendments' copies of them are stored encrypted
(AES-256-GCM, ``fundcore.store.pii``) under a key kept outside the database
(``fundcore.store.pii_key``). Equality look-ups (one applicant per person, one youth on
two projects, the archive's search by ID number) go through a keyed hash (HMAC-SHA256)
stored beside each ID number, with the unique indexes on it.

How the migration gets the key: from the engine that runs it, as every command does
(``FUNDCORE_PII_KEY``, else the ``.pii-key`` file beside a SQLite database). ``fund
init`` makes a key where there is none; ``fund db upgrade`` never makes one. A database
with rows to encrypt and no key is refused with a message naming where the key was
looked for, and nothing is changed. Existing plain text is encrypted in place.

The applications' content hashes (and the amendments' copies of them) become keyed
(``Cipher.content_hash``, an HMAC of the plain hash): a plain SHA-256 of content holding
an ID and a phone number, the rest of it stored beside it, lets anyone with the database
test guesses of the numbers. The amendments' ``changes`` (shown to users) get their
phone numbers masked, as their ID numbers always were. A downgrade decrypts everything
back and recomputes the plain content hashes, but cannot unmask those phone numbers.

SQLite keeps the declared lengths and the constraints of the plain-text days (it
ignores lengths; dropping the old unique constraint and primary key would mean
rebuilding tables that others refer to); PostgreSQL widens the columns.
"""

from __future__ import annotations

import dataclasses
import json

import sqlalchemy as sa
from alembic import op

from fundcore.domain.errors import FundError, InputError
from fundcore.domain.identity import mask_phone, parse_resident_id
from fundcore.domain.terms import Instrument, LocalSupportKind
from fundcore.intake.application import ApplicationIn, parse_application
from fundcore.store import pii

revision = "0019_pii"
down_revision = "0015_matching_register"
branch_labels = None
depends_on = None

_BLIND = sa.String(length=64)
_SEALED = sa.String(length=96)
# the tables as plain text, whatever the models now say
_applicants = sa.table("applicants", sa.column("id"), sa.column("id_number"))
_apps = sa.table("applications", sa.column("id"), sa.column("phone"), sa.column("content_hash"))
_emp = sa.table("application_employees", sa.column("application_id"), sa.column("id_number"))
_amend = sa.table(
    "application_amendments", sa.column("id"), sa.column("before"), sa.column("before_hash")
)
#: rows are read and written this many at a time
_CHUNK = 5000


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for table in ("applicants", "application_employees"):
        if postgres:
            op.add_column(table, sa.Column("id_number_hmac", _BLIND, nullable=True))
        else:  # SQLite adds a NOT NULL column only with a default; every row gets one below
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN id_number_hmac VARCHAR(64) NOT NULL DEFAULT ''"
            )
    if postgres:
        for table, column in (
            ("applicants", "id_number"),
            ("applications", "phone"),
            ("application_employees", "id_number"),
        ):
            op.alter_column(table, column, type_=_SEALED, existing_nullable=False)
    _encrypt(bind)
    if postgres:
        for table in ("applicants", "application_employees"):
            op.alter_column(table, "id_number_hmac", existing_type=_BLIND, nullable=False)
    op.drop_index("ix_application_employees_id_number", table_name="application_employees")
    op.create_index("ix_applicants_id_number_hmac", "applicants", ["id_number_hmac"], unique=True)
    op.create_index(
        "ix_application_employees_id_number_hmac", "application_employees", ["id_number_hmac"]
    )
    op.create_index(
        "uq_application_employees_youth",
        "application_employees",
        ["application_id", "id_number_hmac"],
        unique=True,
    )


def _cipher(bind: sa.Connection) -> pii.Cipher | None:
    """The database's cipher if any personal data is stored (None if there is none);
    refused, naming where the key was looked for, if there is data and no key."""
    counts = [
        bind.scalar(sa.select(sa.func.count()).select_from(t))
        for t in (_applicants, _apps, _emp, _amend)
    ]
    if not any(counts):
        return None
    try:
        return pii.cipher(bind)
    except FundError as err:
        raise InputError("pii.migrate_needs_key").also([(err.code, err.params)]) from None


def _rows(bind: sa.Connection, stmt: sa.Select) -> list[sa.Row]:
    return list(bind.execute(stmt))


def _encrypt(bind: sa.Connection) -> None:
    """Every stored ID and phone number sealed in place; the keyed hashes filled in."""
    cipher = _cipher(bind)
    if cipher is None:
        return
    if bind.dialect.name == "sqlite":
        # the plain text a row had must not stay behind in the file's free space
        bind.exec_driver_sql("PRAGMA secure_delete = ON")
    seal, blind = cipher.seal, cipher.blind
    _update(
        bind,
        "UPDATE applicants SET id_number = :v, id_number_hmac = :h WHERE id = :k",
        [
            {"k": r.id, "v": seal(r.id_number, "applicants.id_number"), "h": blind(r.id_number)}
            for r in _rows(bind, sa.select(_applicants.c.id, _applicants.c.id_number))
        ],
    )
    keyed = cipher.content_hash
    _update(
        bind,
        "UPDATE applications SET phone = :v, content_hash = :h WHERE id = :k",
        [
            {"k": r.id, "v": seal(r.phone, "applications.phone"), "h": keyed(r.content_hash)}
            for r in _rows(bind, sa.select(_apps.c.id, _apps.c.phone, _apps.c.content_hash))
        ],
    )
    _update(
        bind,
        "UPDATE application_employees SET id_number = :v, id_number_hmac = :h"
        " WHERE application_id = :k AND id_number = :n",
        [
            {
                "k": r.application_id,
                "n": r.id_number,
                "v": seal(r.id_number, "application_employees.id_number"),
                "h": blind(r.id_number),
            }
            for r in _rows(bind, sa.select(_emp.c.application_id, _emp.c.id_number))
        ],
    )
    amendments = _rows(
        bind,
        sa.text(
            'SELECT id, "before", changes, before_hash FROM application_amendments ORDER BY id'
        ),
    )
    _update(
        bind,
        'UPDATE application_amendments SET "before" = :v, changes = :c, before_hash = :h'
        " WHERE id = :k",
        [
            {
                "k": r.id,
                "v": seal(r.before, "application_amendments.before"),
                "c": _masked_changes(r.changes),
                "h": keyed(r.before_hash),
            }
            for r in amendments
        ],
    )


def _masked_changes(changes: str) -> str:
    """An amendment's ``changes`` with the phone numbers in it masked (those masked
    already, by the code of this revision before a downgrade, left as they are)."""
    doc = json.loads(changes)
    if "phone" in doc:
        doc["phone"] = [v if not v or "*" in v else mask_phone(v) for v in doc["phone"]]
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def _update(bind: sa.Connection, sql: str, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        bind.execute(sa.text(sql), rows[start : start + _CHUNK])


def downgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    _decrypt(bind)
    op.drop_index("uq_application_employees_youth", table_name="application_employees")
    op.drop_index("ix_application_employees_id_number_hmac", table_name="application_employees")
    op.drop_index("ix_applicants_id_number_hmac", table_name="applicants")
    op.create_index("ix_application_employees_id_number", "application_employees", ["id_number"])
    for table in ("applicants", "application_employees"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN id_number_hmac")
    if postgres:
        for table, column, length in (
            ("applicants", "id_number", 18),
            ("applications", "phone", 11),
            ("application_employees", "id_number", 18),
        ):
            op.alter_column(table, column, type_=sa.String(length=length), existing_nullable=False)


def _decrypt(bind: sa.Connection) -> None:
    """Every sealed value back to plain text (the older schema's)."""
    cipher = _cipher(bind)
    if cipher is None:
        return
    opened = cipher.open
    _update(
        bind,
        "UPDATE applicants SET id_number = :v WHERE id = :k",
        [
            {"k": r.id, "v": opened(r.id_number, "applicants.id_number")}
            for r in _rows(bind, sa.select(_applicants.c.id, _applicants.c.id_number))
        ],
    )
    _update(
        bind,
        "UPDATE applications SET phone = :v WHERE id = :k",
        [
            {"k": r.id, "v": opened(r.phone, "applications.phone")}
            for r in _rows(bind, sa.select(_apps.c.id, _apps.c.phone))
        ],
    )
    _update(
        bind,
        "UPDATE application_employees SET id_number = :v"
        " WHERE application_id = :k AND id_number = :n",
        [
            {
                "k": r.application_id,
                "n": r.id_number,
                "v": opened(r.id_number, "application_employees.id_number"),
            }
            for r in _rows(bind, sa.select(_emp.c.application_id, _emp.c.id_number))
        ],
    )
    _update(
        bind,
        'UPDATE application_amendments SET "before" = :v WHERE id = :k',
        [
            {"k": r.id, "v": opened(r.before, "application_amendments.before")}
            for r in _rows(bind, sa.select(_amend.c.id, _amend.c.before))
        ],
    )
    _plain_content_hashes(bind)


def _plain_content_hashes(bind: sa.Connection) -> None:
    """The content hashes as the older code computes them (unkeyed), from the content now
    in plain text: so re-importing a sheet taken before still finds its rows unchanged."""
    employed: dict[int, list[str]] = {}
    for app_id, number in bind.execute(
        sa.text("SELECT application_id, id_number FROM application_employees")
    ):
        employed.setdefault(app_id, []).append(number)
    stmt = sa.text(
        "SELECT a.id, a.ref, p.name, p.id_number, a.phone, a.county_code, a.registered_poor,"
        " a.project_name, a.project_type, a.industry, a.instrument, a.amount_fen,"
        " a.term_months, a.bank, a.local_support, a.household_ref, a.enterprise_code"
        " FROM applications a JOIN applicants p ON p.id = a.applicant_id"
    )
    related: dict[int, tuple[str | None, str | None]] = {}
    rows = []
    for r in bind.execute(stmt):
        related[r.id] = (r.household_ref, r.enterprise_code)
        app = ApplicationIn(
            r.ref,
            r.name,
            parse_resident_id(r.id_number),
            r.phone,
            r.county_code,
            bool(r.registered_poor),
            r.project_name,
            r.project_type,
            r.industry,
            Instrument(r.instrument),
            r.amount_fen,
            r.term_months,
            r.bank,
            LocalSupportKind(r.local_support) if r.local_support else None,
            tuple(parse_resident_id(n) for n in employed.get(r.id, ())),
            r.household_ref,
            r.enterprise_code,
        )
        rows.append({"k": r.id, "h": app.content_hash()})
    _update(bind, "UPDATE applications SET content_hash = :h WHERE id = :k", rows)
    before = []
    for r in bind.execute(
        sa.text('SELECT id, application_id, "before" FROM application_amendments')
    ):
        was, _errors = parse_application(json.loads(r.before))
        if was is not None:  # it parsed when it was recorded
            household, enterprise = related.get(r.application_id, (None, None))
            was = dataclasses.replace(was, household_ref=household, enterprise_code=enterprise)
            before.append({"k": r.id, "h": was.content_hash()})
    _update(bind, "UPDATE application_amendments SET before_hash = :h WHERE id = :k", before)

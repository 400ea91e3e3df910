"""audit chain: the audit trail append-only and hash-chained

Revision ID: 0018_audit_chain
Revises: 0012_amendments
Create Date: 2026-12-04

Issue 16 item 4. ``audit_log`` gets ``prev_hash`` and ``hash`` (see
``fundcore.domain.audit_chain``) and ``ledger_head`` the trail's count and last hash, so
that a record deleted from the middle breaks the next one's link and one deleted from
the end leaves the chain short of the head. Existing records are chained here, in id
order, as they stand. Then the database refuses UPDATE, DELETE (and on PostgreSQL
TRUNCATE) of audit records, whoever asks, as it does for the journal.

Issue 16 item 5: refs are one key however typed (NFKC, trimmed, case-folded, kept in
capitals: ``fundcore.domain.refs``). Refs already stored are brought to that form so
that a replay typed as before still finds them. Where two stored refs become one (a
``dup-1`` and a ``DUP-1``), the migration refuses and lists them: that is two records
for what may be one submission (a double posting to look into), and which one stands
is a person's decision, not a migration's. A stored application's content hash is
left as it was, so re-importing an old sheet whose ref changed form is refused as a
changed row (``intake.ref_changed``), never taken twice. Journal memos that name a ref
keep the form it had (the chain is never rewritten).

The downgrade drops the triggers and the columns (in place on SQLite); normalised
refs stay normalised.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fundcore.domain.audit_chain import GENESIS, AuditFields, audit_hash
from fundcore.domain.refs import normalise_ref

revision = "0018_audit_chain"
down_revision = "0012_amendments"
branch_labels = None
depends_on = None

_audit = sa.table(
    "audit_log",
    sa.column("id", sa.BigInteger),
    sa.column("recorded_at", sa.DateTime),
    sa.column("operator", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("business_date", sa.Date),
    sa.column("details", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)
_head = sa.table(
    "ledger_head",
    sa.column("id", sa.Integer),
    sa.column("audit_count", sa.BigInteger),
    sa.column("audit_hash", sa.String),
)

_SQLITE_GUARDS = [
    f"""CREATE TRIGGER trg_audit_log_no_{verb} BEFORE {verb.upper()} ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only: {verb} of audit_log refused'); END"""
    for verb in ("update", "delete")
]
_PG_GUARDS = [
    """CREATE FUNCTION fundcore_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit log is append-only: % of % refused', TG_OP, TG_TABLE_NAME;
    END $$""",
    """CREATE TRIGGER trg_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION fundcore_audit_append_only()""",
    """CREATE TRIGGER trg_audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION fundcore_audit_append_only()""",
]


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("hash", sa.String(length=64), nullable=True))
    op.add_column(
        "ledger_head",
        sa.Column("audit_count", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.add_column(
        "ledger_head",
        sa.Column("audit_hash", sa.String(length=64), server_default=GENESIS, nullable=False),
    )
    _normalise_refs()
    _chain_existing()
    dialect = op.get_bind().dialect.name
    for statement in _PG_GUARDS if dialect == "postgresql" else _SQLITE_GUARDS:
        op.execute(statement)


#: table -> the columns a ref is unique within (besides the ref itself)
_REF_TABLES: dict[str, tuple[str, ...]] = {
    "donations": (),
    "local_support": (),
    "repayments": (),
    "recoveries": (),
    "applications": ("county_code",),
}
_ALLOCATION_FK = "fk_repayment_allocations_repayment_ref_repayments"


def _normalise_refs() -> None:
    """Every stored ref in its one form; refused, listing them, where two become one."""
    conn = op.get_bind()
    changes: dict[str, list[tuple[str, str]]] = {}
    clashes: list[str] = []
    for table, scope in _REF_TABLES.items():
        cols = ", ".join((*scope, "ref"))
        seen: dict[tuple[object, ...], str] = {}
        for row in conn.execute(
            sa.text(f"SELECT {cols} FROM {table} WHERE ref IS NOT NULL ORDER BY {cols}")
        ):
            ref, new = row[-1], normalise_ref(row[-1])
            key = (*row[:-1], new)
            if key in seen:
                clashes.append(f"{table}: {seen[key]!r} / {ref!r}")
            seen[key] = ref
            if new != ref:
                changes.setdefault(table, []).append((ref, new))
    if clashes:
        raise RuntimeError(
            "refs that are one ref once normalised (NFKC, trimmed, case-folded); resolve "
            "them by hand before upgrading: " + "; ".join(clashes[:50])
        )
    for table, pairs in changes.items():
        if table == "repayments":
            _rename_repayment_refs(pairs)
            continue
        for old, new in pairs:
            conn.execute(
                sa.text(f"UPDATE {table} SET ref = :new WHERE ref = :old"), {"new": new, "old": old}
            )


def _rename_repayment_refs(pairs: list[tuple[str, str]]) -> None:
    """Repayments are keyed by ref and their allocations refer to it: both move."""
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    if pg:
        op.drop_constraint(_ALLOCATION_FK, "repayment_allocations", type_="foreignkey")
    else:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for old, new in pairs:
        for table, col in (("repayments", "ref"), ("repayment_allocations", "repayment_ref")):
            conn.execute(sa.text(f"UPDATE {table} SET {col} = :new WHERE {col} = :old"),
                         {"new": new, "old": old})  # fmt: skip
    if pg:
        op.create_foreign_key(
            _ALLOCATION_FK, "repayment_allocations", "repayments", ["repayment_ref"], ["ref"]
        )


def _chain_existing() -> None:
    """Chain the records already there, in id order, and keep the count in the head."""
    conn = op.get_bind()
    prev, count = GENESIS, 0
    rows = conn.execute(sa.select(_audit).order_by(_audit.c.id)).all()
    for r in rows:
        fields = AuditFields(
            r.recorded_at, r.operator, r.action, r.object_type, r.object_id,
            r.business_date, r.details,
        )  # fmt: skip
        digest = audit_hash(prev, fields)
        conn.execute(
            sa.update(_audit).where(_audit.c.id == r.id).values(prev_hash=prev, hash=digest)
        )
        prev, count = digest, count + 1
    conn.execute(sa.update(_head).where(_head.c.id == 1).values(audit_count=count, audit_hash=prev))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS fundcore_audit_append_only() CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS trg_audit_log_no_delete")
    for table, column in (
        ("ledger_head", "audit_hash"),
        ("ledger_head", "audit_count"),
        ("audit_log", "hash"),
        ("audit_log", "prev_hash"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")

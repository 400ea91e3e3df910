"""corrections: a pay-out cancelled, a repayment undone, each a dated fact

Revision ID: 0013_corrections
Revises: 0014_purposes
Create Date: 2026-12-04

A pay-out made in error is cancelled by reversing its entry on the cancel day; the
facility is approved again. Figures as of an earlier day must still show it paid out
(a closed month never changes), so the cancel is a facility event
(``payout_cancel``) dated on the cancel day that also keeps the date of the pay-out
it cancels (``paid_out_on``): between the two the facility was paid out.

A repayment undone by its ref is a ``repayment_undos`` row dated on the undo day.
The repayment and its allocations stay as they were (they are facts of the day they
were made); the undo takes back, from its own date on, exactly what they paid — so
what was paid by a day D is the repayments and allocations dated by D less those whose
undo is dated by D.

On PostgreSQL the new table is read as ``repayment_allocations`` is (staff, and a
county league for its own facilities) and written by finance.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_corrections"
down_revision = "0014_purposes"
branch_labels = None
depends_on = None

_OLD = "kind IN ('schedule','default','claim','county_share','write_off','write_off_undo')"
_NEW = (
    "kind IN ('schedule','default','claim','county_share','write_off','write_off_undo',"
    "'payout_cancel')"
)


def upgrade() -> None:
    op.create_table(
        "repayment_undos",
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_repayment_undos_facility_id_facilities"),
        ),
        sa.ForeignKeyConstraint(
            ["ref"], ["repayments.ref"], name=op.f("fk_repayment_undos_ref_repayments")
        ),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_repayment_undos")),
    )
    op.create_index(op.f("ix_repayment_undos_facility_id"), "repayment_undos", ["facility_id"])
    op.create_index("ix_repayment_undos_date", "repayment_undos", ["business_date"])
    op.add_column("facility_events", sa.Column("paid_out_on", sa.Date(), nullable=True))
    _kind_check(_NEW)
    if op.get_bind().dialect.name == "postgresql":
        _grants()


def _kind_check(new: str) -> None:
    """Replace the facility events' kind check (SQLite rebuilds the table to do it; no
    table refers to ``facility_events``)."""
    with op.batch_alter_table("facility_events") as batch:
        batch.drop_constraint(op.f("ck_facility_events_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_facility_events_kind"), new)


def _grants() -> None:
    staff = "fundcore_finance, fundcore_auditor, fundcore_admin"
    table = "repayment_undos"
    op.execute(f"GRANT SELECT ON {table} TO {staff}, fundcore_county")
    op.execute(f"GRANT INSERT ON {table} TO fundcore_finance")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY staff_all ON {table} TO {staff} USING (true) WITH CHECK (true)")
    op.execute(
        f"CREATE POLICY county_read ON {table} FOR SELECT TO fundcore_county USING "
        f"(EXISTS (SELECT 1 FROM facilities f WHERE f.id = {table}.facility_id))"
    )


def downgrade() -> None:
    conn = op.get_bind()
    kept = conn.scalar(sa.text("SELECT count(*) FROM repayment_undos")) or 0
    kept += (
        conn.scalar(sa.text("SELECT count(*) FROM facility_events WHERE kind = 'payout_cancel'"))
        or 0
    )
    if kept:  # dated facts are append-only: never dropped to fit an older schema
        raise RuntimeError(f"{kept} cancelled pay-outs or undone repayments; cannot downgrade")
    _kind_check(_OLD)
    op.execute("ALTER TABLE facility_events DROP COLUMN paid_out_on")
    op.drop_index("ix_repayment_undos_date", table_name="repayment_undos")
    op.drop_index(op.f("ix_repayment_undos_facility_id"), table_name="repayment_undos")
    op.drop_table("repayment_undos")

"""amendments: a returned application corrected and resubmitted, or withdrawn

Revision ID: 0012_amendments
Revises: 0011
Create Date: 2026-12-03

A returned application is back with its county league, which either corrects it and
sends it back for review or withdraws it. Each correction is an append-only
``application_amendments`` row keeping the whole content as it was before (and the
fields changed), so no version of an application is lost; the application row holds
the current content. That it was sent back for review, or withdrawn, is a dated
``decisions`` record (actions ``resubmit`` and ``withdraw``), so an application's
status as of a date is still read from its decisions alone. Employed youth are looked
up by ID number (one project at a time), hence an index on them.

On PostgreSQL the new table is read by staff and by a county league's role for its own
county's rows only, and written by finance and, for its own county, by the county role.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_amendments"
down_revision = "0011"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_OLD = "action IN ('approve','reject','return','cancel')"
_NEW = "action IN ('approve','reject','return','cancel','resubmit','withdraw')"
_OWN_COUNTY = (
    "county_code IN (SELECT county_code FROM db_role_counties WHERE role_name = current_user)"
)


def upgrade() -> None:
    op.create_table(
        "application_amendments",
        sa.Column("id", _ID, nullable=False),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("before_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_amendments_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["counties.code"],
            name=op.f("fk_application_amendments_county_code_counties"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_amendments")),
    )
    op.create_index(
        op.f("ix_application_amendments_application_id"),
        "application_amendments",
        ["application_id"],
    )
    op.create_index(
        op.f("ix_application_employees_id_number"), "application_employees", ["id_number"]
    )
    _action_check(_NEW)
    if op.get_bind().dialect.name == "postgresql":
        _grants()


def _action_check(new: str) -> None:
    """Replace the decisions' action check (SQLite rebuilds the table to do it)."""
    with op.batch_alter_table("decisions") as batch:
        batch.drop_constraint(op.f("ck_decisions_action"), type_="check")
        batch.create_check_constraint(op.f("ck_decisions_action"), new)


def _grants() -> None:
    staff = "fundcore_finance, fundcore_auditor, fundcore_admin"
    table = "application_amendments"
    op.execute(f"GRANT SELECT ON {table} TO {staff}, fundcore_county")
    op.execute(f"GRANT INSERT ON {table} TO fundcore_finance, fundcore_county")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY staff_all ON {table} TO {staff} USING (true) WITH CHECK (true)")
    op.execute(
        f"CREATE POLICY county_read ON {table} FOR SELECT TO fundcore_county USING ({_OWN_COUNTY})"
    )
    op.execute(
        f"CREATE POLICY county_insert ON {table} FOR INSERT TO fundcore_county "
        f"WITH CHECK ({_OWN_COUNTY})"
    )
    op.execute(
        "GRANT USAGE, SELECT ON SEQUENCE application_amendments_id_seq "
        "TO fundcore_finance, fundcore_county"
    )


def downgrade() -> None:
    kept = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM decisions WHERE action IN ('resubmit','withdraw')")
    )
    if kept:  # decisions are append-only: never dropped to fit an older schema
        raise RuntimeError(f"{kept} resubmissions or withdrawals recorded; cannot downgrade")
    _action_check(_OLD)
    op.drop_index(op.f("ix_application_employees_id_number"), table_name="application_employees")
    op.drop_index(
        op.f("ix_application_amendments_application_id"), table_name="application_amendments"
    )
    op.drop_table("application_amendments")

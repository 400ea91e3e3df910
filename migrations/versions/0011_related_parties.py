"""related parties: the household register and enterprise an application declares

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03

The concentration limits of 融资担保公司监督管理条例 hold guarantee exposure to one
borrower to 10% of net assets and to a borrower with its related parties to 15%.
Related parties are those that declare the same household register (户口簿户号) or the
same enterprise (统一社会信用代码) on their applications, so each application may now
carry both (optional; existing applications declared neither). Each is indexed, since
an approval looks up every exposed facility sharing one.

The roles' grants on ``applications`` are table-wide and its row-level policies are by
county, so the new columns need no grant of their own.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("household_ref", sa.String(length=40)))
    op.add_column("applications", sa.Column("enterprise_code", sa.String(length=18)))
    op.create_index(
        op.f("ix_applications_household_ref"), "applications", ["household_ref"], unique=False
    )
    op.create_index(
        op.f("ix_applications_enterprise_code"), "applications", ["enterprise_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_applications_enterprise_code"), table_name="applications")
    op.drop_index(op.f("ix_applications_household_ref"), table_name="applications")
    # ALTER TABLE … DROP COLUMN on both (SQLite ≥ 3.35): copying ``applications`` the
    # batch way would break the foreign keys that point at it
    op.drop_column("applications", "enterprise_code")
    op.drop_column("applications", "household_ref")

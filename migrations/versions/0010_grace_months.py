"""grace months: a guaranteed bank loan's interest-only months, fixed at approval

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

``facilities.grace_months`` keeps the interest-only months at the start of a guarantee's
bank loan (policy ``bank_grace_months`` at approval, or the approval's override), so a
later policy change never alters a facility's terms. Facilities approved before this
revision had no grace (their schedules were built without one): 0.

PostgreSQL: the roles' privileges on ``facilities`` are granted on the whole table (0006)
and its row-level security policies read no columns of it but ``county_code``, so the new
column is covered as it stands; nothing to grant.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facilities") as batch:
        batch.add_column(
            sa.Column("grace_months", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    # not batch mode: on SQLite that recreates ``facilities``, which the tables referring
    # to it forbid; both databases drop a plain column in place (SQLite since 3.35)
    op.execute("ALTER TABLE facilities DROP COLUMN grace_months")

"""kept line count on the ledger head

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22

A statement's integrity block prints how many journal lines there are; summing them over
millions of entries made the fund statement slower as the journal grew. The head row,
which every posting already updates under its lock, now keeps the count; ``fund ledger
verify`` checks it against the lines it reads.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_head") as batch:
        batch.add_column(
            sa.Column("line_count", sa.BigInteger(), server_default="0", nullable=False)
        )
    # a database with a journal already: count the lines posted so far
    op.execute(
        "UPDATE ledger_head SET line_count ="
        " (SELECT COALESCE(SUM(line_count), 0) FROM journal_entries)"
    )


def downgrade() -> None:
    with op.batch_alter_table("ledger_head") as batch:
        batch.drop_column("line_count")

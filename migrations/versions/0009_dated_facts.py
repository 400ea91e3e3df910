"""dated facts: repayment allocations and facility events

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Every figure of a statement is as of a date, so what the facility row keeps only as
its state *now* gets a dated record: what each repayment paid of each instalment
(``repayment_allocations``), and the other events of a facility's life
(``facility_events``: schedule versions in force from a date, defaults found by a day
close, claims and the county's share, write-offs and their undoing). An index on the
repayments' dates lets an as-of figure read only what was repaid after the date, and
one on the journal entries' (date, seq, lines) gives the ledger as of a date from the
index alone.

Existing data is carried over from the records that hold it: schedule version 1 from
the pay-out date, later versions from the audit log's restructurings, claims and
write-offs from their journal entries, a default from the facility's last day close
(the date it was first found is not recorded: the last close is the latest it can be).
Allocations are replayed from the repayments in date order with the domain's own
allocation rule and the policy's prepayment order now in force, which is how the
repayment service applied them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from fundcore.domain.repayments import Due

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_KINDS = "kind IN ('schedule','default','claim','county_share','write_off','write_off_undo')"


def upgrade() -> None:
    _tables()
    _indexes()
    conn = op.get_bind()
    _events(conn)
    _allocations(conn)
    if conn.dialect.name == "postgresql":
        _grants()


def _tables() -> None:
    op.create_table(
        "repayment_allocations",
        sa.Column("repayment_ref", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("principal_fen", sa.BigInteger(), nullable=False),
        sa.Column("interest_fen", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "principal_fen >= 0 AND interest_fen >= 0",
            name=op.f("ck_repayment_allocations_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_repayment_allocations_facility_id_facilities"),
        ),
        sa.ForeignKeyConstraint(
            ["repayment_ref"],
            ["repayments.ref"],
            name=op.f("fk_repayment_allocations_repayment_ref_repayments"),
        ),
        sa.PrimaryKeyConstraint(
            "repayment_ref", "version", "no", name=op.f("pk_repayment_allocations")
        ),
    )
    op.create_table(
        "facility_events",
        sa.Column("id", _ID, nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.CheckConstraint(_KINDS, name=op.f("ck_facility_events_kind")),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_facility_events_amount_non_negative")),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_facility_events_facility_id_facilities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_events")),
    )


def _indexes() -> None:
    op.create_index(
        "ix_repayments_date", "repayments", ["business_date", "facility_id", "principal_fen"]
    )
    op.create_index(
        op.f("ix_repayment_allocations_facility_id"), "repayment_allocations", ["facility_id"]
    )
    op.create_index("ix_repayment_allocations_date", "repayment_allocations", ["business_date"])
    late = sa.text("business_date > due_date")
    op.create_index(
        "ix_repayment_allocations_late",
        "repayment_allocations",
        ["due_date", "business_date"],
        sqlite_where=late,
        postgresql_where=late,
    )
    op.create_index(op.f("ix_facility_events_facility_id"), "facility_events", ["facility_id"])
    # the ledger as of a date, from the index alone (it leads with the date, as the one
    # it replaces did)
    op.create_index(
        "ix_journal_entries_date_seq", "journal_entries", ["business_date", "seq", "line_count"]
    )
    op.drop_index("ix_journal_entries_business_date", table_name="journal_entries")
    op.create_index("ix_facility_events_kind_date", "facility_events", ["kind", "business_date"])


def _events(conn: sa.Connection) -> None:
    """The facility events the existing records already hold."""
    fac_id = "CAST(e.object_id AS BIGINT)"
    conn.execute(
        sa.text(
            "INSERT INTO facility_events (facility_id, kind, business_date, amount_fen, version) "
            "SELECT f.id, 'schedule', f.disbursed_on, 0, 1 FROM facilities f "
            "WHERE f.disbursed_on IS NOT NULL AND EXISTS (SELECT 1 FROM instalments i "
            "WHERE i.facility_id = f.id AND i.version = 1)"
        )
    )
    rows = conn.execute(
        sa.text(
            "SELECT object_id, business_date, details FROM audit_log "
            "WHERE action = 'schedules.restructure' ORDER BY id"
        )
    ).all()
    for object_id, on, details in rows:
        _event(conn, int(object_id), "schedule", on, 0, int(json.loads(details)["version"]))
    # an entry's amount is its debits off the net-asset accounts: a write-off posted since
    # 0014 also carries its release from restriction (D 3102.xx / C 3101), which is no part
    # of what was written off (nor, flipped, of its undoing)
    amount = (
        "(SELECT SUM(l.amount_fen) FROM journal_lines l WHERE l.entry_seq = {e}.seq "
        "AND l.side = 'D' AND l.account_code NOT LIKE '31%')"
    )
    for kind, entry_kind in (
        ("claim", "claim"),
        ("county_share", "claim.county_share"),
        ("write_off", "write_off"),
    ):
        conn.execute(
            sa.text(
                "INSERT INTO facility_events (facility_id, kind, business_date, amount_fen) "
                f"SELECT {fac_id}, :kind, e.business_date, {amount.format(e='e')} "
                "FROM journal_entries e "
                "WHERE e.object_type = 'facility' AND e.kind = :entry_kind ORDER BY e.seq"
            ),
            {"kind": kind, "entry_kind": entry_kind},
        )
    conn.execute(
        sa.text(
            "INSERT INTO facility_events (facility_id, kind, business_date, amount_fen) "
            f"SELECT {fac_id}, 'write_off_undo', r.business_date, {amount.format(e='r')} "
            "FROM journal_entries r JOIN journal_entries e ON r.reverses_seq = e.seq "
            "WHERE e.object_type = 'facility' AND e.kind = 'write_off' ORDER BY r.seq"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO facility_events (facility_id, kind, business_date, amount_fen) "
            "SELECT id, 'default', closed_through, 0 FROM facilities "
            "WHERE status = 'defaulted' AND closed_through IS NOT NULL"
        )
    )


def _event(conn: sa.Connection, fid: int, kind: str, on: Any, amount: int, version: int) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO facility_events (facility_id, kind, business_date, amount_fen, version) "
            "VALUES (:fid, :kind, :on, :amount, :version)"
        ),
        {"fid": fid, "kind": kind, "on": on, "amount": amount, "version": version},
    )


def _allocations(conn: sa.Connection) -> None:
    """Replay every facility's repayments over its schedules, as the service applied them."""
    from fundcore.domain.repayments import Due, allocate

    order = _prepayment_order(conn)
    versions = _versions(conn)
    plans: dict[tuple[int, int], list[Due]] = defaultdict(list)
    for fid, version, no, due, principal, interest in conn.execute(
        sa.text(
            "SELECT facility_id, version, no, due_date, principal_fen, interest_fen "
            "FROM instalments ORDER BY facility_id, version, no"
        )
    ):
        plans[(fid, version)].append(Due(no, _day(due), principal, interest, 0, 0))
    rows: list[dict[str, object]] = []
    for ref, fid, amount, on in conn.execute(
        sa.text(
            "SELECT ref, facility_id, amount_fen, business_date FROM repayments "
            "ORDER BY facility_id, business_date, id"
        )
    ):
        on = _day(on)
        version = max((v for v, start in versions.get(fid, []) if start <= on), default=1)
        plan = plans.get((fid, version))
        if not plan:
            continue
        after = allocate(plan, amount, on, order).plan
        rows += _diff(ref, fid, version, on, plan, after)
        plans[(fid, version)] = list(after)
    if rows:
        conn.execute(_allocation_table().insert(), rows)


def _diff(
    ref: str, fid: int, version: int, on: date, before: list[Due], after: tuple[Due, ...]
) -> list[dict[str, object]]:
    from fundcore.domain.repayments import paid_of

    return [
        {
            "repayment_ref": ref,
            "version": version,
            "no": d.no,
            "facility_id": fid,
            "business_date": on,
            "due_date": d.due_date,
            "principal_fen": principal,
            "interest_fen": interest,
        }
        for d, principal, interest in paid_of(before, after)
    ]


def _allocation_table() -> sa.TableClause:
    return sa.table(
        "repayment_allocations",
        *(
            sa.column(c)
            for c in (
                "repayment_ref",
                "version",
                "no",
                "facility_id",
                "business_date",
                "due_date",
                "principal_fen",
                "interest_fen",
            )
        ),
    )


def _versions(conn: sa.Connection) -> dict[int, list[tuple[int, date]]]:
    out: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for fid, version, on in conn.execute(
        sa.text(
            "SELECT facility_id, version, business_date FROM facility_events "
            "WHERE kind = 'schedule'"
        )
    ):
        out[fid].append((version, _day(on)))
    return out


def _prepayment_order(conn: sa.Connection) -> str:
    body = conn.scalar(sa.text("SELECT body FROM policy_versions ORDER BY version DESC LIMIT 1"))
    return str(json.loads(body).get("prepayment_order", "last")) if body else "last"


def _day(value: Any) -> date:
    """A date column as a date (SQLite's raw driver may hand back text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _grants() -> None:
    staff = "fundcore_finance, fundcore_auditor, fundcore_admin"
    for table in ("repayment_allocations", "facility_events"):
        op.execute(f"GRANT SELECT ON {table} TO {staff}, fundcore_county")
        op.execute(f"GRANT INSERT ON {table} TO fundcore_finance")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY staff_all ON {table} TO {staff} USING (true) WITH CHECK (true)")
        op.execute(
            f"CREATE POLICY county_read ON {table} FOR SELECT TO fundcore_county USING "
            f"(EXISTS (SELECT 1 FROM facilities f WHERE f.id = {table}.facility_id))"
        )
    op.execute("GRANT USAGE, SELECT ON SEQUENCE facility_events_id_seq TO fundcore_finance")


def downgrade() -> None:
    op.drop_table("facility_events")
    op.drop_table("repayment_allocations")
    op.drop_index("ix_repayments_date", table_name="repayments")
    op.create_index("ix_journal_entries_business_date", "journal_entries", ["business_date"])
    op.drop_index("ix_journal_entries_date_seq", table_name="journal_entries")

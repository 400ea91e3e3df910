"""Applicants' personal data in full, for the few who need it, and never unrecorded.

Statements and lists show names, ID and phone numbers masked. An admin may see the
whole numbers of one application's applicant, with a reason; the reveal is written to
the audit trail in the same transaction, so a reveal that is not recorded does not
happen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from fundcore.domain.errors import NotFound
from fundcore.services.operators import authorise
from fundcore.store import audit
from fundcore.store.models import Applicant, Application

_applications = Application.__table__
_applicants = Applicant.__table__


@dataclass(frozen=True, slots=True)
class Revealed:
    """An application's applicant, unmasked."""

    application_id: int
    name: str
    id_number: str
    phone: str


def reveal(conn: Connection, operator: str | None, application_id: int, reason: str) -> Revealed:
    """The applicant's whole ID and phone numbers (admins), recorded with the reason."""
    actor = authorise(conn, operator, "applicants.reveal")
    row = conn.execute(
        select(_applicants.c.name, _applicants.c.id_number, _applications.c.phone)
        .select_from(
            _applications.join(_applicants, _applicants.c.id == _applications.c.applicant_id)
        )
        .where(_applications.c.id == application_id)
    ).first()
    if row is None:
        raise NotFound("intake.no_such_application", id=application_id)
    audit.record(
        conn,
        actor.name,
        "applicants.reveal",
        object_type="application",
        object_id=application_id,
        reason=reason,
    )
    return Revealed(application_id, row.name, row.id_number, row.phone)

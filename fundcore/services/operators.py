"""Operators, their roles, and the check every write goes through.

Roles: ``county`` (a county youth league, bound to one county), ``finance``
(Foundation finance staff), ``auditor`` (reads everything, writes nothing) and
``admin`` (operators, register, policy). Finance and admin are kept apart on
purpose: whoever manages who may act does not also move money.

The very first admin is created by ``fund init --admin NAME``, which works only
while no operator exists; every later operator is added by an admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from fundcore.domain.errors import Conflict, InputError, NotFound, NotPermitted
from fundcore.domain.terms import Role
from fundcore.store import audit, auth
from fundcore.store.clock import utcnow
from fundcore.store.models import County, Operator
from fundcore.store.tables import table_of

_ops = table_of(Operator)
ROLES = tuple(r.value for r in Role)

#: action -> roles allowed to do it. Reads are open to every known operator.
PERMISSIONS: dict[str, frozenset[str]] = {
    "operators.add": frozenset({Role.ADMIN}),
    "operators.deactivate": frozenset({Role.ADMIN}),
    "operators.tokens": frozenset({Role.ADMIN}),
    "db.upgrade": frozenset({Role.ADMIN}),
    "db.backup": frozenset({Role.ADMIN}),
    "applicants.reveal": frozenset({Role.ADMIN}),
    "counties.import": frozenset({Role.ADMIN}),
    "policy.update": frozenset({Role.ADMIN}),
    "applications.submit": frozenset({Role.COUNTY, Role.FINANCE}),
    "applications.read": frozenset({Role.COUNTY, Role.FINANCE, Role.AUDITOR, Role.ADMIN}),
    # a returned application is back with its county league, which corrects it ...
    "applications.amend": frozenset({Role.COUNTY}),
    # ... or withdraws it (as may finance, for one it submitted or was told to drop)
    "applications.withdraw": frozenset({Role.COUNTY, Role.FINANCE}),
    "decisions.decide": frozenset({Role.FINANCE}),
    "local_support.record": frozenset({Role.FINANCE}),
    "facilities.disburse": frozenset({Role.FINANCE}),
    "working_funds.pay": frozenset({Role.FINANCE}),
    "repayments.record": frozenset({Role.FINANCE}),
    "day_close.run": frozenset({Role.FINANCE}),
    "claims.pay": frozenset({Role.FINANCE}),
    "recoveries.record": frozenset({Role.FINANCE}),
    "write_offs.record": frozenset({Role.FINANCE}),
    "subsidies.pay": frozenset({Role.FINANCE}),
    "schedules.restructure": frozenset({Role.FINANCE}),
    "calendar.import": frozenset({Role.ADMIN}),
    # statements: the whole fund for finance, auditors and admins; a county league
    # reads the statement of its own county only (checked where the county is known)
    "statements.fund": frozenset({Role.FINANCE, Role.AUDITOR, Role.ADMIN}),
    "statements.county": frozenset({Role.COUNTY, Role.FINANCE, Role.AUDITOR, Role.ADMIN}),
    "statements.facility": frozenset({Role.COUNTY, Role.FINANCE, Role.AUDITOR, Role.ADMIN}),
    "donations.record": frozenset({Role.FINANCE}),
    "ledger.reverse": frozenset({Role.FINANCE}),
    # the books (序时账, 明细账, 科目余额表) and the audit log: the whole fund, so not a
    # county league's
    "ledger.read": frozenset({Role.FINANCE, Role.AUDITOR, Role.ADMIN}),
    "audit.read": frozenset({Role.FINANCE, Role.AUDITOR, Role.ADMIN}),
    "periods.close": frozenset({Role.FINANCE}),
    # anchoring signs the chain's head into the anchors file (audited; nothing else moves)
    "ledger.anchor": frozenset({Role.FINANCE, Role.ADMIN}),
    # a reopen is an admin's act, approved by a finance operator named with it
    "periods.reopen": frozenset({Role.ADMIN}),
}

#: ASCII letters, digits and ``-_.`` only: no homoglyph (Cyrillic ``саshier``) can pass
#: for another operator, and no control or bidi character reaches the audit trail
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Actor:
    """The operator acting in this unit of work."""

    name: str
    role: str
    county_code: str | None


def authorise(conn: Connection, name: str | None, action: str) -> Actor:
    """The named, active operator, if their role may do ``action``; else refuse."""
    if not name:
        raise NotPermitted("operator.missing")
    op = conn.execute(select(_ops).where(_ops.c.name == name)).first()
    if op is None or not op.active:
        raise NotPermitted("operator.unknown", name=name)
    auth.check(conn, name)
    if op.role not in PERMISSIONS[action]:
        raise NotPermitted("operator.role_refused", name=name, role=op.role, action=action)
    return Actor(op.name, op.role, op.county_code)


def add(
    conn: Connection,
    actor: Actor | None,
    name: str,
    role: str,
    county_code: str | None = None,
) -> None:
    """Add an operator; ``actor`` is None only for the bootstrap admin (see ``bootstrap``)."""
    name = check_name(name)
    if role not in ROLES:
        raise InputError("operator.bad_role", role=role)
    if (role == Role.COUNTY) != bool(county_code):
        raise InputError(
            "operator.county_needed" if role == Role.COUNTY else "operator.county_only"
        )
    if county_code and conn.scalar(select(County.code).where(County.code == county_code)) is None:
        raise NotFound("county.unknown", code=county_code)
    if conn.scalar(select(Operator.id).where(Operator.name == name)) is not None:
        raise Conflict("operator.exists", name=name)
    by = actor.name if actor else name
    conn.execute(
        _ops.insert().values(
            name=name,
            role=role,
            county_code=county_code,
            active=True,
            created_by=by,
            created_at=utcnow(),
        )
    )
    audit.record(
        conn,
        by,
        "operators.add",
        object_type="operator",
        object_id=name,
        role=role,
        county=county_code,
    )


def check_name(name: str) -> str:
    """The operator name, stripped; refused unless 1-64 ASCII letters, digits or ._-."""
    name = name.strip()
    if not _NAME.match(name):
        raise InputError("operator.bad_name", name=name)
    return name


def bootstrap_admin(conn: Connection, name: str) -> bool:
    """Create the first admin if no operator exists yet; False if operators exist."""
    if conn.scalar(select(func.count()).select_from(Operator)):
        return False
    add(conn, None, name, Role.ADMIN)
    return True


def list_all(conn: Connection) -> list[dict[str, object]]:
    rows = conn.execute(select(_ops).order_by(_ops.c.name)).mappings().all()
    return [dict(r) for r in rows]

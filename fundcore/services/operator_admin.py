"""An admin's work on operators: adding and deactivating them, and managing their tokens.

Each use case authorises the acting admin first, then writes through the store (the
store's token functions trust that the caller has authorised). Nothing commits here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from fundcore.domain.errors import Conflict, NotFound, RuleBroken
from fundcore.domain.terms import Role
from fundcore.services import operators
from fundcore.store import audit, auth
from fundcore.store.models import Operator
from fundcore.store.tables import table_of

_ops = table_of(Operator)


@dataclass(frozen=True, slots=True)
class OperatorLine:
    """One operator as the list shows it."""

    name: str
    role: str
    county_code: str | None
    active: bool


def list_operators(conn: Connection) -> tuple[OperatorLine, ...]:
    """Every operator, by name. Open to every reader."""
    return tuple(
        OperatorLine(str(r["name"]), str(r["role"]), _text(r["county_code"]), bool(r["active"]))
        for r in operators.list_all(conn)
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def add_operator(
    conn: Connection, operator: str | None, name: str, role: str, county_code: str | None
) -> None:
    """Add an operator (admins only); a county operator is bound to its county."""
    actor = operators.authorise(conn, operator, "operators.add")
    operators.add(conn, actor, name, role, county_code)


def deactivate_operator(
    conn: Connection, operator: str | None, name: str, reason: str | None = None
) -> int:
    """Deactivate ``name`` (admins only): they can no longer act, and their tokens are revoked.

    The record stays (everything they did names them). The last active admin cannot be
    deactivated: the active admins are read under a lock (``FOR UPDATE`` on PostgreSQL;
    SQLite's write transaction holds the file), so two admins deactivating each other at
    once cannot leave none. Returns how many tokens were revoked.
    """
    actor = operators.authorise(conn, operator, "operators.deactivate")
    row = conn.execute(select(_ops).where(_ops.c.name == name)).first()
    if row is None:
        raise NotFound("operator.not_found", name=name)
    if not row.active:
        raise Conflict("operator.inactive_already", name=name)
    if row.role == Role.ADMIN:
        admins = conn.execute(
            select(_ops.c.name).where(_ops.c.role == Role.ADMIN, _ops.c.active).with_for_update()
        ).all()
        if len(admins) <= 1:
            raise RuleBroken("operator.last_admin", name=name)
    conn.execute(update(_ops).where(_ops.c.name == name).values(active=False))
    revoked = auth.revoke(conn, actor.name, name, quiet=True)
    audit.record(
        conn,
        actor.name,
        "operators.deactivate",
        object_type="operator",
        object_id=name,
        role=row.role,
        reason=reason,
        tokens_revoked=revoked,
    )
    return revoked


def issue_token(conn: Connection, operator: str | None, name: str) -> auth.Issued:
    """A new token for ``name``, revoking any older one (admins only)."""
    actor = operators.authorise(conn, operator, "operators.tokens")
    return auth.issue(conn, actor.name, name)


def revoke_tokens(conn: Connection, operator: str | None, name: str) -> int:
    """Revoke every token of ``name`` (admins only); how many were revoked."""
    actor = operators.authorise(conn, operator, "operators.tokens")
    return auth.revoke(conn, actor.name, name)


def require_tokens(conn: Connection, operator: str | None, on: bool) -> None:
    """Require (or stop requiring) every operator to present their token (admins only)."""
    actor = operators.authorise(conn, operator, "operators.tokens")
    auth.set_required(conn, actor.name, on)

"""An admin's work on operators: adding them and managing their tokens.

Each use case authorises the acting admin first, then writes through the store (the
store's token functions trust that the caller has authorised). Nothing commits here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from fundcore.services import operators
from fundcore.store import auth


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

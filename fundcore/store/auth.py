"""Operators prove who they are with admin-issued tokens.

A token looks like ``fc1.<id>.<secret>``: the id finds the record, the secret is
checked against a salted scrypt hash (hashlib.scrypt, n=2**14, r=8, p=1), so the
database never holds a usable secret. An admin issues (which also rotates: older
tokens of that operator are revoked), revokes, and switches the requirement on
(``fund operators require-tokens on``). While it is on, every command that names an
operator must present that operator's token (FUNDCORE_TOKEN, or a prompt on a
terminal); a failure is refused and recorded in ``auth_failures``.

On the embedded SQLite default, whoever can write the database file can do anything:
the file is protected by the operating system's permissions alone. Tokens there add
attribution (no one acts under another's name by typing it) and the failure log, not
protection against someone holding the file. On PostgreSQL the database roles and
row-level security (see the migration ``0006``) protect the data itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select, update

from fundcore.domain.errors import NotFound, NotPermitted
from fundcore.store import audit
from fundcore.store.clock import utcnow
from fundcore.store.models import AuthFailure, Operator, OperatorToken, Setting
from fundcore.store.tables import table_of

_tokens = table_of(OperatorToken)
_settings = table_of(Setting)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
REQUIRED_KEY = "auth.required"

#: where the CLI's token comes from (environment or prompt), asked only when needed
token_source: ContextVar[Callable[[], str | None] | None] = ContextVar("token_source", default=None)


class AuthFailed(NotPermitted):
    """The operator could not prove who they are; ``params['reason']`` says why."""


@dataclass(frozen=True, slots=True)
class Issued:
    operator: str
    token: str


def _hash(secret: str, salt: str) -> str:
    return hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), **_SCRYPT).hex()


def required(conn: Connection) -> bool:
    value = conn.scalar(select(_settings.c.value).where(_settings.c.key == REQUIRED_KEY))
    return value == "on"


def set_required(conn: Connection, admin: str, on: bool) -> None:
    """Switch the token requirement (the caller has authorised an admin)."""
    value = "on" if on else "off"
    if conn.scalar(select(_settings.c.key).where(_settings.c.key == REQUIRED_KEY)) is None:
        conn.execute(insert(_settings).values(key=REQUIRED_KEY, value=value))
    else:
        conn.execute(update(_settings).where(_settings.c.key == REQUIRED_KEY).values(value=value))
    audit.record(conn, admin, "auth.required", object_type="setting", object_id=value)


def issue(conn: Connection, admin: str, operator: str) -> Issued:
    """A new token for ``operator``; any older one is revoked (rotation)."""
    if conn.scalar(select(Operator.name).where(Operator.name == operator)) is None:
        raise NotFound("operator.unknown", name=operator)
    revoke(conn, admin, operator, quiet=True)
    token_id, secret, salt = secrets.token_hex(8), secrets.token_urlsafe(32), secrets.token_hex(16)
    conn.execute(
        insert(_tokens).values(
            token_id=token_id,
            operator=operator,
            salt=salt,
            hash=_hash(secret, salt),
            created_at=utcnow(),
            created_by=admin,
        )
    )
    audit.record(
        conn, admin, "auth.issue", object_type="operator", object_id=operator, token_id=token_id
    )
    return Issued(operator, f"fc1.{token_id}.{secret}")


def revoke(conn: Connection, admin: str, operator: str, quiet: bool = False) -> int:
    """Revoke every active token of ``operator``; how many were revoked."""
    n = conn.execute(
        update(_tokens)
        .where(_tokens.c.operator == operator, _tokens.c.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by=admin)
    ).rowcount
    if not quiet:
        audit.record(
            conn, admin, "auth.revoke", object_type="operator", object_id=operator, revoked=n
        )
    return n


def check(conn: Connection, operator: str) -> None:
    """Refuse unless the presented token is a live token of ``operator`` (when required)."""
    if not required(conn):
        return
    source = token_source.get()
    token = source() if source else None
    if not token:
        raise AuthFailed("auth.failed", name=operator, reason="no token")
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != "fc1":
        raise AuthFailed("auth.failed", name=operator, reason="malformed token")
    row = conn.execute(select(_tokens).where(_tokens.c.token_id == parts[1])).first()
    if row is None or row.operator != operator:
        raise AuthFailed("auth.failed", name=operator, reason="unknown token")
    if row.revoked_at is not None:
        raise AuthFailed("auth.failed", name=operator, reason="revoked token")
    if not hmac.compare_digest(_hash(parts[2], row.salt), row.hash):
        raise AuthFailed("auth.failed", name=operator, reason="wrong secret")


def log_failure(engine: Engine, operator: str, reason: str) -> None:
    """Record a failed attempt in a transaction of its own (the command wrote nothing)."""
    from fundcore.store.uow import UnitOfWork

    with UnitOfWork(engine) as uow:
        uow.conn.execute(
            insert(table_of(AuthFailure)).values(
                recorded_at=utcnow(), operator=operator[:64], reason=reason[:40]
            )
        )
        uow.commit()

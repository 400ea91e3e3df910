"""PostgreSQL login roles for operators: the database itself enforces who reads what.

Each operator role has a group role ``fundcore_<role>`` (made by the migrations) with
its grants; a login is put in its operator's group, and a county league's login is
mapped to its county so row-level security shows it that county only. Role names go
into DDL, which takes no bind parameters, so they are checked against a strict pattern
first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, text

from fundcore.domain.errors import InputError, NotFound, RuleBroken
from fundcore.domain.terms import Role
from fundcore.services.operators import authorise
from fundcore.store import audit
from fundcore.store.models import DbRoleCounty, Operator

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_operators = Operator.__table__


@dataclass(frozen=True, slots=True)
class LoginRole:
    """A login role made for an operator, and the group it was put in."""

    login: str
    group: str


def check_login(login: str) -> str:
    """The login, if it is a plain PostgreSQL identifier that is safe in DDL; else refuse."""
    if not _ROLE.match(login):
        raise InputError("role.bad_name", name=login)
    return login


def create_login_role(
    conn: Connection, operator: str | None, login: str, operator_name: str
) -> LoginRole:
    """A login role for ``operator_name`` in its role's group (admins; PostgreSQL only)."""
    check_login(login)
    if conn.dialect.name != "postgresql":
        raise RuleBroken("role.postgres_only")
    actor = authorise(conn, operator, "operators.add")
    op = conn.execute(select(_operators).where(_operators.c.name == operator_name)).first()
    if op is None:
        raise NotFound("operator.unknown", name=operator_name)
    group = f"fundcore_{Role(op.role)}"
    conn.execute(
        text(
            f"DO $$ BEGIN CREATE ROLE {login} LOGIN; EXCEPTION WHEN duplicate_object "
            "THEN NULL; END $$"
        )
    )
    conn.execute(text(f"GRANT {group} TO {login}"))
    if op.county_code:
        conn.execute(insert(DbRoleCounty).values(role_name=login, county_code=op.county_code))
    audit.record(
        conn, actor.name, "db.role", object_type="operator", object_id=operator_name, login=login
    )
    return LoginRole(login, group)

"""PostgreSQL keeps a county league's amendments to its own county (migration 0012).

Real connections under each login role, as in ``test_pg_roles``: a county role reads
and writes the amendments of its own county's applications only; an auditor reads them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.conftest import PG_URL, Fund
from tests.integration.test_pg_roles import _refused, _rows, roles

pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="FUNDCORE_TEST_PG is not set"),
    pytest.mark.xdist_group("server_roles"),
]
__all__ = ["roles"]  # the fixture, shared


def test_a_county_role_sees_only_its_own_amendments(roles: dict[str, Engine], pg_url: str):
    fund = Fund(pg_url)
    (sl_app,) = _rows(roles["sl"], "SELECT id FROM applications")[0]
    r = fund("return", str(sl_app), "--reason", "缺材料", "--date", "2019-06-05", "--as", "fin1")
    assert r.exit_code == 0, r.stderr
    r = fund(
        "applications",
        "amend",
        str(sl_app),
        "项目名称=香菇大棚",
        "--date",
        "2019-06-06",
        "--as",
        "sl",
    )
    assert r.exit_code == 0, r.stderr
    count = "SELECT count(*) FROM application_amendments"
    assert _rows(roles["sl"], count) == [(1,)]
    assert _rows(roles["lq"], count) == [(0,)]
    assert _rows(roles["aud"], count) == [(1,)]
    _refused(
        roles["lq"],
        "INSERT INTO application_amendments (application_id, county_code, business_date,"
        " operator, recorded_at, policy_version, changes, before, before_hash)"
        f" VALUES ({sl_app}, '141126', '2019-06-07', 'lq', now(), 1, '{{}}', '{{}}', 'h')",
        "row-level security",
    )
    _refused(roles["sl"], "DELETE FROM application_amendments", "permission denied")

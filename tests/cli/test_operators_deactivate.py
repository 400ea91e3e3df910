"""Issue 16.9: ``fund operators deactivate NAME --as ADMIN``; before, only possible by SQL.

Audited; the operator can no longer act and their tokens are revoked; the last active
admin cannot be deactivated. On both databases (the admin's grants and the lock on the
admins differ between them).
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from fundcore.store.models import AuditRecord
from tests.cli.helpers import Typed, as_json, ok, refused_unchanged


def test_a_deactivated_operator_can_no_longer_act(ready: Typed, eng: Engine) -> None:
    issued = as_json(ready("--json operators token issue alice --as root"))
    assert issued["ok"]
    result = ok(ready("operators deactivate alice --reason 离职 --as root"))
    assert result.stdout == "已停用操作员 alice（吊销令牌 1 个）\n"
    listed = {o["name"]: o["active"] for o in as_json(ready("--json operators list"))}
    assert listed == {"alice": False, "audrey": True, "root": True}
    refused_unchanged(ready, eng, "donations record --amount 5 --donor x --date 2019-01-02 "
                      "--as alice", "operator.unknown", "zh", name="alice")  # fmt: skip
    with eng.connect() as conn:
        row = conn.execute(
            select(AuditRecord).where(AuditRecord.action == "operators.deactivate")
        ).one()
    assert (row.operator, row.object_type, row.object_id) == ("root", "operator", "alice")
    assert "离职" in str(row.details)


def test_deactivate_in_english_and_as_json(ready: Typed) -> None:
    assert ok(ready("--lang en operators deactivate audrey --as root")).stdout == (
        "deactivated operator audrey (0 token(s) revoked)\n"
    )
    ok(ready("operators add bob --role auditor --as root"))
    doc = as_json(ready("--json operators deactivate bob --as root"))
    assert doc == {"ok": True, "name": "bob", "active": False, "tokens_revoked": 0}


def test_the_last_active_admin_cannot_be_deactivated(ready: Typed, eng: Engine) -> None:
    refused_unchanged(ready, eng, "operators deactivate root --as root",
                      "operator.last_admin", "zh", name="root")  # fmt: skip
    result = ready("--lang en operators deactivate root --as root")
    assert result.stderr == (
        "root is the last active admin and cannot be deactivated; add another admin first\n"
    )
    ok(ready("operators add root2 --role admin --as root"))
    ok(ready("operators deactivate root --as root2"))
    assert ready("operators deactivate root2 --as root2").stderr == (
        "root2 是最后一位在用的管理员，不能停用；请先添加另一位管理员\n"
    )


def test_deactivate_refusals(ready: Typed, eng: Engine) -> None:
    refused_unchanged(ready, eng, "operators deactivate alice --as audrey",
                      "operator.role_refused", "zh", name="audrey", role="auditor",
                      action="operators.deactivate")  # fmt: skip
    refused_unchanged(ready, eng, "operators deactivate nobody --as root",
                      "operator.not_found", "zh", name="nobody")  # fmt: skip
    assert ready("--lang en operators deactivate nobody --as root").stderr == (
        "no such operator: nobody\n"
    )
    ok(ready("operators deactivate alice --as root"))
    refused_unchanged(ready, eng, "operators deactivate alice --as root",
                      "operator.inactive_already", "zh", name="alice")  # fmt: skip
    assert ready("operators deactivate alice --as root").stderr == "操作员已是停用状态：alice\n"

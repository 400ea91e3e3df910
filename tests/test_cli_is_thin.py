"""The edges stay thin: the CLI parses, calls a service and prints; reports only render.

No command runs SQL or reaches past the services into the ledger, the audit trail or the
tables: ``cli/*.py`` imports nothing of SQLAlchemy (but for the two uses listed in
``SQLALCHEMY_ALLOWED``: mapping database errors to exit codes, and making the engine
from the URL) and none of ``fundcore.store.models``, ``journal`` or ``audit``, and calls
no ``select()``, ``insert()``, ``update()``, ``delete()``, ``text()`` or ``execute()``.
A report renders a statement the core computed: ``reports/*.py`` imports from fundcore
only the statement model and the pure domain.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: cli file -> the SQLAlchemy names it may import, and why
SQLALCHEMY_ALLOWED: dict[str, set[str]] = {
    # database trouble becomes one line and exit code 1
    "main.py": {
        "sqlalchemy.exc.IntegrityError",
        "sqlalchemy.exc.OperationalError",
        "sqlalchemy.exc.SQLAlchemyError",
    },
    # the engine for --db
    "context.py": {"sqlalchemy.Engine"},
}
#: what a command must reach only through a service
BEHIND_SERVICES = ("fundcore.store.models", "fundcore.store.journal", "fundcore.store.audit")
#: SQL built or run: bare calls (``select(...)``) ...
SQL_CALLS = {"select", "insert", "update", "delete", "text"}
#: ... and methods: ``table.insert()`` (no arguments, unlike ``list.insert(i, x)``) ...
SQL_METHODS_BARE = {"select", "insert", "update", "delete"}
#: ... and running any statement
SQL_RUNNERS = {"execute", "exec_driver_sql", "scalar", "scalars"}
#: what a report may import from fundcore
REPORTS_MAY_IMPORT = re.compile(r"^fundcore\.(domain|statements\.model\w*)(\.|$)")


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every name a module imports, in full (``from a.b import c`` gives ``a.b.c``),
    including imports inside functions."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _within(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


def _sql_call(node: ast.Call) -> str | None:
    fn = node.func
    if isinstance(fn, ast.Name) and fn.id in SQL_CALLS:
        return f"{fn.id}()"
    if isinstance(fn, ast.Attribute):
        if fn.attr in SQL_RUNNERS:
            return f".{fn.attr}()"
        if fn.attr in SQL_METHODS_BARE and not node.args and not node.keywords:
            return f".{fn.attr}()"
    return None


def cli_problems(source: str, filename: str) -> list[str]:
    """What makes a CLI module more than parse, call a service, print."""
    tree = ast.parse(source, filename)
    allowed = SQLALCHEMY_ALLOWED.get(filename, set())
    wrong = [
        (line, f"imports {name}")
        for line, name in imported(tree)
        if (_within(name, "sqlalchemy") and name not in allowed)
        or any(_within(name, m) for m in BEHIND_SERVICES)
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (call := _sql_call(node)):
            wrong.append((node.lineno, f"calls {call}"))
    return [f"line {line}: {what}" for line, what in sorted(wrong)]


def report_problems(source: str, filename: str) -> list[str]:
    """What a report imports from fundcore beyond the statement model and the domain."""
    tree = ast.parse(source, filename)
    return [
        f"line {line}: imports {name}"
        for line, name in imported(tree)
        if _within(name, "fundcore") and not REPORTS_MAY_IMPORT.match(name)
    ]


@pytest.mark.parametrize("path", sorted((ROOT / "cli").glob("*.py")), ids=lambda p: p.name)
def test_cli_parses_calls_a_service_and_prints(path: Path) -> None:
    assert cli_problems(path.read_text(encoding="utf-8"), path.name) == []


@pytest.mark.parametrize("path", sorted((ROOT / "reports").rglob("*.py")), ids=lambda p: p.name)
def test_reports_only_render_the_statement_model(path: Path) -> None:
    assert report_problems(path.read_text(encoding="utf-8"), path.name) == []


def test_the_exceptions_are_the_listed_ones() -> None:
    """Every allowance names a file that exists and a name that file still imports."""
    for filename, names in SQLALCHEMY_ALLOWED.items():
        tree = ast.parse((ROOT / "cli" / filename).read_text(encoding="utf-8"))
        assert names <= {name for _, name in imported(tree)}, filename


def test_the_checks_can_fail() -> None:
    """SQL, a store import or a reach into the ledger in a command is found; a list's
    ``insert(i, x)`` and a dict's ``update(...)`` are not SQL."""
    command = (
        "from sqlalchemy import select\n"
        "from fundcore.store import journal\n"
        "from fundcore.store.models import Facility\n"
        "import sqlalchemy.exc\n"
        "def cmd(uow, problems, kw):\n"
        "    problems.insert(0, 'x')\n"
        "    kw.update(a=1)\n"
        "    uow.conn.execute(select(Facility))\n"
        "    return Facility.__table__.insert()\n"
    )
    assert cli_problems(command, "servicing_cmds.py") == [
        "line 1: imports sqlalchemy.select",
        "line 2: imports fundcore.store.journal",
        "line 3: imports fundcore.store.models.Facility",
        "line 4: imports sqlalchemy.exc",
        "line 8: calls .execute()",
        "line 8: calls select()",
        "line 9: calls .insert()",
    ]
    mapping = "from sqlalchemy.exc import IntegrityError\nfrom sqlalchemy import select\n"
    assert cli_problems(mapping, "main.py") == ["line 2: imports sqlalchemy.select"]
    report = (
        "from fundcore.statements.model import FundStatement\n"
        "from fundcore.domain.money import format_fen\n"
        "from fundcore.store.uow import UnitOfWork\n"
        "from fundcore.statements import fund\n"
        "import fundcore\n"
    )
    assert report_problems(report, "fund_statement.py") == [
        "line 3: imports fundcore.store.uow.UnitOfWork",
        "line 4: imports fundcore.statements.fund",
        "line 5: imports fundcore",
    ]

"""The house in layers, kept so: what each room of ``fundcore`` may import.

From the bottom up: ``messages`` (user texts) ← ``domain`` (pure rules and values) ←
``store`` (database) and ``intake`` (reading input) ← ``services`` (use cases) ←
``statements`` (what auditors read). Nothing in the core imports the demo, the CLI or
the reports, and no module of fundcore imports itself round a circle. The domain is
pure: no database, no files, no clock, no user interface.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "fundcore"

#: room -> the rooms of fundcore it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "messages": set(),
    "domain": {"messages"},
    "store": {"domain", "messages"},
    "intake": {"domain", "messages"},
    "services": {"domain", "messages", "store", "intake"},
    "statements": {"domain", "messages", "store", "intake", "services"},
    "demo": {"domain", "messages", "store", "intake", "services", "statements"},
}
#: third-party packages the pure domain must never touch
IMPURE = ("sqlalchemy", "alembic", "psycopg", "click", "reportlab", "openpyxl", "sqlite3")
#: standard-library modules that mean files, processes or the clock
WORLDLY = ("os", "io", "pathlib", "shutil", "subprocess", "time", "tempfile", "socket")
#: calls that read the clock
CLOCK = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module a file imports (absolute names, including imports inside functions
    and under TYPE_CHECKING), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def room(module: str) -> str | None:
    """``fundcore.services.claims`` -> 'services'; the package itself has no room."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "fundcore" else None


def test_every_module_is_in_a_room() -> None:
    loose = [
        module_name(p)
        for p in core_files()
        if room(module_name(p)) not in ALLOWED and p.parent != CORE
    ]
    top = sorted(p.name for p in CORE.glob("*.py"))
    assert loose == [] and top == ["__init__.py"], (loose, top)


def test_rooms_import_only_downwards() -> None:
    wrong = []
    for path in core_files():
        here = room(module_name(path))
        if here is None:
            continue
        for line, name in imports(path):
            there = room(name) if name.startswith("fundcore.") else None
            if there is None or there == here or there not in ALLOWED:
                continue
            if there not in ALLOWED[here]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({here}) imports {name} ({there})")
    assert wrong == []


def test_core_never_imports_demo_cli_or_reports() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in core_files()
        if room(module_name(path)) != "demo"
        for line, name in imports(path)
        if name.split(".")[0] in ("cli", "reports", "bench", "tests")
        or name.startswith("fundcore.demo")
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "path", [p for p in core_files() if room(module_name(p)) in ("domain", "messages")], ids=str
)
def test_domain_is_pure(path: Path) -> None:
    """No database, user interface, files, processes or clock in the domain (or messages)."""
    wrong = [
        f"line {line}: imports {name}"
        for line, name in imports(path)
        if name.split(".")[0] in IMPURE + WORLDLY
        or (name.startswith("fundcore.") and room(name) not in ("domain", "messages"))
    ]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Name) and fn.id == "open":
                wrong.append(f"line {node.lineno}: open()")
            if (
                isinstance(fn, ast.Attribute)
                and isinstance(fn.value, ast.Name)
                and (fn.value.id, fn.attr) in CLOCK
            ):
                wrong.append(f"line {node.lineno}: {fn.value.id}.{fn.attr}() reads the clock")
    assert wrong == []


def test_no_import_cycles() -> None:
    """Tarjan's strongly connected components over fundcore's module graph: none larger
    than one module (a package's ``__init__`` importing its own modules is no cycle)."""
    modules = {module_name(p): p for p in core_files()}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for _, name in imports(path):
            target = name if name in modules else name.rpartition(".")[0]
            if target in modules and target != module and not module.startswith(target + "."):
                graph[module].add(target)
    cycles = [c for c in strongly_connected(graph) if len(c) > 1]
    assert cycles == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a two-module circle is found."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert [c for c in strongly_connected(graph) if len(c) > 1] == [["a", "b"]]

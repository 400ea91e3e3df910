"""Issue 17 item 10: what every command pays before doing anything.

``fund --help``, ``fund COMMAND --help`` and a simple read import neither Alembic, nor
cn2an, nor reportlab, nor the statements or the demo: each is imported by the commands
that use it. Checked in a fresh interpreter, as a user's command starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fundcore.store import schema

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("alembic", "cn2an", "reportlab", "fundcore.demo.programme", "fundcore.statements.county")
PROBE = """
import sys
from cli.main import fund
try:
    fund(args=sys.argv[1:], prog_name="fund")
except SystemExit:
    pass
print(",".join(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _loaded(args: list[str], cwd: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = PROBE.format(heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=cwd, capture_output=True, text=True
    )
    assert "Traceback" not in done.stderr, done.stderr
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return [m for m in last.split(",") if m]


@pytest.mark.parametrize(
    "args", [["--help"], ["applications", "--help"], ["statement", "fund", "--help"]]
)
def test_help_imports_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    assert _loaded(args, tmp_path) == []


def test_a_simple_read_imports_nothing_heavy(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-c", "from cli.main import main; main()", "init", "--admin", "root"],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert _loaded(["capacity", "--date", "2019-06-01"], tmp_path) == []


def test_the_head_read_from_the_files_is_alembics() -> None:
    """The quick reading of the migrations' head agrees with Alembic's own."""
    assert schema.head_revision() == schema._alembic_head()

"""The repository itself: no merge left half done in a file anyone reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)
TEXT = ("*.py", "*.md", "*.toml", "*.ini", "*.cfg", "*.sh", "*.txt", "*.csv")


def test_no_file_holds_merge_conflict_markers() -> None:
    skip = {".venv", ".git", "node_modules"}
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for pattern in TEXT
        for path in ROOT.rglob(pattern)
        if not skip & set(path.relative_to(ROOT).parts)
        for text in [path.read_text(encoding="utf-8", errors="replace")]
        for m in MARKER.finditer(text)
    ]
    assert not found, f"merge conflict markers left in: {found}"

"""The repository itself: no merge left half done in a file anyone reads."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)
TEXT = (".py", ".md", ".toml", ".ini", ".cfg", ".sh", ".txt", ".csv", ".mako")


def _tracked() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout
    return [ROOT / name for name in listed.split("\0") if name.endswith(TEXT)]


def test_no_file_holds_merge_conflict_markers() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in _tracked()
        if path.exists()
        for text in [path.read_text(encoding="utf-8", errors="replace")]
        for m in MARKER.finditer(text)
    ]
    assert not found, f"merge conflict markers left in: {found}"

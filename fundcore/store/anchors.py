"""The anchors file: signed (seq, hash, date) points of the chain, one JSON line each.

Append-only by use: lines are only ever added (an anchor already there is not written
twice), the file is created 0600 with a header line naming the public key, and every
line carries its own signature, so a line edited or added without the key fails
``check``. By default the file sits beside a SQLite ``fund.db`` as ``fund.db.anchors``;
``FUNDCORE_ANCHORS`` puts it elsewhere (on PostgreSQL it must be given). An auditor
keeps a copy: anchors they hold prove the history before them was not rewritten.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from fundcore.domain import anchors as rules
from fundcore.domain.anchors import Anchor, SignedAnchor
from fundcore.domain.errors import InputError
from fundcore.store import keys
from fundcore.store.models import JournalEntry
from fundcore.store.tables import table_of

ANCHORS_SUFFIX = ".anchors"
_entries = table_of(JournalEntry)


@dataclass(frozen=True, slots=True)
class Place:
    """Where the signing key and the anchors file are (None: not configured)."""

    key: Path | None
    anchors: Path | None


def place_for(database: Path | None, key: str | None, anchors: str | None) -> Place:
    """The configured paths, or for a SQLite database the files beside it."""
    beside = (lambda suffix: Path(f"{database}{suffix}")) if database else (lambda _s: None)
    return Place(
        Path(key) if key else beside(keys.KEY_SUFFIX),
        Path(anchors) if anchors else beside(ANCHORS_SUFFIX),
    )


def sign(key_path: Path, anchor: Anchor) -> SignedAnchor:
    key = keys.load(key_path)
    rules.check_anchor(anchor)
    return SignedAnchor(anchor, keys.public_hex(key), keys.sign(key, rules.signed_bytes(anchor)))


def append(path: Path, signed: SignedAnchor) -> bool:
    """Add ``signed`` to the anchors file (made 0600 with its header); False if there."""
    line = rules.to_line(signed)
    if path.exists():
        if line in path.read_text(encoding="utf-8").splitlines():
            return False
        text = line + "\n"
    else:
        text = rules.header_line(signed.public_key) + "\n" + line + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    return True


def is_anchors_file(path: Path) -> bool:
    try:
        with path.open("r", encoding="utf-8") as fh:
            return rules.header_key(fh.readline()) is not None
    except (OSError, UnicodeDecodeError):
        return False


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem with an anchor: a ``verify.*`` code and its parameters."""

    code: str
    params: dict[str, object]


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("anchors.no_file", file=str(path)) from None
    except (OSError, UnicodeDecodeError):
        raise InputError("anchors.unreadable", file=str(path)) from None
    for no, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield no, line


def check(conn: Connection, path: Path, trusted_key: str | None) -> tuple[int, list[Finding]]:
    """How many anchors ``path`` holds, and every one that fails: unreadable, not signed
    by the trusted key (the signing key's, else the file header's), or whose (seq, hash)
    is no longer on the chain (the entry gone, or holding another hash)."""
    found: list[Finding] = []
    lines = list(_lines(path))
    if not lines or rules.header_key(lines[0][1]) is None:
        raise InputError("anchors.not_anchors", file=str(path))
    trusted = trusted_key or rules.header_key(lines[0][1])
    signed: list[tuple[int, SignedAnchor]] = []
    for no, line in lines[1:]:
        try:
            signed.append((no, rules.from_line(line, no)))
        except InputError:
            found.append(Finding("verify.anchor_unreadable", {"line": no}))
    hashes = _hashes(conn, {s.anchor.seq for _, s in signed})
    for no, s in signed:
        a = s.anchor
        where = {"line": no, "seq": a.seq, "date": a.day.isoformat(), "source": a.source}
        if s.public_key != trusted or not keys.valid(
            s.public_key, rules.signed_bytes(a), s.signature
        ):
            found.append(Finding("verify.anchor_signature", where))
        elif a.seq not in hashes:
            found.append(Finding("verify.anchor_missing", where))
        elif hashes[a.seq] != a.hash:
            found.append(Finding("verify.anchor_rewritten", {**where, "hash": a.hash[:16]}))
    return len(signed), found


def _hashes(conn: Connection, seqs: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ordered = sorted(seqs)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        for seq, digest in conn.execute(
            select(_entries.c.seq, _entries.c.hash).where(_entries.c.seq.in_(chunk))
        ):
            out[int(seq)] = str(digest)
    return out


def trusted_key(place: Place) -> str | None:
    """The public key of the signing key, where this machine holds it."""
    if place.key is None or not place.key.exists():
        return None
    return keys.public_hex(keys.load(place.key))

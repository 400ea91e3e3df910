"""Anchors: points of the hash chain (seq, hash, date) signed outside the database.

The chain alone proves only that the journal is consistent with itself: whoever can
write the database can recompute every hash from a changed entry onwards, and the
result verifies. An anchor records, at a moment worth remembering (a period close, a
statement, ``fund ledger anchor``), which hash entry ``seq`` had then, signed with a
key the database does not hold. Later, ``fund ledger verify --anchors FILE`` fails if
any anchored (seq, hash) is no longer on the chain, so history before an anchor kept
by an auditor cannot be rewritten unseen.

Pure: what is signed (``signed_bytes``) and how one line of an anchors file reads and
writes. The signing itself is the store's (``fundcore.store.keys``). The signed bytes
hold no wall-clock time, so the same anchor signs the same (Ed25519 is deterministic)
and a statement printing its anchor stays the same file when produced again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from fundcore.domain.errors import InputError

#: first line of every anchors file: what it is, and the public key its lines verify with
HEADER_KEY = "fundcore_anchors"
VERSION = 1
SCHEME = "Ed25519 over 'fundcore-anchor-v1|seq|hash|date|source'"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX128 = re.compile(r"^[0-9a-f]{128}$")
_SOURCE = re.compile(r"^[a-z0-9:._-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Anchor:
    """Entry ``seq`` had ``hash`` when anchored, for business date ``day``, by ``source``
    (``period:2019-12``, ``statement:fund:2019-12-31``, ``manual``)."""

    seq: int
    hash: str
    day: date
    source: str


@dataclass(frozen=True, slots=True)
class SignedAnchor:
    """An anchor with its signature and the public key (hex) that made it."""

    anchor: Anchor
    public_key: str
    signature: str


def signed_bytes(anchor: Anchor) -> bytes:
    """What the key signs: every field of the anchor, nothing of the wall clock."""
    text = f"fundcore-anchor-v1|{anchor.seq}|{anchor.hash}|{anchor.day.isoformat()}|"
    return (text + anchor.source).encode("ascii")


def check_anchor(anchor: Anchor) -> Anchor:
    """An anchor names an entry (seq ≥ 1), a SHA-256 hex hash and a plain source."""
    if anchor.seq < 1 or not _HEX64.match(anchor.hash) or not _SOURCE.match(anchor.source):
        raise InputError("anchors.bad_anchor", seq=anchor.seq, source=anchor.source)
    return anchor


def header_line(public_key: str) -> str:
    return json.dumps({HEADER_KEY: VERSION, "scheme": SCHEME, "public_key": public_key})


def to_line(signed: SignedAnchor) -> str:
    a = signed.anchor
    return json.dumps(
        {
            "seq": a.seq,
            "hash": a.hash,
            "date": a.day.isoformat(),
            "source": a.source,
            "public_key": signed.public_key,
            "signature": signed.signature,
        },
        sort_keys=True,
    )


def header_key(line: str) -> str | None:
    """The public key a header line names (None if the line is no anchors header)."""
    try:
        doc = json.loads(line)
    except ValueError:
        return None
    if not isinstance(doc, dict) or doc.get(HEADER_KEY) != VERSION:
        return None
    key = doc.get("public_key")
    return key if isinstance(key, str) and _HEX64.match(key) else None


def from_line(line: str, line_no: int) -> SignedAnchor:
    """One anchor line; InputError naming the line if it is not one."""
    try:
        doc = json.loads(line)
        signed = SignedAnchor(
            check_anchor(
                Anchor(int(doc["seq"]), str(doc["hash"]), date.fromisoformat(doc["date"]),
                       str(doc["source"]))
            ),
            str(doc["public_key"]),
            str(doc["signature"]),
        )  # fmt: skip
    except (ValueError, KeyError, TypeError, InputError):
        raise InputError("anchors.bad_line", line=line_no) from None
    if not _HEX64.match(signed.public_key) or not _HEX128.match(signed.signature):
        raise InputError("anchors.bad_line", line=line_no)
    return signed

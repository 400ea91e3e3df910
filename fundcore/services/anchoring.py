"""Anchoring the ledger: signing chain points into the anchors file, and checking them.

``fund init`` makes the signing key; a period close and every statement anchor the
chain on their own (when the key is at hand: an auditor without it still gets the
statement, unanchored); ``fund ledger anchor --date D`` anchors the head now;
``fund ledger verify --anchors FILE`` checks an anchors file against the chain.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection

from fundcore.domain.anchors import Anchor, SignedAnchor
from fundcore.domain.errors import InputError, RuleBroken
from fundcore.services.operators import authorise
from fundcore.store import anchors, audit, journal, keys
from fundcore.store.anchors import Finding, Place


def make_key(place: Place) -> Path | None:
    """``fund init``: the signing key, made if missing; its path (None if not configured)."""
    if place.key is None:
        return None
    keys.create(place.key)
    return place.key


@dataclass(frozen=True, slots=True)
class Anchored:
    signed: SignedAnchor
    file: Path
    added: bool


def anchor_head(conn: Connection, operator: str | None, place: Place, day: date) -> Anchored:
    """``fund ledger anchor``: sign the chain's head for business date ``day`` (audited)."""
    actor = authorise(conn, operator, "ledger.anchor")
    if place.key is None or place.anchors is None:
        raise InputError("anchors.not_configured")
    seq, digest = journal.head(conn)
    if seq == 0:
        raise RuleBroken("anchors.empty_ledger")
    signed = anchors.sign(place.key, Anchor(seq, digest, day, "manual"))
    added = anchors.append(place.anchors, signed)
    audit.record(
        conn, actor.name, "ledger.anchor", object_type="entry", object_id=seq,
        business_date=day, hash=digest, file=str(place.anchors),
    )  # fmt: skip
    return Anchored(signed, place.anchors, added)


def sign_point(place: Place, seq: int, digest: str, day: date, source: str) -> SignedAnchor | None:
    """The signed anchor of a close or statement; None where no key is at hand (an
    auditor's machine, or a key only its owner may read) or no entry to anchor yet."""
    if seq < 1 or place.key is None or not os.access(place.key, os.R_OK):
        return None
    return anchors.sign(place.key, Anchor(seq, digest, day, source))


def keep(place: Place, signed: SignedAnchor | None) -> Path | None:
    """Append ``signed`` to the anchors file; the file's path (None if nothing kept, as
    where the folder may not be written: the statement or close stands without it)."""
    if signed is None or place.anchors is None:
        return None
    try:
        anchors.append(place.anchors, signed)
    except OSError:
        return None
    return place.anchors


def check(conn: Connection, place: Place, file: Path) -> tuple[int, list[Finding]]:
    """Every anchor in ``file`` against the chain, trusting this machine's key if it has it."""
    return anchors.check(conn, file, anchors.trusted_key(place))

"""The Ed25519 key that signs ledger anchors, kept in a file outside the database.

``fund init`` makes it (mode 0600, PEM, PKCS#8) unless it exists; whoever holds it can
sign anchors, so it belongs with the Foundation's administrator, not with the database:
by default it sits beside a SQLite ``fund.db`` as ``fund.db.signing-key`` (so the
output-path rules protect it), and ``FUNDCORE_SIGNING_KEY`` puts it anywhere else (on
PostgreSQL it must be given). Only the public key (hex of its 32 raw bytes) goes into
anchors files and statements.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from fundcore.domain.errors import InputError

#: how a PEM private key file starts (an output path never replaces one)
PEM_PRIVATE = b"-----BEGIN PRIVATE KEY-----"
KEY_SUFFIX = ".signing-key"


def create(path: Path) -> bool:
    """Make a new key at ``path`` (0600) unless a file is there; True if made."""
    if path.exists():
        return False
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("out.no_folder", folder=str(folder), file=str(path))
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return True


def load(path: Path) -> Ed25519PrivateKey:
    """The private key at ``path``; InputError if there is none or it is not one."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise InputError("anchors.no_key", file=str(path)) from None
    except (OSError, ValueError, TypeError):
        raise InputError("anchors.bad_key", file=str(path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError("anchors.bad_key", file=str(path))
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return key.sign(message).hex()


def valid(public_key: str, message: bytes, signature: str) -> bool:
    """Does ``signature`` (hex) sign ``message`` under ``public_key`` (hex)?"""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def is_private_key_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(PEM_PRIVATE)) == PEM_PRIVATE
    except OSError:
        return False

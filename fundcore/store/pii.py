"""Personal data at rest: AES-256-GCM for the values, HMAC-SHA256 for look-ups.

A ``Sealed`` column holds a value encrypted with a fresh random nonce, bound (as
associated data) to the column it belongs to, so a ciphertext copied into another
column or altered does not decrypt. Encryption and decryption happen as SQLAlchemy
binds and reads the value: services and bulk Core inserts write and read plain text,
the database only ever sees ciphertext. A sealed value cannot be compared in SQL (the
same number encrypts differently every time; comparing raises): equality look-ups go
through the column's keyed hash (``blind``), which the table stores beside it.

The key is the engine's: ``make_engine`` attaches a ``KeyRing`` for the database's key
file (``store.pii_key``) to the engine's dialect, which every bind and read is given.
The file is read on the first use, so commands that never touch personal data (ledger,
statements of totals) run without it. An engine made otherwise has no key: its sealed
columns refuse to be written or read.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, Engine, String, Text, event, func, inspect, select, table
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from fundcore.domain.errors import InputError, IntegrityBroken
from fundcore.store import pii_key

#: the dialect attribute carrying the engine's key ring
_ATTR = "fundcore_pii"
#: a sealed value's text starts with this (the format's version)
_PREFIX = "v1:"
_NONCE = 12


class Cipher:
    """Seal, open and blind with one key file's keys."""

    def __init__(self, keys: pii_key.Keys) -> None:
        self._aead = AESGCM(keys.seal)
        self._lookup = keys.lookup
        self.file = keys.file

    def seal(self, value: str, purpose: str) -> str:
        """``value`` encrypted for the column ``purpose`` (text: version, base64)."""
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), purpose.encode("ascii"))
        return _PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, token: str, purpose: str) -> str:
        """The value ``seal`` made; refused if it was altered, moved or sealed by another key."""
        try:
            if not token.startswith(_PREFIX):
                raise ValueError(token[:0])
            body = token[len(_PREFIX) :]
            raw = base64.b64decode(body, validate=True)
            if base64.b64encode(raw).decode("ascii") != body:  # one text per ciphertext
                raise ValueError(body[:0])
            plain = self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], purpose.encode("ascii"))
            return plain.decode("utf-8")
        except (InvalidTag, ValueError, binascii.Error):
            raise IntegrityBroken(
                "pii.undecryptable", column=purpose, file=str(self.file)
            ) from None

    def blind(self, value: str) -> str:
        """The keyed hash of a value (hex): equal values, equal hashes; without the key,
        no way back to the value, nor to test a guess."""
        return hmac.digest(self._lookup, value.encode("utf-8"), "sha256").hex()

    def content_hash(self, digest: str) -> str:
        """An application's content hash (``ApplicationIn.content_hash``) keyed: the plain
        SHA-256 of content holding an ID and a phone number would let anyone holding the
        database test guesses of them (the rest of the content is stored beside it)."""
        message = b"content-hash:" + digest.encode("ascii")
        return hmac.digest(self._lookup, message, "sha256").hex()


class KeyRing:
    """An engine's key file, read on first use (``None``: no place for it is known)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._cipher: Cipher | None = None

    def cipher(self) -> Cipher:
        if self._cipher is None:
            self._cipher = Cipher(pii_key.load(self.path))
        return self._cipher

    def exists(self) -> bool:
        return self.path is not None and self.path.is_file()

    def forget(self, *_args: Any) -> None:
        """Read the file again when next needed (a fund made anew, ``demo --force``, has
        a new key beside its new database)."""
        self._cipher = None


def attach(engine: Engine, path: Path | None) -> None:
    """Give ``engine`` the key file at ``path`` (``make_engine`` does, for every engine),
    read again after each new database connection."""
    keys = KeyRing(path)
    setattr(engine.dialect, _ATTR, keys)
    event.listen(engine, "connect", keys.forget)


def ring(bind: Connection | Engine | Dialect) -> KeyRing:
    """The key ring of an engine, a connection or a dialect (an empty one if none)."""
    dialect = bind if isinstance(bind, Dialect) else bind.dialect
    found = getattr(dialect, _ATTR, None)
    return found if isinstance(found, KeyRing) else KeyRing(None)


def cipher(bind: Connection | Engine | Dialect) -> Cipher:
    """The cipher of the database ``bind`` is on (refused if its key is not there)."""
    return ring(bind).cipher()


def ensure_key(engine: Engine) -> Path | None:
    """Make the database's key file if it has none (``fund init``); the file made, or
    None if there was one. Refused where no place for it is known, and where the
    database already holds encrypted data: a new key would not open it, so the old one
    must be put back, never replaced."""
    keys = ring(engine)
    if keys.path is None:
        raise InputError("pii.key_unplaced", env=pii_key.ENV)
    if keys.exists():
        return None
    if _holds_sealed_data(engine):
        raise IntegrityBroken("pii.key_lost", file=str(keys.path))
    pii_key.create(keys.path)
    return keys.path


def _holds_sealed_data(engine: Engine) -> bool:
    """Does the database hold personal data encrypted (schema 0019_pii or later, rows)?"""
    with engine.connect() as conn:
        found = inspect(conn)
        if not found.has_table("applicants"):
            return False
        if "id_number_hmac" not in {c["name"] for c in found.get_columns("applicants")}:
            return False  # plain text still: the upgrade encrypts it under the new key
        return any(
            conn.scalar(select(func.count()).select_from(table(name)))
            for name in ("applicants", "applications", "application_employees")
        )


def blind(bind: Connection | Engine | Dialect, value: str) -> str:
    """The keyed look-up hash of ``value`` under the database's key."""
    return cipher(bind).blind(value)


class _Sealed(TypeDecorator[str]):
    """Text stored encrypted for one column (``purpose``, e.g. ``applicants.id_number``)."""

    cache_ok = True

    def __init__(self, purpose: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher(dialect).seal(value, self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher(dialect).open(value, self.purpose)

    class comparator_factory(TypeDecorator.Comparator[str]):  # noqa: N801 (SQLAlchemy's name)
        """Comparing ciphertexts means nothing: refuse, so no look-up silently finds none."""

        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            raise TypeError("a sealed column cannot be compared in SQL: use its keyed hash")

        def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
            raise TypeError("a sealed column cannot be compared in SQL: use its keyed hash")


class Sealed(_Sealed):
    """A short value (ID or phone number) stored encrypted: ``String(96)`` in the database.

    On SQLite, which ignores declared lengths, the columns keep the length they were
    created with (changing it there would mean rebuilding tables that others refer to):
    there the type is a ``VARCHAR`` of no stated length, which ``fund db check`` takes
    as agreeing with any."""

    impl = String
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__(purpose, SEALED_LENGTH)

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(String(SEALED_LENGTH))


class SealedText(_Sealed):
    """A longer text (a JSON document holding personal data) stored encrypted."""

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__(purpose)


#: room for a sealed value of up to 40 bytes of UTF-8 (prefix, base64 of nonce, text, tag)
SEALED_LENGTH = 96
#: a keyed hash's length (hex SHA-256)
BLIND_LENGTH = 64

"""The personal-data key: where it lives, how it is made, how it is read.

ID and phone numbers are stored encrypted (``fundcore.store.pii``) under a key that is
never in the database, so the database file, a backup of it or a ``pg_dump`` read by
someone without the key holds no ID or phone number (个人信息保护法 art. 51).

Where the key is: the file ``FUNDCORE_PII_KEY`` names, if set; else, for a SQLite
database, the file beside it named after it with ``.pii-key`` (``fund.db.pii-key``),
which ``fund backup`` does not copy and which no ``--out`` may overwrite (it is "a file
named after the database beside it", ``store.paths``). PostgreSQL has no "beside": there
``FUNDCORE_PII_KEY`` must name the file. ``fund init`` makes the key where it belongs if
there is none yet and the database holds no encrypted data; it never replaces one. A
lost key means the encrypted numbers are lost: keep a copy of it apart from the backups.

The file holds one line of text: a version tag and 32 random bytes in base64. From them
two keys are derived (HMAC-SHA256 with distinct labels): one for AES-256-GCM, one for
the keyed hash that equality look-ups use, so neither use weakens the other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from fundcore import messages
from fundcore.domain.errors import InputError, IntegrityBroken
from fundcore.store import paths

#: names the key file (any database); without it, a SQLite database's key is beside it
ENV = "FUNDCORE_PII_KEY"
#: the suffix of the key file beside a SQLite database
SUFFIX = ".pii-key"
_TAG = "fundcore-pii-key-v1"
_SIZE = 32


@dataclass(frozen=True, slots=True)
class Keys:
    """The two keys derived from a key file: for AES-GCM and for look-up hashes."""

    seal: bytes
    lookup: bytes
    #: where they were read from (shown in messages)
    file: Path


def key_path(url: str) -> Path | None:
    """Where the key of the database at ``url`` is (None: nowhere is known)."""
    named = os.environ.get(ENV)
    if named:
        return Path(named)
    database = paths.sqlite_file(url)
    return None if database is None else Path(f"{database}{SUFFIX}")


def load(path: Path | None) -> Keys:
    """The keys in the file at ``path``; refused, naming the file, if it is missing or
    not a key file (nothing is ever made here: see ``create``)."""
    if path is None:
        raise InputError("pii.key_unplaced", env=ENV)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise InputError("pii.key_missing", file=str(path), env=ENV) from None
    except (OSError, UnicodeDecodeError):
        raise IntegrityBroken("pii.key_bad", file=str(path)) from None
    tag, _, body = text.partition(" ")
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if tag != _TAG or len(raw) != _SIZE:
        raise IntegrityBroken("pii.key_bad", file=str(path))
    return derive(raw, path)


def derive(raw: bytes, file: Path) -> Keys:
    """The two working keys from the file's secret (distinct labels, one secret)."""
    return Keys(
        hmac.new(raw, b"fundcore pii aes-256-gcm", hashlib.sha256).digest(),
        hmac.new(raw, b"fundcore pii lookup hmac-sha256", hashlib.sha256).digest(),
        file,
    )


def create(path: Path) -> None:
    """A new key file at ``path`` (mode 0600, put in place whole); never over one."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("pii.key_no_folder", file=str(path))
    made = paths.private_temp(path)
    try:
        secret = base64.b64encode(secrets.token_bytes(_SIZE)).decode("ascii")
        made.write_text(f"{_TAG} {secret}\n", encoding="ascii")
        paths.put_new(made, path)
    finally:
        made.unlink(missing_ok=True)


MESSAGES: dict[str, tuple[str, str]] = {
    "pii.key_unplaced": (
        "不知道个人信息密钥在哪里：PostgreSQL 数据库须用环境变量 {env} 指明密钥文件"
        "（fund init 会在那里生成）",
        "nowhere known for the personal-data key: for PostgreSQL set {env} to the key "
        "file's path (fund init makes it there)",
    ),
    "pii.key_missing": (
        "找不到个人信息密钥文件：{file}；请恢复该文件（或用 {env} 指明它），"
        "新基金请先运行 fund init",
        "the personal-data key file is missing: {file}; put it back (or name it with "
        "{env}), or run fund init for a new fund",
    ),
    "pii.key_bad": (
        "个人信息密钥文件无法使用（不是 fundcore 密钥）：{file}",
        "the personal-data key file is not usable (not a fundcore key): {file}",
    ),
    "pii.key_no_folder": (
        "无法生成个人信息密钥：文件夹不存在：{file}",
        "cannot make the personal-data key: its folder does not exist: {file}",
    ),
    "pii.key_lost": (
        "数据库已存有加密的个人信息，但密钥文件不存在：{file}；不会生成新密钥"
        "（旧数据将无法解密），请恢复原密钥文件",
        "the database holds encrypted personal data but the key file is missing: {file}; "
        "no new key is made (the data would be lost), put the original key file back",
    ),
    "pii.undecryptable": (
        "无法解密 {column}：数据已被改动，或密钥不是这个数据库的（{file}）",
        "cannot decrypt {column}: the data was altered or the key is not this database's ({file})",
    ),
    "pii.migrate_needs_key": (
        "升级要加密已有的身份证号和手机号，需要个人信息密钥（未做任何改动）；"
        "新密钥由 fund init 生成：",
        "the upgrade encrypts the ID and phone numbers already stored and needs the "
        "personal-data key (nothing was changed); fund init makes a new one:",
    ),
}
messages.register(MESSAGES)

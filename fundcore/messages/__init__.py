"""Every message a user may read, in Chinese and English, keyed by stable code.

Errors carry a code and parameters (``fundcore.domain.errors``); this catalogue turns
them into one sentence in the user's language. It imports nothing of fundcore: the
core's texts live in this package by topic (``access``, ``ledger``, ``intake``,
``decisions``, ``servicing``, ``statements``, ``terms``), and a module that owns its
messages (identity, money, workdays, sheets, the demo) registers them when it is
imported, as money registers the ``{x:fen}`` format. A code missing here is a bug the
tests catch.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping

from fundcore.messages import (
    access,
    decisions,
    intake,
    integrity,
    ledger,
    servicing,
    statements,
    terms,
)

Pair = tuple[str, str]

CATALOG: dict[str, Pair] = {}
#: domain words users see, by language
TERMS: dict[str, Pair] = dict(terms.TERMS)
_FORMATS: dict[str, Callable[[object, str], str]] = {}


def register(messages: Mapping[str, Pair]) -> None:
    """Add a module's messages (code → (zh, en)) to the catalogue."""
    CATALOG.update(messages)


def register_terms(words: Mapping[str, Pair]) -> None:
    """Add domain words that ``{x:term}`` translates."""
    TERMS.update(words)


def register_format(spec: str, fn: Callable[[object, str], str]) -> None:
    """``{x:spec}`` in a template formats x with ``fn(x, lang)`` (money registers ``fen``)."""
    _FORMATS[spec] = fn


for _topic in (access, ledger, intake, decisions, servicing, statements, integrity):
    register(_topic.MESSAGES)


def term(word: str, lang: str = "zh") -> str:
    """A domain word in the user's language (the word itself if it is not one)."""
    pair = TERMS.get(word)
    return word if pair is None else pair[1 if lang == "en" else 0]


class _Formatter(string.Formatter):
    """``{x:term}`` formats a domain word, ``{x:fen}`` (registered) integer fen as money."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "term":
            return term(str(value), self.lang)
        fn = _FORMATS.get(format_spec)
        if fn is not None:
            return fn(value, self.lang)
        return format(value, format_spec)


def render(code: str, params: Mapping[str, object], lang: str = "zh") -> str:
    """The message for ``code`` in ``lang`` ('zh' or 'en'), with its parameters."""
    zh, en = CATALOG.get(code, (code, code))
    template = en if lang == "en" else zh
    try:
        return _Formatter(lang).format(template, **params)
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"

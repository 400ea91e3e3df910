"""Idempotent replays: the same outside reference sent twice is one event.

A bank file imported again, a donation typed twice, a matching receipt re-sent: each
carries a reference. When a reference is already recorded, the particulars given are
held against those recorded: all the same is an unchanged replay (nothing is posted
again); any difference is a ``Conflict`` naming every field that differs, since one
reference can only ever mean one thing.
"""

from __future__ import annotations

from collections.abc import Mapping

from fundcore.domain.errors import Conflict


def differing(recorded: Mapping[str, object], given: Mapping[str, object]) -> tuple[str, ...]:
    """The names of the fields whose given value is not the recorded one, in given order."""
    return tuple(name for name, value in given.items() if recorded.get(name) != value)


def check_replay(
    code: str, ref: str, recorded: Mapping[str, object], given: Mapping[str, object]
) -> None:
    """Return if ``given`` replays ``recorded`` unchanged; else raise ``Conflict(code)``
    with ``ref``, the first differing ``field`` and all of them as ``fields``."""
    fields = differing(recorded, given)
    if fields:
        raise Conflict(code, ref=ref, field=fields[0], fields=", ".join(fields))

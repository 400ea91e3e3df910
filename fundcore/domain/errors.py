"""Errors as types with stable codes.

Every refusal the engine makes is a ``FundError`` carrying a stable ``code`` and the
values its message needs. The core never formats user text itself: the CLI looks the
code up in ``fundcore.messages`` in the user's language, so a script can rely on the
code while a person reads a sentence.
"""

from __future__ import annotations

from fundcore.messages import render


class FundError(Exception):
    """A refusal: bad input, a broken rule, not permitted, not found or a conflict."""

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        #: further problems found at the same time, each (code, params)
        self.more: list[tuple[str, dict[str, object]]] = []

    def also(self, problems: list[tuple[str, dict[str, object]]]) -> FundError:
        self.more = problems
        return self

    def __str__(self) -> str:
        return render(self.code, self.params, "en")


class InputError(FundError):
    """The user gave something malformed: an amount, a date, a file cell."""


class NotFound(FundError):
    """The thing named does not exist."""


class NotPermitted(FundError):
    """The operator's role or county does not allow this."""


class RuleBroken(FundError):
    """A programme or ledger rule refuses the request."""


class Conflict(FundError):
    """The request contradicts what is already recorded (e.g. a replayed ref that differs)."""


class IntegrityBroken(FundError):
    """The stored data no longer satisfies the ledger's invariants."""

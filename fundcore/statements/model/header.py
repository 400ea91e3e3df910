"""What every document opens and closes with: its header and key figures, and the
ledger's integrity as verified when it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Parameter:
    """One generation parameter, e.g. (数据截至, As of, 2025-12-31)."""

    label_zh: str
    label_en: str
    value: str


@dataclass(frozen=True, slots=True)
class Scope:
    """What the statement covers: kind 'fund' | 'province' | 'county' | 'facility' | 'person'.

    ``code`` is the county code, facility id or archive id ('' for the whole fund).
    """

    kind: str
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class StatementHeader:
    foundation_name_zh: str
    foundation_name_en: str
    fund_name_zh: str
    fund_name_en: str
    period_from: date
    period_to: date
    scope: Scope
    parameters: tuple[Parameter, ...]
    reproduce_command: str
    document_no: str = ""


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A headline amount, printed with its RMB capital form (人民币大写)."""

    label_zh: str
    label_en: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class IntegrityBlock:
    """The ledger as verified when the statement was made (see fundcore.store.verify)."""

    entry_count: int
    line_count: int
    total_debit_fen: int
    total_credit_fen: int
    trial_balance_fen: int
    head_seq: int
    head_hash: str
    verified: bool
    hash_scheme: str = ""
    problems: tuple[str, ...] = ()
    #: False when this run did not re-verify the chain (then ``verified`` says nothing)
    checked: bool = True

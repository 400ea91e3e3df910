"""What every document opens and closes with: its header and key figures, and the
ledger's integrity as verified when it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain.anchors import SignedAnchor


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
class PeriodState:
    """Whether every month of the statement's period is closed (``periods``).

    A closed period's figures are final: nothing dated in it can be posted any more, so
    the statement produced again later gives the same figures and the same bytes. An
    open one names its first month not yet closed.
    """

    closed: bool
    #: 'YYYY-MM', the first month of the period not closed ('' when closed)
    first_open_month: str = ""


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
    #: closed or open (None only for documents built without one, e.g. in tests)
    period_state: PeriodState | None = None


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A headline amount, printed with its RMB capital form (人民币大写)."""

    label_zh: str
    label_en: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class IntegrityBlock:
    """The ledger as of the statement's last day, and its verification when made.

    Counts, kept totals and the head (``head_seq``/``head_hash``: the highest entry
    dated on or before ``as_of``) cover the entries dated on or before ``as_of`` only,
    so once the period is closed they can no longer change. The verification
    (``checked``/``verified``/``problems``) is of the whole chain at generation (see
    fundcore.store.verify).
    """

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
    #: the business date the counts, totals and head are stated at (None: the whole ledger)
    as_of: date | None = None
    #: the head (seq, hash, as_of) signed with the fund's anchor key, where it was at hand
    anchor: SignedAnchor | None = None

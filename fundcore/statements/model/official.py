"""The three statements in their official forms (会民非01/02/03表) and the Charity Law
ratios: rows as the form prints them, each with its line number and its figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class FormColumn:
    """A figure column: ``key`` a stable name for data (``opening_fen`` …), and its title."""

    key: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class FormRow:
    """One line of a form; ``role`` 'heading' (no figures, ``line`` 0), 'item', 'detail'
    (a 其中 line inside the line above) or 'total'. ``values_fen`` follow the columns."""

    line: int
    name_zh: str
    name_en: str
    role: str
    values_fen: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class OfficialForm:
    code: str
    code_en: str
    name_zh: str
    name_en: str
    standard_zh: str
    standard_en: str
    columns: tuple[FormColumn, ...]
    rows: tuple[FormRow, ...]

    def value(self, line: int, column: str) -> int:
        """The figure on ``line`` in the column named ``column`` (a lookup, no arithmetic)."""
        index = [c.key for c in self.columns].index(column)
        return next(r.values_fen[index] for r in self.rows if r.line == line)


@dataclass(frozen=True, slots=True)
class RatioCheck:
    """``numerator`` ÷ ``denominator`` against a limit: ``rule`` 'at_least' or 'at_most';
    ``met`` None when the denominator is zero (nothing to measure against)."""

    key: str
    label_zh: str
    label_en: str
    numerator_fen: int
    denominator_fen: int
    ratio_bp: int | None
    limit_bp: int
    rule: str
    met: bool | None


@dataclass(frozen=True, slots=True)
class CharityRatios:
    """慈善法 第六十一条 ratios for the year of the statement's last day, through that day."""

    year: int
    through: date
    spending_fen: int
    management_fen: int
    total_expenses_fen: int
    previous_income_fen: int
    average_income_fen: int
    average_years: tuple[int, ...]
    checks: tuple[RatioCheck, ...]


@dataclass(frozen=True, slots=True)
class OfficialStatements:
    standard_code: str
    standard_zh: str
    standard_en: str
    balance_sheet: OfficialForm
    activities: OfficialForm
    cash_flows: OfficialForm
    charity: CharityRatios

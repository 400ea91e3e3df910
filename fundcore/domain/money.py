"""Money: integer fen in, integer fen out; text only at the edges.

Every amount in fundcore is an ``int`` of fen (1 yuan = 100 fen). This module is the
only place where amounts meet text: it parses what a person typed into fen, and writes
fen back as display text (``¥25,000.00``), as plain export text (``25000.00``) and as the
RMB capital form used on vouchers (``贰万伍仟元整``). No float ever takes part: parsing
is integer string arithmetic, and formatting splits the int into yuan and fen.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from fractions import Fraction

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

from fundcore import messages
from fundcore.domain.errors import InputError

MESSAGES: dict[str, tuple[str, str]] = {
    "money.empty": ("请输入金额", "please enter an amount"),
    "money.invalid": (
        "无法识别的金额：{text}（示例：25000、25,000.00、2.5万）",
        "not an amount: {text} (e.g. 25000, 25,000.00, 2.5万)",
    ),
    "money.negative": ("金额不能为负数：{text}", "amount must not be negative: {text}"),
    "money.not_positive": ("金额必须大于零：{text}", "amount must be greater than zero: {text}"),
    "money.too_precise": (
        "金额最多精确到分（元后两位小数）：{text}",
        "amount must be whole fen (at most two decimals of a yuan): {text}",
    ),
    "money.too_large": (
        "金额超出上限 {max}：{text}",
        "amount exceeds the limit of {max}: {text}",
    ),
}

MAX_FEN = 10**14
"""Largest amount accepted from input: 1 万亿 yuan, far above any fund, far below BIGINT."""

_UNIT_EXPONENT = {None: 2, "万": 6, "亿": 10}  # power of ten from the written unit to fen
_AMOUNT = re.compile(
    r"""(?:¥|RMB)?\s*
    (?P<int>0|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]*)
    (?:\.(?P<frac>[0-9]+))?
    \s*(?P<unit>万|亿)?\s*元?""",
    re.VERBOSE | re.IGNORECASE,
)
_NEGATIVE = re.compile(r"(?:¥|RMB)?\s*(?:[-−负]|\(.*\)$)", re.IGNORECASE)
_SAFE_COMPAT = ("<wide>", "<noBreak>")  # full-width forms and no-break spaces only
_LOCALES = {"zh": "zh_CN", "en": "en"}
_CAPITAL_LIMIT = 10**18  # cn2an spells at most 16 integer digits of yuan


def parse_yuan(text: str, *, allow_zero: bool = False) -> int:
    """Parse an amount a person typed in yuan and return it in fen.

    Strict on purpose: a mistyped amount must be refused, never guessed, because it
    becomes a ledger entry. Accepts ``25000``, ``25,000.50`` (commas only as correct
    thousands groups), ``2.5万``/``2.5万元``/``3亿``/``100元``, a leading ``¥``/``￥``/``RMB``,
    full-width digits and punctuation, surrounding spaces. Refuses (``InputError`` whose
    ``text`` param is the original input): empty, negative (leading ``-``/``−``/``负``
    or ``(…)``), anything else that is not such a number (``1e5``, ``nan``, ``.5``,
    ``5.``, ``1,00``, ``007``), sub-fen precision after applying 万/亿 (trailing zeros are
    fine: ``1.50`` and ``1.500`` are both 150 fen), zero unless ``allow_zero``, and
    anything above ``MAX_FEN``.
    """
    cleaned = _normalize(text)
    if not cleaned:
        raise InputError("money.empty", text=text)
    if _NEGATIVE.match(cleaned):
        raise InputError("money.negative", text=text)
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InputError("money.invalid", text=text)
    fen = _to_fen(match["int"].replace(",", ""), match["frac"] or "", match["unit"], text)
    if fen == 0 and not allow_zero:
        raise InputError("money.not_positive", text=text)
    if fen > MAX_FEN:
        raise InputError("money.too_large", text=text, max=format_fen(MAX_FEN))
    return fen


def _normalize(text: str) -> str:
    """NFKC-fold full-width input, refusing compatibility characters that change meaning.

    NFKC alone would read ``5²`` as ``52`` and ``①`` as ``1``; only full-width forms
    (``２５，０００``, ``￥``, the ideographic space) and no-break spaces are folded.
    """
    for char in text:
        if unicodedata.normalize("NFKC", char) == char or char.isspace():
            continue
        if unicodedata.decomposition(char).split(" ", 1)[0] not in _SAFE_COMPAT:
            raise InputError("money.invalid", text=text)
    return unicodedata.normalize("NFKC", text).strip()


def _to_fen(whole: str, frac: str, unit: str | None, text: str) -> int:
    """Fen from the digit strings, by shifting the decimal point: exact, no float."""
    exponent = _UNIT_EXPONENT[unit]
    frac = frac.rstrip("0")
    if len(frac) > exponent:
        raise InputError("money.too_precise", text=text)
    if len(whole) > 16:  # ≥ 10**16 yuan is over MAX_FEN whatever the unit; skip the big int
        raise InputError("money.too_large", text=text, max=format_fen(MAX_FEN))
    return int(whole + frac.ljust(exponent, "0"))


def format_fen(fen: int, lang: str = "zh") -> str:
    """Display form ``¥25,000.00`` (``-¥25.00`` when negative) in ``lang`` 'zh' or 'en'.

    Babel supplies the locale's grouping and decimal marks; the symbol is always ``¥``
    (babel's English currency format would say ``CN¥``, which reads oddly to our users).
    """
    _require_int(fen)
    group, decimal, _ = _marks(lang)
    yuan, cents = divmod(abs(fen), 100)
    body = f"{yuan:,}".replace(",", group) + f"{decimal}{cents:02d}"
    return f"{'-' if fen < 0 else ''}¥{body}"


def format_count(value: int, lang: str = "zh") -> str:
    """A whole number with the locale's thousands grouping (``12,345``), as babel's
    ``format_decimal(value, "#,##0")`` writes it."""
    _require_int(value)
    group, _, minus = _marks(lang)
    return f"{minus if value < 0 else ''}{abs(value):,}".replace(",", group)


@functools.cache
def _marks(lang: str) -> tuple[str, str, str]:
    """The locale's group, decimal and minus signs, from babel.

    Asked once per language: a statement formats hundreds of thousands of figures, and
    ``format_decimal`` parses its pattern and builds Decimals on every call (5 of the 13
    seconds of a 865-county fund statement went there). The grouping itself is the
    patterns' fixed three digits (``#,##0.00``, ``#,##0``), which Python's ``,`` format
    writes exactly for integers; tests compare the result with babel's own.
    """
    locale = _LOCALES.get(lang)
    if locale is None:
        raise ValueError(f"unsupported language: {lang!r}")
    return get_group_symbol(locale), get_decimal_symbol(locale), get_minus_sign_symbol(locale)


def format_plain(fen: int) -> str:
    """Export form ``25000.00``: no symbol, no grouping, '.' decimal, for CSV and JSON."""
    _require_int(fen)
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{yuan}.{cents:02d}"


def capital(fen: int) -> str:
    """RMB capital form (人民币大写) for vouchers and receipts, e.g. ``贰万伍仟元整``.

    Follows 中国人民银行《支付结算办法》附件一 (正确填写票据和结算凭证的基本规定):
    ``整`` after ``元`` when there are no jiao or fen (none after 角 or 分); one ``零``
    for each run of zeros inside the yuan digits (rules 1-2); no ``零`` between ``元``
    and ``角`` (rule 3 allows either); ``元零X分`` when jiao is 0 but fen is not
    (rule 4). Under one yuan there is no ``零元``: 0.05 yuan is ``伍分``, 0.50 is
    ``伍角``; zero is ``零元整``. The ``人民币`` prefix is the caller's: it belongs to the
    printed field, not the amount. cn2an writes the words; see
    ``_restore_zero_before_qian`` for the one place it is corrected.

    Raises ``ValueError`` for negative amounts (a capital amount on a voucher is always
    positive; the direction is stated by the document, and the rules define no sign)
    and for 10**16 yuan or more, which cn2an cannot spell.
    """
    _require_int(fen)
    if fen < 0:
        raise ValueError(f"capital form needs a non-negative amount, got {fen} fen")
    if fen >= _CAPITAL_LIMIT:
        raise ValueError(f"capital form supports less than 10**16 yuan, got {fen} fen")
    yuan, cents = divmod(fen, 100)
    import cn2an  # a quarter of a second to import: only where a capital form is written

    words = cn2an.an2cn(f"{yuan}.{cents:02d}", "rmb")
    return _restore_zero_before_qian(words, yuan)


def _restore_zero_before_qian(words: str, yuan: int) -> str:
    """Put back the ``零`` cn2an drops between a 万/亿 section and a following 仟 digit.

    cn2an deletes ``零`` in ``万零X仟``/``亿零X仟`` (107000 → 壹拾万柒仟 instead of
    壹拾万零柒仟; 1,000,010,000,000 → 壹万亿壹仟万 instead of 壹万亿零壹仟万). Rule 3
    tolerates that after a zero 万位, but not after a zero 亿位, and the official
    example for 107,000.53 reads 壹拾万零柒仟元伍角叁分. Writing the ``零`` every time
    keeps one spelling per amount and is always correct under rules 1-2.

    Each non-zero digit in a 仟 place (10**3, 10**7, 10**11, 10**15) is spelled
    ``X仟``, in order, so the i-th ``仟`` in ``words`` belongs to the i-th such digit
    from the left; that digit needs ``零`` before it when the place just above it is 0
    (the leading digit is never 0, so some non-zero digit stands further left).
    """
    digits = str(yuan)[::-1]  # digits[p] is the digit of 10**p
    places = [p for p in range(len(digits) - 1, 2, -1) if p % 4 == 3 and digits[p] != "0"]
    pieces = words.split("仟")
    for index, place in enumerate(places):
        piece = pieces[index]
        if digits[place + 1 : place + 2] == "0" and piece[-2:-1] != "零":
            pieces[index] = f"{piece[:-1]}零{piece[-1]}"
    return "仟".join(pieces)


def _require_int(fen: int) -> None:
    """Refuse floats (and bools, and Decimals) where fen are expected: a programming error."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError(f"amounts are int fen, got {type(fen).__name__}")


# --- basis points and rounding ----------------------------------------------------------

#: ratios are held in basis points: 1% = 100 bp, the whole = 10,000 bp
BP = 10_000


def round_half_up(value: Fraction | int) -> int:
    """Round to the nearest integer, halves up (四舍五入 for the non-negative amounts here)."""
    value = Fraction(value)
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def ratio_bp(part: int, whole: int) -> int | None:
    """``part`` ÷ ``whole`` in basis points, rounded half up (四舍五入) at the basis point,
    which is the precision every percentage is printed at (two decimals): 2.2092% is
    2.21%, never 2.20%. None when ``whole`` is not positive (nothing to divide by)."""
    _require_int(part)
    _require_int(whole)
    return None if whole <= 0 else round_half_up(Fraction(part * BP, whole))


def x100_half_up(part: int, whole: int) -> int | None:
    """``part`` ÷ ``whole`` as a multiple times 100, rounded half up (3.505× is 3.51×)."""
    return None if whole <= 0 else round_half_up(Fraction(part * 100, whole))


def share_fen(amount_fen: int, bp: int) -> int:
    """``bp`` basis points of ``amount_fen``, rounded half up to the fen, in integers:
    a deposit's 20%, a guarantee's coverage, a county's share, a provision's 1%."""
    _require_int(amount_fen)
    return (amount_fen * bp + BP // 2) // BP


def _fen_field(value: object, lang: str) -> str:
    """``{x:fen}`` in a message: integer fen as money (anything else is not a ``fen``)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"not fen: {value!r}")
    return format_fen(value, lang)


messages.register(MESSAGES)
messages.register_format("fen", _fen_field)

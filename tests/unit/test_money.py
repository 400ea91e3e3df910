"""fundcore.domain.money: strict parsing, exact formatting and the RMB capital form.

The capital form is checked three ways: the examples of 中国人民银行《支付结算办法》
附件一, an independent reference spelling written here from those rules, and a decoder
that reads the words back to fen.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from fundcore.domain.errors import InputError
from fundcore.domain.money import (
    MAX_FEN,
    MESSAGES,
    capital,
    format_count,
    format_fen,
    format_plain,
    parse_yuan,
)

fen_amounts = st.integers(min_value=1, max_value=10**12)
# Mostly zeros, so runs of zeros across 万/亿 boundaries are common, not one in a million.
sparse_fen = st.text(alphabet="000000123456789", min_size=1, max_size=18).map(int)


# --- parsing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("25000", 2_500_000),
        ("25000.5", 2_500_050),
        ("25000.50", 2_500_050),
        ("25,000.00", 2_500_000),
        ("1,234,567.89", 123_456_789),
        ("0.01", 1),
        ("1.500", 150),
        ("2.5万", 2_500_000),
        ("2.5万元", 2_500_000),
        ("2.5 万元", 2_500_000),
        ("100元", 10_000),
        ("1,000万", 1_000_000_000),
        ("3亿", 30_000_000_000),
        ("1.5亿元", 15_000_000_000),
        ("1.234567万", 1_234_567),
        ("0.0000000001亿", 1),
        ("¥25,000.00", 2_500_000),
        ("￥25000", 2_500_000),
        ("RMB25000", 2_500_000),
        ("RMB 25,000.00", 2_500_000),
        ("rmb 1", 100),
        ("  25000\t", 2_500_000),
        ("２５，０００．００", 2_500_000),
        ("￥２．５万", 2_500_000),
        ("\u3000２５０００\u3000", 2_500_000),
        ("¥\u00a025000", 2_500_000),
        ("1000000000000", MAX_FEN),
        ("10000亿", MAX_FEN),
        ("100000000万", MAX_FEN),
    ],
)
def test_accepted_inputs(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["0", "0.00", "0万", "¥0", "０"])
def test_zero_only_when_allowed(text: str) -> None:
    assert parse_yuan(text, allow_zero=True) == 0
    with pytest.raises(InputError) as refused:
        parse_yuan(text)
    assert refused.value.code == "money.not_positive"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "money.empty"),
        ("   ", "money.empty"),
        ("\u3000", "money.empty"),
        ("-5", "money.negative"),
        ("-0", "money.negative"),
        ("−5", "money.negative"),
        ("－5", "money.negative"),
        ("(5)", "money.negative"),
        ("（25,000.00）", "money.negative"),
        ("¥-5", "money.negative"),
        ("-¥5", "money.negative"),
        ("RMB -5", "money.negative"),
        ("负5万", "money.negative"),
        ("abc", "money.invalid"),
        ("12a", "money.invalid"),
        ("1.2.3", "money.invalid"),
        ("1e5", "money.invalid"),
        ("nan", "money.invalid"),
        ("inf", "money.invalid"),
        ("Infinity", "money.invalid"),
        (".", "money.invalid"),
        (".5", "money.invalid"),
        ("5.", "money.invalid"),
        ("万", "money.invalid"),
        ("元", "money.invalid"),
        ("¥", "money.invalid"),
        ("+5", "money.invalid"),
        ("5-", "money.invalid"),
        ("(5", "money.invalid"),
        ("007", "money.invalid"),
        ("1,00", "money.invalid"),
        ("2,5000", "money.invalid"),
        ("1,0000.00", "money.invalid"),
        (",100", "money.invalid"),
        ("100,", "money.invalid"),
        ("0,100", "money.invalid"),
        ("1.000,50", "money.invalid"),
        ("1 000", "money.invalid"),
        ("1_000", "money.invalid"),
        ("5万万", "money.invalid"),
        ("5万亿", "money.invalid"),
        ("5亿万", "money.invalid"),
        ("5元万", "money.invalid"),
        ("¥RMB5", "money.invalid"),
        ("5¥", "money.invalid"),
        ("USD5", "money.invalid"),
        ("25000。00", "money.invalid"),
        ("5²", "money.invalid"),
        ("①", "money.invalid"),
        ("⒈5", "money.invalid"),
        ("٣", "money.invalid"),
        ("五", "money.invalid"),
        ("1\u200b000", "money.invalid"),
        ("0.001", "money.too_precise"),
        ("25000.505", "money.too_precise"),
        ("1.2345678万", "money.too_precise"),
        ("0.0000000001万", "money.too_precise"),
        ("1.00000000001亿", "money.too_precise"),
        ("1000000000000.01", "money.too_large"),
        ("10001亿", "money.too_large"),
        ("100000000.0001万", "money.too_large"),
        ("9" * 40, "money.too_large"),
    ],
)
def test_refused_inputs(text: str, code: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_yuan(text, allow_zero=True)
    assert refused.value.code == code
    assert refused.value.params["text"] == text
    assert code in MESSAGES


def test_refusal_of_huge_input_stays_cheap() -> None:
    with pytest.raises(InputError) as refused:
        parse_yuan("1." + "0" * 100_000 + "1")
    assert refused.value.code == "money.too_precise"


def test_messages_have_both_languages_and_only_known_params() -> None:
    params = {"text": "x", "max": format_fen(MAX_FEN)}
    for code, (zh, en) in MESSAGES.items():
        assert code.startswith("money.")
        assert zh.format(**params) and en.format(**params)


@given(fen_amounts)
def test_display_form_round_trips(fen: int) -> None:
    assert parse_yuan(format_fen(fen, "zh")) == fen
    assert parse_yuan(format_fen(fen, "en")) == fen


@given(fen_amounts)
def test_plain_form_round_trips(fen: int) -> None:
    assert parse_yuan(format_plain(fen)) == fen


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_wan_form_round_trips(fen: int) -> None:
    yuan, cents = divmod(fen, 100)
    wan, rest = divmod(yuan, 10_000)
    text = f"{wan}.{rest:04d}{cents:02d}万"
    assert parse_yuan(text, allow_zero=True) == fen


# --- formatting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "shown", "plain"),
    [
        (2_500_000, "¥25,000.00", "25000.00"),
        (0, "¥0.00", "0.00"),
        (1, "¥0.01", "0.01"),
        (99, "¥0.99", "0.99"),
        (100_000, "¥1,000.00", "1000.00"),
        (-2_500, "-¥25.00", "-25.00"),
        (-1, "-¥0.01", "-0.01"),
        (MAX_FEN, "¥1,000,000,000,000.00", "1000000000000.00"),
        (10**40 + 1, "¥100" + ",000" * 12 + ".01", "1" + "0" * 38 + ".01"),
    ],
)
def test_formats(fen: int, shown: str, plain: str) -> None:
    assert format_fen(fen) == shown
    assert format_fen(fen, "en") == shown
    assert format_plain(fen) == plain


@settings(max_examples=300)
@given(st.integers(min_value=-(10**20), max_value=10**20), st.sampled_from(["zh", "en"]))
def test_formatting_agrees_with_babel(value: int, lang: str) -> None:
    """The fast path writes exactly what babel's own patterns write for the locale."""
    locale = {"zh": "zh_CN", "en": "en"}[lang]
    with localcontext() as context:
        context.prec = 60
        yuan = format_decimal(Decimal(abs(value)).scaleb(-2), format="#,##0.00", locale=locale)
    assert format_fen(value, lang) == f"{'-' if value < 0 else ''}¥{yuan}"
    assert format_count(value, lang) == format_decimal(value, format="#,##0", locale=locale)


@pytest.mark.parametrize("func", [format_fen, format_plain, capital])
@pytest.mark.parametrize("bad", [25.0, True, "25"])
def test_amounts_must_be_int(func, bad) -> None:
    with pytest.raises(TypeError):
        func(bad)


def test_unknown_language_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        format_fen(100, "fr")


# --- capital form ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yuan", "words"),
    [
        # 附件一 examples
        ("1409.50", "壹仟肆佰零玖元伍角"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
        ("107000.53", "壹拾万零柒仟元伍角叁分"),
        ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        # the brief's table
        ("25000", "贰万伍仟元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.5", "伍角"),
        ("0.15", "壹角伍分"),
        ("10", "壹拾元整"),
        ("12", "壹拾贰元整"),
        ("101", "壹佰零壹元整"),
        ("1000.05", "壹仟元零伍分"),
        ("100000", "壹拾万元整"),
        ("100000000", "壹亿元整"),
        ("10000000000", "壹佰亿元整"),
        ("100000001", "壹亿零壹元整"),
        ("10000000.10", "壹仟万元壹角"),
        ("10.5", "壹拾元伍角"),
        ("1000000000000", "壹万亿元整"),
        # zeros across 万/亿 before a 仟 digit: cn2an drops the 零, capital() restores it
        ("1001000", "壹佰万零壹仟元整"),
        ("101000", "壹拾万零壹仟元整"),
        ("11000", "壹万壹仟元整"),
        ("100001000", "壹亿零壹仟元整"),
        ("110001000", "壹亿壹仟万零壹仟元整"),
        ("1000010000000", "壹万亿零壹仟万元整"),
        ("1100000000000", "壹万壹仟亿元整"),
        ("1000100000000", "壹万零壹亿元整"),
        ("1000000010000", "壹万亿零壹万元整"),
        ("1000100000000000", "壹仟万零壹仟亿元整"),
        (
            "9999999999999999.99",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
        ),
    ],
)
def test_capital_examples(yuan: str, words: str) -> None:
    whole, _, cents = yuan.partition(".")
    fen = int(whole) * 100 + int(cents.ljust(2, "0"))
    assert capital(fen) == words


def test_capital_refuses_negative_and_unspellable() -> None:
    with pytest.raises(ValueError):
        capital(-1)
    with pytest.raises(ValueError):
        capital(10**18)


@given(st.integers(min_value=0, max_value=10**12))
def test_capital_never_raises_and_ends_with_zheng_exactly_for_whole_yuan(fen: int) -> None:
    assert capital(fen).endswith("整") == (fen % 100 == 0)


@settings(max_examples=500)
@given(st.one_of(sparse_fen, st.integers(min_value=0, max_value=10**18 - 1)))
def test_capital_matches_the_rules_and_reads_back(fen: int) -> None:
    words = capital(fen)
    assert words == _reference_capital(fen)
    assert _read_capital(words) == fen


_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _reference_capital(fen: int) -> str:
    """The capital form spelled independently of cn2an, straight from 附件一."""
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if cents == 0:
        return _reference_yuan(yuan) + "元整"
    small = (_DIGITS[jiao] + "角" if jiao else "") + (
        _DIGITS[fen_digit] + "分" if fen_digit else ""
    )
    if yuan == 0:
        return small
    return _reference_yuan(yuan) + "元" + ("" if jiao else "零") + small


def _reference_yuan(n: int) -> str:
    """A whole number of yuan: sections of 亿 and 万, one 零 per inner run of zeros.

    A run of zeros that reaches the 万位 or 亿位 gets its 零 too (壹拾万零柒仟, as in the
    official example for 107,000.53), although everyday reading would say 十万七千.
    """
    if n == 0:
        return "零"
    for size, name in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            gap = "零" if low and (high % 10 == 0 or low < size // 10) else ""
            return _reference_yuan(high) + name + gap + (_reference_yuan(low) if low else "")
    out, pending_zero = "", False
    for digit, unit in zip(f"{n:04d}", "仟佰拾 ", strict=True):
        if digit == "0":
            pending_zero = bool(out)
            continue
        out += ("零" if pending_zero else "") + _DIGITS[int(digit)] + unit.strip()
        pending_zero = False
    return out


def _read_capital(words: str) -> int:
    """Fen from capital words: a decoder that shares no code with either spelling."""
    if words.endswith("元整"):
        whole, small = words[:-2], ""
    elif "元" in words:
        whole, small = words.split("元")
    else:
        whole, small = "零", words
    fen = _read_yuan(whole) * 100
    for i, char in enumerate(small):
        if char in "角分" and small[i - 1] != "零":
            fen += _DIGITS.index(small[i - 1]) * (10 if char == "角" else 1)
    return fen


def _read_yuan(words: str) -> int:
    total = section = digit = 0
    for char in words:
        if char in _DIGITS:
            digit = _DIGITS.index(char)
        elif char in "拾佰仟":
            section += digit * 10 ** ("拾佰仟".index(char) + 1)
            digit = 0
        elif char == "万":
            section = (section + digit) * 10**4
            digit = 0
        elif char == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
        else:
            raise AssertionError(f"unexpected {char!r} in {words!r}")
    return total + section + digit

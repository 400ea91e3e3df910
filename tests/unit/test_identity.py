"""fundcore.domain.identity: resident ID numbers and mobile numbers, checked and masked.

The check character is tested against the ISO 7064 MOD 11-2 definition written out here
(weighted sum of all 18 characters is 1 mod 11), not against the module's weight table,
and the validator must accept exactly the numbers whose check character is right.
"""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundcore import messages
from fundcore.domain.errors import InputError
from fundcore.domain.identity import (
    MESSAGES,
    ResidentId,
    check_digit,
    mask_id,
    mask_name,
    mask_phone,
    parse_mobile,
    parse_resident_id,
)

PROVINCES = [
    *range(11, 16),
    *range(21, 24),
    *range(31, 38),
    *range(41, 47),
    *range(50, 55),
    *range(61, 66),
]
PERMITS = ["810000", "820000", "830000"]
CHECK_CHARS = "0123456789X"

mainland_regions = st.builds(
    lambda province, rest: f"{province}{rest:04d}",
    st.sampled_from(PROVINCES),
    st.integers(min_value=1, max_value=9999),
)
regions = st.one_of(mainland_regions, st.sampled_from(PERMITS))
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1))
bodies = st.builds(
    lambda region, born, seq: f"{region}{born:%Y%m%d}{seq:03d}",
    regions,
    birth_dates,
    st.integers(min_value=0, max_value=999),
)


def make_id(region: str, born: str, seq: str = "123") -> str:
    """A well-formed number: region + YYYYMMDD + sequence + the right check character."""
    body = f"{region}{born}{seq}"
    return body + check_digit(body)


def iso7064_ok(number: str) -> bool:
    """ISO 7064 MOD 11-2: sum of value * 2**(17 - i) over all 18 characters ≡ 1 (mod 11)."""
    values = [10 if char == "X" else int(char) for char in number]
    return sum(value * 2 ** (17 - i) for i, value in enumerate(values)) % 11 == 1


def refusal(text: str, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as refused:
        parse_resident_id(text, **kwargs)  # type: ignore[arg-type]
    return refused.value


def rendered(code: str, params: dict[str, object], lang: str) -> str:
    """The message a user would read: from the merged catalogue once it holds our codes."""
    if code in messages.CATALOG:
        return messages.render(code, params, lang)
    zh, en = MESSAGES[code]
    return (en if lang == "en" else zh).format(**params)


# --- check character -----------------------------------------------------------------


def test_classic_gb_example() -> None:
    assert check_digit("11010519491231002") == "X"
    resident = parse_resident_id("11010519491231002X")
    assert resident == ResidentId(
        number="11010519491231002X", birth_date=date(1949, 12, 31), gender="F", region="110105"
    )


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_meets_iso7064(body: str) -> None:
    assert iso7064_ok(body + check_digit(body))


@pytest.mark.parametrize("bad", ["", "1234", "1" * 18, "a" * 17, "１" * 17, "1" * 16 + "X"])
def test_check_digit_needs_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


@given(bodies)
def test_accepts_exactly_the_right_check_character(body: str) -> None:
    right = check_digit(body)
    for char in CHECK_CHARS:
        if char == right:
            resident = parse_resident_id(body + char)
            assert resident.number == body + char
            assert f"{resident.birth_date:%Y%m%d}" == body[6:14]
            assert resident.region == body[:6]
            assert resident.gender == ("M" if int(body[16]) % 2 else "F")
        else:
            refused = refusal(body + char)
            assert refused.code == "id.checksum"
            assert refused.params["masked"] == mask_id(body + char)


@given(bodies, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_every_single_mistyped_digit_is_caught(body: str, position: int, shift: int) -> None:
    number = body + check_digit(body)
    wrong = str((int(number[position]) + shift) % 10)
    typo = number[:position] + wrong + number[position + 1 :]
    assert refusal(typo).code == "id.checksum"


@given(bodies, st.integers(min_value=0, max_value=16))
def test_every_swap_of_neighbours_is_caught(body: str, position: int) -> None:
    number = body + check_digit(body)
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    if swapped != number:
        assert refusal(swapped).code in {"id.checksum", "id.chars"}


# --- accepted forms and what they say --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002X",
        "11010519491231002x",
        " 11010519491231002X\t",
        "110105 19491231 002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "\u3000110105\u00a019491231\u3000002x\u3000",
    ],
)
def test_folded_forms(text: str) -> None:
    assert parse_resident_id(text).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "born", "gender", "region"),
    [
        (make_id("410881", "19900615", "123"), date(1990, 6, 15), "M", "410881"),
        (make_id("440305", "20040229", "048"), date(2004, 2, 29), "F", "440305"),
        (make_id("650102", "19000101", "001"), date(1900, 1, 1), "M", "650102"),
        # 崇文区 and 宣武区 were abolished in 2010; their people kept their numbers.
        (make_id("110103", "19751003", "011"), date(1975, 10, 3), "M", "110103"),
        (make_id("110104", "19800101", "020"), date(1980, 1, 1), "F", "110104"),
        (make_id("429004", "19881111", "335"), date(1988, 11, 11), "M", "429004"),
        (make_id("810000", "19950505", "126"), date(1995, 5, 5), "F", "810000"),
        (make_id("820000", "19950505", "117"), date(1995, 5, 5), "M", "820000"),
        (make_id("830000", "19950505", "128"), date(1995, 5, 5), "F", "830000"),
    ],
)
def test_derived_fields(number: str, born: date, gender: str, region: str) -> None:
    resident = parse_resident_id(number)
    assert (resident.birth_date, resident.gender, resident.region) == (born, gender, region)
    assert resident.is_residence_permit == region.startswith("8")


def test_repr_and_masked_never_show_the_number() -> None:
    resident = parse_resident_id("11010519491231002X")
    assert repr(resident) == str(resident) == "ResidentId(110105********002X)"
    assert f"{resident!r} {[resident]}".find("19491231") == -1
    assert resident.masked == "110105********002X"


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        ("19900615", date(1990, 6, 15), 0),
        ("19900615", date(2020, 6, 14), 29),
        ("19900615", date(2020, 6, 15), 30),
        ("19900615", date(2021, 1, 1), 30),
        ("19991231", date(2017, 12, 31), 18),
        ("19991231", date(2017, 12, 30), 17),
        # Born 29 February: the birthday is 1 March in non-leap years, 29 February in leap.
        ("20040229", date(2022, 2, 28), 17),
        ("20040229", date(2022, 3, 1), 18),
        ("20040229", date(2024, 2, 28), 19),
        ("20040229", date(2024, 2, 29), 20),
        ("20040229", date(2024, 3, 1), 20),
        ("20000229", date(2100, 2, 28), 99),  # 2100 is not a leap year
        ("20000229", date(2100, 3, 1), 100),
    ],
)
def test_age_on(born: str, day: date, age: int) -> None:
    assert parse_resident_id(make_id("110105", born)).age_on(day) == age


@pytest.mark.parametrize(
    ("day", "age"),
    [(date(1990, 6, 14), -1), (date(1989, 6, 15), -1), (date(1989, 6, 14), -2)],
)
def test_age_before_birth_is_negative_so_any_age_band_refuses(day: date, age: int) -> None:
    assert parse_resident_id(make_id("110105", "19900615")).age_on(day) == age


@given(birth_dates, st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_age_goes_up_by_one_exactly_on_each_birthday(born: date, day: date) -> None:
    resident = parse_resident_id(make_id("110105", f"{born:%Y%m%d}"))
    age = resident.age_on(day)
    years = day.year - born.year
    if (born.month, born.day) == (2, 29) and not calendar.isleap(day.year):
        birthday = date(day.year, 3, 1)
    else:
        birthday = born.replace(year=day.year)
    assert age == (years if day >= birthday else years - 1)


# --- refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "id.empty"),
        ("   ", "id.empty"),
        ("\u3000", "id.empty"),
        ("110105491231002", "id.length"),  # first-generation 15-digit number
        ("11010519491231002", "id.length"),
        ("11010519491231002X1", "id.length"),
        ("身份证11010519491231002X", "id.length"),
        ("11010519491231002Y", "id.chars"),
        ("1101051949123100X2", "id.chars"),
        ("X10105194912310020", "id.chars"),
        ("110105-19491231-02", "id.chars"),
        ("①1010519491231002X", "id.chars"),  # circled digits are not read as digits
        ("11010519491231002²", "id.chars"),
        ("110105194912310021", "id.checksum"),
        ("110105194912310020", "id.checksum"),
        (make_id("110105", "19700230"), "id.date"),
        (make_id("110105", "19700229"), "id.date"),  # 1970 is not a leap year
        (make_id("110105", "19001301"), "id.date"),
        (make_id("110105", "19000100"), "id.date"),
        (make_id("110105", "18991231"), "id.date"),
        (make_id("110105", "00000000"), "id.date"),
        (make_id("000000", "19900101"), "id.region"),
        (make_id("001234", "19900101"), "id.region"),
        (make_id("991234", "19900101"), "id.region"),
        (make_id("110000", "19900101"), "id.region"),  # a province is never the issuer
        (make_id("710000", "19900101"), "id.region"),  # Taiwan residents get 830000
        (make_id("710101", "19900101"), "id.region"),
        (make_id("811000", "19900101"), "id.region"),
        (make_id("160101", "19900101"), "id.region"),
        (make_id("911101", "19900101"), "id.region"),  # 2023 foreigners' residence number
    ],
)
def test_refused(text: str, code: str) -> None:
    refused = refusal(text)
    assert refused.code == code
    assert code in MESSAGES
    compact = "".join(text.split()).replace("x", "X")
    assert refused.params["masked"] == mask_id(compact)
    if code == "id.length":
        assert refused.params["length"] == len(compact)


def test_length_reported_after_folding() -> None:
    refused = refusal(" １１０１０５ ４９１２３１００２ ")
    assert (refused.code, refused.params) == (
        "id.length",
        {"masked": "11***********02", "length": 15},
    )


def test_future_birth_date_refused_only_against_a_given_today() -> None:
    number = make_id("110105", "20260102")
    assert parse_resident_id(number).birth_date == date(2026, 1, 2)
    assert parse_resident_id(number, today=date(2026, 1, 2)).birth_date == date(2026, 1, 2)
    assert refusal(number, today=date(2026, 1, 1)).code == "id.date"


def test_checksum_is_reported_before_date_and_region() -> None:
    body = "00000019700230123"
    wrong = "0" if check_digit(body) != "0" else "1"
    assert refusal(body + wrong).code == "id.checksum"


# --- no message, exception text or repr carries the number ------------------------------


LEAKY = [
    "11010519491231002Y",
    "110105194912310021",
    make_id("110105", "19700230"),
    make_id("990105", "19491231"),
    make_id("710105", "19491231"),
    "１１０１０５１９４９１２３１００２Ｙ",
    "11010519491231002X1",
    "1101051949123100",
]


@pytest.mark.parametrize("text", LEAKY)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_message_contains_the_number(text: str, lang: str) -> None:
    refused = refusal(text)
    compact = "".join(text.split())
    shown = [
        rendered(refused.code, refused.params, lang),
        str(refused),
        repr(refused),
        repr(refused.args),
        repr(refused.params),
    ]
    for piece in shown:
        assert compact not in piece
        assert "19491231" not in piece and "19700230" not in piece


@given(bodies, st.sampled_from(CHECK_CHARS))
def test_no_refusal_message_contains_the_number(body: str, char: str) -> None:
    number = body + char
    try:
        parse_resident_id(number, today=date(1999, 12, 31))
    except InputError as refused:
        for lang in ("zh", "en"):
            message = rendered(refused.code, refused.params, lang)
            assert number not in message and body[6:14] not in message


def test_messages_have_both_languages_and_only_known_params() -> None:
    params = {"masked": "110105********002X", "length": 15}
    for code, (zh, en) in MESSAGES.items():
        assert code.startswith(("id.", "phone."))
        assert zh.format(**params) and en.format(**params)
    assert set(MESSAGES) == {
        "id.empty",
        "id.excel_number",
        "id.length",
        "id.chars",
        "id.checksum",
        "id.date",
        "id.region",
        "phone.empty",
        "phone.invalid",
    }


# --- mobile numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86-138-0013-8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        (" 199 1234 5678 ", "19912345678"),
        ("１３８００１３８０００", "13800138000"),
        ("＋８６ １３８－００１３－８０００", "13800138000"),
        ("\u3000138\u00a00013\u00a08000", "13800138000"),
    ],
)
def test_mobile_accepted(text: str, number: str) -> None:
    assert parse_mobile(text) == number


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "phone.empty"),
        ("   ", "phone.empty"),
        ("-", "phone.empty"),
        ("12345678901", "phone.invalid"),
        ("1380013800", "phone.invalid"),
        ("2380013800x", "phone.invalid"),
        ("138001380000", "phone.invalid"),
        ("+86 12345678901", "phone.invalid"),
        ("86 1380013800", "phone.invalid"),
        ("+1 13800138000", "phone.invalid"),
        ("+86+8613800138000", "phone.invalid"),
        ("(010) 1380013800", "phone.invalid"),
        ("010-62345678", "phone.invalid"),
        ("①3800138000", "phone.invalid"),
        ("138 0013 800O", "phone.invalid"),
    ],
)
def test_mobile_refused(text: str, code: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_mobile(text)
    assert refused.value.code == code
    masked = refused.value.params["masked"]
    assert masked == mask_phone("".join(text.split()).replace("-", ""))
    for lang in ("zh", "en"):
        message = rendered(code, refused.value.params, lang)
        assert len(text) < 4 or "".join(text.split()) not in message


@given(
    st.builds(
        lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1)
    )
)
def test_every_mobile_shape_accepted_with_and_without_prefix(number: str) -> None:
    for prefix in ("", "+86", "0086", "86", "+86 ", "+86-"):
        assert parse_mobile(prefix + number) == number


# --- masking ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("410881199006151234", "410881********1234"),
        ("11010519491231002X", "110105********002X"),
        ("110105491231002", "11***********02"),
        ("1101051949123100X21", "11***************21"),
        ("12345678", "12****78"),
        ("1234567", "*******"),
        ("12", "**"),
        ("", ""),
    ],
)
def test_mask_id(number: str, masked: str) -> None:
    assert mask_id(number) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812345678", "138****5678"),
        ("1381234567", "********67"),
        ("2380013800x", "*********0x"),
        ("123", "*23"),
        ("12", "**"),
        ("", ""),
    ],
)
def test_mask_phone(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳娜娜", "欧***"),
        ("司马相", "司**"),
        ("买买提·艾力", "买*****"),
        (" 李四 ", "李*"),
        ("张", "*"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@given(st.text(min_size=2).filter(lambda name: name.strip() == name and len(name) >= 2))
def test_mask_name_keeps_only_the_first_character(name: str) -> None:
    masked = mask_name(name)
    assert masked == name[0] + "*" * (len(name) - 1)

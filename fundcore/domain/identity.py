"""Personal identifiers: resident ID numbers and mobile numbers, checked and masked.

Beneficiaries, guarantors and contacts are identified by their 18-character resident ID
number (公民身份号码, GB 11643-1999) and reached by mainland mobile number. Both arrive
typed by hand or pasted from spreadsheets, so parsing folds full-width characters and
spaces, then refuses, never guesses: a wrong ID attaches a loan to the wrong person.

These numbers are personal data. No refusal carries the number it refused: every error
has a ``masked`` parameter made by ``mask_id``/``mask_phone`` instead, and
``ResidentId`` prints itself masked, so neither messages nor logs can leak one.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from fundcore import messages
from fundcore.domain.errors import InputError

MESSAGES: dict[str, tuple[str, str]] = {
    "id.empty": ("请输入身份证号码", "please enter a resident ID number"),
    "id.length": (
        "身份证号码应为18位，输入的是{length}位：{masked}",
        "a resident ID number has 18 characters, this has {length}: {masked}",
    ),
    "id.chars": (
        "身份证号码应为17位数字加1位数字或X：{masked}",
        "a resident ID number is 17 digits followed by a digit or X: {masked}",
    ),
    "id.checksum": (
        "身份证号码校验位不符，请核对是否输错：{masked}",
        "the ID number's check character does not match; please check for a typo: {masked}",
    ),
    "id.date": (
        "身份证号码中的出生日期（第7-14位）无效：{masked}",
        "the birth date in the ID number (characters 7-14) is not a valid date: {masked}",
    ),
    "id.region": (
        "身份证号码前6位不是有效的地区代码：{masked}",
        "the first 6 characters of the ID number are not a valid region code: {masked}",
    ),
    "id.excel_number": (
        "身份证号码被 Excel 存成了数字（{masked}），末几位已丢失：请把这一列设为“文本”格式，"
        "再重新输入完整的18位号码",
        "Excel stored the ID number as a number ({masked}) and lost its last digits: format "
        "the column as Text, then type the full 18 characters again",
    ),
    "phone.empty": ("请输入手机号码", "please enter a mobile number"),
    "phone.invalid": (
        "无法识别的手机号码：{masked}（应为以13-19开头的11位号码，可带 +86）",
        "not a mainland mobile number: {masked} (11 digits starting 13-19, +86 allowed)",
    ),
}

ID_LENGTH = 18
EARLIEST_BIRTH_YEAR = 1900

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2**(17 - i) mod 11
_CHECK_CHARS = "10X98765432"  # check character for each remainder 0..10
_DIGITS = frozenset("0123456789")
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
#: what Excel shows for a long number stored as a number: 4.10881199001011E+17
_EXCEL_NUMBER = re.compile(r"[0-9](?:\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")
_PROVINCES = frozenset(
    str(code)
    for first, last in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65))
    for code in range(first, last + 1)
)
_RESIDENCE_PERMITS = frozenset({"810000", "820000", "830000"})  # Hong Kong, Macao, Taiwan
_SAFE_COMPAT = ("<wide>", "<noBreak>")  # full-width forms and no-break spaces only


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A checked resident ID number and what it says about its holder.

    ``gender`` is ``'M'`` or ``'F'`` (17th digit odd or even), ``region`` the six-digit
    address code where the number was first issued (not where the person lives now).
    ``repr``/``str`` show the number masked, so logging one cannot leak it; read
    ``number`` explicitly where the whole number is really needed.
    """

    number: str
    birth_date: date
    gender: str
    region: str

    def __repr__(self) -> str:
        return f"ResidentId({mask_id(self.number)})"

    @property
    def masked(self) -> str:
        """The number as it may be shown: ``410881********1234``."""
        return mask_id(self.number)

    @property
    def is_residence_permit(self) -> bool:
        """True for a Hong Kong, Macao or Taiwan residents' residence permit (81/82/83).

        Those permits carry an ID number of this same format; whether a programme
        accepts their holders is policy, decided by the caller, not here.
        """
        return self.region in _RESIDENCE_PERMITS

    def age_on(self, day: date) -> int:
        """Completed years of age on ``day``; the age goes up on the birthday itself.

        Someone born on 29 February has their birthday on 1 March in other years: on 28
        February they have not yet completed the year, on 1 March they have. (Comparing
        (month, day) pairs gives exactly that.) Where a legal threshold is counted "from
        the day after the birthday" (e.g. criminal-law 周岁), the caller adds that day.

        Before the birth date the result is negative (-1 on the day before), not an
        error: an age band then refuses the person instead of an exception stopping a
        whole batch. To refuse such numbers at the edge, parse them with ``today``.
        """
        born = self.birth_date
        before_birthday = (day.month, day.day) < (born.month, born.day)
        return day.year - born.year - before_birthday


def check_digit(first17: str) -> str:
    """The GB 11643-1999 check character (``0``-``9`` or ``X``) for 17 digits.

    ISO 7064 MOD 11-2: weights 2**(17-i) mod 11, and the check character is the one that
    makes the weighted sum of all 18 (``X`` = 10, weight 1) leave remainder 1. It catches
    every single mistyped digit and every swap of two neighbouring digits.

    Raises ``ValueError`` unless given exactly 17 ASCII digits: a programming error.
    """
    if len(first17) != ID_LENGTH - 1 or not _DIGITS.issuperset(first17):
        raise ValueError("check_digit needs exactly 17 ASCII digits")
    total = sum(map(operator.mul, _WEIGHTS, map(int, first17)))  # lengths checked above
    return _CHECK_CHARS[total % 11]


def parse_resident_id(text: str, *, today: date | None = None) -> ResidentId:
    """Check an 18-character resident ID number as typed and return what it says.

    Folds before checking: surrounding and inner spaces (also full-width ones) are
    removed, full-width digits and ``Ｘ`` become ASCII, ``x`` becomes ``X``. Other
    compatibility characters (``①``, ``²``) are refused, not read as digits.

    Refuses (``InputError``, its ``masked`` param the folded input through ``mask_id``),
    in this order so the first problem a person can fix is the one reported:
    ``id.empty``; ``id.excel_number`` for what Excel shows of a number stored as one
    (``4.10881199001011E+17``: the digits are lost, the cell must be made text);
    ``id.length`` (with ``length``; old 15-digit numbers end here: they
    carry no check character and their cards stopped being valid in 2013);
    ``id.chars`` unless 17 digits and a digit or ``X``; ``id.checksum``; ``id.region``
    (see ``_plausible_region``); ``id.date`` unless characters 7-14 are a real YYYYMMDD
    date in 1900 or later and, when ``today`` is given, not after it. Without ``today``
    there is no future check: the core has no clock of its own, callers pass the business
    date.
    """
    folded = _fold(text)
    compact = (folded if folded is not None else "".join(text.split())).replace("x", "X")
    if not compact:
        raise InputError("id.empty", masked=mask_id(compact))
    if _EXCEL_NUMBER.fullmatch(compact):  # the digits are gone: say how to keep them
        raise InputError("id.excel_number", masked=mask_id(compact))
    if len(compact) != ID_LENGTH:
        raise InputError("id.length", masked=mask_id(compact), length=len(compact))
    if folded is None or not _ID_SHAPE.fullmatch(compact):
        raise InputError("id.chars", masked=mask_id(compact))
    if check_digit(compact[:17]) != compact[17]:
        raise InputError("id.checksum", masked=mask_id(compact))
    if not _plausible_region(compact[:6]):
        raise InputError("id.region", masked=mask_id(compact))
    birth_date = _birth_date(compact[6:14], today)
    if birth_date is None:
        raise InputError("id.date", masked=mask_id(compact))
    gender = "M" if int(compact[16]) % 2 else "F"
    return ResidentId(number=compact, birth_date=birth_date, gender=gender, region=compact[:6])


def _plausible_region(code: str) -> bool:
    """Whether six digits could be the address code of an issued ID number.

    Deliberately loose: numbers keep the code of the county that first issued them, and
    counties are merged, renamed and abolished every year, so a current list of codes
    would refuse real people. Only clearly impossible prefixes are refused:

    - the first two digits must be a mainland province-level code (11-15, 21-23, 31-37,
      41-46, 50-54, 61-65; the set has not changed since codes were first issued in the
      1980s: Hainan 46 and Chongqing 50 are additions, none was removed), and the rest
      must not be ``0000``, which names the province itself, never an issuing county;
    - or exactly ``810000``/``820000``/``830000``: the residence permits for Hong Kong,
      Macao and Taiwan residents (since 2018) use this number format with these codes.

    ``71`` (Taiwan in GB/T 2260) is refused: no number is issued under it; Taiwan
    residents get ``830000`` permits, and those registered on the mainland get the local
    county's code. The 2023 foreigners' permanent-residence number (leading ``9``) is not
    a resident ID number and is refused too.
    """
    if code in _RESIDENCE_PERMITS:
        return True
    return code[:2] in _PROVINCES and code[2:] != "0000"


def _birth_date(digits: str, today: date | None) -> date | None:
    """The birth date written as YYYYMMDD, or None if it is not a plausible one."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if year < EARLIEST_BIRTH_YEAR:
        return None
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    if today is not None and born > today:
        return None
    return born


def parse_mobile(text: str) -> str:
    """Check a mainland mobile number as typed and return its 11 digits.

    Folds full-width characters, removes spaces and hyphens (``138-0013-8000``,
    ``+86 138 0013 8000``) and one leading ``+86``/``0086``/``86``, then requires
    ``1[3-9]`` and nine more digits. Refuses ``phone.empty`` and ``phone.invalid``
    (``masked`` param: the cleaned input through ``mask_phone``).
    """
    folded = _fold(text)
    compact = folded if folded is not None else text
    compact = "".join(compact.split()).replace("-", "")
    if not compact:
        raise InputError("phone.empty", masked=mask_phone(compact))
    match = _MOBILE.fullmatch(compact) if folded is not None else None
    if match is None:
        raise InputError("phone.invalid", masked=mask_phone(compact))
    return match[1]


def _fold(text: str) -> str | None:
    """NFKC-fold full-width forms and no-break spaces; None if other compatibility forms.

    NFKC alone would read ``①`` as ``1`` and ``²`` as ``2``: a typed ID or phone number
    never legitimately contains them, so their presence means the text is not one.
    """
    if text.isascii():  # what nearly every cell is; NFKC leaves ASCII as it is
        return "".join(text.split())
    for char in text:
        if char.isspace() or unicodedata.normalize("NFKC", char) == char:
            continue
        if unicodedata.decomposition(char).split(" ", 1)[0] not in _SAFE_COMPAT:
            return None
    return "".join(unicodedata.normalize("NFKC", text).split())


def mask_id(number: str) -> str:
    """An ID number as it may be shown: ``410881********1234``.

    Eighteen characters keep the region (first 6) and the last 4, hiding the birth date
    exactly. Other text of 8 or more characters keeps only its first 2 and last 2, so a
    mistyped number is recognisable but not recoverable; shorter text is all stars.
    Length is always kept, which helps explain a length error.
    """
    if len(number) == ID_LENGTH:
        return f"{number[:6]}{'*' * 8}{number[-4:]}"
    if len(number) >= 8:
        return f"{number[:2]}{'*' * (len(number) - 4)}{number[-2:]}"
    return "*" * len(number)


def mask_phone(number: str) -> str:
    """A mobile number as it may be shown: ``138****5678`` (for 11 digits).

    Anything else is all stars except its last 2 characters; 2 characters or fewer are
    all stars, since keeping "the last 2" would show them whole.
    """
    if len(number) == 11 and _DIGITS.issuperset(number):
        return f"{number[:3]}****{number[-4:]}"
    if len(number) <= 2:
        return "*" * len(number)
    return f"{'*' * (len(number) - 2)}{number[-2:]}"


def mask_name(name: str) -> str:
    """A name hinted but not shown: ``张*``, ``欧阳娜娜`` → ``欧***``.

    Keeps the first character only, one star per remaining character. Compound surnames
    (欧阳, 司马) are not kept whole: telling them from a one-character surname needs a
    list and still guesses wrong, and keeping two characters of a three-character name
    shows too much. A one-character name becomes ``*``; surrounding spaces are dropped.
    """
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    return f"{name[0]}{'*' * (len(name) - 1)}"


messages.register(MESSAGES)

"""From a sheet row (or the options of ``fund apply``) to a validated ``ApplicationIn``.

Every field is checked and every problem of a row is reported, each naming its column,
so a county league secretary can fix the whole row at once. Accepts what real sheets
carry: Chinese or English values, 是/否, yes/no, 1/0, amounts as 50,000.00 or 5万.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from fundcore.domain.errors import InputError
from fundcore.domain.identity import ResidentId, parse_mobile, parse_resident_id
from fundcore.domain.money import parse_yuan
from fundcore.domain.refs import check_ref
from fundcore.domain.terms import Instrument, LocalSupportKind
from fundcore.domain.text import check_text
from fundcore.intake.related import parse_enterprise_code, parse_household_ref

INSTRUMENT_NAMES = {
    "担保贷款": Instrument.GUARANTEE,
    "贷款担保": Instrument.GUARANTEE,
    "guarantee": Instrument.GUARANTEE,
    "免息借款": Instrument.LOAN,
    "loan": Instrument.LOAN,
    "小额资助": Instrument.GRANT,
    "grant": Instrument.GRANT,
}
SUPPORT_NAMES = {
    "反担保": LocalSupportKind.COUNTER_GUARANTEE,
    "counter-guarantee": LocalSupportKind.COUNTER_GUARANTEE,
    "1:1配资": LocalSupportKind.MATCHING,
    "配资": LocalSupportKind.MATCHING,
    "1:1 matching": LocalSupportKind.MATCHING,
    "matching": LocalSupportKind.MATCHING,
}
FLAG_NAMES = {
    "是": True,
    "否": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}
PROJECT_TYPES = {
    "家庭农场": "family_farm",
    "农民合作社": "cooperative",
    "农业社会化服务组织": "agri_service",
    "手工作坊": "workshop",
    "乡村车间": "village_workshop",
    "小微企业": "small_business",
}
INDUSTRIES = {
    "设施农业": "facility_agriculture",
    "规模种养业": "farming",
    "农产品加工业": "processing",
    "民俗民族工艺产业": "folk_crafts",
    "休闲农业与乡村旅游": "rural_tourism",
    "农产品流通与电子商务": "ecommerce",
}
_TERM = re.compile(r"^(\d{1,3})\s*(个月|月|months?)?$", re.IGNORECASE)
_SPLIT_IDS = re.compile(r"[;；,，、\s]+")
_SIX_DIGITS = re.compile(r"[0-9]{6}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class ApplicationIn:
    """An application as submitted: every field parsed and checked, nothing screened."""

    ref: str
    name: str
    applicant: ResidentId
    phone: str
    county_code: str
    registered_poor: bool
    project_name: str
    project_type: str | None
    industry: str | None
    instrument: Instrument
    amount_fen: int
    term_months: int | None
    bank: str | None
    local_support: LocalSupportKind | None
    employed: tuple[ResidentId, ...]
    #: related parties, as declared (optional): 户口簿户号 and 统一社会信用代码
    household_ref: str | None = None
    enterprise_code: str | None = None

    def content_hash(self) -> str:
        """Hash of what was submitted, so a replayed row is told from a changed one."""
        doc = [
            self.ref,
            self.name,
            self.applicant.number,
            self.phone,
            self.county_code,
            self.registered_poor,
            self.project_name,
            self.project_type,
            self.industry,
            self.instrument,
            self.amount_fen,
            self.term_months,
            self.bank,
            self.local_support,
            sorted(e.number for e in self.employed),
        ]
        if self.household_ref or self.enterprise_code:  # the hash of one without is kept
            doc.append([self.household_ref, self.enterprise_code])
        return hashlib.sha256(json.dumps(doc, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field's problem: the sheet column (or option) and the message code."""

    column: str
    code: str
    params: dict[str, object]


def _text(limit: int, field: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        check_text(field, value)  # names the code point of a control/bidi/zero-width char
        if len(value) > limit or _CONTROL.search(value):
            raise InputError("intake.bad_text", limit=limit)
        return value

    return parse


def _ref(value: str) -> str:
    """A county's ref in its one form (``domain.refs``): ``dup-1`` and ``ＤＵＰ-1`` are one."""
    return check_ref(value) or ""


def _choice(table: Mapping[str, object], column: str) -> Callable[[str], object]:
    lookup: dict[str, object] = {}
    for name, result in table.items():  # first spelling wins, as a scan in order would
        lookup.setdefault(name.lower(), result)
        if isinstance(result, str):
            lookup.setdefault(result, result)

    def parse(value: str) -> object:
        key = value.strip().lower().replace("：", ":")
        if key in lookup:
            return lookup[key]
        raise InputError(
            "intake.bad_choice",
            column=column,
            value=value[:40],
            choices="、".join(k for k in table if not k.isascii()) or ", ".join(table),
        )

    return parse


def _term(value: str) -> int:
    m = _TERM.match(value)
    if not m:
        raise InputError("intake.bad_term", value=value[:20])
    return int(m.group(1))


def _county(value: str) -> str:
    """Six digits; whether they name a county of the programme is the register's to say
    (the county rule), not a shape check's."""
    value = value.removesuffix(".0")
    if not _SIX_DIGITS.fullmatch(value):
        raise InputError("intake.bad_county_code", value=value[:20])
    return value


def _employed(value: str) -> tuple[ResidentId, ...]:
    return tuple(parse_resident_id(p) for p in _SPLIT_IDS.split(value) if p)


_PARSERS: dict[str, Callable[[str], object]] = {
    "ref": _ref,
    "name": _text(50, "name"),
    "id_number": parse_resident_id,
    "phone": parse_mobile,
    "county_code": _county,
    "registered_poor": _choice(FLAG_NAMES, "registered_poor"),
    "project_name": _text(200, "project_name"),
    "project_type": _choice(PROJECT_TYPES, "project_type"),
    "industry": _choice(INDUSTRIES, "industry"),
    "instrument": _choice(INSTRUMENT_NAMES, "instrument"),
    "amount": parse_yuan,
    "term_months": _term,
    "bank": _text(100, "bank"),
    "local_support": _choice(SUPPORT_NAMES, "local_support"),
    "employed_poor_ids": _employed,
    "household_ref": parse_household_ref,
    "enterprise_code": parse_enterprise_code,
}
REQUIRED = (
    "ref",
    "name",
    "id_number",
    "phone",
    "county_code",
    "registered_poor",
    "project_name",
    "instrument",
    "amount",
)


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """A row read: the application (None when a field is bad), the field problems, the
    notes (superfluous cells ignored, the row still taken) and every field that parsed,
    so the rules that need only good fields can still screen a row with a bad one."""

    app: ApplicationIn | None
    errors: list[FieldError]
    notes: list[FieldError]
    fields: dict[str, object]
    #: the fields that are unknown because their cell was bad or required and empty
    failed: frozenset[str]


def parse_application(values: Mapping[str, str]) -> tuple[ApplicationIn | None, list[FieldError]]:
    """The application a row describes, or every problem with the row."""
    row = read_application(values)
    return row.app, row.errors


def read_application(values: Mapping[str, str]) -> ParsedRow:
    """The application a row describes, every problem with it, and what was ignored.

    Only what is wrong or ambiguous is refused. A cell that is superfluous but harmless
    (a partner bank on an interest-free loan or a grant, where no bank takes part; the
    applicant listed among the youth they employ, who is never counted there) is
    dropped with a note, so a county's otherwise good rows are not lost to it.
    """
    parsed: dict[str, object] = {}
    errors: list[FieldError] = []
    notes: list[FieldError] = []
    for key, parser in _PARSERS.items():
        raw = (values.get(key) or "").strip()
        if not raw:
            if key in REQUIRED:
                errors.append(FieldError(key, "intake.required", {}))
            continue
        try:
            parsed[key] = parser(raw)
        except InputError as err:
            errors.append(FieldError(key, err.code, err.params))
    instrument = parsed.get("instrument")
    if parsed.get("bank") and instrument is not None and instrument != Instrument.GUARANTEE:
        del parsed["bank"]
        notes.append(FieldError("bank", "intake.bank_ignored", {"instrument": instrument}))
    applicant, employed = parsed.get("id_number"), parsed.get("employed_poor_ids")
    if isinstance(applicant, ResidentId) and isinstance(employed, tuple):
        others = tuple(e for e in employed if e.number != applicant.number)
        if len(others) < len(employed):
            parsed["employed_poor_ids"] = others
            notes.append(FieldError("employed_poor_ids", "intake.applicant_employed_ignored", {}))
    failed = frozenset(e.column for e in errors)
    if errors:
        return ParsedRow(None, errors, notes, parsed, failed)
    return ParsedRow(_build(parsed), [], notes, parsed, failed)


#: sheet field -> the ``eligibility.Candidate`` field it gives
_CANDIDATE_OF = {
    "instrument": "instrument",
    "amount": "amount_fen",
    "term_months": "term_months",
    "county_code": "county_code",
    "local_support": "local_support",
    "registered_poor": "registered_poor",
    "id_number": "applicant",
    "employed_poor_ids": "employed",
}
_EMPTY_AS = {"employed_poor_ids": ()}


def candidate_fields(row: ParsedRow) -> dict[str, object]:
    """The ``Candidate`` fields a row gives, those of its bad cells left out: what the
    rules that can still be evaluated on a bad row read (an optional cell left empty
    is known to be empty)."""
    known: dict[str, object] = {}
    for key, name in _CANDIDATE_OF.items():
        if key in row.failed:
            continue
        if key in row.fields:
            known[name] = row.fields[key]
        elif key not in REQUIRED:
            known[name] = _EMPTY_AS.get(key)
    return known


def _build(p: dict[str, object]) -> ApplicationIn:
    """The application from its parsed fields (every required one present)."""
    return ApplicationIn(
        ref=_required(p, "ref", str),
        name=_required(p, "name", str),
        applicant=_required(p, "id_number", ResidentId),
        phone=_required(p, "phone", str),
        county_code=_required(p, "county_code", str),
        registered_poor=_required(p, "registered_poor", bool),
        project_name=_required(p, "project_name", str),
        project_type=_optional(p, "project_type", str),
        industry=_optional(p, "industry", str),
        instrument=_required(p, "instrument", Instrument),
        amount_fen=_required(p, "amount", int),
        term_months=_optional(p, "term_months", int),
        bank=_optional(p, "bank", str),
        local_support=_optional(p, "local_support", LocalSupportKind),
        employed=_optional(p, "employed_poor_ids", tuple) or (),
        household_ref=_optional(p, "household_ref", str),
        enterprise_code=_optional(p, "enterprise_code", str),
    )


def _optional(parsed: dict[str, object], key: str, kind: type[V]) -> V | None:
    """A parsed field, None when the row left it empty; of the type its parser gives."""
    value = parsed.get(key)
    if value is None:
        return None
    if not isinstance(value, kind):
        raise TypeError(f"{key}: {type(value).__name__}, not {kind.__name__}")
    return value


def _required(parsed: dict[str, object], key: str, kind: type[V]) -> V:
    value = _optional(parsed, key, kind)
    if value is None:
        raise TypeError(f"{key} is required")
    return value

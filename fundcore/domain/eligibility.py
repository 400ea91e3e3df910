"""Eligibility: each programme rule is a small named function over a candidate and policy.

A rule returns a ``RuleResult`` (pass or fail, with a message code and its figures),
never raises, so ``fund review`` can show every rule's verdict and an import can report
every failed rule of a row. Sources of the rules: DOMAIN.md §2 ([000 三(五)1] and the
programme's scope [000 一]).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fundcore.domain.identity import ResidentId, mask_id
from fundcore.domain.policy import Policy
from fundcore.domain.terms import Instrument, LocalSupportKind


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the rules look at: an application as submitted, with its applicant."""

    instrument: Instrument
    amount_fen: int
    term_months: int | None
    county_code: str
    local_support: LocalSupportKind | None
    registered_poor: bool
    applicant: ResidentId
    employed: tuple[ResidentId, ...]
    submitted_on: date


@dataclass(frozen=True, slots=True)
class Facts:
    """What the database knows that the rules need, looked up once per batch."""

    county_known: bool
    #: instruments the applicant already holds open (another application or facility), as
    #: stored (an ``Instrument`` equals its stored word)
    open_instruments: frozenset[str] = field(default_factory=frozenset)
    #: employed youth's ID number -> the other open project counting them (its county
    #: and ref), for the one-project-at-a-time rule
    employed_elsewhere: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: how many counties the register holds, for the message of a code not in it
    register_size: int | None = None


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: str
    passed: bool
    code: str
    params: dict[str, object] = field(default_factory=dict)
    #: the sheet column a failure is about, for row errors
    column: str | None = None


Rule = Callable[[Candidate, Policy, Facts], RuleResult]


def _ok(rule: str, **params: object) -> RuleResult:
    return RuleResult(rule, True, f"rule.{rule}.ok", params)


def _fail(rule: str, column: str, **params: object) -> RuleResult:
    return RuleResult(rule, False, f"rule.{rule}.fail", params, column)


def county_in_register(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    if f.county_known:
        return _ok("county", code=c.county_code)
    if f.register_size is None:
        return _fail("county", "county_code", code=c.county_code)
    return RuleResult(
        "county",
        False,
        "rule.county.fail_of",
        {"code": c.county_code, "size": f.register_size},
        "county_code",
    )


def amount_in_band(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    low, high = (
        (1, p.grant_max_fen)
        if c.instrument == Instrument.GRANT
        else (p.amount_min_fen, p.amount_max_fen)
    )
    params = {"amount": c.amount_fen, "min": low, "max": high}
    if low <= c.amount_fen <= high:
        return _ok("amount", **params)
    return _fail("amount", "amount", **params)


def term_in_band(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    if c.instrument == Instrument.GRANT:
        return _ok("term_grant")
    params = {"term": c.term_months, "min": p.term_min_months, "max": p.term_max_months}
    if c.term_months is not None and p.term_min_months <= c.term_months <= p.term_max_months:
        return _ok("term", **params)
    return _fail("term", "term_months", **params)


def local_support_declared(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    if c.instrument == Instrument.GRANT:
        return _ok("local_support_grant")
    if c.local_support in p.local_support_kinds:
        return _ok("local_support", kind=c.local_support)
    return _fail("local_support", "local_support", kind=c.local_support or "")


def employs_poor_youth(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    """A leader not from a registered poor household must employ poor-household youth."""
    if c.registered_poor:
        return _ok("employment_poor_leader")
    counted = {
        e.number
        for e in c.employed
        if e.number != c.applicant.number
        and p.employee_age_min <= e.age_on(c.submitted_on) <= p.employee_age_max
    }
    params = {"count": len(counted), "min": p.min_poor_youth_employed}
    if len(counted) >= p.min_poor_youth_employed:
        return _ok("employment", **params)
    return _fail("employment", "employed_poor_ids", **params)


def age_in_band(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    age = c.applicant.age_on(c.submitted_on)
    params = {"age": age, "min": p.age_min, "max": p.age_max}
    if p.age_min <= age <= p.age_max:
        return _ok("age", **params)
    return _fail("age", "id_number", **params)


def no_open_same_instrument(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    if c.instrument in f.open_instruments:
        return _fail("no_open", "instrument", instrument=c.instrument)
    return _ok("no_open", instrument=c.instrument)


def employee_not_applicant(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    """The youth a project employs are others: the applicant does not employ themself."""
    if any(e.number == c.applicant.number for e in c.employed):
        return _fail("employee_not_applicant", "employed_poor_ids", id=mask_id(c.applicant.number))
    return _ok("employee_not_applicant")


def employed_in_one_project(c: Candidate, p: Policy, f: Facts) -> RuleResult:
    """Per policy, an employed poor youth counts for one open project at a time: each
    one another open project already counts is named, with that project masked."""
    if not p.employee_one_project:
        return _ok("employed_once_off")
    taken = sorted({e.number for e in c.employed if e.number in f.employed_elsewhere})
    if not taken:
        return _ok("employed_once")
    conflicts = "；".join(
        f"{mask_id(n)} ↔ {f.employed_elsewhere[n][0]}/{mask_id(f.employed_elsewhere[n][1])}"
        for n in taken
    )
    return _fail("employed_once", "employed_poor_ids", count=len(taken), conflicts=conflicts)


RULES: tuple[Rule, ...] = (
    county_in_register,
    amount_in_band,
    term_in_band,
    local_support_declared,
    employs_poor_youth,
    employee_not_applicant,
    employed_in_one_project,
    age_in_band,
    no_open_same_instrument,
)


#: the ``Candidate`` fields each rule reads (``submitted_on`` is always known)
READS: dict[Rule, frozenset[str]] = {
    county_in_register: frozenset({"county_code"}),
    amount_in_band: frozenset({"instrument", "amount_fen"}),
    term_in_band: frozenset({"instrument", "term_months"}),
    local_support_declared: frozenset({"instrument", "local_support"}),
    employs_poor_youth: frozenset({"registered_poor", "employed", "applicant"}),
    employee_not_applicant: frozenset({"employed", "applicant"}),
    employed_in_one_project: frozenset({"employed"}),
    age_in_band: frozenset({"applicant"}),
    no_open_same_instrument: frozenset({"instrument", "applicant"}),
}
CANDIDATE_FIELDS = frozenset(Candidate.__dataclass_fields__) - {"submitted_on"}


def screen(c: Candidate, policy: Policy, facts: Facts) -> list[RuleResult]:
    """Every rule's verdict, in a fixed order."""
    return [rule(c, policy, facts) for rule in RULES]


def screen_known(
    known: Mapping[str, object], on: date, policy: Policy, facts: Facts
) -> list[RuleResult]:
    """The verdicts of the rules a row with bad cells can still be given.

    ``known`` holds the ``Candidate`` fields whose cells were good (None for an optional
    one left empty); a rule runs only when every field it reads is among them, so a
    secretary sees a row's rule problems together with its field problems, in one pass,
    and no rule is judged on a value that was never read. The fields left out are given
    as None to a candidate no rule reading them is shown.
    """
    values: dict[str, Any] = {name: known.get(name) for name in CANDIDATE_FIELDS}
    c = Candidate(**values, submitted_on=on)
    return [rule(c, policy, facts) for rule in RULES if READS[rule] <= known.keys()]


def failures(results: list[RuleResult]) -> list[RuleResult]:
    return [r for r in results if not r.passed]

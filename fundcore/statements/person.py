"""The statements of one facility and of one youth (创业档案), as data.

Both read a handful of rows (one facility's schedule and payments, one person's
applications), found through ``statements.records`` and ``statements.archive``;
identifiers leave masked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection

from fundcore.domain.errors import RuleBroken
from fundcore.domain.identity import mask_id, mask_name, mask_phone
from fundcore.domain.terms import Instrument
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import by_version, in_force_or_first
from fundcore.statements import archive, common, portfolio, records, regions
from fundcore.statements.model import (
    ArchiveStatement,
    FacilityRow,
    FacilityStatement,
    Parameter,
    PaymentRow,
    Person,
    ScheduleRow,
    Scope,
    StatementHeader,
    SupportRow,
)
from fundcore.store.rows import FacilityRow as FacilityRecord

# --- a facility ----------------------------------------------------------------------------


def facility_statement(
    conn: Connection,
    operator: str | None,
    facility_id: int,
    *,
    verify_chain: bool = False,
    command: str = "",
    lang: str = "zh",
    as_of: date | None = None,
) -> FacilityStatement:
    """One facility: terms, schedule, payments and balance (identifiers masked) — as it
    stands at its last day close, or as it stood at the end of ``as_of`` (the schedule
    version then in force, what had been paid by then, its status and arrears then)."""
    actor = authorise(conn, operator, "statements.facility")
    on_file = records.load_facility(conn, actor, facility_id)
    fac, instalments, arrears = on_file.facility, None, None
    if as_of is not None:
        limit = in_force_or_first(conn, as_of).policy.default_after_days
        then = records.facility_then(conn, fac, as_of, limit)
        if then is None:
            raise RuleBroken("schedule.not_yet_approved", id=facility_id, date=as_of.isoformat())
        fac, instalments, arrears = then.facility, then.instalments, then.arrears_fen
    rows, total = records.schedule(conn, fac, instalments)
    paid = tuple(
        p for p in records.payments(conn, [facility_id]) if as_of is None or p.paid_on <= as_of
    )
    guarantee = fac.instrument == Instrument.GUARANTEE
    subsidy_bp = _subsidy_bp(conn, fac.policy_version)
    name_zh, name_en = _county_names(on_file)
    head = _facility_header(conn, actor, on_file, fac, paid, command, as_of)
    return FacilityStatement(
        header=head,
        facility_id=str(facility_id),
        borrower_name=mask_name(on_file.person_name),
        borrower_id_masked=mask_id(on_file.id_number),
        borrower_phone_masked=mask_phone(on_file.phone),
        county_code=fac.county_code,
        county_name_zh=name_zh,
        county_name_en=name_en,
        instrument=fac.instrument,
        status=fac.status,
        principal_fen=fac.principal_fen,
        rate_bp=(fac.annual_rate_bp or 0) if guarantee else 0,
        subsidy_bp=subsidy_bp if guarantee else None,
        term_months=fac.term_months or 0,
        approved_on=fac.approved_on,
        disbursed_on=fac.disbursed_on,
        maturity_on=_maturity(rows),
        lender_zh=(fac.bank or "") if guarantee else "",
        lender_en="",
        coverage_bp=fac.coverage_bp if guarantee else None,
        schedule=rows,
        schedule_total=total,
        payments=paid,
        payments_total_fen=sum(p.amount_fen for p in paid),
        balance=records.balance(conn, fac, rows, arrears),
        balance_fen=records.balance_due(fac),
        integrity=common.integrity_block(conn, verify_chain, lang, as_of=head.period_to),
    )


def _county_names(on_file: records.FacilityOnFile) -> tuple[str, str]:
    """The facility's county as the statement names it, in Chinese and English."""
    en = regions.province_en(on_file.facility.county_code)
    name_en = f"{on_file.county_name}, {en}" if en else ""
    return f"{on_file.province}{on_file.county_name}", name_en


def _subsidy_bp(conn: Connection, policy_version: int) -> int:
    """The interest subsidy of the policy the facility was approved under."""
    return by_version(conn, policy_version).policy.interest_subsidy_bp


def _maturity(rows: Sequence[ScheduleRow]) -> date | None:
    return rows[-1].due_date if rows else None


def _facility_header(
    conn: Connection,
    actor: Actor,
    on_file: records.FacilityOnFile,
    fac: FacilityRecord,
    paid: Sequence[PaymentRow],
    command: str,
    day: date | None,
) -> StatementHeader:
    """From approval to ``day``, or without one to the latest of the last day close,
    pay-out and payments.

    The document number and the integrity block are as of that last day (the highest
    entry dated on or before it), like a period statement's (``statements.common``).
    """
    if day is None:
        through = portfolio.latest_close(conn)
        dates = [through, fac.approved_on, fac.disbursed_on, *(p.paid_on for p in paid)]
        day = max(d for d in dates if d is not None)
    params = common.parameters(actor, day, fac.policy_version)
    params.insert(1, Parameter("还款计划版本", "Schedule version", str(fac.schedule_version)))
    name_zh, name_en = _county_names(on_file)
    return common.header(
        conn,
        Scope("facility", str(fac.id), name_zh, name_en),
        (fac.approved_on, day),
        params,
        command,
        f"FA-{fac.id}-{common.head_seq_as_of(conn, day)}",
    )


# --- a youth's record ----------------------------------------------------------------------


def archive_statement(
    conn: Connection,
    operator: str | None,
    id_or_person: str,
    *,
    verify_chain: bool = False,
    command: str = "",
    lang: str = "zh",
) -> ArchiveStatement:
    """A youth's 创业档案, found by an application/facility id or a resident ID number."""
    actor = authorise(conn, operator, "applications.read")
    person_id = archive.find_person(conn, actor, id_or_person)
    apps = archive.person_applications(conn, actor, person_id)
    who = archive.applicant(conn, person_id)
    ids = [a.id for a in apps]
    facilities = records.facility_rows(conn, ids=ids)
    paid = records.payments(conn, [int(f.facility_id) for f in facilities], borrower_only=True,
                           label=True)  # fmt: skip
    support = archive.support_rows(facilities)
    period = _archive_period(apps, paid, facilities)
    return ArchiveStatement(
        header=common.header(
            conn,
            Scope("person", f"P{person_id}", mask_name(who.name), mask_name(who.name)),
            period,
            [Parameter("生成人", "Generated by", actor.name)],
            command,
            f"AR-{person_id}-{common.head_seq_as_of(conn, period[1])}",
        ),
        person=_person(conn, who, apps),
        applications=archive.application_rows(conn, apps),
        facilities=facilities,
        payments=paid,
        payments_total_fen=sum(p.amount_fen for p in paid),
        support=support,
        support_total_fen=_support_total(support),
        integrity=common.integrity_block(conn, verify_chain, lang, as_of=period[1]),
    )


def _archive_period(
    apps: Sequence[archive.ApplicationOnFile],
    paid: Sequence[PaymentRow],
    facilities: Sequence[FacilityRow],
) -> tuple[date, date]:
    """From the first application to the last event on file."""
    dates = [a.submitted_on for a in apps] + [p.paid_on for p in paid]
    dates += [f.disbursed_on for f in facilities if f.disbursed_on]
    return min(dates), max(dates)


def _person(
    conn: Connection, who: archive.PersonOnFile, apps: Sequence[archive.ApplicationOnFile]
) -> Person:
    """Who the youth is, as of their latest application (identifiers masked)."""
    latest = apps[-1]
    en = regions.province_en(latest.county_code)
    return Person(
        name_masked=mask_name(who.name),
        id_masked=mask_id(who.id_number),
        phone_masked=mask_phone(latest.phone),
        county_code=latest.county_code,
        county_name_zh=latest.county_name,
        county_name_en=f"{latest.county_name}, {en}" if en else "",
        province_name_zh=latest.province,
        province_name_en=en,
        poor_household=any(a.registered_poor for a in apps),
        poor_youth_employed_count=archive.employed_count(conn, [a.id for a in apps]),
    )


def _support_total(support: Sequence[SupportRow]) -> int:
    return sum(s.amount_fen or 0 for s in support)

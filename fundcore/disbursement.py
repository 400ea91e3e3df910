"""Money out: a loan paid to the borrower, a guarantee issued, a grant paid.

One balanced entry per facility, in the same transaction as the state change and the
schedule, under the fund lock. Refused until the facility's local support is in place.
- interest-free loan: loans receivable against bank; the repayment schedule is created;
- guarantee: the bank loan is recorded (bank, principal, rate, term, start) and the
  deposit placed with the bank (存出保证金 against bank); the exposure is already on;
- micro-grant: paid as programme cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from sqlalchemy import Connection, select, update

from fundcore import audit, capacity, chart, journal, local_support, plans
from fundcore.errors import InputError, NotFound, RuleBroken
from fundcore.ledger import EntryDraft, Line, credit, debit
from fundcore.models import Facility
from fundcore.operators import authorise
from fundcore.policy import in_force

_fac = Facility.__table__
_RATE = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?%?$")


@dataclass(frozen=True, slots=True)
class DisburseOut:
    facility_id: int
    instrument: str
    cash_fen: int
    entry_seq: int
    instalments: int
    #: years whose holiday notice is not loaded: their due dates only avoid weekends
    unknown_years: tuple[int, ...] = ()


def parse_rate(text: str) -> int:
    """An annual rate in percent ('4.75' or '4.75%') as hundredths of a percent (475)."""
    m = _RATE.match(text.strip())
    if not m:
        raise InputError("disburse.bad_rate", text=text)
    bp = int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))
    if bp > 2_400:
        raise InputError("disburse.bad_rate", text=text)
    return bp


def disburse(
    conn: Connection,
    operator: str | None,
    facility_id: int,
    on: date,
    bank: str | None = None,
    rate_bp: int | None = None,
) -> DisburseOut:
    actor = authorise(conn, operator, "facilities.disburse")
    capacity.lock_fund(conn)
    fac = conn.execute(select(_fac).where(_fac.c.id == facility_id).with_for_update()).first()
    if fac is None:
        raise NotFound("facility.not_found", id=facility_id)
    if fac.status != "approved":
        raise RuleBroken("disburse.not_approved", id=facility_id, status=fac.status)
    if on < fac.approved_on:
        raise RuleBroken("disburse.before_approval", date=fac.approved_on.isoformat())
    if not local_support.in_place(conn, fac):
        raise RuleBroken(
            "disburse.no_local_support",
            id=facility_id,
            kind=fac.local_support_kind or "",
            received=local_support.received(conn, fac.id, "matching"),
            required=fac.matching_required_fen,
        )
    bank, rate_bp = _bank_terms(fac, bank, rate_bp)
    lines, cash, status = _posting(fac)
    bank_fen = next(r.balance_fen for r in journal.balances(conn) if r.code == chart.BANK)
    if cash > bank_fen:
        raise RuleBroken("disburse.no_cash", need=cash, bank=bank_fen)
    entry = journal.post(
        conn,
        EntryDraft(
            on,
            f"disburse.{fac.instrument}",
            actor.name,
            lines,
            object_type="facility",
            object_id=str(fac.id),
        ),
    )
    instalments, unknown_years = 0, ()
    if fac.instrument != "grant":
        terms = SimpleNamespace(**{**fac._asdict(), "annual_rate_bp": rate_bp})
        instalments, unknown_years = plans.write_version(
            conn, terms, 1, on, in_force(conn, on).policy
        )

    conn.execute(
        update(_fac)
        .where(_fac.c.id == fac.id)
        .values(
            status=status,
            committed_fen=0,
            disbursed_on=on,
            bank=bank,
            annual_rate_bp=rate_bp,
            outstanding_fen=0 if fac.instrument == "grant" else fac.principal_fen,
        )
    )
    audit.record(
        conn,
        actor.name,
        "facilities.disburse",
        object_type="facility",
        object_id=fac.id,
        business_date=on,
        cash_fen=cash,
        entry_seq=entry.seq,
        bank=bank,
        rate_bp=rate_bp,
        instalments=instalments,
    )
    return DisburseOut(fac.id, fac.instrument, cash, entry.seq, instalments, unknown_years)


def _bank_terms(
    fac: object, bank: str | None, rate_bp: int | None
) -> tuple[str | None, int | None]:
    if fac.instrument != "guarantee":
        if bank or rate_bp is not None:
            raise InputError("disburse.bank_only_guarantee")
        return None, None
    bank = (bank or fac.bank or "").strip()
    if not bank:
        raise InputError("disburse.bank_needed")
    if rate_bp is None:
        raise InputError("disburse.rate_needed")
    return bank[:100], rate_bp


def _posting(fac: object) -> tuple[tuple[Line, ...], int, str]:
    """(lines, cash out, new status) of a facility's pay-out."""
    if fac.instrument == "loan":
        amt = fac.principal_fen
        return (debit(chart.LOANS_RECEIVABLE, amt), credit(chart.BANK, amt)), amt, "current"
    if fac.instrument == "guarantee":
        amt = fac.deposit_fen
        return (debit(chart.GUARANTEE_DEPOSITS, amt), credit(chart.BANK, amt)), amt, "current"
    amt = fac.principal_fen
    return (debit(chart.PROGRAMME_GRANTS, amt), credit(chart.BANK, amt)), amt, "paid"

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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Connection, func, select

from fundcore.domain import chart
from fundcore.domain.errors import FundError, InputError, NotFound, RuleBroken
from fundcore.domain.policy import Policy
from fundcore.domain.postings.disbursement import Payout, payout_entry
from fundcore.domain.terms import FacilityStatus, Instrument, LocalSupportKind
from fundcore.domain.text import check_text
from fundcore.services import capacity, local_support, plans
from fundcore.services.operators import authorise
from fundcore.services.policy import in_force
from fundcore.store import audit, journal
from fundcore.store.bulk import chunks, update_rows
from fundcore.store.models import Facility, LocalSupport
from fundcore.store.rows import FacilityRow
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_ls = table_of(LocalSupport)
_RATE = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?%?$")


@dataclass(frozen=True, slots=True)
class DisburseOut:
    facility_id: int
    instrument: Instrument
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


@dataclass(frozen=True, slots=True)
class DisburseIn:
    facility_id: int
    bank: str | None = None
    rate_bp: int | None = None


@dataclass
class DisburseReport:
    paid: list[DisburseOut] = field(default_factory=list)
    problems: list[tuple[DisburseIn, FundError]] = field(default_factory=list)
    #: years whose holiday notice is not loaded: their due dates only avoid weekends
    unknown_years: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Taken:
    """A pay-out that passed every check: the facility (with the bank's terms for a
    guarantee) and what paying it out moves."""

    fac: FacilityRow
    payout: Payout

    @property
    def scheduled(self) -> bool:
        """A loan or guarantee gets a repayment schedule; a grant does not."""
        return self.fac.instrument != Instrument.GRANT


def disburse(
    conn: Connection,
    operator: str | None,
    facility_id: int,
    on: date,
    bank: str | None = None,
    rate_bp: int | None = None,
) -> DisburseOut:
    report = disburse_many(conn, operator, [DisburseIn(facility_id, bank, rate_bp)], on)
    if report.problems:
        raise report.problems[0][1]
    return report.paid[0]


def disburse_many(
    conn: Connection, operator: str | None, items: Sequence[DisburseIn], on: date
) -> DisburseReport:
    """Pay out many facilities on one date, in one transaction, each under the rules of
    ``disburse``: under the fund lock, approved, on or after approval, local support in
    place, cash in the bank (each pay-out sees those before it). One entry each, posted
    together; the schedules written in one bulk insert. A refused item is reported and
    the others go ahead; the caller decides whether to commit."""
    actor = authorise(conn, operator, "facilities.disburse")
    capacity.lock_fund(conn)
    facs = _locked_facilities(conn, [i.facility_id for i in items])
    support = _support_received(conn, list(facs))
    policies = local_support.approval_policies(conn, facs.values())
    bank_fen = next(r.balance_fen for r in journal.balances(conn) if r.code == chart.BANK)
    report = DisburseReport()
    taken: list[_Taken] = []
    for item in items:
        try:
            t = _check(facs, support, policies, item, on)
            if t.payout.cash_fen > bank_fen:
                raise RuleBroken("disburse.no_cash", need=t.payout.cash_fen, bank=bank_fen)
        except FundError as err:
            report.problems.append((item, err))
            continue
        bank_fen -= t.payout.cash_fen
        facs.pop(t.fac.id)  # a second pay-out of the same facility in the batch is refused
        taken.append(t)
    if taken:
        report.paid, report.unknown_years = _write(conn, actor.name, taken, on)
    return report


def _locked_facilities(conn: Connection, ids: list[int]) -> dict[int, FacilityRow]:
    out: dict[int, FacilityRow] = {}
    for chunk in chunks(sorted(set(ids))):
        stmt = select(_fac).where(_fac.c.id.in_(chunk)).with_for_update()
        out.update({fac.id: fac for fac in map(FacilityRow.from_row, conn.execute(stmt))})
    return out


def _support_received(conn: Connection, ids: list[int]) -> dict[tuple[int, str], int]:
    """Local support received so far, by (facility, kind)."""
    out: dict[tuple[int, str], int] = {}
    for chunk in chunks(sorted(ids)):
        stmt = (
            select(_ls.c.facility_id, _ls.c.kind, func.sum(_ls.c.amount_fen))
            .where(_ls.c.facility_id.in_(chunk))
            .group_by(_ls.c.facility_id, _ls.c.kind)
        )
        out.update({(f, k): int(v) for f, k, v in conn.execute(stmt)})
    return out


def _check(
    facs: dict[int, FacilityRow],
    support: dict[tuple[int, str], int],
    policies: dict[int, Policy],
    item: DisburseIn,
    on: date,
) -> _Taken:
    """The pay-out of ``item``, or the rule it breaks (all but the cash in the bank)."""
    fac = facs.get(item.facility_id)
    if fac is None:
        raise NotFound("facility.not_found", id=item.facility_id)
    if fac.status != FacilityStatus.APPROVED:
        raise RuleBroken("disburse.not_approved", id=fac.id, status=fac.status)
    if on < fac.approved_on:
        raise RuleBroken("disburse.before_approval", date=fac.approved_on.isoformat())
    matching = support.get((fac.id, LocalSupportKind.MATCHING), 0)
    counter = support.get((fac.id, LocalSupportKind.COUNTER_GUARANTEE), 0)
    local_support.check_in_place(fac, matching, counter, policies[fac.policy_version])
    bank, rate_bp = _bank_terms(fac, item.bank, item.rate_bp)
    payout = Payout(fac.id, fac.instrument, fac.principal_fen, fac.deposit_fen)
    return _Taken(replace(fac, bank=bank, annual_rate_bp=rate_bp), payout)


def _write(
    conn: Connection, operator: str, taken: list[_Taken], on: date
) -> tuple[list[DisburseOut], tuple[int, ...]]:
    """Post the entries, write the schedules, move the facilities on, audit each."""
    posted = journal.post_many(conn, [payout_entry(t.payout, on, operator) for t in taken])
    # version 1, or the next one after a cancelled pay-out (whose schedule is kept)
    scheduled: list[tuple[plans.Scheduled, int, date]] = [
        (t.fac, t.fac.schedule_version, on) for t in taken if t.scheduled
    ]
    counts, unknown_years = plans.write_versions(conn, scheduled, in_force(conn, on).policy)
    instalments = dict(zip((t.fac.id for t in taken if t.scheduled), counts, strict=True))
    update_rows(conn, _fac, ("id",), [_paid_out(t, on) for t in taken])
    outs = [
        DisburseOut(
            t.fac.id, t.fac.instrument, t.payout.cash_fen, entry.seq, instalments.get(t.fac.id, 0)
        )
        for t, entry in zip(taken, posted, strict=True)
    ]
    _audit(conn, operator, on, taken, outs)
    outs = [replace(o, unknown_years=unknown_years if o.instalments else ()) for o in outs]
    return outs, unknown_years


def _paid_out(t: _Taken, on: date) -> dict[str, object]:
    """The facility's columns after pay-out: its new status, commitment spent."""
    return {
        "id": t.fac.id,
        "status": t.payout.status_after,
        "committed_fen": 0,
        "disbursed_on": on,
        "bank": t.fac.bank,
        "annual_rate_bp": t.fac.annual_rate_bp,
        "outstanding_fen": t.payout.outstanding_fen,
    }


def _audit(
    conn: Connection, operator: str, on: date, taken: list[_Taken], outs: list[DisburseOut]
) -> None:
    audit.record_many(
        conn,
        operator,
        "facilities.disburse",
        [
            (
                "facility",
                out.facility_id,
                on,
                {
                    "cash_fen": out.cash_fen,
                    "entry_seq": out.entry_seq,
                    "bank": t.fac.bank,
                    "rate_bp": t.fac.annual_rate_bp,
                    "instalments": out.instalments,
                },
            )
            for out, t in zip(outs, taken, strict=True)
        ],
    )


def _bank_terms(
    fac: FacilityRow, bank: str | None, rate_bp: int | None
) -> tuple[str | None, int | None]:
    """A guarantee's lending bank and rate (both needed); a loan or grant has neither."""
    if fac.instrument != Instrument.GUARANTEE:
        if bank or rate_bp is not None:
            raise InputError("disburse.bank_only_guarantee")
        return None, None
    bank = check_text("bank", bank or fac.bank or "").strip()
    if not bank:
        raise InputError("disburse.bank_needed")
    if rate_bp is None:
        raise InputError("disburse.rate_needed")
    return bank[:100], rate_bp

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
from types import SimpleNamespace

from sqlalchemy import Connection, func, select

from fundcore.domain import chart
from fundcore.domain.errors import FundError, InputError, NotFound, RuleBroken
from fundcore.domain.ledger import EntryDraft, Line, credit, debit
from fundcore.services import capacity, local_support, plans
from fundcore.services.operators import authorise
from fundcore.services.policy import in_force
from fundcore.store import audit, journal
from fundcore.store.bulk import CHUNK, update_rows
from fundcore.store.models import Facility, LocalSupport

_fac = Facility.__table__
_ls = LocalSupport.__table__
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
    bank_fen = next(r.balance_fen for r in journal.balances(conn) if r.code == chart.BANK)
    report = DisburseReport()
    taken: list[tuple[object, str | None, int | None, tuple[Line, ...], int, str]] = []
    for item in items:
        try:
            fac, bank, rate_bp = _check(facs, support, item, on)
            lines, cash, status = _posting(fac)
            if cash > bank_fen:
                raise RuleBroken("disburse.no_cash", need=cash, bank=bank_fen)
        except FundError as err:
            report.problems.append((item, err))
            continue
        bank_fen -= cash
        facs.pop(fac.id)  # a second pay-out of the same facility in the batch is refused
        taken.append((fac, bank, rate_bp, lines, cash, status))
    if taken:
        report.paid, report.unknown_years = _write(conn, actor.name, taken, on)
    return report


def _locked_facilities(conn: Connection, ids: list[int]) -> dict[int, object]:
    out: dict[int, object] = {}
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), CHUNK):
        stmt = select(_fac).where(_fac.c.id.in_(ordered[i : i + CHUNK])).with_for_update()
        out.update({row.id: row for row in conn.execute(stmt)})
    return out


def _support_received(conn: Connection, ids: list[int]) -> dict[tuple[int, str], int]:
    out: dict[tuple[int, str], int] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        stmt = (
            select(_ls.c.facility_id, _ls.c.kind, func.sum(_ls.c.amount_fen))
            .where(_ls.c.facility_id.in_(ordered[i : i + CHUNK]))
            .group_by(_ls.c.facility_id, _ls.c.kind)
        )
        out.update({(f, k): int(v) for f, k, v in conn.execute(stmt)})
    return out


def _check(
    facs: dict[int, object],
    support: dict[tuple[int, str], int],
    item: DisburseIn,
    on: date,
) -> tuple[object, str | None, int | None]:
    fac = facs.get(item.facility_id)
    if fac is None:
        raise NotFound("facility.not_found", id=item.facility_id)
    if fac.status != "approved":
        raise RuleBroken("disburse.not_approved", id=fac.id, status=fac.status)
    if on < fac.approved_on:
        raise RuleBroken("disburse.before_approval", date=fac.approved_on.isoformat())
    matching = support.get((fac.id, "matching"), 0)
    if not local_support.supported(fac, matching, support.get((fac.id, "counter-guarantee"), 0)):
        raise RuleBroken(
            "disburse.no_local_support",
            id=fac.id,
            kind=fac.local_support_kind or "",
            received=matching,
            required=fac.matching_required_fen,
        )
    bank, rate_bp = _bank_terms(fac, item.bank, item.rate_bp)
    return fac, bank, rate_bp


def _write(
    conn: Connection,
    operator: str,
    taken: list[tuple[object, str | None, int | None, tuple[Line, ...], int, str]],
    on: date,
) -> tuple[list[DisburseOut], tuple[int, ...]]:
    drafts = [
        EntryDraft(
            on,
            f"disburse.{fac.instrument}",
            operator,
            lines,
            object_type="facility",
            object_id=str(fac.id),
        )
        for fac, _, _, lines, _, _ in taken
    ]
    posted = journal.post_many(conn, drafts)
    scheduled = [
        (SimpleNamespace(**{**fac._asdict(), "annual_rate_bp": rate_bp}), 1, on)
        for fac, _, rate_bp, _, _, _ in taken
        if fac.instrument != "grant"
    ]
    counts, unknown_years = plans.write_versions(conn, scheduled, in_force(conn, on).policy)
    instalments = dict(zip((f.id for f, _, _ in scheduled), counts, strict=True))
    paid_out = [
        {
            "id": fac.id,
            "status": status,
            "committed_fen": 0,
            "disbursed_on": on,
            "bank": bank,
            "annual_rate_bp": rate_bp,
            "outstanding_fen": 0 if fac.instrument == "grant" else fac.principal_fen,
        }
        for fac, bank, rate_bp, _, _, status in taken
    ]
    update_rows(conn, _fac, ("id",), paid_out)
    outs = [
        DisburseOut(fac.id, fac.instrument, cash, entry.seq, instalments.get(fac.id, 0), ())
        for (fac, _, _, _, cash, _), entry in zip(taken, posted, strict=True)
    ]
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
                    "bank": bank,
                    "rate_bp": rate_bp,
                    "instalments": out.instalments,
                },
            )
            for out, (_, bank, rate_bp, _, _, _) in zip(outs, taken, strict=True)
        ],
    )
    outs = [replace(o, unknown_years=unknown_years if o.instalments else ()) for o in outs]
    return outs, unknown_years


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

"""A simple model of the programme's figures as of a day, from dated facts only.

The stateful test (``test_as_of_books``) records here every fact it made happen —
approvals, cancellations, pay-outs with their schedule, repayments, restructurings
(a new schedule version), day closes, claims, recoveries and write-offs — each with its
business date and the order it happened in. ``Books.figures(D)`` then computes the
statement's portfolio, region and guarantee figures as of ``D`` looking only at facts
dated on or before ``D``, by the definitions of ``fundcore.statements.portfolio``
read as of ``D``:

- approved: approved on or before D and not cancelled on or before D;
- disbursed: paid out on or before D, at principal;
- outstanding: principal less the principal repaid by D (the repayments dated ≤ D
  allocated in order by the model's own rule ``pay`` onto the schedule they were paid
  against: what is due, oldest first, interest before principal; then, unless it is a
  prepayment, the next instalments in order as scheduled (paid ahead); a prepayment's
  rest pays principal of the last ones first), for facilities paid out by D and not
  repaid in full, claimed or written off by D;
- days past due at D: D − the oldest due date before D of an instalment of the schedule
  in force at D whose principal was not fully paid by D; buckets 1-30, 31-90, >90;
- PAR30 / PAR90: outstanding more than 30 / 90 days past due ÷ outstanding, bp, floor;
- defaults: serviced at D and more than ``default_after_days`` past due at D or at any
  day close on or before D (sticky), or claimed or written off by D;
- claims paid, recoveries, write-offs: dated on or before D; claim rate: claims ÷
  (claims + principal of guarantees repaid in full by D);
- guarantee exposure: reserved from approval — guarantees approved and not cancelled by
  D but not yet issued, at principal × coverage; issued ones serviced at D, at what
  they owed at D × coverage; rounded half up; deposits placed: of guarantees issued by
  D, not repaid in full nor claimed by D.

Corrections are dated facts too: a repayment undone on U counts up to the day before U
and not from U on (undos go newest first, so the model restores the plan as it was
before the repayment); a pay-out cancelled on C counts as paid out from its day to
the day before C.

Nothing here reads the database; the test checks the statements against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from fundcore.domain.money import share_fen
from fundcore.domain.repayments import Due

GUARANTEE, LOAN, GRANT = "guarantee", "loan", "grant"
INSTRUMENTS = (GUARANTEE, LOAN, GRANT)


def month_end(day: date) -> date:
    return day + relativedelta(day=31)


def next_month_end(day: date) -> date:
    return month_end(month_end(day) + timedelta(days=1))


def pay(plan: tuple[Due, ...], amount: int, on: date, shorten: bool) -> tuple[tuple[Due, ...], int]:
    """The model's allocation rule, written apart from the service's: (plan after,
    principal paid). Beyond what is due on ``on``, the next instalments in order, each
    in full; or, with ``shorten`` (a prepayment), principal of the last ones first."""
    after, left, principal = list(plan), amount, 0
    due = [k for k, d in enumerate(plan) if d.due_date <= on]
    rest = [k for k, d in enumerate(plan) if d.due_date > on]
    order = [(k, True) for k in due] + [(k, not shorten) for k in rest[:: -1 if shorten else 1]]
    for k, with_interest in order:
        d = after[k]
        i = min(left, d.interest_fen - d.paid_interest_fen) if with_interest else 0
        p = min(left - i, d.principal_fen - d.paid_principal_fen)
        after[k] = d.paying(p, i)
        left, principal = left - i - p, principal + p
    assert left == 0, (plan, amount, on, shorten)
    return tuple(after), principal


@dataclass
class Version:
    """A schedule version: in force from ``on`` (fact number ``seq``), its instalments."""

    on: date
    seq: int
    plan: tuple[Due, ...]


@dataclass
class Fac:
    """One facility's dated facts."""

    id: int
    county: str
    instrument: str
    principal_fen: int
    coverage_bp: int
    deposit_fen: int
    approved_on: date
    cancelled_on: date | None = None
    paid_on: date | None = None
    versions: list[Version] = field(default_factory=list)
    #: (date, fact number, amount, a prepayment)
    repayments: list[tuple[date, int, int, bool]] = field(default_factory=list)
    #: instalments paid in full before their due date: (version index, instalment no)
    ahead: set[tuple[int, int]] = field(default_factory=set)
    #: (date, amount, county's share)
    claim: tuple[date, int, int] | None = None
    #: (date, amount, source)
    recoveries: list[tuple[date, int, str]] = field(default_factory=list)
    #: (date, amount)
    write_off: tuple[date, int] | None = None
    # --- corrections ---
    #: repayments undone: the repayment's fact number -> (undo date, the undo's fact number)
    undos: dict[int, tuple[date, int]] = field(default_factory=dict)
    #: pay-outs cancelled: (paid on, cancelled on); paid out between the two
    cancelled_payouts: list[tuple[date, date]] = field(default_factory=list)

    def paid_by(self, day: date) -> bool:
        """Paid out at the end of ``day``: paid by then and not cancelled by then."""
        if self.paid_on is not None and self.paid_on <= day:
            return True
        return any(p <= day < c for p, c in self.cancelled_payouts)

    def standing(self) -> list[tuple[date, int, int, bool]]:
        """The repayments not undone, in the order they were made."""
        return sorted(
            (r for r in self.repayments if r[1] not in self.undos), key=lambda r: (r[0], r[1])
        )


@dataclass(frozen=True)
class State:
    """A facility as of a day: what it owed, how late, what it had become."""

    approved: bool
    paid: bool
    repaid_fen: int
    outstanding_fen: int
    dpd: int
    arrears_fen: int
    serviced: bool
    repaid_in_full: bool
    claimed: bool
    written_off: bool
    deposit_fen: int


@dataclass(frozen=True)
class Row:
    """One instrument's (or the total's) portfolio figures, as ``PortfolioRow`` has them."""

    approved_count: int = 0
    approved_fen: int = 0
    disbursed_count: int = 0
    disbursed_fen: int = 0
    outstanding_count: int = 0
    outstanding_fen: int = 0
    overdue_1_30_fen: int = 0
    overdue_31_90_fen: int = 0
    overdue_over_90_fen: int = 0
    defaults_count: int = 0
    claims_paid_fen: int = 0
    released_fen: int = 0
    recoveries_fen: int = 0
    write_offs_fen: int = 0
    arrears_fen: int = 0
    youth_count: int = 0
    deposits_fen: int = 0
    exposure_fen: int = 0
    largest_exposure_fen: int = 0

    def plus(self, other: Row) -> Row:
        names = self.__dataclass_fields__
        values = {n: getattr(self, n) + getattr(other, n) for n in names}
        values["largest_exposure_fen"] = max(self.largest_exposure_fen, other.largest_exposure_fen)
        return Row(**values)


def bp(part: int, whole: int) -> int | None:
    return None if whole <= 0 else part * 10_000 // whole


class Books:
    """Every dated fact the test made happen, and the figures they give as of a day."""

    def __init__(self, default_after_days: int, prepayment_order: str) -> None:
        self.default_after_days = default_after_days
        self.order = prepayment_order
        self.facs: dict[int, Fac] = {}
        self.closes: list[date] = []
        self.seq = 0

    def tick(self) -> int:
        """The next fact number (facts of one day keep the order they happened in)."""
        self.seq += 1
        return self.seq

    # --- day closes ------------------------------------------------------------------

    def close_through(self, through: date) -> list[date]:
        """The days a day close through ``through`` closes: every month end after the last
        close (from the first pay-out's month when none yet) before it, then it."""
        last = self.closes[-1] if self.closes else None
        if last is not None and through <= last:
            return []
        paid = [f.paid_on for f in self.facs.values() if f.paid_on is not None]
        start = last or (min(paid) if paid else None)
        days: list[date] = []
        if start is not None:
            end = month_end(start)
            if last is not None and end <= last:
                end = next_month_end(start)
            while end < through:
                days.append(end)
                end = next_month_end(end)
        days.append(through)
        self.closes.extend(days)
        return days

    # --- one facility as of a day ------------------------------------------------------

    def _replay(self, f: Fac, day: date) -> tuple[int, tuple[Due, ...] | None]:
        """(principal repaid by ``day``, the plan in force at ``day`` as paid by then)."""
        repaid = 0
        in_force: tuple[Due, ...] | None = None
        versions = [v for v in f.versions if v.on <= day]
        for k, v in enumerate(versions):
            upto = versions[k + 1].seq if k + 1 < len(versions) else None
            plan = v.plan
            # an undo takes back the latest repayment still standing (undos go newest
            # first), so the plan before it is restored from a stack
            stack: list[tuple[tuple[Due, ...], int, int]] = []
            for on, seq, amount, prepay, undoes in self._events(f):
                if on > day or seq < v.seq or (upto is not None and seq > upto):
                    continue
                if undoes is None:
                    stack.append((plan, repaid, seq))
                    plan, principal = pay(plan, amount, on, prepay or self.order == "last")
                    repaid += principal
                else:
                    plan, repaid, undone = stack.pop()
                    assert undone == undoes, (f.id, undone, undoes)
            in_force = plan
        return repaid, in_force

    @staticmethod
    def _events(f: Fac) -> list[tuple[date, int, int, bool, int | None]]:
        """Repayments and undos by (date, fact number): (date, number, amount, a
        prepayment, the repayment an undo undoes or None)."""
        out = [(on, seq, amount, prepay, None) for on, seq, amount, prepay in f.repayments]
        out += [(on, seq, 0, False, undoes) for undoes, (on, seq) in f.undos.items()]
        return sorted(out, key=lambda e: (e[0], e[1]))

    def state(self, f: Fac, day: date) -> State:
        approved = f.approved_on <= day and not (f.cancelled_on and f.cancelled_on <= day)
        paid = f.paid_by(day)
        claimed = f.claim is not None and f.claim[0] <= day
        written_off = f.write_off is not None and f.write_off[0] <= day
        repaid, plan = self._replay(f, day) if paid else (0, None)
        left = f.principal_fen - repaid if paid and f.instrument != GRANT else 0
        repaid_in_full = paid and f.instrument != GRANT and left == 0
        serviced = paid and f.instrument != GRANT and left > 0 and not claimed and not written_off
        outstanding = left if serviced else 0
        dpd = arrears = 0
        if serviced and plan is not None:
            late = [d for d in plan if d.due_date < day and d.paid_principal_fen < d.principal_fen]
            if late:
                dpd = (day - min(d.due_date for d in late)).days
                arrears = sum(d.principal_fen - d.paid_principal_fen for d in late)
        deposit = f.deposit_fen if paid and not repaid_in_full and not claimed else 0
        if f.instrument != GUARANTEE:
            deposit = 0
        return State(
            approved,
            paid,
            repaid,
            outstanding,
            dpd,
            arrears,
            serviced,
            repaid_in_full,
            claimed,
            written_off,
            deposit,
        )

    def defaulted(self, f: Fac, day: date) -> bool:
        """Serviced at ``day`` and past the default limit then or at any close before it."""
        if not self.state(f, day).serviced:
            return False
        days = [c for c in self.closes if c <= day] + [day]
        return any(self.state(f, c).dpd > self.default_after_days for c in days)

    def row_of(self, f: Fac, day: date) -> Row:
        """One facility's contribution to its instrument's row as of ``day``."""
        s = self.state(f, day)
        if not s.approved and not s.paid:
            return Row()
        out = s.outstanding_fen
        dpd = s.dpd if s.serviced else 0
        exposure = 0
        if f.instrument == GUARANTEE and s.serviced:
            exposure = share_fen(out, f.coverage_bp)
        elif f.instrument == GUARANTEE and s.approved and not s.paid:
            exposure = share_fen(f.principal_fen, f.coverage_bp)  # reserved from approval
        claim = f.claim if f.claim is not None and f.claim[0] <= day else None
        wo = f.write_off if f.write_off is not None and f.write_off[0] <= day else None
        return Row(
            approved_count=int(s.approved),
            approved_fen=f.principal_fen if s.approved else 0,
            disbursed_count=int(s.paid),
            disbursed_fen=f.principal_fen if s.paid else 0,
            outstanding_count=int(out > 0),
            outstanding_fen=out,
            overdue_1_30_fen=out if 1 <= dpd <= 30 else 0,
            overdue_31_90_fen=out if 30 < dpd <= 90 else 0,
            overdue_over_90_fen=out if dpd > 90 else 0,
            defaults_count=int(s.claimed or s.written_off or self.defaulted(f, day)),
            claims_paid_fen=claim[1] if claim else 0,
            released_fen=f.principal_fen if f.instrument == GUARANTEE and s.repaid_in_full else 0,
            recoveries_fen=sum(a for on, a, _ in f.recoveries if on <= day),
            write_offs_fen=wo[1] if wo else 0,
            arrears_fen=s.arrears_fen if dpd > 0 else 0,
            youth_count=int(s.paid),
            deposits_fen=s.deposit_fen,
            exposure_fen=exposure,
            largest_exposure_fen=exposure,
        )

    # --- the statement's figures --------------------------------------------------------

    def rows(self, day: date, county: str | None = None) -> dict[str, Row]:
        """Rows by instrument and ``"total"``, as of ``day`` (of one county if given)."""
        out = {k: Row() for k in INSTRUMENTS}
        for f in self.facs.values():
            if county is None or f.county == county:
                out[f.instrument] = out[f.instrument].plus(self.row_of(f, day))
        total = Row()
        for k in INSTRUMENTS:
            total = total.plus(out[k])
        out["total"] = total
        return out

    def counties(self, day: date) -> list[str]:
        """The counties with a facility approved by ``day``."""
        return sorted({f.county for f in self.facs.values() if f.approved_on <= day})

    def loans_outstanding(self, day: date) -> int:
        return self.rows(day)[LOAN].outstanding_fen

    # --- what a rule may do today -------------------------------------------------------

    def plan_today(self, f: Fac, day: date) -> tuple[Due, ...]:
        """The schedule in force ``day`` as paid so far (for choosing a repayment)."""
        return self._replay(f, day)[1] or ()

    def ahead_due_dates(self, f: Fac, day: date) -> set[date]:
        """The due dates of the instalments of the version in force at ``day`` that were
        paid in full before they fell due (none of them may ever make it overdue)."""
        versions = [v for v in f.versions if v.on <= day]
        if not versions:
            return set()
        k = len(versions) - 1
        return {d.due_date for d in versions[k].plan if (k, d.no) in f.ahead}


def portfolio_figures(row: Row, instrument: str) -> dict[str, int | None]:
    """A model row as the statement's ``PortfolioRow`` fields (None where n/a)."""
    balances = instrument != GRANT
    claims = instrument in (GUARANTEE, "total")

    def b(v: int | None) -> int | None:
        return v if balances else None

    def c(v: int | None) -> int | None:
        return v if claims else None

    return {
        "approved_count": row.approved_count,
        "approved_fen": row.approved_fen,
        "disbursed_count": row.disbursed_count,
        "disbursed_fen": row.disbursed_fen,
        "outstanding_count": b(row.outstanding_count),
        "outstanding_fen": b(row.outstanding_fen),
        "overdue_1_30_fen": b(row.overdue_1_30_fen),
        "overdue_31_90_fen": b(row.overdue_31_90_fen),
        "overdue_over_90_fen": b(row.overdue_over_90_fen),
        "par30_bp": b(bp(row.overdue_31_90_fen + row.overdue_over_90_fen, row.outstanding_fen)),
        "par90_bp": b(bp(row.overdue_over_90_fen, row.outstanding_fen)),
        "defaults_count": b(row.defaults_count),
        "claims_paid_fen": c(row.claims_paid_fen),
        "claim_rate_bp": c(bp(row.claims_paid_fen, row.claims_paid_fen + row.released_fen)),
        "recoveries_fen": b(row.recoveries_fen),
        "write_offs_fen": b(row.write_offs_fen),
    }


def region_figures(row: Row) -> dict[str, int | None]:
    """A model total as the statement's ``RegionRow`` figures."""
    at_risk = row.overdue_31_90_fen + row.overdue_over_90_fen
    return {
        "approved_count": row.approved_count,
        "disbursed_count": row.disbursed_count,
        "disbursed_fen": row.disbursed_fen,
        "outstanding_fen": row.outstanding_fen,
        "overdue_fen": row.arrears_fen,
        "at_risk_30_fen": at_risk,
        "par30_bp": bp(at_risk, row.outstanding_fen),
        "claims_paid_fen": row.claims_paid_fen,
        "youth_supported_count": row.youth_count,
    }

"""The programme's figures for statements: set-based aggregates as of the period's end.

Every figure here is one GROUP BY (by instrument, county or province) over the
facilities as they stood at the end of a day D (``fundcore.store.as_of.facilities_on``:
derived from dated facts, never from the state recorded now), joined to counties. A
statement for a period states them as of its last day, so a closed period's figures
never change. The cost is O(facilities + repayments after D + late instalments).

Definitions (the same wherever a figure appears; every one as of D):

- approved: facilities not cancelled; disbursed: paid out / issued (``disbursed_on``
  set), at principal (for a guarantee, the guaranteed bank loan's principal);
- outstanding: principal still owed on serviced facilities (current, overdue,
  defaulted); for a guarantee, on the bank loan;
- overdue buckets: outstanding principal by days past due at D (1-30, 31-90, over 90),
  from the oldest instalment due before D whose principal was unpaid at D;
- PAR30/PAR90 (bp): outstanding more than 30/90 days past due ÷ all outstanding,
  rounded down as the day close rounds it;
- arrears (``overdue_fen`` of a region or facility): principal of instalments due before
  D and unpaid at D;
- defaults: facilities defaulted, claimed or written off;
- claim rate 代偿率 (bp): claims paid ÷ (claims paid + principal of guarantees released
  by repayment), ``None`` when both are zero;
- youth supported: applicants with a facility paid out, each counted once, in the
  county and instrument of their first such facility (lowest id), so that county rows
  add up to the province and the fund without counting anyone twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import (
    CTE,
    BigInteger,
    Connection,
    Subquery,
    and_,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.sql import ColumnElement

from fundcore.domain.money import ratio_bp, x100_half_up
from fundcore.domain.terms import EXPOSED, SERVICED, FacilityStatus, LocalSupportKind
from fundcore.statements import common
from fundcore.statements.model import (
    GRANT,
    GUARANTEE,
    INSTRUMENTS,
    TOTAL,
    PortfolioRow,
)
from fundcore.store import as_of
from fundcore.store.models import County, DayClose, Facility
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_counties = table_of(County)
#: counted as defaults: defaulted, and what followed a default
DEFAULTED = (FacilityStatus.DEFAULTED, FacilityStatus.CLAIMED, FacilityStatus.WRITTEN_OFF)


def bp(part: int, whole: int) -> int | None:
    """``part`` ÷ ``whole`` in basis points, rounded half up at the printed precision
    (``money.ratio_bp``); None when ``whole`` is 0."""
    return ratio_bp(part, whole)


def x100(part: int, whole: int) -> int | None:
    """``part`` ÷ ``whole`` as a multiple times 100, rounded half up; None when ``whole`` ≤ 0."""
    return x100_half_up(part, whole)


def latest_close(conn: Connection) -> date | None:
    latest: date | None = conn.scalar(select(func.max(table_of(DayClose).c.business_date)))
    return latest


def facilities_on(conn: Connection, day: date, *, county: str | None = None) -> Subquery:
    """The facilities as they stood at the end of ``day``, defaults by the policy then."""
    limit = common.policy_on(conn, day).policy.default_after_days
    return as_of.facilities_on(conn, day, limit, county=county)


# --- the one aggregate ------------------------------------------------------------------


def sum_if(cond: ColumnElement, value: ColumnElement | int) -> ColumnElement:
    """SUM(CASE WHEN cond THEN value ELSE 0 END), 0 when there are no rows."""
    return func.coalesce(func.sum(case((cond, value), else_=0)), 0)


def first_support(t: CTE, day: date) -> ColumnElement:
    """The facility is its youth's first one paid out by ``day`` (the lowest id): where
    the youth is counted. An index search on the applicant per facility."""
    other = _fac.alias("other")
    earlier = select(other.c.id).where(
        other.c.applicant_id == t.c.applicant_id,
        as_of.paid_out_by(day, other.c.id, other.c.disbursed_on),
        other.c.id < t.c.id,
    )
    return and_(t.c.disbursed_on.is_not(None), ~earlier.exists())


@dataclass(frozen=True, slots=True)
class Totals:
    """The aggregate figures of one group of facilities; every field adds up."""

    approved_count: int = 0
    approved_fen: int = 0
    disbursed_count: int = 0
    disbursed_fen: int = 0
    outstanding_count: int = 0
    outstanding_fen: int = 0
    dpd_1_30_fen: int = 0
    dpd_31_90_fen: int = 0
    dpd_over_90_fen: int = 0
    defaults_count: int = 0
    claims_paid_fen: int = 0
    released_fen: int = 0
    recoveries_fen: int = 0
    write_offs_fen: int = 0
    arrears_fen: int = 0
    youth_count: int = 0
    county_share_fen: int = 0
    deposits_fen: int = 0
    #: 1:1 matching the county must bring for facilities approved and not cancelled
    matching_committed_fen: int = 0

    @property
    def at_risk_30_fen(self) -> int:
        return self.dpd_31_90_fen + self.dpd_over_90_fen


def add(parts: Iterable[Totals]) -> Totals:
    """The sum of groups, field by field."""
    names = [f.name for f in dataclasses.fields(Totals)]
    out = dict.fromkeys(names, 0)
    for part in parts:
        for name in names:
            out[name] += getattr(part, name)
    return Totals(**out)


class Cell(NamedTuple):
    """The totals of one instrument in one county."""

    county: str
    province: str
    instrument: str
    totals: Totals


def _columns(t: CTE, day: date) -> list[ColumnElement]:
    c = t.c
    live = c.status != FacilityStatus.CANCELLED
    paid_out = c.disbursed_on.is_not(None)
    serviced = c.status.in_(SERVICED)
    dpd = c.days_past_due
    guarantee = c.instrument == GUARANTEE
    return [
        sum_if(live, 1),
        sum_if(live, c.principal_fen),
        sum_if(paid_out, 1),
        sum_if(paid_out, c.principal_fen),
        sum_if(and_(serviced, c.outstanding_fen > 0), 1),
        sum_if(serviced, c.outstanding_fen),
        sum_if(and_(serviced, dpd >= 1, dpd <= 30), c.outstanding_fen),
        sum_if(and_(serviced, dpd > 30, dpd <= 90), c.outstanding_fen),
        sum_if(and_(serviced, dpd > 90), c.outstanding_fen),
        sum_if(c.status.in_(DEFAULTED), 1),
        func.coalesce(func.sum(c.claim_paid_fen), 0),
        sum_if(and_(guarantee, c.status == FacilityStatus.REPAID), c.principal_fen),
        func.coalesce(func.sum(c.recovered_borrower_fen + c.recovered_county_fen), 0),
        func.coalesce(func.sum(c.written_off_fen), 0),
        func.coalesce(func.sum(c.arrears_fen), 0),
        sum_if(first_support(t, day), 1),
        func.coalesce(func.sum(c.county_share_fen), 0),
        func.coalesce(func.sum(c.deposit_fen), 0),
        sum_if(
            and_(live, c.local_support_kind == LocalSupportKind.MATCHING), c.matching_required_fen
        ),
    ]


def cells(
    conn: Connection, day: date, *, county: str | None = None
) -> tuple[list[Cell], tuple[int, int]]:
    """Every (county, instrument) group's totals at the end of ``day``, and the guarantee
    exposure with the largest exposure of one guaranteed party (``exposure``), from one
    computation of the facilities as of ``day`` (a CTE read by both halves of the query).

    Provinces, instruments and the whole fund are
    sums of these cells (``fold``), so every table of a statement adds up to its total.
    """
    limit = common.policy_on(conn, day).policy.default_after_days
    t = as_of.facilities_on_cte(conn, day, limit, county=county)
    src = t.join(_counties, _counties.c.code == t.c.county_code)
    keys = (t.c.county_code, _counties.c.province, t.c.instrument)
    columns = _columns(t, day)
    groups = select(literal(0).label("part"), *keys, *columns).select_from(src).group_by(*keys)
    per_party = (
        select(func.sum(t.c.exposure_fen).label("fen"))
        .where(t.c.instrument == GUARANTEE, t.c.status.in_(EXPOSED))
        .group_by(t.c.applicant_id)
        .subquery("per_party")
    )
    blank, zero = literal(""), literal(0, BigInteger)
    exposure = select(
        literal(1),
        blank,
        blank,
        blank,
        func.coalesce(func.sum(per_party.c.fen), 0),
        func.coalesce(func.max(per_party.c.fen), 0),
        *[zero] * (len(columns) - 2),
    ).select_from(per_party)
    found: list[Cell] = []
    exposed = (0, 0)
    for r in conn.execute(union_all(groups, exposure)):
        if r[0] == 0:
            found.append(Cell(r[1], r[2], r[3], Totals(*(int(v) for v in r[4:]))))
        else:
            exposed = (int(r[4]), int(r[5]))
    return sorted(found, key=lambda c: (c.county, c.province, c.instrument)), exposed


def fold(found: Iterable[Cell], key: Callable[[Cell], str]) -> dict[str, Totals]:
    """Cells summed by ``key`` (e.g. the county, the province), in key order."""
    groups: dict[str, list[Totals]] = {}
    for cell in found:
        groups.setdefault(key(cell), []).append(cell.totals)
    return {k: add(groups[k]) for k in sorted(groups)}


# --- portfolio -------------------------------------------------------------------------


def portfolio_row(instrument: str, t: Totals) -> PortfolioRow:
    """One instrument's row; figures that do not apply to it are None."""
    balances = instrument != GRANT
    claims = instrument in (GUARANTEE, TOTAL)
    return PortfolioRow(
        instrument=instrument,
        approved_count=t.approved_count,
        approved_fen=t.approved_fen,
        disbursed_count=t.disbursed_count,
        disbursed_fen=t.disbursed_fen,
        outstanding_count=t.outstanding_count if balances else None,
        outstanding_fen=t.outstanding_fen if balances else None,
        overdue_1_30_fen=t.dpd_1_30_fen if balances else None,
        overdue_31_90_fen=t.dpd_31_90_fen if balances else None,
        overdue_over_90_fen=t.dpd_over_90_fen if balances else None,
        par30_bp=bp(t.at_risk_30_fen, t.outstanding_fen) if balances else None,
        par90_bp=bp(t.dpd_over_90_fen, t.outstanding_fen) if balances else None,
        defaults_count=t.defaults_count if balances else None,
        claims_paid_fen=t.claims_paid_fen if claims else None,
        claim_rate_bp=bp(t.claims_paid_fen, t.claims_paid_fen + t.released_fen) if claims else None,
        recoveries_fen=t.recoveries_fen if balances else None,
        write_offs_fen=t.write_offs_fen if balances else None,
    )


def portfolio(
    found: Sequence[Cell],
) -> tuple[tuple[PortfolioRow, ...], PortfolioRow, dict[str, Totals]]:
    """Rows for guarantees, loans and grants, the total row, and the totals by instrument.

    The total adds the grant column too (its balances are zero): it counts every facility.
    """
    by_kind = fold(found, lambda c: c.instrument)
    by_kind = {k: by_kind.get(k, Totals()) for k in INSTRUMENTS}
    rows = tuple(portfolio_row(k, by_kind[k]) for k in INSTRUMENTS)
    return rows, portfolio_row(TOTAL, add(by_kind.values())), by_kind


# --- guarantee exposure ----------------------------------------------------------------------

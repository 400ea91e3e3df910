"""The programme dashboard: what the fund set out to do, and how far it has got, as of a day.

The programme's targets ([000 一(二), 五(一)]) are policy data (``target_*``, the version
in force on the day): money raised for the fund, youth supported in their business,
registered-poor people reached, county leagues given working funds. Each figure is
read from dated records as of the end of the day asked for:

- **raised**: money given to the fund: donations (the 4101 donation income accounts) and
  the Foundation's own 配捐 (4901.01, other income), net of reversals, every year's (the
  year-end close that carries income into net assets is not a reversal of it), from the
  kept totals by event kind;
- **youth supported**: distinct young people with a facility paid out by the day
  (the same figure as the statements' region tables);
- **poor people reached**: the registered-poor youth who lead a project paid out by the
  day, plus the distinct poor-household youth those projects employ. Applications do not
  record household members, so a household is counted by the person the programme knows,
  never estimated;
- **working funds**: county leagues paid (and the amounts) by the day.

The places are the provinces and counties with anything to show. A county league sees
its own county only (and no money raised, which is the fund's, not a county's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, Select, func, or_, select

from fundcore.domain import chart
from fundcore.domain.errors import InputError, NotPermitted
from fundcore.domain.money import format_fen
from fundcore.domain.terms import EntryKind, Role
from fundcore.services.operators import authorise
from fundcore.statements import common, portfolio, regions
from fundcore.statements.export import AMOUNT, COUNT, PERCENT, TEXT, Table, Value
from fundcore.statements.portfolio import bp, sum_if
from fundcore.store.models import (
    AccountKindDaily,
    Application,
    ApplicationEmployee,
    County,
    Facility,
    WorkingFundPayment,
)
from fundcore.store.tables import table_of

_kind_daily = table_of(AccountKindDaily)
_fac = table_of(Facility)
_apps = table_of(Application)
_emp = table_of(ApplicationEmployee)
_wf = table_of(WorkingFundPayment)
_counties = table_of(County)

#: the income the fund was given: donations (4101.01 unrestricted, 4101.02 restricted,
#: and their purpose sub-accounts) and the Foundation's own matching donation
RAISED = (chart.DONATIONS_UNRESTRICTED[:4], chart.FOUNDATION_MATCH)


@dataclass(frozen=True, slots=True)
class Goal:
    """A figure against its target; ``achieved_bp`` None when there is no target."""

    actual: int
    target: int | None
    achieved_bp: int | None


@dataclass(frozen=True, slots=True)
class PlaceProgress:
    """One province or county: who was reached there, and its working funds."""

    code: str
    name_zh: str
    name_en: str
    youth_supported: int
    disbursed_fen: int
    poor_leaders: int
    poor_employed: int
    working_funds_fen: int
    leagues_funded: int

    @property
    def poor_reached(self) -> int:
        return self.poor_leaders + self.poor_employed


@dataclass(frozen=True, slots=True)
class Progress:
    as_of: date
    county: str | None
    policy_version: int
    raised: Goal | None
    youth: Goal
    poor_people: Goal
    leagues: Goal
    working_funds_fen: int
    provinces: tuple[PlaceProgress, ...]
    counties: tuple[PlaceProgress, ...]


def progress(
    conn: Connection, operator: str | None, as_of: date | None, county: str | None = None
) -> Progress:
    """The dashboard for the whole fund, or for one county, at the end of ``as_of`` (by
    default the last day closed: the day the facilities were last aged to)."""
    actor = authorise(conn, operator, "statements.county" if county else "statements.fund")
    if county and actor.role == Role.COUNTY and actor.county_code != county:
        raise NotPermitted("progress.other_county", county=county)
    common.for_reports(conn)
    as_of = as_of or portfolio.latest_close(conn)
    if as_of is None:
        raise InputError("progress.as_of_needed")
    policy = common.policy_on(conn, as_of)
    p = policy.policy
    places, province_of = _counties_on(conn, as_of, county)
    total = _sum("", "", "", places)
    # one young person employed in projects of two counties is one person reached
    reached = total.poor_leaders + _employed(conn, as_of, county)
    return Progress(
        as_of=as_of,
        county=county,
        policy_version=policy.version,
        raised=None if county else _goal(_raised(conn, as_of), p.target_raised_fen),
        youth=_goal(total.youth_supported, None if county else p.target_youth),
        poor_people=_goal(reached, None if county else p.target_poor_people),
        leagues=_goal(total.leagues_funded, None if county else p.target_county_leagues),
        working_funds_fen=total.working_funds_fen,
        provinces=tuple(_by_province(places, province_of)),
        counties=tuple(places),
    )


def _goal(actual: int, target: int | None) -> Goal:
    return Goal(actual, target, bp(actual, target) if target else None)


def _raised(conn: Connection, day: date) -> int:
    """Net donation income booked by ``day``, over every year (fen)."""
    net = func.coalesce(func.sum(_kind_daily.c.credit_fen - _kind_daily.c.debit_fen), 0)
    return int(
        conn.scalar(
            select(net).where(
                or_(*(_kind_daily.c.account_code.startswith(code) for code in RAISED)),
                _kind_daily.c.kind != EntryKind.YEAR_END_CLOSE,
                _kind_daily.c.business_date <= day,
            )
        )
        or 0
    )


def _paid_out(day: date, county: str | None) -> list[ColumnElement[bool]]:
    return [_fac.c.disbursed_on <= day] + ([_fac.c.county_code == county] if county else [])


def _employed(conn: Connection, day: date, county: str | None) -> int:
    """Distinct poor-household youth employed by projects paid out by ``day`` (told
    apart by the keyed hash of the ID number: the number itself is stored encrypted)."""
    return int(
        conn.scalar(
            select(func.count(func.distinct(_emp.c.id_number_hmac)))
            .select_from(_emp.join(_fac, _fac.c.id == _emp.c.application_id))
            .where(*_paid_out(day, county))
        )
        or 0
    )


def _counties_on(
    conn: Connection, day: date, county: str | None
) -> tuple[list[PlaceProgress], dict[str, str]]:
    """Every county with a facility paid out or working funds paid by ``day``, by code,
    and each one's province."""
    found, _exposed = portfolio.cells(conn, day, county=county)
    reached = {r.code: r for r in regions.counties(conn, found)}
    paid_out = _paid_out(day, county)
    leaders = _per_county(
        conn,
        select(_fac.c.county_code, sum_if(_apps.c.registered_poor, 1))
        .select_from(_fac.join(_apps, _apps.c.id == _fac.c.id))
        .where(*paid_out),
    )
    employed = _per_county(
        conn,
        select(_fac.c.county_code, func.count(func.distinct(_emp.c.id_number_hmac)))
        .select_from(_emp.join(_fac, _fac.c.id == _emp.c.application_id))
        .where(*paid_out),
    )
    funds_query = select(_wf.c.county_code, func.sum(_wf.c.amount_fen)).where(
        _wf.c.business_date <= day
    )
    if county:
        funds_query = funds_query.where(_wf.c.county_code == county)
    funds = _per_county(conn, funds_query)
    codes = sorted(set(reached) | set(funds))
    names = {
        r.code: (r.name, r.province)
        for r in conn.execute(
            select(_counties.c.code, _counties.c.name, _counties.c.province).where(
                _counties.c.code.in_(codes)
            )
        )
    }
    out = []
    provinces: dict[str, str] = {}
    for code in codes:
        r = reached.get(code)
        name, province = names[code]
        provinces[code] = province
        out.append(
            PlaceProgress(
                code=code,
                name_zh=f"{province}{name}",
                name_en=regions.county_en(code, name),
                youth_supported=r.youth_supported_count if r else 0,
                disbursed_fen=r.disbursed_fen if r else 0,
                poor_leaders=leaders.get(code, 0),
                poor_employed=employed.get(code, 0),
                working_funds_fen=funds.get(code, 0),
                leagues_funded=1 if funds.get(code) else 0,
            )
        )
    return out, provinces


def _per_county(conn: Connection, query: Select[tuple[str, int]]) -> dict[str, int]:
    """A figure per county: ``query`` selects (county code, figure), grouped here."""
    first = query.selected_columns[0]
    return {str(r[0]): int(r[1] or 0) for r in conn.execute(query.group_by(first))}


def _by_province(
    places: Sequence[PlaceProgress], province_of: dict[str, str]
) -> list[PlaceProgress]:
    """The counties summed by province (code: the first two digits + 0000), by code."""
    groups: dict[str, list[PlaceProgress]] = {}
    for p in places:
        groups.setdefault(p.code[:2], []).append(p)
    return [
        _sum(f"{prefix}0000", province_of[group[0].code], regions.province_en(group[0].code), group)
        for prefix, group in sorted(groups.items())
    ]


def _sum(code: str, name_zh: str, name_en: str, group: Sequence[PlaceProgress]) -> PlaceProgress:
    return PlaceProgress(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        youth_supported=sum(p.youth_supported for p in group),
        disbursed_fen=sum(p.disbursed_fen for p in group),
        poor_leaders=sum(p.poor_leaders for p in group),
        poor_employed=sum(p.poor_employed for p in group),
        working_funds_fen=sum(p.working_funds_fen for p in group),
        leagues_funded=sum(p.leagues_funded for p in group),
    )


# --- as tables ----------------------------------------------------------------------------

GOAL_COLUMNS = (
    ("指标", "Measure", TEXT),
    ("实际", "Actual", TEXT),
    ("目标", "Target", TEXT),
    ("完成(%)", "Achieved (%)", PERCENT),
)
PLACE_COLUMNS = (
    ("代码", "Code", TEXT),
    ("地区", "Place", TEXT),
    ("支持青年（人）", "Youth supported", COUNT),
    ("放款金额", "Amount paid out", AMOUNT),
    ("贫困青年领办（人）", "Registered-poor leaders", COUNT),
    ("带动贫困青年就业（人）", "Poor youth employed", COUNT),
    ("工作经费", "Working funds", AMOUNT),
    ("获拨经费的县级团委", "Leagues funded", COUNT),
)


def progress_tables(p: Progress, lang: str) -> list[Table]:
    """The goals, then the provinces and the counties (each with a total row)."""
    en = lang == "en"

    def fen(v: int) -> str:
        return format_fen(v, lang)

    goals: list[tuple[Value, ...]] = []
    if p.raised is not None:
        goals.append(_goal_row(("筹集资金", "Money raised"), p.raised, fen, en))
    goals += [
        _goal_row(("支持青年创业（人）", "Youth supported"), p.youth, str, en),
        _goal_row(("带动建档立卡贫困人口（人）", "Registered-poor people reached"), p.poor_people,
                  str, en),
        _goal_row(("获拨工作经费的县级团委（个）", "County leagues funded"), p.leagues, str, en),
        (("工作经费已拨付", "Working funds paid")[en], fen(p.working_funds_fen), None, None),
    ]  # fmt: skip
    total = ("Total" if en else "合计", "")
    titles = (f"目标完成情况（截至 {p.as_of}）", f"Targets (as of {p.as_of})")
    tables = [Table("goals", *titles, GOAL_COLUMNS, tuple(goals))]
    for key, title, rows in (
        ("provinces", ("分省情况", "By province"), p.provinces),
        ("counties", ("分县情况", "By county"), p.counties),
    ):
        body = [(r.code, r.name_en if en else r.name_zh, *_place_figures(r)) for r in rows]
        body.append(("", total[0], *_place_figures(_sum("", "", "", rows))))
        tables.append(Table(key, *title, PLACE_COLUMNS, tuple(body)))
    return tables


def _goal_row(
    label: tuple[str, str], goal: Goal, show: Callable[[int], str], en: bool
) -> tuple[Value, ...]:
    target = None if goal.target is None else show(goal.target)
    return (label[en], show(goal.actual), target, goal.achieved_bp)


def _place_figures(r: PlaceProgress) -> tuple[Value, ...]:
    return (
        r.youth_supported,
        r.disbursed_fen,
        r.poor_leaders,
        r.poor_employed,
        r.working_funds_fen,
        r.leagues_funded,
    )

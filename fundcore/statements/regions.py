"""Regions, local leverage and beneficiaries for statements: set aggregates by place.

Provinces and counties come from the county register (``counties``); a province's code
is the first two digits of its counties' codes followed by 0000, and its English name
comes from ``PROVINCE_EN`` (the register keeps Chinese names only; an English document
shows a county as "灵丘县, Shanxi"). The figures are sums of ``statements.portfolio.cells``
(one pass over the facilities, by county and instrument), so the county rows add up to
their province and both tables to the same total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, case, func, select

from fundcore.domain.money import BP
from fundcore.domain.terms import Instrument, LocalSupportKind
from fundcore.statements.common import policy_on
from fundcore.statements.model import BeneficiaryRow, LeverageRow, RegionRow
from fundcore.statements.portfolio import Cell, Totals, add, bp, fold, sum_if, x100
from fundcore.store import as_of
from fundcore.store.models import (
    Application,
    ApplicationEmployee,
    County,
    Facility,
    LocalSupport,
    WorkingFundPayment,
)
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_counties = table_of(County)
_apps = table_of(Application)
_emp = table_of(ApplicationEmployee)
_ls = table_of(LocalSupport)
_wf = table_of(WorkingFundPayment)

PROVINCE_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang",
}  # fmt: skip


# --- regions ---------------------------------------------------------------------------


def _county_names(conn: Connection, codes: Sequence[str]) -> dict[str, tuple[str, str]]:
    rows = conn.execute(
        select(_counties.c.code, _counties.c.name, _counties.c.province).where(
            _counties.c.code.in_(list(codes))
        )
    ).all()
    return {code: (name, province) for code, name, province in rows}


def province_en(county_code: str) -> str:
    return PROVINCE_EN.get(county_code[:2], "")


def region_row(t: Totals, code: str, names: tuple[str, str, str, str]) -> RegionRow:
    name_zh, name_en, parent_zh, parent_en = names
    return RegionRow(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        parent_zh=parent_zh,
        parent_en=parent_en,
        approved_count=t.approved_count,
        disbursed_count=t.disbursed_count,
        disbursed_fen=t.disbursed_fen,
        outstanding_fen=t.outstanding_fen,
        overdue_fen=t.arrears_fen,
        at_risk_30_fen=t.at_risk_30_fen,
        par30_bp=bp(t.at_risk_30_fen, t.outstanding_fen),
        claims_paid_fen=t.claims_paid_fen,
        youth_supported_count=t.youth_count,
    )


def counties(conn: Connection, found: Sequence[Cell]) -> list[RegionRow]:
    """Every county with a facility, by code."""
    by_county = fold(found, lambda c: c.county)
    names = _county_names(conn, list(by_county))
    out = []
    for code, t in by_county.items():
        name, province = names[code]
        out.append(region_row(t, code, (name, county_en(code, name), province, province_en(code))))
    return out


def provinces(conn: Connection, found: Sequence[Cell]) -> list[RegionRow]:
    """Every province with a facility, by province code (the first two digits + 0000)."""
    codes = _province_codes(conn)
    out = []
    for name, t in fold(found, lambda c: c.province).items():
        first = codes[name]
        out.append(region_row(t, f"{first[:2]}0000", (name, province_en(first), "", "")))
    return sorted(out, key=lambda r: r.code)


def overall(found: Sequence[Cell]) -> RegionRow:
    """The total row of the province and county tables."""
    return region_row(add(c.totals for c in found), "", ("", "", "", ""))


# --- local leverage ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LocalFigures:
    """A place's 地方配套: matching committed and received, counter-guarantees given."""

    matching_committed_fen: int = 0
    matching_received_fen: int = 0
    counter_guarantee_count: int = 0
    counter_guarantee_fen: int = 0
    fund_money_fen: int = 0

    def __add__(self, other: LocalFigures) -> LocalFigures:
        return LocalFigures(
            self.matching_committed_fen + other.matching_committed_fen,
            self.matching_received_fen + other.matching_received_fen,
            self.counter_guarantee_count + other.counter_guarantee_count,
            self.counter_guarantee_fen + other.counter_guarantee_fen,
            self.fund_money_fen + other.fund_money_fen,
        )


def _leverage_by_county(
    conn: Connection, day: date, found: Sequence[Cell], county: str | None
) -> dict[str, LocalFigures]:
    """Each county's local figures at the end of ``day``, by code: matching committed by
    facilities approved and not cancelled by then (from the cells), support received by
    then."""
    pledged: dict[str, int] = {}
    for cell in found:
        pledged[cell.county] = pledged.get(cell.county, 0) + cell.totals.matching_committed_fen
    counter = _ls.c.kind == LocalSupportKind.COUNTER_GUARANTEE
    given = select(
        _fac.c.county_code,
        sum_if(_ls.c.kind == LocalSupportKind.MATCHING, _ls.c.amount_fen),
        sum_if(counter, 1),
        sum_if(counter, _ls.c.amount_fen),
    ).select_from(_fac.join(_ls, _ls.c.facility_id == _fac.c.id))
    given = given.where(_ls.c.business_date <= day)
    if county is not None:
        given = given.where(_fac.c.county_code == county)
    got = {
        k: (int(received), int(count), int(amount))
        for k, received, count, amount in conn.execute(given.group_by(_fac.c.county_code))
    }
    paid = _fund_money_by_county(conn, day, county)
    return {
        k: LocalFigures(pledged.get(k, 0), *got.get(k, (0, 0, 0)), paid.get(k, 0))
        for k in sorted(set(pledged) | set(got))
    }


def _fund_money_by_county(conn: Connection, day: date, county: str | None) -> dict[str, int]:
    """The fund's own money paid out by the end of ``day``, by county: a loan's or grant's
    principal, a guarantee's deposit as placed (its approval's rate of the principal,
    half up, as ``domain.capacity.commitment`` reserved it; a later claim that draws on
    the deposit does not change what was paid out). The bank's loan is the bank's money.
    """
    placed = (_fac.c.principal_fen * _fac.c.deposit_bp + BP // 2) // BP
    own = case((_fac.c.instrument == Instrument.GUARANTEE, placed), else_=_fac.c.principal_fen)
    stmt = select(_fac.c.county_code, func.sum(own)).where(
        _fac.c.disbursed_on.is_not(None), _fac.c.disbursed_on <= day
    )
    if county is not None:
        stmt = stmt.where(_fac.c.county_code == county)
    return {k: int(v or 0) for k, v in conn.execute(stmt.group_by(_fac.c.county_code))}


def leverage(
    conn: Connection, day: date, found: Sequence[Cell], by: str, *, county: str | None = None
) -> list[LeverageRow]:
    """Matching committed (from ``found``, the cells at the end of ``day``) and received,
    counter-guarantees by then; by 'province' or 'county'."""
    keyed = _leverage_by_county(conn, day, found, county)
    if by == "province":
        keyed = _by_province(conn, keyed)
    names = _leverage_names(conn, by, sorted(keyed))
    rows = [
        _leverage_row(code, name_zh, name_en, keyed[k])
        for k, (code, name_zh, name_en) in names.items()
    ]
    return sorted(rows, key=lambda r: r.code)


def _by_province(conn: Connection, per_county: dict[str, LocalFigures]) -> dict[str, LocalFigures]:
    """The counties' figures summed by province name."""
    province_of = {code: names[1] for code, names in _county_names(conn, list(per_county)).items()}
    keyed: dict[str, LocalFigures] = {}
    for code, figures in per_county.items():
        province = province_of[code]
        keyed[province] = keyed.get(province, LocalFigures()) + figures
    return keyed


def _leverage_row(code: str, name_zh: str, name_en: str, f: LocalFigures) -> LeverageRow:
    return LeverageRow(
        code,
        name_zh,
        name_en,
        f.matching_committed_fen,
        f.matching_received_fen,
        bp(f.matching_received_fen, f.matching_committed_fen),
        f.counter_guarantee_count,
        f.counter_guarantee_fen,
        f.fund_money_fen,
        x100(f.matching_received_fen, f.fund_money_fen),
    )


def _leverage_names(conn: Connection, by: str, keys: list[str]) -> dict[str, tuple[str, str, str]]:
    """key -> (code, name zh, name en) for provinces (keyed by name) or counties (by code)."""
    if by == "province":
        first = _province_codes(conn)
        return {k: (f"{first[k][:2]}0000", k, province_en(first[k])) for k in keys}
    if by == "county":
        names = _county_names(conn, keys)
        return {k: (k, names[k][0], county_en(k, names[k][0])) for k in keys}
    return {k: ("", "", "") for k in keys}


def _province_codes(conn: Connection) -> dict[str, str]:
    """Province name -> the smallest county code in it (its first two digits name it)."""
    rows = conn.execute(
        select(_counties.c.province, func.min(_counties.c.code)).group_by(_counties.c.province)
    ).all()
    return {name: code for name, code in rows}


def county_en(code: str, name: str) -> str:
    en = province_en(code)
    return f"{name}, {en}" if en else ""


def leverage_total(rows: Sequence[LeverageRow]) -> LeverageRow:
    committed = sum(r.matching_committed_fen for r in rows)
    received = sum(r.matching_received_fen for r in rows)
    return LeverageRow(
        "",
        "",
        "",
        committed,
        received,
        bp(received, committed),
        sum(r.counter_guarantee_count for r in rows),
        sum(r.counter_guarantee_fen for r in rows),
        (paid := sum(r.fund_money_fen for r in rows)),
        x100(received, paid),
    )


# --- beneficiaries -------------------------------------------------------------------------


def beneficiaries(
    conn: Connection,
    day: date,
    youth: int,
    *,
    county: str | None = None,
    with_targets: bool = True,
) -> tuple[BeneficiaryRow, ...]:
    """Youth supported (``youth``, from the region totals), projects led by registered-poor
    youth, poor-household youth employed, and county leagues funded, at the end of ``day``
    (facilities paid out and working funds paid by then)."""
    paid_out = as_of.paid_out_by(day, _fac.c.id, _fac.c.disbursed_on)
    where = [paid_out] + ([_fac.c.county_code == county] if county else [])
    poor_led = conn.scalar(
        select(sum_if(_apps.c.registered_poor, 1))
        .select_from(_fac.join(_apps, _apps.c.id == _fac.c.id))
        .where(*where)
    )
    employed = conn.scalar(
        select(func.count(func.distinct(_emp.c.id_number_hmac)))
        .select_from(_emp.join(_fac, _fac.c.id == _emp.c.application_id))
        .where(*where)
    )
    leagues_q = select(func.count(func.distinct(_wf.c.county_code))).where(
        _wf.c.business_date <= day
    )
    if county:
        leagues_q = leagues_q.where(_wf.c.county_code == county)
    leagues = int(conn.scalar(leagues_q) or 0)
    targets = policy_on(conn, day).policy
    youth_target = targets.target_youth if with_targets else None
    league_target = targets.target_county_leagues if with_targets else None
    return (
        BeneficiaryRow("支持青年创业（人）", "Youth supported", int(youth), youth_target,
                       bp(int(youth), youth_target or 0)),
        BeneficiaryRow("贫困青年领办项目（个）", "Projects led by registered-poor youth",
                       int(poor_led or 0), None),
        BeneficiaryRow("带动贫困家庭青年就业（人）", "Poor-household youth employed",
                       int(employed or 0), None),
        BeneficiaryRow("获拨工作经费的县级团委（个）", "County leagues funded", leagues,
                       league_target, bp(leagues, league_target or 0)),
    )  # fmt: skip

"""The county statement (县级报表): the fund's programme sections for one county.

A county keeps no ledger of its own, so there is no balance sheet: the statement shows
the county's portfolio, its local matching and counter-guarantees, its beneficiaries,
the working funds paid to its league, the monthly flows and every facility in it, and
the integrity of the fund's ledger the figures were drawn from.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fundcore.statements.model import (
    CountyStatement,
    FacilityRow,
    RegionRow,
    WorkingFundRow,
)
from reports import charts, formats, fund_statement, layout, sections
from reports.labels import instrument, pick, status, t
from reports.styles import para
from reports.tables import Col, body, data_table, kv_table, total


def render_county_statement(stmt: CountyStatement, path: str | Path, lang: str = "zh") -> None:
    """Write the statement of one county to ``path`` as a PDF in ``lang`` ('zh'/'en')."""
    width = layout.content_width()
    header = stmt.header
    story = [
        *sections.title_block(header, "county_statement", lang, width),
        *sections.key_figures(stmt.key_figures, lang, width),
        *sections.generation(header, lang, width),
        sections.heading(1, "county_profile", lang),
        profile(stmt.county, lang, width),
        sections.heading(2, "portfolio", lang),
        *sections.portfolio(stmt.portfolio, stmt.portfolio_total, lang, width),
    ]
    if stmt.guarantee is not None:
        story.append(sections.subheading(t("guarantee_capacity", lang), lang))
        story.append(sections.guarantee(stmt.guarantee, lang, width))
    story += [
        *fund_statement.figure(charts.monthly_chart, stmt.months, width, "chart_months", 1, lang),
        sections.heading(3, "leverage", lang),
        sections.leverage([stmt.leverage], None, lang, width, "county"),
        sections.leverage_note(lang),
        sections.heading(4, "beneficiaries", lang),
        sections.beneficiaries(stmt.beneficiaries, lang, width),
        sections.heading(5, "working_funds", lang),
        working_funds(stmt.working_funds, stmt.working_funds_total_fen, lang, width),
        sections.heading(6, "facilities", lang),
        facilities(stmt.facilities, lang, width),
        sections.heading(7, "integrity", lang),
        *sections.integrity(stmt.integrity, lang, width),
        sections.signatures(lang, width),
    ]
    page = layout.furniture(header, stmt.integrity, t("county_statement", lang), lang)
    author = pick(header.foundation_name_zh, header.foundation_name_en, lang)
    layout.build(path, story, page, author=author, subject=page.scope_line)


def profile(county: RegionRow, lang: str, width: float):
    pairs = [
        (t("province", lang), pick(county.parent_zh, county.parent_en, lang)),
        (t("county", lang), f"{pick(county.name_zh, county.name_en, lang)} ({county.code})"),
        (t("region_approved", lang), formats.count(county.approved_count, lang)),
        (t("region_disbursed_count", lang), formats.count(county.disbursed_count, lang)),
        (t("region_disbursed_fen", lang), formats.amount(county.disbursed_fen, lang)),
        (t("region_outstanding", lang), formats.amount(county.outstanding_fen, lang)),
        (t("region_overdue", lang), formats.amount(county.overdue_fen, lang)),
        (t("region_at_risk", lang), formats.amount(county.at_risk_30_fen, lang)),
        (t("region_par30", lang), formats.percent(county.par30_bp)),
        (t("region_claims", lang), formats.amount(county.claims_paid_fen, lang)),
        (t("region_youth", lang), formats.count(county.youth_supported_count, lang)),
    ]
    return kv_table(pairs, lang, width, 0.4, per_row=2)


def working_funds(rows: Sequence[WorkingFundRow], total_fen: int, lang: str, width: float):
    cols = [
        Col(t("year", lang), "center"),
        Col(t("paid_on", lang), "center"),
        Col(t("reference", lang)),
        Col(t("amount", lang), "num"),
    ]
    table_rows = [
        body(str(r.year), formats.day(r.paid_on), r.reference, formats.amount(r.amount_fen, lang))
        for r in rows
    ]
    table_rows.append(total(t("total", lang), "", "", formats.amount(total_fen, lang)))
    return data_table(cols, table_rows, lang, width)


def facilities(rows: Sequence[FacilityRow], lang: str, width: float):
    """Every facility, in the order given; used by the archive as well."""
    if not rows:
        return para(t("none", lang), lang, "body")
    cols = [
        Col(t("facility_id", lang), "code"),
        Col(t("borrower", lang), weight=0.8),
        Col(t("instrument", lang), weight=1),
        Col(t("status", lang), weight=0.8),
        Col(t("principal", lang), "num"),
        Col(t("disbursed_on", lang), "center"),
        Col(t("outstanding", lang), "num"),
        Col(t("overdue", lang), "num"),
        Col(t("days_overdue", lang), "num"),
    ]
    table_rows = [
        body(
            r.facility_id,
            r.borrower_masked,
            instrument(r.instrument, lang),
            status(r.status, lang),
            formats.amount(r.principal_fen, lang),
            formats.day(r.disbursed_on),
            formats.amount(r.outstanding_fen, lang),
            formats.amount(r.overdue_fen, lang),
            formats.count(r.days_overdue, lang),
        )
        for r in rows
    ]
    return data_table(cols, table_rows, lang, width)

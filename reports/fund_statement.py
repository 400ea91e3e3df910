"""The fund statement (基金报表): the auditors' view of the whole fund for a period.

Sections: key figures with their capital form and how the statement was generated;
the three statements of 民间非营利组织会计制度 (balance sheet 会民非01表, statement of
activities 会民非02表, cash flows 会民非03表); portfolio and guarantee leverage; local
matching and counter-guarantees; beneficiaries against targets; province and county
breakdowns (landscape); the ledger's integrity; sign-off.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import KeepTogether, Spacer

from fundcore.statements.model import (
    AccountLine,
    ActivityLine,
    ActivityTotal,
    BalanceSheet,
    BalanceTotal,
    CashFlows,
    FundStatement,
    StatementOfActivities,
)
from reports import charts, formats, layout, official, sections
from reports.labels import pick, t
from reports.styles import para
from reports.tables import Col, body, data_table, section, total


def render_fund_statement(stmt: FundStatement, path: str | Path, lang: str = "zh") -> None:
    """Write the fund statement for ``stmt`` to ``path`` as a PDF in ``lang`` ('zh'/'en')."""
    width = layout.content_width()
    wide = layout.content_width("landscape")
    header = stmt.header
    forms = stmt.official
    story = [
        *sections.title_block(header, "fund_statement", lang, width),
        *sections.key_figures(stmt.key_figures, lang, width),
        *sections.generation(header, lang, width),
        sections.heading(1, "balance_sheet", lang),
        official.form_caption(forms.balance_sheet, lang),
        official.form_table(forms.balance_sheet, lang, width),
        *by_account(balance_sheet(stmt.balance_sheet, lang, width), "form_balance", lang),
        *layout.to_landscape(),
        sections.heading(2, "activities", lang),
        official.form_caption(forms.activities, lang),
        official.form_table(forms.activities, lang, wide),
        *layout.to_portrait(),
        *by_account(activities(stmt.activities, lang, width), "form_activities", lang),
        sections.subheading(t("charity_ratios", lang), lang),
        *official.charity(forms.charity, lang, width),
        sections.heading(3, "cash_flows", lang),
        official.form_caption(forms.cash_flows, lang),
        official.form_table(forms.cash_flows, lang, width),
        *by_account(cash_flows(stmt.cash_flows, lang, width), "form_cash", lang),
        sections.heading(4, "portfolio", lang),
        *sections.portfolio(stmt.portfolio, stmt.portfolio_total, lang, width),
        sections.subheading(t("guarantee_capacity", lang), lang),
        sections.guarantee(stmt.guarantee, lang, width),
        *figure(charts.monthly_chart, stmt.months, width, "chart_months", 1, lang),
        sections.heading(5, "leverage", lang),
        sections.leverage(stmt.leverage, stmt.leverage_total, lang, width),
        sections.leverage_note(lang),
        sections.heading(6, "beneficiaries", lang),
        sections.beneficiaries(stmt.beneficiaries, lang, width),
        *layout.to_landscape(),
        sections.heading(7, "regions", lang),
        sections.subheading(t("by_province", lang), lang),
        sections.regions(stmt.provinces, stmt.province_total, lang, wide, county=False),
        *figure(charts.province_chart, stmt.provinces, wide, "chart_provinces", 2, lang),
        sections.subheading(t("by_county", lang), lang),
        sections.regions(stmt.counties, stmt.county_total, lang, wide, county=True),
        *layout.to_portrait(),
        sections.heading(8, "integrity", lang),
        *sections.integrity(stmt.integrity, lang, width),
        sections.signatures(lang, width),
    ]
    title = t("fund_statement", lang)
    page = layout.furniture(header, stmt.integrity, title, lang)
    author = pick(header.foundation_name_zh, header.foundation_name_en, lang)
    layout.build(path, story, page, author=author, subject=page.scope_line)


def balance_sheet(sheet: BalanceSheet, lang: str, width: float):
    cols = [
        Col(t("code", lang), "code"),
        Col(t("item", lang)),
        Col(t("opening", lang), "num"),
        Col(t("closing", lang), "num"),
    ]
    rows = []
    for key, lines, total_key, line_total in (
        ("assets", sheet.assets, "total_assets", sheet.total_assets),
        ("liabilities", sheet.liabilities, "total_liabilities", sheet.total_liabilities),
        ("net_assets", sheet.net_assets, "total_net_assets", sheet.total_net_assets),
    ):
        rows.append(section(t(key, lang)))
        rows.extend(_account(line, lang) for line in lines)
        rows.append(_balance_total(total_key, line_total, lang))
    rows.append(
        _balance_total(
            "total_liabilities_and_net_assets", sheet.total_liabilities_and_net_assets, lang
        )
    )
    return data_table(cols, rows, lang, width, zebra=False, spread=False)


def _account(line: AccountLine, lang: str):
    return body(
        line.code,
        pick(line.name_zh, line.name_en, lang),
        formats.amount(line.opening_fen, lang),
        formats.amount(line.closing_fen, lang),
    )


def _balance_total(key: str, value: BalanceTotal, lang: str):
    opening = formats.amount(value.opening_fen, lang)
    return total("", t(key, lang), opening, formats.amount(value.closing_fen, lang))


def activities(stmt: StatementOfActivities, lang: str, width: float):
    cols = [
        Col(t("item", lang)),
        Col(t("unrestricted", lang), "num"),
        Col(t("restricted", lang), "num"),
        Col(t("total", lang), "num"),
    ]
    rows = [section(t("income", lang))]
    rows.extend(_activity(line, lang) for line in stmt.income)
    rows.append(_activity_total("total_income", stmt.total_income, lang))
    rows.append(section(t("expenses", lang)))
    rows.extend(_activity(line, lang) for line in stmt.expenses)
    rows.append(_activity_total("total_expenses", stmt.total_expenses, lang))
    rows.append(_activity_total("released", stmt.restrictions_released, lang, "body"))
    rows.append(_activity_total("change_in_net_assets", stmt.change_in_net_assets, lang))
    return data_table(cols, rows, lang, width, zebra=False, spread=False)


def _activity(line: ActivityLine, lang: str):
    name = pick(line.name_zh, line.name_en, lang)
    if line.code:
        name = f"{line.code}  {name}"
    return body(name, *_three(line.unrestricted_fen, line.restricted_fen, line.total_fen, lang))


def _activity_total(key: str, value: ActivityTotal, lang: str, role: str = "total"):
    cells = _three(value.unrestricted_fen, value.restricted_fen, value.total_fen, lang)
    row = total(t(key, lang), *cells)
    return body(*row.cells) if role == "body" else row


def _three(unrestricted: int, restricted: int, combined: int, lang: str) -> list[str]:
    return [formats.amount(v, lang) for v in (unrestricted, restricted, combined)]


def cash_flows(flows: CashFlows, lang: str, width: float):
    cols = [Col(t("item", lang)), Col(t("amount", lang), "num")]
    rows = [body(t("opening_cash", lang), formats.amount(flows.opening_cash_fen, lang))]
    rows.append(section(t("inflows", lang)))
    rows.extend(
        body(pick(f.name_zh, f.name_en, lang), formats.amount(f.amount_fen, lang))
        for f in flows.inflows
    )
    rows.append(total(t("total_inflows", lang), formats.amount(flows.total_inflows_fen, lang)))
    rows.append(section(t("outflows", lang)))
    rows.extend(
        body(pick(f.name_zh, f.name_en, lang), formats.amount(f.amount_fen, lang))
        for f in flows.outflows
    )
    rows.append(total(t("total_outflows", lang), formats.amount(flows.total_outflows_fen, lang)))
    rows.append(total(t("net_change", lang), formats.amount(flows.net_change_fen, lang)))
    rows.append(total(t("closing_cash", lang), formats.amount(flows.closing_cash_fen, lang)))
    return data_table(cols, rows, lang, width, zebra=False, spread=False)


def by_account(table, form_key: str, lang: str) -> list:
    """The same statement account by account (each line's source), under the form."""
    heading = (
        f"{t('by_account', lang)}（{t(form_key, lang)}）"
        if lang == "zh"
        else (f"{t('by_account', lang)} ({t(form_key, lang)})")
    )
    return [KeepTogether([sections.subheading(heading, lang), _form(form_key, lang), table])]


def _form(key: str, lang: str):
    return para(f"{t(key, lang)}    {t('unit', lang)}", lang, "form")


def figure(chart, rows, width: float, caption_key: str, number: int, lang: str) -> list:
    """A chart of ``rows`` with its numbered caption; nothing when there is nothing to plot."""
    if not rows:
        return []
    caption = t(caption_key, lang).format(n=number)
    return [KeepTogether([Spacer(1, 6), chart(rows, lang, width), para(caption, lang, "caption")])]

"""The official forms (会民非01/02/03表) and the Charity Law ratios block.

A form prints as the standard lays it out: 项目, 行次, then its figure columns, headings
as section rows and totals in bold. Figures are in yuan without the currency sign, as
the forms say 单位：元. Nothing is added here: every figure, total included, is a field
of the statement model.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from fundcore.statements.model import CharityRatios, OfficialForm, RatioCheck
from reports import formats
from reports.labels import pick, t
from reports.styles import para
from reports.tables import Col, Row, body, data_table, section, total


def form_table(form: OfficialForm, lang: str, width: float) -> Flowable:
    cols = [Col(t("item", lang), weight=2.2), Col(t("line_no", lang), "center")]
    cols += [Col(pick(c.name_zh, c.name_en, lang), "num") for c in form.columns]
    rows: list[Row] = []
    for r in form.rows:
        name = pick(r.name_zh, r.name_en, lang)
        if r.role == "heading":
            rows.append(section(name))
            continue
        cells = [formats.figure(v, lang) for v in r.values_fen]
        if r.role == "total":
            rows.append(total(name, str(r.line), *cells))
        else:
            indent = "    " if r.role == "detail" else ""
            rows.append(body(indent + name, str(r.line), *cells))
    return data_table(cols, rows, lang, width, zebra=False, spread=False)


def form_caption(form: OfficialForm, lang: str) -> Flowable:
    """会民非01表 · 单位：元 · the standard the form follows."""
    code = pick(form.code, form.code_en, lang)
    standard = pick(form.standard_zh, form.standard_en, lang)
    text = f"{code}    {t('unit_yuan', lang)}    {t('standard', lang)}{standard}"
    return para(text, lang, "form")


def charity(block: CharityRatios, lang: str, width: float) -> list:
    cols = [
        Col(t("ratio_item", lang), weight=2),
        Col(t("ratio_numerator", lang), "num"),
        Col(t("ratio_denominator", lang), "num"),
        Col(t("ratio_value", lang), "num"),
        Col(t("ratio_limit", lang), "num"),
        Col(t("ratio_met", lang), "center"),
    ]
    rows = [_check(c, lang) for c in block.checks]
    years = "、".join(map(str, block.average_years)) if block.average_years else formats.DASH
    note = t("charity_note", lang).format(
        year=block.year,
        through=formats.day(block.through),
        spending=formats.amount(block.spending_fen, lang),
        management=formats.amount(block.management_fen, lang),
        expenses=formats.amount(block.total_expenses_fen, lang),
        previous=formats.amount(block.previous_income_fen, lang),
        average=formats.amount(block.average_income_fen, lang),
        years=years,
    )
    return [data_table(cols, rows, lang, width, spread=False), para(note, lang, "note")]


def _check(check: RatioCheck, lang: str) -> Row:
    sign = t("ratio_at_least" if check.rule == "at_least" else "ratio_at_most", lang)
    if check.met is None:
        met = t("ratio_na", lang)
    else:
        met = t("ratio_yes" if check.met else "ratio_no", lang)
    return body(
        pick(check.label_zh, check.label_en, lang),
        formats.amount(check.numerator_fen, lang),
        formats.amount(check.denominator_fen, lang),
        formats.percent(check.ratio_bp),
        f"{sign}{formats.percent(check.limit_bp)}",
        met,
    )

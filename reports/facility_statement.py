"""The facility statement (对账单): one loan or guarantee, its schedule, payments and balance.

Personal identifiers arrive masked; the balance is printed with its capital form, as on
a voucher, so the borrower and the bank read the same amount in words and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fundcore.statements.model import (
    FacilityStatement,
    PaymentRow,
    ScheduleRow,
    ScheduleTotal,
)
from reports import formats, layout, sections
from reports.labels import instrument, pick, status, t
from reports.styles import para
from reports.tables import Col, body, data_table, kv_table, total

_TITLES = {"loan": "loan_statement", "guarantee": "guarantee_statement"}


def render_facility_statement(stmt: FacilityStatement, path: str | Path, lang: str = "zh") -> None:
    """Write the statement of one facility to ``path`` as a PDF in ``lang`` ('zh'/'en')."""
    width = layout.content_width()
    header = stmt.header
    title_key = _TITLES.get(stmt.instrument, "facility_statement")
    story = [
        *sections.title_block(header, title_key, lang, width),
        balance_figure(stmt, lang, width),
        *sections.generation(header, lang, width),
        sections.heading(1, "facility_details", lang),
        details(stmt, lang, width),
        sections.note(t("masking_note", lang), lang),
        sections.heading(2, "schedule", lang),
        schedule(stmt.schedule, stmt.schedule_total, lang, width),
        sections.heading(3, "payments", lang),
        payments(stmt.payments, stmt.payments_total_fen, lang, width),
        sections.heading(4, "balance", lang),
        balance(stmt, lang, width),
        sections.heading(5, "integrity", lang),
        *sections.integrity(stmt.integrity, lang, width),
    ]
    page = layout.furniture(header, stmt.integrity, t(title_key, lang), lang)
    author = pick(header.foundation_name_zh, header.foundation_name_en, lang)
    layout.build(path, story, page, author=author, subject=page.scope_line)


def balance_figure(stmt: FacilityStatement, lang: str, width: float):
    """The balance in figures and in words, under the title, as on a voucher."""
    label = t("balance_as_of", lang).format(date=formats.day(stmt.header.period_to))
    cols = [Col(t("item", lang)), Col(t("amount", lang), "num"), Col(t("in_words", lang), "code")]
    row = body(label, formats.amount(stmt.balance_fen, lang), formats.in_words(stmt.balance_fen))
    return data_table(cols, [row], lang, width)


def details(stmt: FacilityStatement, lang: str, width: float):
    county = pick(stmt.county_name_zh, stmt.county_name_en, lang)
    pairs = [
        (t("facility_id", lang), stmt.facility_id),
        (t("instrument", lang), instrument(stmt.instrument, lang)),
        (t("borrower_name", lang), stmt.borrower_name),
        (t("status", lang), status(stmt.status, lang)),
        (t("id_number", lang), stmt.borrower_id_masked),
        (t("phone", lang), stmt.borrower_phone_masked),
        (t("county", lang), f"{county} ({stmt.county_code})"),
        (t("principal", lang), formats.amount(stmt.principal_fen, lang)),
        (t("rate", lang), formats.percent(stmt.rate_bp)),
        (t("subsidy_rate", lang), formats.percent(stmt.subsidy_bp)),
        (t("term", lang), t("term_months", lang).format(n=stmt.term_months)),
        (t("approved_on", lang), formats.day(stmt.approved_on)),
        (t("disbursed_on", lang), formats.day(stmt.disbursed_on)),
        (t("maturity_on", lang), formats.day(stmt.maturity_on)),
    ]
    if stmt.lender_zh or stmt.lender_en:
        pairs.append((t("lender", lang), pick(stmt.lender_zh, stmt.lender_en, lang)))
        pairs.append((t("coverage", lang), formats.percent(stmt.coverage_bp)))
    return kv_table(pairs, lang, width, 0.36, per_row=2)


def schedule(rows: Sequence[ScheduleRow], grand: ScheduleTotal, lang: str, width: float):
    cols = [
        Col(t("no", lang), "center"),
        Col(t("due_date", lang), "center"),
        Col(t("principal", lang), "num"),
        Col(t("interest", lang), "num"),
        Col(t("subsidy", lang), "num"),
        Col(t("paid", lang), "num"),
        Col(t("outstanding_after", lang), "num"),
        Col(t("status", lang)),
    ]
    table_rows = [
        body(
            str(r.no),
            formats.day(r.due_date),
            formats.amount(r.principal_fen, lang),
            formats.amount(r.interest_fen, lang),
            formats.amount(r.subsidy_fen, lang),
            formats.amount(r.paid_fen, lang),
            formats.amount(r.outstanding_after_fen, lang),
            status(r.status, lang),
        )
        for r in rows
    ]
    table_rows.append(
        total(
            t("total", lang),
            "",
            formats.amount(grand.principal_fen, lang),
            formats.amount(grand.interest_fen, lang),
            formats.amount(grand.subsidy_fen, lang),
            formats.amount(grand.paid_fen, lang),
            "",
            "",
        )
    )
    return data_table(cols, table_rows, lang, width)


def payments(rows: Sequence[PaymentRow], total_fen: int, lang: str, width: float):
    if not rows:
        return para(t("none", lang), lang, "body")
    several = any(r.facility_id for r in rows)  # the archive lists every facility's payments
    cols = [
        Col(t("date", lang), "center"),
        *([Col(t("facility_id", lang), "code")] if several else []),
        Col(t("payment_ref", lang)),
        Col(t("amount", lang), "num"),
        Col(t("applied_principal", lang), "num"),
    ]
    table_rows = [
        body(
            formats.day(r.paid_on),
            *([r.facility_id] if several else []),
            r.ref,
            formats.amount(r.amount_fen, lang),
            formats.amount(r.applied_principal_fen, lang),
        )
        for r in rows
    ]
    blanks = ["", ""] if several else [""]
    table_rows.append(total(t("total", lang), *blanks, formats.amount(total_fen, lang), ""))
    return data_table(cols, table_rows, lang, width)


def balance(stmt: FacilityStatement, lang: str, width: float):
    b = stmt.balance
    label = t("balance_as_of", lang).format(date=formats.day(stmt.header.period_to))
    next_due = formats.DASH
    if b.next_due_on is not None:
        next_due = t("next_due_value", lang).format(
            date=formats.day(b.next_due_on), amount=formats.amount(b.next_due_fen, lang)
        )
    pairs = [
        (t("principal_outstanding", lang), formats.amount(b.principal_outstanding_fen, lang)),
        (t("overdue", lang), formats.amount(b.overdue_fen, lang)),
        (t("days_overdue", lang), formats.count(b.days_overdue, lang)),
        (t("next_due", lang), next_due),
        (label, formats.amount(stmt.balance_fen, lang)),
        (t("in_words", lang), formats.in_words(stmt.balance_fen)),
    ]
    return kv_table(pairs, lang, width, 0.3)

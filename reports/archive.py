"""A youth's entrepreneurship record (青年创业档案): who, what was asked and decided,
what was given, what was repaid, and what other support was received.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fundcore.statements.model import ApplicationRow, ArchiveStatement, Person, SupportRow
from reports import formats, layout, sections
from reports.county_statement import facilities
from reports.facility_statement import payments
from reports.labels import instrument, pick, status, t
from reports.styles import para
from reports.tables import Col, body, data_table, kv_table, total


def render_archive(stmt: ArchiveStatement, path: str | Path, lang: str = "zh") -> None:
    """Write the record of one young entrepreneur to ``path`` as a PDF in ``lang``."""
    width = layout.content_width()
    header = stmt.header
    story = [
        *sections.title_block(header, "archive", lang, width),
        *sections.generation(header, lang, width),
        sections.heading(1, "person", lang),
        person(stmt.person, lang, width),
        sections.note(t("masking_note", lang), lang),
        sections.heading(2, "applications", lang),
        applications(stmt.applications, lang, width),
        sections.heading(3, "facilities", lang),
        facilities(stmt.facilities, lang, width),
        sections.heading(4, "payments", lang),
        payments(stmt.payments, stmt.payments_total_fen, lang, width),
        sections.heading(5, "support", lang),
        *support(stmt.support, stmt.support_total_fen, lang, width),
        sections.heading(6, "integrity", lang),
        *sections.integrity(stmt.integrity, lang, width),
    ]
    page = layout.furniture(header, stmt.integrity, t("archive", lang), lang)
    author = pick(header.foundation_name_zh, header.foundation_name_en, lang)
    layout.build(path, story, page, author=author, subject=page.scope_line)


def person(who: Person, lang: str, width: float):
    county = pick(who.county_name_zh, who.county_name_en, lang)
    pairs = [
        (t("name", lang), who.name_masked),
        (t("id_number", lang), who.id_masked),
        (t("phone", lang), who.phone_masked),
        (t("province", lang), pick(who.province_name_zh, who.province_name_en, lang)),
        (t("county", lang), f"{county} ({who.county_code})"),
        (t("poor_household", lang), t("yes" if who.poor_household else "no_", lang)),
        (t("poor_employed", lang), formats.count(who.poor_youth_employed_count, lang)),
    ]
    return kv_table(pairs, lang, width, 0.36, per_row=2)


def applications(rows: Sequence[ApplicationRow], lang: str, width: float):
    if not rows:
        return para(t("none", lang), lang, "body")
    cols = [
        Col(t("application_id", lang), "code"),
        Col(t("submitted_on", lang), "center"),
        Col(t("instrument", lang), weight=0.8),
        Col(t("requested", lang), "num"),
        Col(t("decision", lang), weight=0.6),
        Col(t("decided_on", lang), "center"),
        Col(t("approved_amount", lang), "num"),
        Col(t("policy_version", lang), "code"),
        Col(t("reason", lang), weight=1.6),
    ]
    table_rows = [
        body(
            r.application_id,
            formats.day(r.submitted_on),
            instrument(r.instrument, lang),
            formats.amount(r.requested_fen, lang),
            status(r.decision, lang),
            formats.day(r.decided_on),
            formats.amount(r.approved_fen, lang),
            r.policy_version,
            pick(r.reason_zh, r.reason_en, lang),
        )
        for r in rows
    ]
    return data_table(cols, table_rows, lang, width)


def support(rows: Sequence[SupportRow], total_fen: int, lang: str, width: float):
    cols = [
        Col(t("date", lang), "center"),
        Col(t("kind", lang), weight=0.6),
        Col(t("description", lang), weight=2),
        Col(t("amount", lang), "num"),
    ]
    table_rows = [
        body(
            formats.day(r.on),
            instrument(r.kind, lang),
            pick(r.description_zh, r.description_en, lang),
            formats.amount(r.amount_fen, lang),
        )
        for r in rows
    ]
    table_rows.append(total(t("support_total", lang), "", "", formats.amount(total_fen, lang)))
    total_words = [(t("in_words", lang), formats.in_words(total_fen))]
    return [data_table(cols, table_rows, lang, width), kv_table(total_words, lang, width, 0.3)]

"""Blocks that several statements share: title, key figures, portfolio, integrity ...

Each function turns one part of a statement model into flowables. They format and
place figures; they never add, subtract or divide them (totals and ratios are fields
of the model, computed by the core).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from fundcore.statements.model import (
    BeneficiaryRow,
    GuaranteeBlock,
    IntegrityBlock,
    KeyFigure,
    LeverageRow,
    PortfolioRow,
    RegionRow,
    StatementHeader,
)
from reports import formats
from reports.labels import instrument, period_state, pick, t
from reports.styles import RULE, para
from reports.tables import Col, body, data_table, kv_table, section, total

_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


def heading(number: int, key: str, lang: str) -> Flowable:
    """A numbered section heading: 一、资产负债表 / 1. Balance sheet."""
    mark = f"{_NUMERALS[number - 1]}、" if lang == "zh" else f"{number}. "
    return para(f"{mark}{t(key, lang)}", lang, "h1")


def subheading(text: str, lang: str) -> Flowable:
    return para(text, lang, "h2")


def note(text: str, lang: str) -> Flowable:
    return para(text, lang, "note")


def title_block(header: StatementHeader, title_key: str, lang: str, width: float) -> list:
    fund = pick(header.fund_name_zh, header.fund_name_en, lang)
    period = t("period_long", lang).format(
        start=formats.long_day(header.period_from, lang),
        end=formats.long_day(header.period_to, lang),
    )
    scope = pick(header.scope.name_zh, header.scope.name_en, lang)
    issuer = pick(header.foundation_name_zh, header.foundation_name_en, lang)
    left = f"{t('prepared_by', lang)}{t('colon', lang)}{issuer}"
    line = Table(
        [[para(left, lang, "body"), para(t("unit", lang), lang, "body", align="right")]],
        colWidths=[width * 0.62, width * 0.38],
    )
    line.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    state = period_state(header.period_state, lang)
    return [
        para(fund, lang, "subtitle"),
        para(t(title_key, lang), lang, "title"),
        para(f"{scope}{t('list_sep', lang)}{period}", lang, "subtitle"),
        *([para(state, lang, "subtitle")] if state else []),
        Spacer(1, 8),
        line,
        Spacer(1, 4),
    ]


def key_figures(figures: Sequence[KeyFigure], lang: str, width: float) -> list:
    cols = [
        Col(t("item", lang)),
        Col(t("amount", lang), "num"),
        Col(t("in_words", lang), weight=1.5),
    ]
    rows = [
        body(
            pick(f.label_zh, f.label_en, lang),
            formats.amount(f.amount_fen, lang),
            formats.in_words(f.amount_fen),
        )
        for f in figures
    ]
    table = data_table(cols, rows, lang, width, spread=False)
    return [subheading(t("key_figures", lang), lang), table]


def generation(header: StatementHeader, lang: str, width: float) -> list:
    pairs: list[tuple[str, object]] = [
        (pick(p.label_zh, p.label_en, lang), p.value) for p in header.parameters
    ]
    state = period_state(header.period_state, lang)
    if state:
        pairs.insert(0, (t("period_status", lang), state))
    if header.document_no:
        pairs.insert(0, (t("document_no", lang), header.document_no))
    pairs.append((t("reproduce", lang), para(header.reproduce_command, lang, "mono")))
    return [subheading(t("generation", lang), lang), kv_table(pairs, lang, width, 0.26)]


_PORTFOLIO = (
    ("scale", None),
    ("approved_count", formats.count),
    ("approved_fen", formats.amount),
    ("disbursed_count", formats.count),
    ("disbursed_fen", formats.amount),
    ("outstanding_count", formats.count),
    ("outstanding_fen", formats.amount),
    ("quality", None),
    ("overdue_1_30_fen", formats.amount),
    ("overdue_31_90_fen", formats.amount),
    ("overdue_over_90_fen", formats.amount),
    ("par30_bp", None),
    ("par90_bp", None),
    ("losses", None),
    ("defaults_count", formats.count),
    ("claims_paid_fen", formats.amount),
    ("claim_rate_bp", None),
    ("recoveries_fen", formats.amount),
    ("write_offs_fen", formats.amount),
)


def portfolio(rows: Sequence[PortfolioRow], grand: PortfolioRow, lang: str, width: float):
    """Measures down, instruments across, the core's total in the last column."""
    columns = [*rows, grand]
    cols = [Col(t("metric", lang), weight=1)]
    cols += [Col(instrument(r.instrument, lang), "num") for r in rows]
    cols.append(Col(t("total", lang), "num"))
    table_rows = []
    for field, formatter in _PORTFOLIO:
        if formatter is None and not field.endswith("_bp"):
            table_rows.append(section(t(field, lang)))
            continue
        cells = [_portfolio_cell(getattr(r, field), field, formatter, lang) for r in columns]
        table_rows.append(body(t(field, lang), *cells))
    table = data_table(cols, table_rows, lang, width, spread=False)
    return [table, note(t("portfolio_note", lang), lang)]


def _portfolio_cell(value, field: str, formatter, lang: str) -> str:
    if field.endswith("_bp"):
        return formats.percent(value)
    return formatter(value, lang)


def guarantee(block: GuaranteeBlock, lang: str, width: float) -> Flowable:
    leverage = t("leverage_value", lang).format(
        value=formats.multiple(block.leverage_x100), cap=block.cap_x
    )
    pairs = [
        (t("exposure", lang), formats.amount(block.exposure_fen, lang)),
        (t("deposits_placed", lang), formats.amount(block.deposits_placed_fen, lang)),
        (t("net_assets", lang), formats.amount(block.net_assets_fen, lang)),
        (t("leverage_x", lang), leverage),
    ]
    if block.loss_provision_fen is not None:
        pairs.append((t("loss_provision", lang), formats.amount(block.loss_provision_fen, lang)))
    if block.cash_room_fen is not None:
        pairs.append((t("cash_room", lang), formats.amount(block.cash_room_fen, lang)))
    if block.headroom_fen is not None:
        pairs.append((t("headroom", lang), formats.amount(block.headroom_fen, lang)))
    if block.binding is not None:
        pairs.append((t("binding", lang), t(block.binding, lang)))
    if block.largest_exposure_fen is not None:
        largest = t("largest_value", lang).format(
            amount=formats.amount(block.largest_exposure_fen, lang),
            share=formats.percent(block.largest_exposure_bp),
            cap=formats.percent(block.concentration_cap_bp),
        )
        pairs.append((t("largest_exposure", lang), largest))
    return kv_table(pairs, lang, width, 0.34)


def leverage(
    rows: Sequence[LeverageRow],
    grand: LeverageRow | None,
    lang: str,
    width: float,
    name_key: str = "province",
):
    cols = [
        Col(t(name_key, lang), weight=1),
        Col(t("matching_committed", lang), "num"),
        Col(t("matching_received", lang), "num"),
        Col(t("received_bp", lang), "num"),
        Col(t("counter_count", lang), "num"),
        Col(t("counter_fen", lang), "num"),
        Col(t("fund_money", lang), "num"),
        Col(t("local_per_fund", lang), "num"),
    ]
    table_rows = [body(pick(r.name_zh, r.name_en, lang), *_leverage_cells(r, lang)) for r in rows]
    if grand is not None:
        table_rows.append(total(t("total", lang), *_leverage_cells(grand, lang)))
    return data_table(cols, table_rows, lang, width)


def _leverage_cells(row: LeverageRow, lang: str) -> list[str]:
    return [
        formats.amount(row.matching_committed_fen, lang),
        formats.amount(row.matching_received_fen, lang),
        formats.percent(row.received_bp),
        formats.count(row.counter_guarantee_count, lang),
        formats.amount(row.counter_guarantee_fen, lang),
        formats.amount(row.fund_money_fen, lang),
        formats.multiple(row.local_per_fund_x100),
    ]


def leverage_note(lang: str) -> Flowable:
    """Why matching is shown here and nowhere in the accounts."""
    return note(t("leverage_note", lang), lang)


def beneficiaries(rows: Sequence[BeneficiaryRow], lang: str, width: float) -> Flowable:
    cols = [
        Col(t("indicator", lang), weight=1),
        Col(t("actual", lang), "num"),
        Col(t("target", lang), "num"),
        Col(t("achieved", lang), "num"),
    ]
    table_rows = [
        body(
            pick(r.label_zh, r.label_en, lang),
            formats.count(r.actual, lang),
            formats.count(r.target, lang),
            formats.percent(r.achieved_bp),
        )
        for r in rows
    ]
    return data_table(cols, table_rows, lang, width, spread=False)


def regions(
    rows: Sequence[RegionRow], grand: RegionRow | None, lang: str, width: float, *, county: bool
):
    """The province table (name, code) or the county table (province, code, county)."""
    cols = [Col(t("province", lang), weight=1)]
    if county:
        cols += [Col(t("county_code", lang), "code"), Col(t("county", lang), weight=1.2)]
    else:
        cols.append(Col(t("province_code", lang), "code"))
    cols += [
        Col(t(key, lang), "num")
        for key in (
            "region_approved",
            "region_disbursed_count",
            "region_disbursed_fen",
            "region_outstanding",
            "region_overdue",
            "region_at_risk",
            "region_par30",
            "region_claims",
            "region_youth",
        )
    ]
    table_rows = []
    for r in rows:
        name = pick(r.name_zh, r.name_en, lang)
        names = [pick(r.parent_zh, r.parent_en, lang), r.code, name] if county else [name, r.code]
        table_rows.append(body(*names, *_region_cells(r, lang)))
    if grand is not None:
        blanks = ["", ""] if county else [""]
        table_rows.append(total(t("total", lang), *blanks, *_region_cells(grand, lang)))
    return data_table(cols, table_rows, lang, width)


def _region_cells(row: RegionRow, lang: str) -> list[str]:
    return [
        formats.count(row.approved_count, lang),
        formats.count(row.disbursed_count, lang),
        formats.amount(row.disbursed_fen, lang),
        formats.amount(row.outstanding_fen, lang),
        formats.amount(row.overdue_fen, lang),
        formats.amount(row.at_risk_30_fen, lang),
        formats.percent(row.par30_bp),
        formats.amount(row.claims_paid_fen, lang),
        formats.count(row.youth_supported_count, lang),
    ]


def integrity(block: IntegrityBlock, lang: str, width: float) -> list:
    if not block.checked:
        verdict = t("not_checked", lang)
    else:
        verdict = t("verified" if block.verified else "not_verified", lang)
    pairs: list[tuple[str, object]] = (
        [] if block.as_of is None else [(t("ledger_as_of", lang), formats.day(block.as_of))]
    )
    pairs += [
        (t("entry_count", lang), formats.count(block.entry_count, lang)),
        (t("line_count", lang), formats.count(block.line_count, lang)),
        (t("total_debit", lang), formats.amount(block.total_debit_fen, lang)),
        (t("total_credit", lang), formats.amount(block.total_credit_fen, lang)),
        (t("trial_balance", lang), formats.amount(block.trial_balance_fen, lang)),
        (t("head_seq", lang), str(block.head_seq)),
        (t("head_hash", lang), para(block.head_hash, lang, "mono")),
    ]
    if block.hash_scheme:
        pairs.append((t("hash_scheme", lang), block.hash_scheme))
    if block.anchor is not None:
        pairs.append((t("anchor_signature", lang), para(block.anchor.signature, lang, "mono")))
        pairs.append((t("anchor_key", lang), para(block.anchor.public_key, lang, "mono")))
    if block.as_of is None:
        pairs.append((t("verification", lang), verdict))
        closing = t("integrity_note", lang)
    else:
        pairs.append((t("verification_at_generation", lang), verdict))
        closing = t("integrity_as_of_note", lang).format(date=formats.day(block.as_of))
    for problem in block.problems:
        pairs.append((t("problems", lang), problem))
    if block.anchor is not None:
        closing += " " + t("anchor_note", lang)
    return [kv_table(pairs, lang, width, 0.3), note(closing, lang)]


def signatures(lang: str, width: float) -> Flowable:
    """Lines for the people who sign the statement off, two to a row."""
    keys = ("sign_head", "sign_accountant", "sign_reviewer", "sign_preparer")
    cells = [para(f"{t(k, lang)}{t('colon', lang)}", lang, "body", align="right") for k in keys]
    rows = [[cells[0], "", cells[1], ""], [cells[2], "", cells[3], ""]]
    table = Table(rows, colWidths=[width * 0.2, width * 0.27, width * 0.26, width * 0.27])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 18),
                ("LINEBELOW", (1, 0), (1, -1), 0.5, RULE),
                ("LINEBELOW", (3, 0), (3, -1), 0.5, RULE),
            ]
        )
    )
    return KeepTogether([Spacer(1, 14), table])

"""Charts (reportlab.graphics): portfolio by province, and money in and out by month.

Charts plot the core's figures as they are (fen, basis points). Only the axis tick
labels are converted for reading: a tick is a position the axis chose, not a figure of
the fund, so printing the tick at 2,000,000,000 fen as "2,000" (万元) reports nothing
the core did not compute. Bar-end labels print the figure itself through ``formats``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_decimal
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String

from fundcore.statements.model import MonthPoint, RegionRow
from reports import formats
from reports.labels import pick, t
from reports.styles import CJK, GREY, HAIRLINE, INK, LATIN, SERIES, font_for, text_width

ROW_HEIGHT = 15  # points per province in the province chart
LABEL_SIZE = 7.5


def province_chart(
    rows: Sequence[RegionRow], lang: str, width: float, max_height: float = 420
) -> Drawing:
    """Outstanding and >30-days-overdue balances (grouped bars) beside PAR30, per province.

    Provinces read top to bottom in the order given, as in the table above the chart.
    Rows are ROW_HEIGHT high, less when that many would not fit in ``max_height``.
    """
    ordered = list(reversed(rows))  # a horizontal bar chart draws its first category lowest
    names = [pick(r.name_zh, r.name_en, lang) for r in ordered]
    font = _font(names, lang)
    label_width = max(text_width(n, lang, LABEL_SIZE) for n in names) + 8
    plot_y, plot_h = 24, min(ROW_HEIGHT * len(rows), max_height - 62)
    height = plot_h + 62
    drawing = Drawing(width, height)
    amounts_w = (width - label_width) * 0.62
    amounts = _hbar(lang, label_width, plot_y, amounts_w - 16, plot_h)
    amounts.data = [[r.outstanding_fen for r in ordered], [r.at_risk_30_fen for r in ordered]]
    amounts.categoryAxis.categoryNames = names
    amounts.categoryAxis.labels.fontName = font
    amounts.valueAxis.labelTextFormat = _wan
    _zero_safe(amounts, amounts.data)
    par_x = label_width + amounts_w + 12
    par = _hbar(lang, par_x, plot_y, width - par_x - 40, plot_h)
    par.data = [[r.par30_bp for r in ordered]]
    par.categoryAxis.categoryNames = names
    par.categoryAxis.visibleLabels = 0
    par.valueAxis.labelTextFormat = _pct
    par.bars[0].fillColor = SERIES[1]
    par.barLabelFormat = _pct_exact
    par.barLabels.fontName, par.barLabels.fontSize = _font([], lang), 6.5
    par.barLabels.boxAnchor, par.barLabels.dx = "w", 3
    _zero_safe(par, par.data, span=100)
    drawing.add(amounts)
    drawing.add(par)
    top = plot_y + plot_h + 8
    drawing.add(_axis_title(t("axis_wan", lang), lang, label_width, top))
    drawing.add(_axis_title(t("series_par30", lang), lang, par.x, top))
    drawing.add(
        _legend(
            [
                (SERIES[0], t("series_outstanding", lang)),
                (SERIES[1], t("series_at_risk", lang)),
            ],
            lang,
            label_width,
            height - 6,
        )
    )
    return drawing


def monthly_chart(points: Sequence[MonthPoint], lang: str, width: float) -> Drawing:
    """Disbursements and repayments per month as grouped vertical bars."""
    rotated = len(points) > 12
    height = 190 if rotated else 172
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 46, 42 if rotated else 22
    chart.width, chart.height = width - 56, 112
    chart.data = [[p.disbursed_fen for p in points], [p.repaid_fen for p in points]]
    chart.categoryAxis.categoryNames = [p.month for p in points]
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize = _font([], lang), 6.8
    if rotated:
        labels.angle, labels.boxAnchor, labels.dy, labels.dx = 45, "ne", -2, 2
    else:
        labels.boxAnchor, labels.dy = "n", -3
    _style_value_axis(chart.valueAxis, lang, _wan)
    chart.valueAxis.visibleGrid = 1
    chart.categoryAxis.strokeColor = GREY
    chart.bars.strokeColor = None
    chart.bars[0].fillColor, chart.bars[1].fillColor = SERIES[0], SERIES[1]
    chart.groupSpacing, chart.barSpacing = 4, 0.5
    _zero_safe(chart, chart.data)
    drawing.add(chart)
    drawing.add(_axis_title(t("axis_wan", lang), lang, chart.x, chart.y + chart.height + 8))
    pairs = [(SERIES[0], t("series_disbursed", lang)), (SERIES[1], t("series_repaid", lang))]
    drawing.add(_legend(pairs, lang, chart.x + 80, height - 6))
    return drawing


def _hbar(lang: str, x: float, y: float, width: float, height: float) -> HorizontalBarChart:
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = x, y, width, height
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = SERIES[0]
    chart.bars[1].fillColor = SERIES[1]
    chart.groupSpacing, chart.barSpacing = 5, 0.5
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.boxAnchor, chart.categoryAxis.labels.dx = "e", -4
    chart.categoryAxis.strokeColor = GREY
    chart.categoryAxis.tickLeft = 0
    _style_value_axis(chart.valueAxis, lang, None)
    chart.valueAxis.visibleGrid = 1
    return chart


def _style_value_axis(axis, lang: str, formatter) -> None:
    axis.valueMin = 0
    axis.labels.fontName, axis.labels.fontSize = _font([], lang), 6.8
    axis.strokeColor = GREY
    axis.gridStrokeColor, axis.gridStrokeWidth = HAIRLINE, 0.4
    axis.avoidBoundFrac = 0.05
    if formatter is not None:
        axis.labelTextFormat = formatter


def _zero_safe(chart, data: list[list[int | None]], span: int = 1_000_000) -> None:
    """An axis needs a range: with nothing but zeros, give it one (1万元, or 1% for bp)."""
    if not any(v for series in data for v in series if v is not None):
        chart.valueAxis.valueMax = span


def _legend(pairs, lang: str, x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y, legend.boxAnchor = x, y, "nw"
    legend.colorNamePairs = pairs
    legend.fontName = _font([name for _, name in pairs], lang)
    legend.fontSize = 7.5
    legend.columnMaximum, legend.alignment = 1, "right"
    legend.dx, legend.dy, legend.dxTextSpace = 8, 8, 4
    legend.deltax = max(text_width(name, lang, 7.5) for _, name in pairs) + 28
    legend.strokeColor = None
    return legend


def _axis_title(text: str, lang: str, x: float, y: float) -> String:
    return String(x, y, text, fontName=font_for(text, lang), fontSize=6.8, fillColor=INK)


def _font(texts: Sequence[str], lang: str) -> str:
    return CJK if any(font_for(text, lang) == CJK for text in texts) or lang == "zh" else LATIN


def _wan(tick: float) -> str:
    """An axis tick in fen, read in 万元 (10,000 yuan = 1,000,000 fen)."""
    return format_decimal(Decimal(round(tick)).scaleb(-6), format="#,##0.##", locale="en")


def _pct(tick: float) -> str:
    """An axis tick in basis points, read as a percentage."""
    return f"{Decimal(round(tick)).scaleb(-2).normalize():f}%"


def _pct_exact(value: int | None) -> str:
    return "" if value is None else formats.percent(value)

"""Tables that never overflow: measured column widths, wrapped text, repeated headers.

Every cell is a Paragraph, so text wraps inside its column instead of running over
the next one. Figures never wrap (a number split over two lines is misread): a figure
column is made as wide as its widest figure, text columns share what is left, and if
the figures do not fit the whole table steps down in type size until they do.
Figures are right-aligned. Header rows repeat on every page a table runs onto.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from reports.styles import (
    CJK,
    HAIRLINE,
    HEAD_FILL,
    INK,
    LATIN,
    NAVY,
    RULE,
    SECTION_FILL,
    TOTAL_FILL,
    ZEBRA,
    covers,
    font_for,
    para,
    style,
    text_width,
)

PAD = 3.5  # left and right cell padding, points
SLACK = 1.0  # so rounding never pushes a figure that just fits onto a second line
_NOWRAP = {"num": "right", "code": "left", "center": "center"}
_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)


@dataclass(frozen=True, slots=True)
class Col:
    """A column: ``kind`` 'text' (wraps), 'num' (right, never wraps), 'code', 'center'."""

    title: str
    kind: str = "text"
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Row:
    """Cells already formatted as text; ``role`` 'body' | 'total' | 'section' (spans all)."""

    cells: Sequence[str]
    role: str = "body"


def body(*cells: str) -> Row:
    return Row(cells)


def total(*cells: str) -> Row:
    return Row(cells, "total")


def section(text: str) -> Row:
    return Row((text,), "section")


def data_table(
    cols: Sequence[Col],
    rows: Sequence[Row],
    lang: str,
    width: float,
    *,
    zebra: bool = True,
    spread: bool = True,
) -> Table:
    """A full-width table of ``rows`` under a header row that repeats across pages.

    Width left over once every column has room is shared by all columns alike, or with
    ``spread=False`` goes to the text columns (a financial statement's wide item column).
    A total row's label runs over the empty cells after it.
    """
    for size in _SIZES:
        widths = _fit(cols, rows, lang, width, size, spread)
        if widths is not None:
            break
    else:
        raise ValueError(f"table does not fit in {width:.0f} pt even at {size} pt type")
    plain = _plain_columns(cols, rows, lang, size, widths)
    data = [[_head_cell(col, lang, size) for col in cols]]
    data.extend(_cells(cols, row, lang, size, plain) for row in rows)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(_table_style(rows, zebra))
    table.setStyle(_plain_style(plain, size))
    return table


def _fit(
    cols: Sequence[Col], rows: Sequence[Row], lang: str, width: float, size: float, spread: bool
) -> list[float] | None:
    """Column widths at type ``size``, or None when the figures cannot fit ``width``.

    Each column first gets what it needs (its widest figure, or its longest unbreakable
    word); then, as far as the width allows, headers are kept on one line; then text
    cells; what is still left is shared out.
    """
    plain = [row for row in rows if row.role != "section"]
    need, head_want, text_want = [], [], []
    for index, col in enumerate(cols):
        cells = [row.cells[index] for row in plain if index >= _label_span(row)]
        head = text_width(col.title, lang, size) + 2 * PAD
        if col.kind in _NOWRAP:
            widest = max([0.0, *(text_width(c, lang, size) for c in cells)]) + 2 * PAD + SLACK
            need.append(max(widest, _longest_word(col.title, lang, size) + 2 * PAD))
            text_want.append(need[-1])
        else:
            words = [_longest_word(c, lang, size) for c in [col.title, *cells]]
            need.append(max([text_width("国国国", lang, size), *words]) + 2 * PAD)
            full = max([0.0, *(text_width(c, lang, size) for c in cells)]) + 2 * PAD
            text_want.append(max(need[-1], full))
        head_want.append(max(need[-1], head))
    spare = width - sum(need)
    if spare < 0:
        return None
    widths, spare = _grow(need, head_want, spare)
    text_want = [max(w, x) for w, x in zip(widths, text_want, strict=True)]
    widths, spare = _grow(widths, text_want, spare)
    flexible = [i for i, col in enumerate(cols) if col.kind not in _NOWRAP]
    shares = [cols[i].weight if i in flexible else 0.0 for i in range(len(cols))]
    if spread or not flexible:
        shares = [1.0] * len(cols)
    return [w + spare * share / sum(shares) for w, share in zip(widths, shares, strict=True)]


def _grow(widths: list[float], wants: list[float], spare: float) -> tuple[list[float], float]:
    """Widen each column towards what it wants: fully if ``spare`` allows, else pro rata."""
    extra = [max(0.0, want - w) for w, want in zip(widths, wants, strict=True)]
    wanted = sum(extra)
    if wanted <= spare:
        return [w + e for w, e in zip(widths, extra, strict=True)], spare - wanted
    return [w + e * spare / wanted for w, e in zip(widths, extra, strict=True)], 0.0


_UNBREAKABLE = re.compile(r"[\x21-\x7e¥×—]+")


def _longest_word(text: str, lang: str, size: float) -> float:
    """Width of the longest piece a wrapped line cannot break.

    Latin words (and figures) never break; Chinese breaks between any two characters,
    but a line of one character reads badly, so two count as the smallest piece.
    """
    pieces = _UNBREAKABLE.findall(text)
    if font_for(text, lang) != LATIN:
        pieces += [text[i : i + 2] for i in range(len(text)) if not text[i].isascii()]
    return max((text_width(p, lang, size) for p in pieces), default=0.0)


def _label_span(row: Row) -> int:
    """How many leading cells a total row's label covers (itself and the blanks after it)."""
    if row.role != "total":
        return 0
    span = 1
    while span < len(row.cells) and row.cells[span] == "":
        span += 1
    return span


def _head_cell(col: Col, lang: str, size: float) -> Paragraph:
    return para(col.title, lang, "head", size=size, align="center")


def _cells(
    cols: Sequence[Col], row: Row, lang: str, size: float, plain: dict[int, tuple[str, str]]
) -> list:
    if row.role == "section":
        text = row.cells[0]
        first = para(text, lang, "section", size=size, align="left")
        return [first, *([""] * (len(cols) - 1))]
    out: list = []
    span = _label_span(row)
    for index, (col, text) in enumerate(zip(cols, row.cells, strict=True)):
        if index >= span and index in plain:
            out.append(text)  # one line: drawn as a string in the column's font
            continue
        align = "left" if index < span else _NOWRAP.get(col.kind, "left")
        out.append(para(text, lang, "cell", size=size, align=align))
    return out


def _plain_columns(
    cols: Sequence[Col], rows: Sequence[Row], lang: str, size: float, widths: Sequence[float]
) -> dict[int, tuple[str, str]]:
    """The columns whose cells are drawn as strings, with their font and alignment.

    A county table has 865 rows and a dozen columns; laying out each cell as a Paragraph
    took most of a fund statement's rendering time. Figures and codes never wrap, and a
    text column whose every cell fits its width on one line would not wrap either, so
    those cells are plain strings, drawn exactly where a one-line paragraph would be.
    A column qualifies only if one font (the one ``font_for`` picks for a paragraph)
    serves all its cells; the leading is a cell paragraph's, so row heights do not
    change. Other text columns keep their Paragraphs and wrap as before.
    """
    plain: dict[int, tuple[str, str]] = {}
    for index, col in enumerate(cols):
        texts = [r.cells[index] for r in rows if r.role != "section" and index >= _label_span(r)]
        fonts = {font_for(t, lang) for t in texts}
        if col.kind in _NOWRAP:
            plain[index] = (LATIN if fonts <= {LATIN} else CJK, _NOWRAP[col.kind])
            continue
        room = widths[index] - 2 * PAD - SLACK
        # a cell with a character the column's font lacks (a rare character of a
        # name) stays a Paragraph, which sets that character in a font that has it
        if len(fonts) == 1 and all(
            "\n" not in t
            and covers(t, next(iter(fonts)))
            and stringWidth(t, next(iter(fonts)), size) <= room
            for t in texts
        ):
            plain[index] = (next(iter(fonts)), "left")
    return plain


def _plain_style(plain: dict[int, tuple[str, str]], size: float) -> TableStyle:
    leading = style("cell", CJK, size).leading
    commands: list[tuple] = []
    for index, (font, align) in sorted(plain.items()):
        commands += [
            ("FONT", (index, 1), (index, -1), font, size, leading),
            ("ALIGN", (index, 1), (index, -1), align.upper()),
        ]
    return TableStyle(commands)


def _table_style(rows: Sequence[Row], zebra: bool) -> TableStyle:
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEABOVE", (0, 0), (-1, 0), 1.0, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, HAIRLINE),
        ("LINEBELOW", (0, -1), (-1, -1), 1.0, RULE),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), (None, ZEBRA)))
    for number, row in enumerate(rows, start=1):
        if row.role == "total":
            commands.append(("SPAN", (0, number), (_label_span(row) - 1, number)))
            commands.append(("BACKGROUND", (0, number), (-1, number), TOTAL_FILL))
            commands.append(("LINEABOVE", (0, number), (-1, number), 0.6, RULE))
        elif row.role == "section":
            commands.append(("SPAN", (0, number), (-1, number)))
            commands.append(("BACKGROUND", (0, number), (-1, number), SECTION_FILL))
            commands.append(("TEXTCOLOR", (0, number), (-1, number), NAVY))
    return TableStyle(commands)


def kv_table(
    pairs: Sequence[tuple[str, object]],
    lang: str,
    width: float,
    label_share: float = 0.3,
    *,
    per_row: int = 1,
) -> Table:
    """Label / value pairs, labels shaded, ``per_row`` pairs side by side.

    A value may be text or a flowable (a monospaced hash, say).
    """
    label_width = width * label_share / per_row
    value_width = width / per_row - label_width
    cells = []
    for label, value in pairs:
        cell = value
        if isinstance(value, str):
            cell = para(value, lang, "label", size=8.5)
        cells += [para(label, lang, "label", size=8.5), cell]
    cells += [""] * (-len(cells) % (2 * per_row))
    data = [cells[i : i + 2 * per_row] for i in range(0, len(cells), 2 * per_row)]
    table = Table(data, colWidths=[label_width, value_width] * per_row, hAlign="LEFT")
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BOX", (0, 0), (-1, -1), 0.75, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 0.25, HAIRLINE),
    ]
    commands += [("BACKGROUND", (2 * i, 0), (2 * i, -1), HEAD_FILL) for i in range(per_row)]
    table.setStyle(TableStyle(commands))
    return table

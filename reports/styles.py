"""Fonts, colours and paragraph styles shared by every statement.

Chinese text uses Adobe's STSong-Light CID font, which every PDF reader knows and which
needs no embedding or download. A Chinese document sets everything in it, numbers
included, whose Latin digits are all the same width, so right-aligned columns line up.
An English document sets Latin-only text in Helvetica and falls back to STSong-Light
for any text that Helvetica cannot encode (a county or a borrower's name in Chinese).
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, paragraph

CJK = "STSong-Light"
LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
MONO = "Courier"

INK = colors.HexColor("#1A1A1A")
NAVY = colors.HexColor("#1F3A5F")
GREY = colors.HexColor("#5A5A5A")
RULE = colors.HexColor("#3C3C3C")
HAIRLINE = colors.HexColor("#C9CED6")
WARNING = colors.HexColor("#B00020")  # the every-page notice of a failed verification
HEAD_FILL = colors.HexColor("#E4E9F0")
TOTAL_FILL = colors.HexColor("#EEF1F5")
SECTION_FILL = colors.HexColor("#F6F7F9")
ZEBRA = colors.HexColor("#FAFBFC")
SERIES = (colors.HexColor("#1F4E79"), colors.HexColor("#C55A11"), colors.HexColor("#7F7F7F"))

pdfmetrics.registerFont(UnicodeCIDFont(CJK))

# reportlab's CJK line breaking keeps 、。） off the start of a line but not the
# full-width comma, semicolon, colon and closing quotes that Chinese text uses most.
# Both of its line breakers (for plain and for styled paragraphs) read the list.
_NO_LINE_START = "，；：！？）》」』”’％"
for _module in (paragraph, textsplit):
    if not set(_NO_LINE_START) <= set(_module.ALL_CANNOT_START):
        _module.ALL_CANNOT_START += _NO_LINE_START

# name: (size, leading, alignment, colour, space before, space after)
_SHAPES: dict[str, tuple[float, float, int, colors.Color, float, float]] = {
    "title": (17, 23, TA_CENTER, NAVY, 0, 4),
    "subtitle": (10.5, 15, TA_CENTER, INK, 0, 2),
    "h1": (12.5, 17, TA_LEFT, NAVY, 12, 5),
    "h2": (10, 14, TA_LEFT, NAVY, 6, 3),
    "body": (9, 13, TA_LEFT, INK, 0, 3),
    "note": (7.5, 10.5, TA_LEFT, GREY, 2, 2),
    "caption": (8, 11, TA_CENTER, GREY, 2, 6),
    "form": (7.5, 10.5, TA_RIGHT, GREY, 0, 2),
    "page": (7, 9, TA_LEFT, GREY, 0, 0),
    "page_r": (7, 9, TA_RIGHT, GREY, 0, 0),
    "mono": (7.5, 10, TA_LEFT, INK, 0, 0),
    "cell": (8, 10.5, TA_LEFT, INK, 0, 0),
    "head": (8, 10.5, TA_CENTER, INK, 0, 0),
    "section": (8, 10.5, TA_LEFT, NAVY, 0, 0),
    "label": (8.5, 11, TA_LEFT, INK, 0, 0),
}
ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}


def font_for(text: str, lang: str) -> str:
    """STSong-Light for Chinese documents and for any text Helvetica cannot encode."""
    if lang == "zh":
        return CJK
    try:
        text.encode("cp1252")  # Helvetica's WinAnsi encoding: has ¥, — and ×
    except UnicodeEncodeError:
        return CJK
    return LATIN


@lru_cache(maxsize=512)
def style(name: str, font: str, size: float | None = None, align: str | None = None):
    """A ParagraphStyle of the named shape, in ``font``, optionally resized or realigned."""
    base_size, leading, alignment, colour, before, after = _SHAPES.get(name, _SHAPES["body"])
    size = size or base_size
    return ParagraphStyle(
        f"{name}-{font}-{size}-{align}",
        fontName=font,
        fontSize=size,
        leading=leading if size == base_size else size * 1.32,
        alignment=ALIGN[align] if align else alignment,
        textColor=colour,
        spaceBefore=before,
        spaceAfter=after,
        wordWrap="CJK" if font == CJK else None,
        keepWithNext=name in ("h1", "h2", "form"),
        splitLongWords=False,
    )


def para(text: str, lang: str, name: str = "body", **kwargs: object) -> Paragraph:
    """A paragraph of plain ``text`` (escaped, never markup) in the right font."""
    font = MONO if name == "mono" else font_for(text, lang)
    return Paragraph(escape(text), style(name, font, **kwargs))


def text_width(text: str, lang: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font_for(text, lang), size)

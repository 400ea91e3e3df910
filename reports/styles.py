"""Fonts, colours and paragraph styles shared by every statement.

Every font is embedded (as a subset of the glyphs used), so a statement renders the
same on a machine or viewer without any Asian font pack (the fonts and their licences
are in ``reports/fonts``). Everything is set in WenQuanYi Micro Hei, numbers included,
whose Latin digits are all the same width, so right-aligned columns line up, and whose
Latin letters are as wide as Helvetica's. In an English document Latin-only text is set
in the same face registered as ``LATIN``, which wraps between words, while text with
Chinese in it (a county or a borrower's name) wraps as Chinese does. A rare character of
a name that WenQuanYi lacks (CJK Extension A, or one of Extension B such as 𠀀) is set
in HanaMinA within the same paragraph (``markup``); one that neither has is printed as
its code point.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics import shapes
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, paragraph
from reportlab.platypus import tables as platypus_tables

CJK = "WenQuanYiMicroHei"
RARE = "HanaMinA"
LATIN = "WenQuanYiMicroHei-Latin"
MONO = "WenQuanYiMicroHeiMono"
FONTS = Path(__file__).with_name("fonts")

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

_reportlab_to_unicode = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map of a subset, with each character beyond the BMP written
    as its UTF-16 pair: reportlab writes ``<20000>`` for 𠀀, which a reader takes as
    U+2000, so the name would not survive copying or text extraction."""
    text: str = _reportlab_to_unicode(fontname, subset)
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            pair = chr(code).encode("utf-16-be").hex().upper()
            text = text.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{pair}>")
    return text


ttfonts.makeToUnicodeCMap = _to_unicode_cmap

for _name, _file, _face in (
    (CJK, FONTS / "wqy-microhei.ttc", 0),
    (MONO, FONTS / "wqy-microhei.ttc", 1),
    (RARE, FONTS / "HanaMinA-rare.ttf", 0),
    (LATIN, FONTS / "wqy-microhei.ttc", 0),
):
    pdfmetrics.registerFont(TTFont(_name, _file, subfontIndex=_face))


def _glyphs(font: str) -> frozenset[int]:
    """The code points ``font`` has a glyph for."""
    face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]
    return frozenset(face.charToGlyph)


# text with no font of its own would be in a base-14 font, which is never embedded (a
# chart's in Times-Roman, a table cell's in Helvetica, named even for an empty cell):
# the embedded face is the default instead
shapes.STATE_DEFAULTS["fontName"] = CJK
platypus_tables.CellStyle.fontname = CJK

_HAS = {name: _glyphs(name) for name in (CJK, RARE)}
_HAS[MONO] = _HAS[LATIN] = _HAS[CJK]

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
    """The Chinese face for Chinese documents and for text with anything but Western
    European letters and signs in it; the Latin one (word wrap) for the rest."""
    if lang == "zh":
        return CJK
    try:
        text.encode("cp1252")  # the Western European letters, with ¥, — and ×
    except UnicodeEncodeError:
        return CJK
    return LATIN


def covers(text: str, font: str) -> bool:
    """Whether ``font`` has a glyph for every character of ``text``."""
    has = _HAS.get(font, _HAS[CJK])
    return all(ord(ch) in has for ch in text)


def markup(text: str, font: str) -> str:
    """``text`` escaped for a paragraph in ``font``, each run of characters the font
    lacks set in the font that has them (WenQuanYi, then HanaMinA), and a character
    no font has shown as its code point, so nothing prints as an empty box."""
    has = _HAS.get(font, _HAS[CJK])
    out: list[str] = []
    run_font, run = font, ""
    for ch in text:
        code = ord(ch)
        if code in has or ch in "\n\t":
            face = font
        elif code in _HAS[CJK]:
            face = CJK
        elif code in _HAS[RARE]:
            face = RARE
        else:
            face, ch = font, f"〔U+{code:04X}〕"
        if face != run_font:
            out.append(_run(run, run_font, font))
            run_font, run = face, ""
        run += ch
    out.append(_run(run, run_font, font))
    return "".join(out)


def _run(text: str, face: str, font: str) -> str:
    if not text:
        return ""
    return escape(text) if face == font else f'<font face="{face}">{escape(text)}</font>'


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
        wordWrap="CJK" if font in (CJK, MONO) else None,
        keepWithNext=name in ("h1", "h2", "form"),
        splitLongWords=False,
    )


def para(text: str, lang: str, name: str = "body", **kwargs: object) -> Paragraph:
    """A paragraph of plain ``text`` (escaped, never markup) in the right font."""
    font = MONO if name == "mono" else font_for(text, lang)
    return Paragraph(markup(text, font), style(name, font, **kwargs))


def text_width(text: str, lang: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font_for(text, lang), size)

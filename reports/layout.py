"""The page: A4 with a running header and a "第 N 页 / 共 M 页" footer, and the build.

Every page carries who issued the statement, for which fund, period and scope, with
which generation parameters, whether the period is closed, and which journal head (as
of the period's last day) it was drawn from, so a single page separated from the rest
still says where it belongs; and, when the ledger failed its verification and the
statement was asked for regardless (``--allow-unverified``), that it did. Pages are portrait; a
statement may switch to landscape for a wide table (``to_landscape``/``to_portrait``).

Output is deterministic: the canvas runs in reportlab's invariant mode (fixed
document id and dates) and the metadata is fixed text, so the same statement always
gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from fundcore.statements.model import IntegrityBlock, StatementHeader
from reports import formats
from reports.labels import period_state, pick, t
from reports.styles import CJK, GREY, HAIRLINE, NAVY, RULE, WARNING, font_for, para, text_width

PORTRAIT = A4
LANDSCAPE = landscape(A4)
SIDE = 18 * mm
BOTTOM = 20 * mm
HEADER_TOP = 11 * mm  # from the top edge to the first header line


@dataclass(frozen=True, slots=True)
class Furniture:
    """The text of the running header and footer, fixed for the whole document."""

    lang: str
    issuer: str
    title: str
    scope_line: str
    document_no: str
    parameters: str
    journal_head: str
    #: printed on every page when the ledger failed its verification (--allow-unverified)
    warning: str = ""


def content_width(orientation: str = "portrait") -> float:
    page = LANDSCAPE if orientation == "landscape" else PORTRAIT
    return page[0] - 2 * SIDE


def to_landscape() -> list:
    return [NextPageTemplate("landscape"), PageBreak()]


def to_portrait() -> list:
    return [NextPageTemplate("portrait"), PageBreak()]


def furniture(
    header: StatementHeader, integrity: IntegrityBlock, title: str, lang: str
) -> Furniture:
    period = t("period_range", lang).format(
        start=formats.day(header.period_from), end=formats.day(header.period_to)
    )
    scope = pick(header.scope.name_zh, header.scope.name_en, lang)
    if header.scope.code:
        scope = f"{scope} ({header.scope.code})"
    shown = [
        f"{pick(p.label_zh, p.label_en, lang)}{t('colon', lang)}{p.value}"
        for p in header.parameters
    ]
    state = period_state(header.period_state, lang)
    params = t("list_sep", lang).join([*shown, state] if state else shown)
    return Furniture(
        lang=lang,
        issuer=pick(header.foundation_name_zh, header.foundation_name_en, lang),
        title=title,
        scope_line=t("list_sep", lang).join(
            (
                pick(header.fund_name_zh, header.fund_name_en, lang),
                f"{t('period', lang)}{t('colon', lang)}{period}",
                f"{t('scope', lang)}{t('colon', lang)}{scope}",
            )
        ),
        document_no=header.document_no,
        parameters=f"{t('parameters', lang)}{t('colon', lang)}{params}",
        journal_head=_journal_head(integrity, lang),
        warning=_unverified_warning(integrity, lang),
    )


def _unverified_warning(integrity: IntegrityBlock, lang: str) -> str:
    """Said on every page when the chain was re-verified and failed: a page taken out of
    the document must not pass for one drawn from an intact ledger."""
    if integrity.checked and not integrity.verified:
        return t("unverified_every_page", lang)
    return ""


def _journal_head(integrity: IntegrityBlock, lang: str) -> str:
    """The footer's journal head: the highest entry dated on or before the period end."""
    if integrity.as_of is None:
        return t("journal_head_short", lang).format(
            seq=integrity.head_seq, hash=integrity.head_hash[:16]
        )
    return t("journal_head_as_of", lang).format(
        date=formats.day(integrity.as_of), seq=integrity.head_seq, hash=integrity.head_hash[:16]
    )


def build(path: str | Path, story: Sequence, page: Furniture, *, author: str, subject: str) -> None:
    """Lay ``story`` out on A4 pages into ``path``, with fixed metadata."""
    params = _parameters_paragraph(page)
    _, params_height = params.wrap(content_width(), PORTRAIT[1])
    top = HEADER_TOP + 22 + params_height + 5 * mm
    doc = BaseDocTemplate(
        str(path),
        pagesize=PORTRAIT,
        leftMargin=SIDE,
        rightMargin=SIDE,
        topMargin=top,
        bottomMargin=BOTTOM,
        title=f"{page.title} {page.document_no}".strip(),
        author=author,
        subject=subject,
        creator="fundcore",
        producer="fundcore (ReportLab)",
        keywords=[],
        invariant=1,
        # every page starts in the embedded face, so the file names no unembedded
        # base-14 font (reportlab's Helvetica)
        initialFontName=CJK,
        lang="zh-CN" if page.lang == "zh" else "en",
    )
    doc.addPageTemplates([_template("portrait", PORTRAIT, top, page)])
    doc.addPageTemplates([_template("landscape", LANDSCAPE, top, page)])
    doc.build(list(story), canvasmaker=_numbered_canvas(page))


def _template(name: str, size: tuple[float, float], top: float, page: Furniture):
    frame = Frame(
        SIDE, BOTTOM, size[0] - 2 * SIDE, size[1] - top - BOTTOM, 0, 0, 0, 0, id=f"{name}-body"
    )

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        _draw_header(canvas, page, size)

    return PageTemplate(id=name, frames=[frame], onPage=on_page, pagesize=size)


def _parameters_paragraph(page: Furniture) -> Paragraph:
    return para(page.parameters, page.lang, "page", size=6.8)


def _draw_header(canvas: Canvas, page: Furniture, size: tuple[float, float]) -> None:
    width, height = size
    left, right = SIDE, width - SIDE
    y = height - HEADER_TOP
    canvas.saveState()
    _pair(canvas, page, (page.issuer, page.title), 8.5, y, (left, right), NAVY)
    y -= 11
    _pair(canvas, page, (page.scope_line, page.document_no), 7.2, y, (left, right), GREY)
    params = _parameters_paragraph(page)
    _, params_height = params.wrap(right - left, height)
    y -= 3
    params.drawOn(canvas, left, y - params_height)
    y -= params_height + 3
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.line(left, y, right, y)
    canvas.setStrokeColor(HAIRLINE)
    canvas.setLineWidth(0.3)
    canvas.line(left, y - 1.6, right, y - 1.6)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, page: Furniture, number: int, pages: int) -> None:
    width, _ = canvas._pagesize
    left, right, y = SIDE, width - SIDE, BOTTOM - 9 * mm
    canvas.saveState()
    canvas.setStrokeColor(HAIRLINE)
    canvas.setLineWidth(0.4)
    canvas.line(left, y + 10, right, y + 10)
    _text(canvas, page.journal_head, page.lang, 6.8, left, y, GREY)
    folio = t("page_of", page.lang).format(n=number, m=pages)
    _text(canvas, folio, page.lang, 8, width / 2, y, GREY, align="center")
    _text(canvas, "fundcore", page.lang, 6.8, right, y, GREY, align="right")
    if page.warning:
        _text(canvas, page.warning, page.lang, 7.5, width / 2, y - 10, WARNING, align="center")
    canvas.restoreState()


def _pair(canvas, page: Furniture, texts, size: float, y: float, edges, colour) -> None:
    """Text flush left and flush right on one line, the left one smaller if they would meet."""
    (left_text, right_text), (left, right) = texts, edges
    room = right - left - text_width(right_text, page.lang, size) - 12
    left_size = size
    while left_size > 5 and text_width(left_text, page.lang, left_size) > room:
        left_size -= 0.25
    _text(canvas, left_text, page.lang, left_size, left, y, colour)
    _text(canvas, right_text, page.lang, size, right, y, colour, align="right")


def _text(canvas, text, lang, size, x, y, colour, align="left") -> None:
    canvas.setFont(font_for(text, lang), size)
    canvas.setFillColor(colour)
    draw = {"left": canvas.drawString, "right": canvas.drawRightString}
    draw.get(align, canvas.drawCentredString)(x, y, text)


def _numbered_canvas(page: Furniture) -> type[Canvas]:
    """A canvas that holds every page back until the end, to print "of M" on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _draw_footer(self, page, number, len(self._held))
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas

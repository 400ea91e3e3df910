"""PDF statements (reportlab): they render what the core computed, nothing more.

One module per document, each with one public function that takes a statement model
from ``fundcore.statements.model``, a path and a language ('zh' by default, or 'en'):
``render_fund_statement``, ``render_county_statement``, ``render_facility_statement``
and ``render_archive``. Shared pieces: ``layout`` (page, running header, "第 N 页 /
共 M 页" footer, deterministic build), ``tables`` (measured, wrapping, repeating-header
tables), ``sections`` (blocks several documents share), ``charts``, ``formats`` (text
of figures) and ``labels`` (every fixed word in both languages).
"""

from reports.archive import render_archive
from reports.county_statement import render_county_statement
from reports.facility_statement import render_facility_statement
from reports.fund_statement import render_fund_statement

__all__ = [
    "render_archive",
    "render_county_statement",
    "render_facility_statement",
    "render_fund_statement",
]

"""An `OfficialDocument` as a PDF in the Nghị định 30 layout, drawn by WeasyPrint.

The template and stylesheet live in this package and are read through a private template engine, so
rendering needs neither INSTALLED_APPS nor the network: every URL resolves inside the package.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine

from . import text
from .layout import LANDSCAPE_TEXT_MM, PORTRAIT_TEXT_MM
from .model import Block, CongVan, DocumentType, OfficialDocument, Table

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_NAME = "documents/official.html"
STYLESHEET = PACKAGE_DIR / "official.css"


@cache
def _engine() -> Engine:
    return Engine(dirs=[str(PACKAGE_DIR / "templates")], autoescape=True)


def _blocks(blocks: Sequence[Block], width_mm: float) -> list[dict[str, Any]]:
    """Each block with its table's column widths (percent of the page's text width)."""
    return [
        {"block": block, "cols": block.percents(width_mm) if isinstance(block, Table) else ()}
        for block in blocks
    ]


def _context(doc: OfficialDocument) -> dict[str, Any]:
    typed = doc.kind if isinstance(doc.kind, DocumentType) else None
    appendices = [
        {
            "view": view,
            "blocks": _blocks(
                view.appendix.blocks,
                LANDSCAPE_TEXT_MM if view.appendix.landscape else PORTRAIT_TEXT_MM,
            ),
        }
        for view in text.appendix_views(doc)
    ]
    return {
        "doc": doc,
        "quoc_hieu": text.QUOC_HIEU,
        "tieu_ngu": text.TIEU_NGU,
        "number_line": text.number_line(doc),
        "place_and_date": text.place_and_date(doc),
        "vv_line": text.vv_line(doc) if isinstance(doc.kind, CongVan) else "",
        "type_name": typed.name.upper() if typed else "",
        "summary": typed.summary if typed else "",
        "kinh_gui": text.kinh_gui_lines(doc),
        "can_cu": text.punctuated(doc.can_cu),
        "noi_nhan": text.noi_nhan_lines(doc),
        "signature_titles": doc.signature.title_lines,
        "body": _blocks(doc.body, PORTRAIT_TEXT_MM),
        "appendices": appendices,
    }


def render_html(doc: OfficialDocument) -> str:
    """The HTML WeasyPrint draws; useful to debug the layout in a browser."""
    return _engine().get_template(TEMPLATE_NAME).render(Context(_context(doc)))


# WeasyPrint's user-agent stylesheet covers all of HTML, and its selectors are tried on every
# element: on the thousands of cells of an office's report that is about a tenth of the time.
# The official template uses these elements only (tests/documents/test_pdf.py checks it); these
# are their defaults, as weasyprint/css/html5_ua.css gives them.
TEMPLATE_ELEMENTS = {
    "html", "head", "meta", "title", "body", "div", "p", "span", "section",
    "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
USER_AGENT_CSS = """
head, meta, title { display: none }
html, body, div, p, section { display: block }
table {
  display: table; box-sizing: border-box; text-indent: initial;
  border-spacing: 2px; border-collapse: separate; border-color: gray;
}
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; vertical-align: inherit; padding: 1px; border-color: gray }
th { font-weight: bold }
@page { margin: 75px; @top-center { text-align: center; vertical-align: middle } }
"""


@cache
def _official_html() -> Any:
    """WeasyPrint's `HTML` with the template's own user-agent stylesheet."""
    from weasyprint import CSS, HTML

    user_agent = CSS(string=USER_AGENT_CSS)

    class OfficialHTML(HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [user_agent]

    return OfficialHTML


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while WeasyPrint draws, as it was afterwards.

    A layout allocates hundreds of thousands of boxes that live until the PDF is written; each
    collection of the oldest generation walks all of them and every object of the process
    besides, and an office's report triggers several: about a third of its time (1.1-1.5 s
    instead of 1.8-2.3 s, docs/benchmarks.md). Nothing is collectable before the end anyway;
    what the render leaves is collected by the next collection as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(doc: OfficialDocument) -> bytes:
    # Imported here: WeasyPrint loads pango at import time, which pages that never print need not.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts)
    html = _official_html()(string=render_html(doc), base_url=str(PACKAGE_DIR) + "/")
    with collector_paused():
        pdf = html.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    assert isinstance(pdf, bytes)  # write_pdf returns the bytes when given no target
    return pdf


# The vendored faces for pages that are not official documents (a record, a certificate): their
# own stylesheet follows these rules and names `font-family: LiberationSerif`.
FONT_FACES = "\n".join(
    f'@font-face {{ font-family: LiberationSerif; src: url("fonts/LiberationSerif-{face}.ttf");'
    f" {rules} }}"
    for face, rules in (
        ("Regular", ""),
        ("Bold", "font-weight: bold;"),
        ("Italic", "font-style: italic;"),
        ("BoldItalic", "font-weight: bold; font-style: italic;"),
    )
)


def html_to_pdf(source: str, stylesheet: str) -> bytes:
    """Any HTML page as PDF with the vendored fonts (`FONT_FACES` come first). Only local files
    may be loaded: the page's own text cannot make the server fetch a URL."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    base_url = str(PACKAGE_DIR) + "/"
    fetcher = URLFetcher(allowed_protocols={"file"})
    fonts = FontConfiguration()
    css = CSS(
        string=FONT_FACES + "\n" + stylesheet,
        base_url=base_url,
        font_config=fonts,
        url_fetcher=fetcher,
    )
    html = HTML(string=source, base_url=base_url, url_fetcher=fetcher)
    with collector_paused():
        pdf = html.write_pdf(stylesheets=[css], font_config=fonts)
    assert isinstance(pdf, bytes)  # write_pdf returns the bytes when given no target
    return pdf

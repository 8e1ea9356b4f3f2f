"""Library cards (thẻ thư viện) as printable A4 sheets: ten cards of the bank-card size
(85.6 × 54 mm, CR80) a sheet, each with the school, the reader's name, class and code, the
code as Code 128 (the desk's scanners) and as a QR code (a phone's camera). Drawn by WeasyPrint
from HTML, with the vendored fonts; the barcodes are vectors (tests read them back with
zxing-cpp from the rendered page)."""

from __future__ import annotations

from collections.abc import Iterable

import segno
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from thuvien.catalogue.labels import barcode_svg
from thuvien.circulation.models import Reader
from thuvien.documents.pdf import html_to_pdf

CARD_WIDTH_MM = 85.6
CARD_HEIGHT_MM = 54.0
COLUMNS, ROWS = 2, 5
MARGIN_LEFT_MM = (210 - COLUMNS * CARD_WIDTH_MM) / 2
MARGIN_TOP_MM = (297 - ROWS * CARD_HEIGHT_MM) / 2

STYLESHEET = f"""
@page {{ size: A4 portrait; margin: 0; }}
html {{ font-family: LiberationSerif; color: #000; line-height: 1.15; }}
body {{ margin: 0; }}
.sheet {{ position: relative; width: 210mm; height: 296.9mm; break-after: page; }}
.sheet:last-child {{ break-after: auto; }}
.card {{ position: absolute; box-sizing: border-box; width: {CARD_WIDTH_MM}mm;
  height: {CARD_HEIGHT_MM}mm; border: 0.2mm dashed #888; padding: 3mm 3.5mm; }}
.school {{ font-size: 7.5pt; font-weight: bold; text-transform: uppercase; }}
.heading {{ font-size: 10pt; font-weight: bold; margin: 0.8mm 0 1.2mm; color: #1d4e89; }}
.name {{ font-size: 11pt; font-weight: bold; }}
.line {{ font-size: 8pt; }}
.qr {{ position: absolute; right: 3.5mm; top: 9mm; width: 20mm; height: 20mm; }}
.qr svg {{ width: 20mm; height: 20mm; display: block; }}
.bars {{ position: absolute; left: 3.5mm; bottom: 3mm; line-height: 0; }}
.bars svg {{ display: block; }}
.code {{ position: absolute; right: 3.5mm; bottom: 3.2mm; font-size: 9pt; font-weight: bold; }}
"""


def _qr(code: str) -> str:
    return segno.make(code, error="m").svg_inline(scale=4, border=0, omitsize=True)


def card_html(reader: Reader, school_name: str) -> str:
    lines = []
    if reader.class_name:
        lines.append(_("Class %(class)s") % {"class": reader.class_name})
    else:
        lines.append(reader.get_kind_display())
    if reader.birth_date:
        lines.append(_("Born %(date)s") % {"date": date_format(reader.birth_date, "d/m/Y")})
    if reader.school_year:
        lines.append(
            _("School year %(start)s–%(end)s")
            % {"start": reader.school_year, "end": reader.school_year + 1}
        )
    heading = _("LIBRARY CARD")
    return "".join(
        [
            f'<div class="school">{escape(school_name)}</div>',
            f'<div class="heading">{escape(heading)}</div>',
            f'<div class="name">{escape(reader.full_name)}</div>',
            *(f'<div class="line">{escape(line)}</div>' for line in lines),
            f'<div class="qr">{_qr(reader.code)}</div>',
            f'<div class="bars">{barcode_svg(reader.code, 52, 9)}</div>',
            f'<div class="code">{escape(reader.code)}</div>',
        ]
    )


def cards_html(readers: Iterable[Reader], school_name: str) -> str:
    sheets = []
    everyone = list(readers)
    per_sheet = COLUMNS * ROWS
    for page in (everyone[at : at + per_sheet] for at in range(0, len(everyone), per_sheet)):
        cards = []
        for position, reader in enumerate(page):
            row, column = divmod(position, COLUMNS)
            left = MARGIN_LEFT_MM + column * CARD_WIDTH_MM
            top = MARGIN_TOP_MM + row * CARD_HEIGHT_MM
            cards.append(
                f'<div class="card" style="left: {left:.2f}mm; top: {top:.2f}mm">'
                f"{card_html(reader, school_name)}</div>"
            )
        sheets.append(f'<div class="sheet">{"".join(cards)}</div>')
    body = "".join(sheets) or '<div class="sheet"></div>'
    return f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body>{body}</body></html>'  # noqa: E501


def cards_pdf(readers: Iterable[Reader], *, school_name: str) -> bytes:
    return html_to_pdf(cards_html(readers, school_name), STYLESHEET)

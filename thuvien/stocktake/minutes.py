"""The biên bản kiểm kê thư viện (stocktake minutes) as a PDF ready to sign: the school, the
scope and dates, the counts, the missing, misplaced and unexpected copies, and the signatures."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from thuvien.documents.pdf import html_to_pdf
from thuvien.stocktake.models import Outcome, Stocktake, StocktakeLine

STYLESHEET = """
@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm; }
html { font-family: LiberationSerif; font-size: 13pt; line-height: 1.3; }
h1 { font-size: 14pt; text-align: center; margin: 6mm 0 4mm; }
.head { text-align: center; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 11pt; margin: 2mm 0 5mm; }
th, td { border: 0.3mm solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
.signs { display: flex; justify-content: space-between; margin-top: 10mm; text-align: center; }
.signs div { width: 45%; font-weight: bold; }
"""


def _labels() -> dict[str, str]:
    """The page's words (translated outside the f-strings, where xgettext finds them)."""
    return {
        "title": _("STOCKTAKE MINUTES OF THE LIBRARY"),
        "school": _("School"),
        "scope": _("Scope"),
        "closed": _("Closed on"),
        "scanned": _("Copies scanned"),
        "missing": _("Missing from the shelf"),
        "on_loan": _("On loan"),
        "misplaced": _("Found in another place"),
        "barcode": _("Barcode"),
        "record": _("Title"),
        "expected": _("Expected at"),
        "found": _("Found at"),
        "librarian": _("LIBRARIAN"),
        "principal": _("PRINCIPAL"),
        "every": _("every collection"),
        "shelf": _("shelf"),
    }


def minutes_pdf(
    stocktake: Stocktake, summary: dict[str, int], lines: dict[str, list[StocktakeLine]]
) -> bytes:
    w = {key: escape(value) for key, value in _labels().items()}
    school = stocktake.school
    scope: str = escape(stocktake.collection.name) if stocktake.collection else w["every"]
    if stocktake.location:
        scope += f" — {w['shelf']} {escape(stocktake.location)}"
    day = date_format(stocktake.closed_at or stocktake.opened_at, "d/m/Y")
    parts = [
        '<div class="head">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</div>',
        f"<h1>{w['title']}</h1>",
        f"<p>{w['school']}: {escape(school.name)}<br>{w['scope']}: {scope}<br>"
        f"{w['closed']}: {day}</p>",
        f"<table><tr><th>{w['scanned']}</th><td>{summary['scanned']}</td>"
        f"<th>{w['missing']}</th><td>{summary.get(Outcome.MISSING, 0)}</td></tr>"
        f"<tr><th>{w['on_loan']}</th><td>{summary.get(Outcome.ON_LOAN, 0)}</td>"
        f"<th>{w['misplaced']}</th><td>{summary.get(Outcome.MISPLACED, 0)}</td></tr></table>",
    ]
    for outcome in Outcome:
        if outcome == Outcome.ON_LOAN or not lines.get(outcome):
            continue
        rows = "".join(
            f"<tr><td>{index}</td><td>{escape(line.barcode)}</td>"
            f"<td>{escape(line.copy.record.title if line.copy else '')}</td>"
            f"<td>{escape(line.expected_at)}</td><td>{escape(line.found_at)}</td></tr>"
            for index, line in enumerate(lines[outcome], start=1)
        )
        parts.append(
            f"<h2>{escape(str(outcome.label))}</h2><table><tr><th>TT</th>"
            f"<th>{w['barcode']}</th><th>{w['record']}</th><th>{w['expected']}</th>"
            f"<th>{w['found']}</th></tr>{rows}</table>"
        )
    parts.append(f'<div class="signs"><div>{w["librarian"]}</div><div>{w["principal"]}</div></div>')
    body = "".join(parts)
    html = f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body>{body}</body></html>'  # noqa: E501
    return html_to_pdf(html, STYLESHEET)

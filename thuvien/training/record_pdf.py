"""A person's whole self-training record as one PDF (WeasyPrint), for the record's owner and for
those who evaluate or supervise it.

The fonts are the vendored Liberation Serif of `thuvien.documents`, loaded from that package (as
its official letters do), so Vietnamese prints the same on every server. Only `file:` URLs inside
the documents package are ever fetched: the report's HTML is sanitised and holds no images, and
nothing is fetched from the network.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language

from thuvien.documents import pdf as documents_pdf

TEMPLATE = "training/record_pdf.html"
STYLESHEET = """
@page { size: A4 portrait; margin: 20mm 15mm 20mm 25mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 10pt LiberationSerif; } }
html { font-family: LiberationSerif; font-size: 13pt; line-height: 1.3; color: #000; }
h1 { font-size: 16pt; text-align: center; text-transform: uppercase; margin: 0 0 6pt; }
h2 { font-size: 14pt; margin: 14pt 0 6pt; break-after: avoid; }
dl.facts { display: block; margin: 0; }
dl.facts dt { font-weight: bold; float: left; clear: left; width: 38mm; }
dl.facts dd { margin: 0 0 3pt 40mm; }
table { width: 100%; border-collapse: collapse; font-size: 12pt; }
th, td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; text-align: left; }
tr { break-inside: avoid; }
.report-body table td, .report-body table th { border: 0.5pt solid #000; }
"""


def render_record_pdf(context: dict[str, Any]) -> bytes:
    """`context` is `record_queries.record_content(enrolment)`."""
    source = render_to_string(TEMPLATE, {**context, "language": get_language()})
    return documents_pdf.html_to_pdf(source, STYLESHEET)

"""An attendance certificate as a one-page landscape PDF (WeasyPrint), with a QR code that opens
the public verification page, at SITE_URL (never the host of the request that asked for the PDF).

The fonts are the vendored Liberation Serif of `thuvien.documents`, loaded from that package as
its official letters are, so Vietnamese prints the same on every server. The QR code is segno's
SVG, inline in the HTML; nothing is fetched but `file:` URLs inside the documents package.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from thuvien.core.mail import absolute
from thuvien.documents import pdf as documents_pdf
from thuvien.events.models import Registration
from thuvien.organisations.agencies import unit_signature

TEMPLATE = "events/certificate_pdf.html"
STYLESHEET = """
@page { size: A4 landscape; margin: 12mm; }
html { font-family: LiberationSerif; font-size: 14pt; line-height: 1.35; color: #000; }
.frame { border: 3pt double #1d3557; padding: 8mm 14mm; height: 168mm; }
.issuer { text-align: center; font-weight: bold; text-transform: uppercase; margin: 0; }
h1 { text-align: center; font-size: 30pt; color: #1d3557; margin: 6mm 0 2mm; letter-spacing: 1pt; }
.lead { text-align: center; font-style: italic; margin: 0 0 2mm; }
.holder { text-align: center; font-size: 24pt; font-weight: bold; margin: 1mm 0; }
.school { text-align: center; margin: 0 0 3mm; }
.facts { text-align: center; margin: 1mm 0; }
.event-title { text-align: center; font-size: 17pt; font-weight: bold; margin: 1mm 0 2mm; }
.bottom { display: table; width: 100%; margin-top: 5mm; }
.qr, .signature { display: table-cell; vertical-align: top; }
.qr { width: 60mm; font-size: 8pt; }
.qr svg { width: 36mm; height: 36mm; }
.verify-url { word-break: break-all; width: 58mm; }
.signature { text-align: center; padding-left: 90mm; }
.signature p { margin: 0; }
.signature .title { font-weight: bold; text-transform: uppercase; }
.signature .space { height: 20mm; }
"""


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG markup (no style attributes)."""
    return str(segno.make(url, error="m").svg_inline(scale=4, omitsize=True))


def verify_url(registration: Registration) -> str:
    """The absolute URL of the certificate's public verification page on SITE_URL: the very text
    its QR code encodes."""
    return absolute(reverse("events:certificate_verify", args=[registration.certificate_code]))


def certificate_context(registration: Registration) -> dict[str, Any]:
    """What the certificate shows, with the QR code of its verification page."""
    link = verify_url(registration)
    event = registration.event
    checkins = list(registration.checkins.select_related("session"))
    seconds = sum((c.session.ends_at - c.session.starts_at).total_seconds() for c in checkins)
    hours = (Decimal(seconds) / 3600).quantize(Decimal("0.1")).normalize()
    return {
        "registration": registration,
        "holder": registration.user.display_name,
        "school": registration.school.name,
        "event": event,
        "organisers": [event.organiser, *event.co_organisers.order_by("name")],
        # The organiser's head signer (its lines and name), None when it keeps none.
        "signature": unit_signature(event.organiser),
        "single_day": event.starts_on == event.ends_on,
        "sessions_attended": len(checkins),
        "sessions_total": event.sessions.count(),
        "hours": hours,
        "issued_on": timezone.localdate(registration.certificate_issued_at or timezone.now()),
        "verify_url": link,
        "qr_svg": qr_svg(link),
    }


def render_certificate_pdf(context: dict[str, Any]) -> bytes:
    """`context` is `certificate_context(...)`."""
    source = render_to_string(TEMPLATE, {**context, "language": get_language()})
    return documents_pdf.html_to_pdf(source, STYLESHEET)

"""Overdue notices: a reader with an account is told in the app and by e-mail (once a week at
most for the same loans); every other reader's notice is a slip the librarian prints, class by
class, for the class teacher to hand out (`notice_slips_pdf`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from thuvien.circulation.models import Loan
from thuvien.documents.pdf import html_to_pdf

EVERY = dt.timedelta(days=7)


def send_overdue_notices(today: dt.date | None = None) -> int:
    """Tell every reader with an account about their overdue loans; returns how many were told."""
    from thuvien.notifications.services import Message, deliver

    today = today or timezone.localdate()
    loans = (
        Loan.objects.overdue(today)
        .filter(reader__user__isnull=False)
        .exclude(last_notice_on__gt=today - EVERY)
        .select_related("reader__user", "copy__record")
    )
    by_reader: dict[int, list[Loan]] = defaultdict(list)
    for loan in loans:
        by_reader[loan.reader_id].append(loan)
    messages = []
    for held in by_reader.values():
        reader = held[0].reader
        titles = "; ".join(
            f"{loan.copy.record.title} ({date_format(loan.due_on, 'd/m/Y')})" for loan in held
        )
        messages.append(
            Message(
                reader.user,
                "overdue",
                _("Library books to return: %(n)s overdue") % {"n": len(held)},
                _("Please bring back to the library: %(titles)s.") % {"titles": titles},
                reverse("opac:account"),
                f"overdue-{reader.pk}-{today:%Y%m%d}",
            )
        )
    deliver(messages)
    Loan.objects.filter(pk__in=[loan.pk for held in by_reader.values() for loan in held]).update(
        last_notice_on=today
    )
    return len(messages)


SLIP_CSS = """
@page { size: A4 portrait; margin: 12mm; }
html { font-family: LiberationSerif; font-size: 11pt; }
.slip { border: 0.3mm dashed #555; padding: 4mm; margin-bottom: 4mm; break-inside: avoid; }
.slip h2 { font-size: 12pt; margin: 0 0 2mm; }
"""


def notice_slips_pdf(loans: list[Loan], *, school_name: str, today: dt.date) -> bytes:
    """One slip a reader (their overdue titles and due dates), ordered by class."""
    by_reader: dict[int, list[Loan]] = defaultdict(list)
    for loan in loans:
        by_reader[loan.reader_id].append(loan)
    heading = escape(_("REMINDER TO RETURN LIBRARY BOOKS"))
    words = escape(_("Please bring these books back to the library:"))
    due = escape(_("due on"))
    slips = []
    ordered = sorted(
        by_reader.values(), key=lambda held: (held[0].reader.class_name, held[0].reader.folded_name)
    )
    for held in ordered:
        reader = held[0].reader
        items = "".join(
            f"<li>{escape(loan.copy.record.title)} — {due} {date_format(loan.due_on, 'd/m/Y')}</li>"
            for loan in held
        )
        slips.append(
            f'<div class="slip"><h2>{heading}</h2><p>{escape(school_name)} · '
            f"{date_format(today, 'd/m/Y')}</p><p><strong>{escape(reader.full_name)}</strong>"
            f" · {escape(reader.class_name)} · {escape(reader.code)}</p><p>{words}</p>"
            f"<ul>{items}</ul></div>"
        )
    nothing = escape(_("No loan is overdue."))
    body = "".join(slips) or f"<p>{nothing}</p>"
    page = f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body>{body}</body></html>'  # noqa: E501
    return html_to_pdf(page, SLIP_CSS)

"""Attendance certificates as PDF (the holder's, or any of an organiser's event:
`Action.DOWNLOAD_CERTIFICATE` on `Registration.policy`), the organiser's "issue them all", and the
public page that verifies a certificate by the code in its QR code."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from thuvien.access import Action, file_response, get_scoped_or_404, requires, scope_for
from thuvien.events.certificate_pdf import certificate_context, render_certificate_pdf
from thuvien.events.models import Event, Registration
from thuvien.events.services import EventError, certificates


@requires(Action.VIEW_EVENTS)
@require_GET
def certificate_pdf(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The holder's own certificate, or any of the organiser's event."""
    rows = Registration.objects.select_related("event__organiser", "user", "school")
    registration = get_scoped_or_404(
        rows, scope_for(request), Action.DOWNLOAD_CERTIFICATE, pk=registration_id
    )
    if not registration.certificate_code:
        raise Http404
    context = certificate_context(registration)
    pdf = render_certificate_pdf(context)
    return file_response(pdf, f"giay-chung-nhan-{registration.pk}.pdf")


@requires(Action.MANAGE_EVENTS)
@require_POST
def certificates_issue(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_scoped_or_404(
        Event.objects.all(), scope_for(request), Action.MANAGE_EVENTS, pk=event_id
    )
    try:
        count = certificates.issue_all(event, by=request.user)
    except EventError as error:
        messages.error(request, str(error))
    else:
        text = ngettext("%(count)d certificate issued.", "%(count)d certificates issued.", count)
        messages.success(request, text % {"count": count})
    return redirect("events:materials", event_id=event.pk)


@require_GET
def certificate_verify(request: HttpRequest, certificate_code: str) -> HttpResponse:
    """Public by design: whoever holds the code (it is in the QR code) sees that the certificate
    is genuine — the holder, their school, the event, its dates and organiser, nothing else. The
    code is the key (unguessable); no list of certificates is public."""
    registration = certificates.certificate_with_code(certificate_code)
    if registration is None:
        return render(request, "events/certificate_verify.html", {"found": None}, status=404)
    return render(request, "events/certificate_verify.html", {"found": registration})


urlpatterns: list[URLPattern] = [
    path(
        "registrations/<int:registration_id>/certificate.pdf",
        certificate_pdf,
        name="certificate_pdf",
    ),
    path("<int:event_id>/certificates/issue/", certificates_issue, name="certificates_issue"),
    path("certificates/<str:certificate_code>/", certificate_verify, name="certificate_verify"),
]

"""Attendance certificates as PDF, the organiser's "issue them all", and the public page that
verifies a certificate by the code in its QR code."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from thuvien.events.certificate_pdf import certificate_context, render_certificate_pdf
from thuvien.events.models import Event, Registration
from thuvien.events.services import EventError, certificates
from thuvien.organisations.access import (
    Action,
    get_scoped_or_404,
    require_action,
    requires,
    scope_for,
)


def verify_url(request: HttpRequest, registration: Registration) -> str:
    """The absolute URL of the certificate's public verification page (what its QR encodes)."""
    return request.build_absolute_uri(
        reverse("events:certificate_verify", args=[registration.certificate_code])
    )


@requires(Action.VIEW_EVENTS)
@require_GET
def certificate_pdf(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The holder's own certificate, or any of the organiser's event."""
    scope = scope_for(request)
    rows = Registration.objects.select_related("event__organiser", "user", "school")
    registration = get_scoped_or_404(rows, scope, pk=registration_id)
    if registration.user_id != request.user.pk:
        require_action(scope, Action.MANAGE_EVENTS)
        if not Event.objects.organised_by(scope).filter(pk=registration.event_id).exists():
            raise Http404
    if not registration.certificate_code:
        raise Http404
    context = certificate_context(registration, verify_url(request, registration))
    response = HttpResponse(render_certificate_pdf(context), content_type="application/pdf")
    name = f"giay-chung-nhan-{registration.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(Action.MANAGE_EVENTS)
@require_POST
def certificates_issue(request: HttpRequest, event_id: int) -> HttpResponse:
    scope = scope_for(request)
    event = get_scoped_or_404(Event.objects.organised_by(scope), scope, pk=event_id)
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
    is genuine — the holder, their school, the event, its dates and organiser, nothing else."""
    registration = (
        Registration.objects.select_related("user", "school", "event__organiser")
        .exclude(certificate_code="")
        .filter(certificate_code=certificate_code)
        .first()
    )
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

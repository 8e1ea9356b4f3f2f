"""A school's part in training events for `core.school_export`: its people's registrations,
their attendance at each session, their feedback, and their certificates as PDF."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.core.school_export import SchoolExport, Sheet, file_name
from thuvien.events.certificate_pdf import certificate_context, render_certificate_pdf
from thuvien.events.models import CheckIn, Feedback, Registration
from thuvien.organisations.models import Role, Unit

REGISTRATION_HEADER = [
    gettext_lazy("Event"),
    gettext_lazy("First day"),
    gettext_lazy("Last day"),
    gettext_lazy("Organiser"),
    gettext_lazy("Full name"),
    gettext_lazy("Username"),
    gettext_lazy("Role"),
    gettext_lazy("Status"),
    gettext_lazy("Registered at"),
    gettext_lazy("Cancelled at"),
    gettext_lazy("Certificate code"),
    gettext_lazy("Certificate issued at"),
    gettext_lazy("Certificate (PDF)"),
]
ATTENDANCE_HEADER = [
    gettext_lazy("Event"),
    gettext_lazy("Session"),
    gettext_lazy("Starts at"),
    gettext_lazy("Full name"),
    gettext_lazy("Checked in at"),
    gettext_lazy("How"),
]
FEEDBACK_HEADER = [
    gettext_lazy("Event"),
    gettext_lazy("Full name"),
    gettext_lazy("Submitted at"),
    gettext_lazy("Comments"),
    gettext_lazy("What will you change in your library?"),
    gettext_lazy("Ratings (1–5)"),
]


def school_events(school: Unit, export: SchoolExport) -> None:
    registrations = (
        Registration.objects.filter(school=school)
        .select_related("event__organiser", "user", "school")
        # each certificate prints its organiser's head signer: one query for all of them
        .prefetch_related("event__organiser__signers")
        .order_by("event__starts_on", "event_id", "user__full_name", "pk")
    )
    checkins = (
        CheckIn.objects.filter(registration__school=school)
        .select_related("registration__user", "session__event")
        .order_by("session__starts_at", "registration__user__full_name", "pk")
    )
    feedback = (
        Feedback.objects.filter(registration__school=school)
        .select_related("registration__event", "registration__user")
        .prefetch_related("ratings__session")
        .order_by("registration__event__starts_on", "registration__user__full_name", "pk")
    )
    export.add_workbook(
        "events/events.xlsx",
        [
            Sheet(
                _("Registrations"),
                REGISTRATION_HEADER,
                [_registration_row(export, r) for r in registrations],
            ),
            Sheet(_("Attendance"), ATTENDANCE_HEADER, [_checkin_row(c) for c in checkins]),
            Sheet(_("Feedback"), FEEDBACK_HEADER, [_feedback_row(f) for f in feedback]),
        ],
        _(
            "Training events: the school's people's registrations, their attendance at each "
            "session and their feedback."
        ),
    )


def _registration_row(export: SchoolExport, r: Registration) -> list[Any]:
    certificate = ""
    if r.certificate_code:
        certificate = export.add(
            f"events/certificates/{file_name(r.user.display_name, r.certificate_code)}.pdf",
            render_certificate_pdf(certificate_context(r)),
            _("The attendance certificate of %(person)s for %(event)s.")
            % {"person": r.user.display_name, "event": r.event.title},
        )
    return [
        r.event.title,
        r.event.starts_on,
        r.event.ends_on,
        r.event.organiser.name,
        r.user.display_name,
        r.user.username,
        str(Role(r.role).label) if r.role in Role.values else r.role,
        r.get_status_display(),
        r.registered_at,
        r.cancelled_at,
        r.certificate_code,
        r.certificate_issued_at,
        certificate,
    ]


def _checkin_row(c: CheckIn) -> list[Any]:
    return [
        c.session.event.title,
        c.session.title,
        c.session.starts_at,
        c.registration.user.display_name,
        c.at,
        c.get_method_display(),
    ]


def _feedback_row(f: Feedback) -> list[Any]:
    ratings = "; ".join(f"{rating.session.title}: {rating.rating}" for rating in f.ratings.all())
    return [
        f.registration.event.title,
        f.registration.user.display_name,
        f.submitted_at,
        f.comments,
        f.change_plan,
        ratings,
    ]

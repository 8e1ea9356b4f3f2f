"""A school's self-training records for `core.school_export`: every record kept at the school
(its people's plans, topics, notes, reports, grades), each record as the PDF its page prints,
the uploaded report files and note attachments, the submitted reports' text, and the packages
the school sent up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thuvien.core.school_export import SchoolExport, Sheet, file_name
from thuvien.organisations.models import Role, Unit
from thuvien.training.models import (
    Campaign,
    Enrolment,
    Milestone,
    ReportVersion,
    SchoolPackage,
    StudyNote,
)
from thuvien.training.record_pdf import render_record_pdf
from thuvien.training.record_queries import record_content


def _yes(flag: bool | None) -> str:
    return "" if flag is None else _("yes") if flag else _("no")


def campaign_label(campaign: Campaign) -> str:
    """ "2458/SGDĐT-KHTC", or the subject of a campaign without a number."""
    if campaign.number:
        return f"{campaign.number}/{campaign.symbol}" if campaign.symbol else str(campaign.number)
    return campaign.subject


def _role(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


def _folder(enrolment: Enrolment) -> str:
    campaign = enrolment.campaign
    return file_name(campaign.school_year, campaign.number or campaign.pk)


def _kept_name(name: str) -> str:
    """A file's own name, made portable ("Báo cáo cuối kỳ.docx" → "bao-cao-cuoi-ky.docx")."""
    stem, dot, ext = name.rsplit("/", 1)[-1].rpartition(".")
    return f"{file_name(stem)}.{file_name(ext)}" if dot and stem else file_name(name)


def _person(enrolment: Enrolment) -> str:
    return file_name(enrolment.user.display_name, enrolment.pk)


def school_records(school: Unit, export: SchoolExport) -> None:
    records = list(
        Enrolment.objects.filter(school=school)
        .select_related("campaign", "user", "topic", "evaluated_by")
        .prefetch_related(
            "extra_topics",
            Prefetch("campaign__milestones", queryset=Milestone.objects.order_by("order", "start")),
        )
        .annotate(study_hours=Sum("notes__hours"))
        .order_by("campaign__school_year", "campaign_id", "user__full_name", "pk")
    )
    pdfs = {e.pk: _record_pdf(export, e) for e in records}
    notes = StudyNote.objects.filter(enrolment__school=school).select_related(
        "enrolment__campaign", "enrolment__user", "topic", "material"
    )
    versions = ReportVersion.objects.filter(enrolment__school=school).select_related(
        "enrolment__campaign", "enrolment__user"
    )
    export.add_workbook(
        "training/records.xlsx",
        [
            Sheet(_("Records"), RECORD_HEADER, [_record_row(e, pdfs[e.pk]) for e in records]),
            Sheet(_("Study notes"), NOTE_HEADER, [_note_row(export, n) for n in notes]),
            Sheet(
                _("Report versions"), VERSION_HEADER, [_version_row(export, v) for v in versions]
            ),
            Sheet(_("Packages"), PACKAGE_HEADER, _package_rows(school)),
        ],
        _(
            "Self-training records: one row per person and campaign (topics, status, grade, "
            "hours), their study notes, every saved version of their reports, and the school's "
            "packages sent to its supervisor."
        ),
    )


def _record_pdf(export: SchoolExport, enrolment: Enrolment) -> str:
    return export.add(
        f"training/records/{_folder(enrolment)}/{_person(enrolment)}.pdf",
        render_record_pdf(record_content(enrolment)),
        _("The self-training record of %(person)s in campaign %(campaign)s, as printed.")
        % {"person": enrolment.user.display_name, "campaign": campaign_label(enrolment.campaign)},
    )


RECORD_HEADER = [
    gettext_lazy("Campaign"),
    gettext_lazy("Subject"),
    gettext_lazy("School year"),
    gettext_lazy("Full name"),
    gettext_lazy("Username"),
    gettext_lazy("Role"),
    gettext_lazy("Enrolled on"),
    gettext_lazy("Left on"),
    gettext_lazy("Topics"),
    gettext_lazy("Own topic"),
    gettext_lazy("Status"),
    gettext_lazy("Submitted at"),
    gettext_lazy("Late"),
    gettext_lazy("Personal deadline"),
    gettext_lazy("Reason for the extension"),
    gettext_lazy("Grade"),
    gettext_lazy("Mark"),
    gettext_lazy("Passed"),
    gettext_lazy("Principal's comment"),
    gettext_lazy("Evaluated by"),
    gettext_lazy("Evaluated at"),
    gettext_lazy("Study hours"),
    gettext_lazy("Record (PDF)"),
]


def _record_row(e: Enrolment, pdf: str) -> list[Any]:
    campaign = e.campaign
    hours: Decimal = getattr(e, "study_hours", None) or Decimal(0)
    own = f"{e.own_topic} ({e.get_own_topic_status_display()})" if e.own_topic else ""
    return [
        campaign_label(campaign),
        campaign.subject,
        f"{campaign.school_year}–{campaign.school_year + 1}",
        e.user.display_name,
        e.user.username,
        _role(e.role),
        e.enrolled_on,
        e.left_on,
        e.topics_label(),
        own,
        e.get_report_status_display(),
        e.submitted_at,
        _yes(e.is_late),
        e.extended_until,
        e.extension_reason,
        e.grade_label,
        e.mark,
        _yes(e.passed),
        e.evaluation_comment,
        e.evaluated_by.display_name if e.evaluated_by else "",
        e.evaluated_at,
        hours,
        pdf,
    ]


NOTE_HEADER = [
    gettext_lazy("Campaign"),
    gettext_lazy("Full name"),
    gettext_lazy("Date"),
    gettext_lazy("Topic"),
    gettext_lazy("Material"),
    gettext_lazy("Content"),
    gettext_lazy("Hours"),
    gettext_lazy("Attachment"),
]


def _note_row(export: SchoolExport, note: StudyNote) -> list[Any]:
    e = note.enrolment
    attachment = ""
    if note.attachment:
        name = _kept_name(note.attachment_name or str(note.attachment.name))
        attachment = export.add_stored(
            f"training/files/{_folder(e)}/{_person(e)}/{file_name(note.pk)}-{name}",
            note.attachment,
            _("An attachment to a study note of %(person)s.") % {"person": e.user.display_name},
        )
    return [
        campaign_label(e.campaign),
        e.user.display_name,
        note.date,
        note.topic.title if note.topic else "",
        note.material.title if note.material else "",
        note.content,
        note.hours,
        attachment,
    ]


VERSION_HEADER = [
    gettext_lazy("Campaign"),
    gettext_lazy("Full name"),
    gettext_lazy("Created at"),
    gettext_lazy("Saved at"),
    gettext_lazy("Submitted"),
    gettext_lazy("Autosaved"),
    gettext_lazy("File"),
    gettext_lazy("Text (HTML)"),
]


def _version_row(export: SchoolExport, version: ReportVersion) -> list[Any]:
    e = version.enrolment
    stem = f"training/reports/{_folder(e)}/{_person(e)}/{file_name(version.pk)}"
    kept = ""
    if version.file:
        name = _kept_name(version.file_name or str(version.file.name))
        kept = export.add_stored(
            f"{stem}-{name}",
            version.file,
            _("A report file uploaded by %(person)s.") % {"person": e.user.display_name},
        )
    text = ""
    if version.body and version.submitted:
        text = export.add(
            f"{stem}.html",
            _html(version).encode(),
            _("A report submitted by %(person)s, as written.") % {"person": e.user.display_name},
        )
    return [
        campaign_label(e.campaign),
        e.user.display_name,
        version.created_at,
        version.saved_at,
        _yes(version.submitted),
        _yes(version.autosaved),
        kept,
        text,
    ]


def _html(version: ReportVersion) -> str:
    """The sanitised report as a page of its own (the body is nh3-cleaned when saved)."""
    e = version.enrolment
    title = f"{e.user.display_name} — {campaign_label(e.campaign)}"
    saved = f"{timezone.localtime(version.saved_at):%d/%m/%Y %H:%M}"
    return (
        '<!doctype html><html lang="vi"><meta charset="utf-8">'
        f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{saved}</p>"
        f"{version.body}</html>\n"
    )


PACKAGE_HEADER = [
    gettext_lazy("Campaign"),
    gettext_lazy("Status"),
    gettext_lazy("Sent at"),
    gettext_lazy("Sent to"),
    gettext_lazy("Late"),
    gettext_lazy("School summary"),
    gettext_lazy("Comment for revision"),
    gettext_lazy("Reviewed at"),
]


def _package_rows(school: Unit) -> list[list[Any]]:
    packages = SchoolPackage.objects.filter(school=school).select_related(
        "campaign", "submitted_to"
    )
    return [
        [
            campaign_label(p.campaign),
            p.get_status_display(),
            p.submitted_at,
            p.submitted_to.name if p.submitted_to else "",
            _yes(p.is_late),
            p.summary,
            p.return_comment,
            p.reviewed_at,
        ]
        for p in packages.order_by("campaign__school_year", "campaign_id")
    ]

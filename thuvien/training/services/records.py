"""Use cases of a person's self-training record: study notes and the report's versions.

The rules are the package's: one typed, atomic function per change, raising `TrainingError`.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from decimal import Decimal
from typing import IO, TypeAlias

import nh3
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from thuvien.core import uploads
from thuvien.core.form_help import (
    NOTE_MAX_CHARS,
    REPORT_HTML_MAX_CHARS,
    REPORT_TEXT_MAX_CHARS,
    too_long,
)
from thuvien.training.models import (
    REPORT_TRANSITIONS,
    Enrolment,
    Material,
    ReportStatus,
    ReportVersion,
    StudyNote,
    Topic,
)
from thuvien.training.services import common, reviews
from thuvien.training.services.common import TrainingError

# Autosaves closer together than this are coalesced into the latest autosave (its text is
# replaced), so a long writing session leaves a version every half minute, not one per pause.
AUTOSAVE_WINDOW = dt.timedelta(seconds=30)
EDITABLE = (ReportStatus.NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED)
MAX_HOURS = Decimal("24")
MAX_FILE_BYTES = 10 * 1024 * 1024
NOTE_ATTACHMENT_KINDS = uploads.OFFICE_AND_PDF | uploads.IMAGES

# What the report editor may keep: formatting, lists, links, simple tables. Nothing else
# survives, not even as an attribute: no scripts, styles, event handlers or `javascript:` URLs.
REPORT_TAGS = frozenset(
    {"p", "br", "div", "b", "strong", "i", "em", "u", "s", "sub", "sup", "h2", "h3", "h4",
     "ul", "ol", "li", "a", "blockquote", "table", "thead", "tbody", "tr", "th", "td"}
)  # fmt: skip
REPORT_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
Upload: TypeAlias = "UploadedFile[bytes] | IO[bytes]"


def clean_report_html(body: str) -> str:
    """The report's HTML reduced to what the editor may keep. Plain text (typed without the
    editor) keeps its paragraphs."""
    if "<" not in body and "\n" in body.strip():
        body = linebreaks(body, autoescape=True)
    return nh3.clean(
        body,
        tags=set(REPORT_TAGS),
        attributes=REPORT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def _text_of(body: str) -> str:
    return html.unescape(nh3.clean(body, tags=set())).replace("\xa0", " ").strip()


def _has_text(body: str) -> bool:
    return bool(_text_of(body))


def report_length_error(body: str) -> str | None:
    """Why the report is too long (its visible text, or its markup), or None when it fits."""
    cleaned = clean_report_html(body)
    return too_long(REPORT_TEXT_MAX_CHARS, len(_text_of(cleaned)), _("The report")) or too_long(
        REPORT_HTML_MAX_CHARS, len(cleaned), _("The report's formatting")
    )


def _check_report_length(body: str) -> None:
    if message := report_length_error(body):
        raise TrainingError(message)


def _stored_file(upload: Upload, *, kinds: frozenset[str]) -> tuple[str, str]:
    """Check the upload by its content: (the name to show, the name to store) or TrainingError."""
    try:
        kind = uploads.check_upload(upload, kinds=kinds, max_bytes=MAX_FILE_BYTES)
    except uploads.UploadError as error:
        raise TrainingError(str(error)) from error
    shown = uploads.safe_filename(getattr(upload, "name", "") or "", kind)
    return shown, f"{uuid.uuid4().hex}.{uploads.EXTENSIONS[kind]}"


@transaction.atomic
def add_study_note(
    enrolment: Enrolment,
    *,
    date: dt.date,
    content: str,
    hours: Decimal,
    material: Material | None = None,
    topic: Topic | None = None,
    attachment: Upload | None = None,
) -> StudyNote:
    common._check_open(enrolment)
    campaign_id = enrolment.campaign_id
    if any(row is not None and row.campaign_id != campaign_id for row in (material, topic)):
        raise TrainingError(_("Choose a material or topic of this campaign."))
    if not content.strip():
        raise TrainingError(_("Write what you studied."))
    if message := too_long(NOTE_MAX_CHARS, len(content.strip()), _("The study note")):
        raise TrainingError(message)
    if not Decimal(0) <= hours <= MAX_HOURS:
        raise TrainingError(_("Hours must be between 0 and 24."))
    if date > timezone.localdate():
        raise TrainingError(_("A study note cannot be dated in the future."))
    note = StudyNote(
        enrolment=enrolment,
        date=date,
        content=content.strip(),
        hours=hours,
        material=material,
        topic=topic,
    )
    if attachment is not None:
        note.attachment_name, stored = _stored_file(attachment, kinds=NOTE_ATTACHMENT_KINDS)
        note.attachment.save(stored, attachment, save=False)  # type: ignore[arg-type]
    note.save()
    return note


def _check_editable(enrolment: Enrolment) -> None:
    if enrolment.report_status not in EDITABLE:
        raise TrainingError(
            _("The report is “%(status)s” and cannot be changed now.")
            % {"status": enrolment.get_report_status_display()}
        )


@transaction.atomic
def save_report_version(
    enrolment: Enrolment, *, body: str, autosave: bool = False, at: dt.datetime | None = None
) -> ReportVersion:
    """Keep the text as a new version (the report becomes a draft).

    An autosave of unchanged text adds nothing; an autosave within `AUTOSAVE_WINDOW` of the
    previous autosave (with no saved version between) replaces that autosave's text."""
    common._check_open(enrolment)
    _check_editable(enrolment)
    body = clean_report_html(body)
    if not _has_text(body):
        raise TrainingError(_("The report is empty."))
    _check_report_length(body)
    now = at or timezone.now()
    latest = enrolment.report_versions.order_by("-created_at", "-pk").first()
    if autosave and latest is not None:
        if latest.body == body:
            return latest
        if latest.autosaved and now - latest.saved_at < AUTOSAVE_WINDOW:
            latest.body, latest.saved_at = body, now
            latest.save(update_fields=["body", "saved_at"])
            return latest
    version = ReportVersion.objects.create(
        enrolment=enrolment, body=body, autosaved=autosave, created_at=now, saved_at=now
    )
    _become_draft(enrolment)
    return version


def _become_draft(enrolment: Enrolment) -> None:
    if enrolment.report_status != ReportStatus.DRAFT:
        common._move(enrolment, "report_status", REPORT_TRANSITIONS, ReportStatus.DRAFT)
        enrolment.save(update_fields=["report_status"])


@transaction.atomic
def submit_report_text(
    enrolment: Enrolment, *, body: str, at: dt.datetime | None = None
) -> Enrolment:
    """Keep the text as the submitted version, then submit the report."""
    common._check_open(enrolment)
    _check_editable(enrolment)
    body = clean_report_html(body)
    if not _has_text(body):
        raise TrainingError(_("Write the report before submitting it."))
    _check_report_length(body)
    now = at or timezone.now()
    ReportVersion.objects.create(
        enrolment=enrolment, body=body, submitted=True, created_at=now, saved_at=now
    )
    return reviews.submit_report(enrolment, on=now)


@transaction.atomic
def save_report_file(
    enrolment: Enrolment, *, upload: Upload, submit: bool = False, at: dt.datetime | None = None
) -> ReportVersion:
    """Keep an uploaded report (DOCX or PDF, told by its content) as a new version: a draft, or
    the submitted version when `submit` (then the report is submitted, as with a text)."""
    common._check_open(enrolment)
    _check_editable(enrolment)
    shown, stored = _stored_file(upload, kinds=uploads.DOCUMENTS)
    now = at or timezone.now()
    version = ReportVersion(
        enrolment=enrolment, file_name=shown, submitted=submit, created_at=now, saved_at=now
    )
    version.file.save(stored, upload, save=False)  # type: ignore[arg-type]
    try:
        version.save()
        if submit:
            reviews.submit_report(enrolment, on=now)
        else:
            _become_draft(enrolment)
    except TrainingError:
        version.file.delete(save=False)  # the transaction is rolled back: keep no stray file
        raise
    return version

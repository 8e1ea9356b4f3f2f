"""Forms of the record screens (the person's record, the principal's school page): they parse
and validate input only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thuvien.core.form_help import (
    COMMENT_MAX_CHARS,
    NOTE_MAX_CHARS,
    REPORT_HTML_MAX_CHARS,
    SECTION_MAX_CHARS,
    MaxChars,
    OwnIds,
)
from thuvien.core.widgets import DateInput
from thuvien.training.models import Campaign, Material, Topic
from thuvien.training.record_queries import grade_choices


class TopicForm(forms.Form):
    """One topic from a select when each person chooses one; otherwise checkboxes for exactly N
    (or N−1 and one's own topic, when the campaign allows it)."""

    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), label=_("Topic"))

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wanted = campaign.topics_per_person
        self.own_allowed = campaign.allow_own_topic
        if self.wanted == 1:
            self.fields["topic"].queryset = campaign.topics.all()  # type: ignore[attr-defined]
            return
        del self.fields["topic"]
        self.fields["topics"] = forms.ModelMultipleChoiceField(
            queryset=campaign.topics.all(),
            label=_("Topics"),
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"data-choose-exactly": self.wanted}),
            help_text=_("Tick exactly %(n)d topics.") % {"n": self.wanted},
        )
        if self.own_allowed:
            self.fields["own_topic"] = forms.CharField(
                label=_("Or your own topic, as one of them"),
                max_length=255,
                required=False,
                help_text=_("Your principal approves it before you submit the report."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.wanted > 1 and not self.errors:
            count = len(data.get("topics") or ()) + bool((data.get("own_topic") or "").strip())
            if count != self.wanted:
                message = (
                    _("Tick exactly %(n)d topics, or %(m)d and your own (you chose %(count)d).")
                    if self.own_allowed
                    else _("Tick exactly %(n)d topics (you chose %(count)d).")
                )
                self.add_error(
                    "topics", message % {"n": self.wanted, "m": self.wanted - 1, "count": count}
                )
        return data

    def choice(self) -> dict[str, Any]:
        """The cleaned choice as `services.choose_topic` takes it."""
        data = self.cleaned_data
        if self.wanted == 1:
            return {"topics": [data["topic"]]}
        return {"topics": list(data["topics"]), "own_topic": data.get("own_topic", "")}


class StudyNoteForm(OwnIds, forms.Form):
    id_prefix = "note"  # the record page also has the topic forms' "topic" and "own_topic"
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    material = forms.ModelChoiceField(
        queryset=Material.objects.none(), label=_("Material"), required=False
    )
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), label=_("Topic"), required=False)
    content = forms.CharField(
        label=_("What I studied"),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[MaxChars(NOTE_MAX_CHARS)],
    )
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal(0), max_value=Decimal(24), decimal_places=1
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional: PDF, Word, Excel, PowerPoint or a picture, up to 10 MB."),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = campaign.materials.all()  # type: ignore[attr-defined]
        self.fields["topic"].queryset = campaign.topics.all()  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    body = forms.CharField(
        label=_("Report"),
        strip=False,
        # record.js turns the textarea into a small rich-text editor and keeps it in sync.
        widget=forms.Textarea(attrs={"rows": 18, "data-rich-text": "report"}),
        error_messages={"required": _("The report is empty.")},
        # The service counts the visible text (REPORT_TEXT_MAX_CHARS) once sanitised; this
        # stops an oversize post before that work.
        validators=[MaxChars(REPORT_HTML_MAX_CHARS)],
    )

    def clean_body(self) -> str:
        from thuvien.training.services.records import report_length_error

        body: str = self.cleaned_data["body"]
        if message := report_length_error(body):
            raise forms.ValidationError(message, code="max_length")
        return body


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Report file"),
        help_text=_("A Word (DOCX) or PDF file, up to 10 MB."),
        error_messages={"required": _("Choose the file of your report.")},
    )


class OwnTopicForm(OwnIds, forms.Form):
    id_prefix = "own"
    own_topic = forms.CharField(
        label=_("Your own topic"),
        max_length=255,
        help_text=_("Your principal approves it before you submit the report."),
    )


class OwnTopicDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], label=_("Decision")
    )


class CommentForm(OwnIds, forms.Form):
    id_prefix = "return"  # shares the school record page with EvaluateForm's "comment"
    comment = forms.CharField(
        label=_("What to revise"),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[MaxChars(COMMENT_MAX_CHARS)],
    )


class EvaluateForm(OwnIds, forms.Form):
    id_prefix = "evaluate"
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[MaxChars(COMMENT_MAX_CHARS)],
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = grade_choices(campaign)
        grade: forms.Field
        if choices is None:
            grade = forms.DecimalField(
                label=_("Mark (0–10)"),
                min_value=Decimal(0),
                max_value=Decimal(10),
                decimal_places=1,
            )
        else:
            grade = forms.ChoiceField(label=_("Grade"), choices=choices)
        self.fields = {"grade": grade, **self.fields}


class ExtensionForm(OwnIds, forms.Form):
    id_prefix = "extend"
    until = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PackageForm(forms.Form):
    summary = forms.CharField(
        label=_("School summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxChars(SECTION_MAX_CHARS)],
    )

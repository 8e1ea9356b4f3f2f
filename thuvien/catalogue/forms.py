"""The librarian's catalogue forms: they parse and validate input only (the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from thuvien.catalogue.models import (
    AcquisitionBatch,
    CallNumberRule,
    Collection,
    CopyStatus,
    DocType,
    Record,
    ResourceKind,
    Source,
    SruTarget,
    Visibility,
)
from thuvien.catalogue.record_data import RecordData

LINES = {"rows": 3}


def lines_of(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def isbn_lines(value: str) -> list[tuple[str, str]]:
    """One ISBN a line, its qualifier in brackets after it: "978-604-0-35163-0 (bìa mềm)"."""
    found = []
    for line in lines_of(value):
        number, _sep, rest = line.partition("(")
        qualifier = f"({rest}" if rest else ""
        found.append((number.strip(), qualifier.strip()))
    return found


class IsbnForm(forms.Form):
    isbn = forms.CharField(
        label=_("ISBN"),
        max_length=40,
        help_text=_("Scan the barcode on the back cover, or type the ISBN."),
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric"}),
    )


class RecordForm(forms.Form):
    """A record by hand, over the fields of `RecordData`."""

    title = forms.CharField(label=_("Title (245 $a)"), max_length=500)
    subtitle = forms.CharField(label=_("Other title information"), max_length=500, required=False)
    responsibility = forms.CharField(
        label=_("Statement of responsibility"), max_length=500, required=False
    )
    part = forms.CharField(label=_("Number or name of part"), max_length=200, required=False)
    author = forms.CharField(label=_("Main author"), max_length=300, required=False)
    other_authors = forms.CharField(
        label=_("Other authors"),
        required=False,
        help_text=_("One a line."),
        widget=forms.Textarea(attrs=LINES),
    )
    edition = forms.CharField(label=_("Edition"), max_length=200, required=False)
    place = forms.CharField(label=_("Place of publication"), max_length=200, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    year = forms.IntegerField(
        label=_("Year of publication"), min_value=1000, max_value=2100, required=False
    )
    physical = forms.CharField(label=_("Physical description"), max_length=300, required=False)
    series = forms.CharField(label=_("Series"), max_length=300, required=False)
    classification = forms.CharField(label=_("Class number (DDC)"), max_length=60, required=False)
    local_class = forms.CharField(label=_("School classification"), max_length=60, required=False)
    subjects = forms.CharField(
        label=_("Subjects"),
        required=False,
        help_text=_("One a line."),
        widget=forms.Textarea(attrs=LINES),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(LINES))
    language = forms.CharField(label=_("Language"), max_length=3, initial="vie", required=False)
    doc_type = forms.ChoiceField(
        label=_("Document type"), choices=DocType.choices, initial=DocType.REFERENCE
    )
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=12, required=False)
    school_subject = forms.CharField(label=_("School subject"), max_length=100, required=False)
    call_number = forms.CharField(
        label=_("Call number"),
        max_length=100,
        required=False,
        help_text=_("Leave blank to make it by the province's rule."),
    )
    isbns = forms.CharField(
        label=_("ISBNs"),
        required=False,
        help_text=_("One a line; a qualifier in brackets after it, e.g. (bìa mềm)."),
        widget=forms.Textarea(attrs=LINES),
    )

    def record_data(self) -> RecordData:
        data = self.cleaned_data
        return RecordData(
            title=data["title"],
            doc_type=data["doc_type"],
            subtitle=data["subtitle"],
            responsibility=data["responsibility"],
            part=data["part"],
            author=data["author"],
            other_authors=lines_of(data["other_authors"]),
            edition=data["edition"],
            place=data["place"],
            publisher=data["publisher"],
            year=data["year"],
            physical=data["physical"],
            series=data["series"],
            classification=data["classification"],
            local_class=data["local_class"],
            subjects=lines_of(data["subjects"]),
            summary=data["summary"],
            language=data["language"] or "vie",
            grade=data["grade"],
            school_subject=data["school_subject"],
            call_number=data["call_number"],
            isbns=isbn_lines(data["isbns"]),
        )

    @staticmethod
    def initial_of(record: Record, isbns: list[tuple[str, str]]) -> dict[str, Any]:
        names = [name for name in RecordForm.base_fields if name not in {"isbns", "reason"}]
        initial: dict[str, Any] = {name: getattr(record, name) for name in names}
        initial["other_authors"] = "\n".join(record.other_authors)
        initial["subjects"] = "\n".join(record.subjects)
        initial["isbns"] = "\n".join(f"{isbn} {qualifier}".strip() for isbn, qualifier in isbns)
        return initial


class RecordEditForm(RecordForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=100,
        required=False,
        help_text=_("Every school holding this record sees the change."),
    )


class AddCopiesForm(forms.Form):
    count = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=1000, initial=1)
    collection = forms.ModelChoiceField(
        label=_("Collection"),
        queryset=Collection.objects.none(),
        required=False,
        empty_label=_("The usual one for this document type"),
    )
    batch = forms.ModelChoiceField(
        label=_("Acquisition batch"),
        queryset=AcquisitionBatch.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    price_vnd = forms.IntegerField(label=_("Price (VND)"), min_value=0, required=False)
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("As the batch, else purchase")), *Source.choices],
        required=False,
    )
    donor = forms.CharField(label=_("Donor"), max_length=300, required=False)
    location = forms.CharField(label=_("Shelf location"), max_length=100, required=False)

    def __init__(
        self,
        *args: Any,
        collections: QuerySet[Collection],
        batches: QuerySet[AcquisitionBatch],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections  # type: ignore[attr-defined]
        self.fields["batch"].queryset = batches  # type: ignore[attr-defined]


class WithdrawalForm(forms.Form):
    codes = forms.CharField(
        label=_("Copies"),
        help_text=_(
            "Registration numbers or barcodes, one a line; a reason for one copy after a "
            "semicolon: SGK.000012; torn pages."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(LINES))

    def lines(self) -> list[tuple[str, str]]:
        """(code, reason) a line; the list's reason when a line gives none."""
        found = []
        for line in lines_of(self.cleaned_data["codes"]):
            code, _sep, why = line.partition(";")
            found.append((code.strip(), why.strip() or self.cleaned_data["reason"].strip()))
        return found


class ApproveWithdrawalForm(forms.Form):
    minutes_number = forms.CharField(label=_("Minutes number"), max_length=60)
    minutes_date = forms.DateField(
        label=_("Minutes date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)


class CopyForm(forms.Form):
    """A copy's barcode, place, price, source, notes, collection and status (never its number)."""

    barcode = forms.CharField(label=_("Barcode"), max_length=40)
    collection = forms.ModelChoiceField(label=_("Collection"), queryset=Collection.objects.none())
    location = forms.CharField(label=_("Shelf location"), max_length=100, required=False)
    price_vnd = forms.IntegerField(label=_("Price (VND)"), min_value=0, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    donor = forms.CharField(label=_("Donor"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(LINES))
    status = forms.ChoiceField(label=_("Status"), choices=[])

    def __init__(
        self, *args: Any, collections: QuerySet[Collection], status: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections  # type: ignore[attr-defined]
        fixed = {CopyStatus.ON_LOAN, CopyStatus.WITHDRAWN}
        choices = [(v, label) for v, label in CopyStatus.choices if v not in fixed or v == status]
        self.fields["status"].choices = choices  # type: ignore[attr-defined]


class BatchForm(forms.Form):
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    supplier = forms.CharField(label=_("Supplier or donor"), max_length=300, required=False)
    invoice_number = forms.CharField(
        label=_("Document or invoice number"), max_length=60, required=False
    )
    total_vnd = forms.IntegerField(label=_("Total value (VND)"), min_value=0, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(LINES))


class MergeForm(forms.Form):
    keep = forms.IntegerField(
        label=_("Merge into record number"),
        min_value=1,
        help_text=_("This record's copies, ISBNs and digital resources move to the record kept."),
    )


class CopyFilterForm(forms.Form):
    """The copy list's filters: a text (title, registration number, barcode), a collection and
    a status; every one optional."""

    q = forms.CharField(label=_("Title, registration number or barcode"), required=False)
    collection = forms.ModelChoiceField(
        label=_("Collection"),
        queryset=Collection.objects.none(),
        required=False,
        empty_label=_("All collections"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *CopyStatus.choices], required=False
    )

    def __init__(self, *args: Any, collections: QuerySet[Collection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections  # type: ignore[attr-defined]


class CollectionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example SGK, STK."))
    name = forms.CharField(label=_("Name"), max_length=200)
    doc_type = forms.ChoiceField(
        label=_("Usual document type"),
        choices=[("", _("Any")), *DocType.choices],
        required=False,
    )
    number_prefix = forms.CharField(
        label=_("Registration number prefix"),
        max_length=12,
        required=False,
        help_text=_(
            "Collections with the same prefix share one numbering (per school); a prefix of "
            "its own numbers the collection by itself. Copies already registered keep their "
            "numbers."
        ),
    )
    digits = forms.IntegerField(label=_("Digits of the number"), min_value=3, max_value=10)
    public = forms.BooleanField(label=_("Shown in the public catalogue"), required=False)


class CatalogueSettingsForm(forms.Form):
    call_number_rule = forms.ChoiceField(
        label=_("Call-number rule"), choices=CallNumberRule.choices
    )
    use_local_class = forms.BooleanField(
        label=_("Start the call number with the school classification (084) instead of DDC"),
        required=False,
    )


class SruTargetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.CharField(
        label=_("SRU address"), max_length=500, help_text=_("For example https://…/sru")
    )
    record_schema = forms.CharField(label=_("Record schema"), max_length=60, initial="marcxml")
    version = forms.ChoiceField(
        label=_("SRU version"), choices=[("2.0", "2.0"), ("1.2", "1.2"), ("1.1", "1.1")]
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)


SEARCH_INDEXES = [
    ("any", _("Any field")),
    ("title", _("Title")),
    ("author", _("Author")),
    ("isbn", _("ISBN")),
    ("subject", _("Subject")),
]


class ExternalSearchForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Catalogue"), queryset=SruTarget.objects.none())
    index = forms.ChoiceField(label=_("Search in"), choices=SEARCH_INDEXES, initial="any")
    q = forms.CharField(label=_("Search for"), max_length=200)

    def __init__(self, *args: Any, targets: QuerySet[SruTarget], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets  # type: ignore[attr-defined]

    def cql(self) -> str:
        """The CQL query: the words quoted (their quotes and backslashes escaped)."""
        words = self.cleaned_data["q"].strip().replace("\\", "\\\\").replace('"', '\\"')
        return f'{self.cleaned_data["index"]} = "{words}"'


class ExternalImportForm(ExternalSearchForm):
    position = forms.IntegerField(min_value=1, max_value=50, widget=forms.HiddenInput)


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF, an EPUB e-book or an audio file; or give a link below."),
    )
    url = forms.CharField(
        label=_("Link"),
        max_length=500,
        required=False,
        help_text=_("A video or audio recording, or a web page."),
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Visibility.choices, initial=Visibility.SCHOOL
    )
    rights_confirmed = forms.BooleanField(
        label=_(
            "I confirm that the school may share this resource: it respects copyright "
            "(Thông tư 16/2022/TT-BGDĐT)."
        ),
        required=False,
    )

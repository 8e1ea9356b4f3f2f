"""The union catalogue: bibliographic records shared by the province (schools own copies, not
records), their ISBNs, and the folded terms staff search, SRU and OAI-PMH find them by.

A record keeps the whole MARC record it came from (`marc`: pymarc's dict form, every field, even
those the form does not show); the columns are what the platform reads, written from it or from
the form. Text is stored canonical (`core.folding.canonical`: NFC, one tone placement).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from thuvien.access import Action, ByUnit, Holds, Policy, ScopedQuerySet, Supervising
from thuvien.organisations.models import Unit


class DocType(models.TextChoices):
    TEXTBOOK = "sgk", _("Textbook (SGK)")
    TEACHER_BOOK = "sgv", _("Teacher's book (SGV)")
    PROFESSIONAL = "snv", _("Professional book (SNV)")
    REFERENCE = "stk", _("Reference book (STK)")
    CHILDREN = "stn", _("Children's book (STN)")
    PERIODICAL = "periodical", _("Periodical")
    MAP = "map", _("Map or picture")
    DIGITAL = "digital", _("Digital resource")


# Shared records: every library role of the province sees them; who may change one is the
# department's staff, or the school that catalogued it (a change is audited either way).
RECORD_POLICY = Policy(
    see=Holds(Action.VIEW_CATALOGUE),
    actions={
        Action.EDIT_RECORDS: (Supervising() | ByUnit("catalogued_by")).because(
            _("Only the school that catalogued this record, or the department, may change it.")
        ),
    },
)


class RecordQuerySet(ScopedQuerySet["Record"]):
    def live(self) -> RecordQuerySet:
        """Records not deleted nor merged into another (OAI-PMH still reports those)."""
        return self.filter(deleted_at__isnull=True)


class Record(models.Model):
    doc_type = models.CharField(
        _("document type"), max_length=12, choices=DocType.choices, default=DocType.REFERENCE
    )
    title = models.CharField(_("title"), max_length=500)  # 245 $a
    subtitle = models.CharField(_("other title information"), max_length=500, blank=True)  # $b
    responsibility = models.CharField(
        _("statement of responsibility"), max_length=500, blank=True
    )  # 245 $c
    part = models.CharField(_("number or name of part"), max_length=200, blank=True)  # $n $p
    author = models.CharField(_("main author"), max_length=300, blank=True)  # 100/110/111
    other_authors = models.JSONField(_("other authors"), default=list, blank=True)  # 700
    edition = models.CharField(_("edition"), max_length=200, blank=True)  # 250
    place = models.CharField(_("place of publication"), max_length=200, blank=True)  # 260/264 $a
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)  # $b
    year = models.PositiveSmallIntegerField(_("year of publication"), null=True, blank=True)
    physical = models.CharField(_("physical description"), max_length=300, blank=True)  # 300
    series = models.CharField(_("series"), max_length=300, blank=True)  # 490
    classification = models.CharField(_("class number (DDC)"), max_length=60, blank=True)  # 082
    local_class = models.CharField(_("school classification"), max_length=60, blank=True)  # 084
    subjects = models.JSONField(_("subjects"), default=list, blank=True)  # 650
    summary = models.TextField(_("summary"), blank=True)  # 520
    language = models.CharField(_("language"), max_length=3, default="vie", blank=True)  # 041
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)  # textbooks
    school_subject = models.CharField(_("school subject"), max_length=100, blank=True)
    call_number = models.CharField(_("call number"), max_length=100, blank=True)
    # The whole MARC record as imported or last exported (pymarc's dict form): no field lost.
    marc = models.JSONField(default=dict, blank=True)
    # Keys the platform computes (services.records.refresh_keys): never typed.
    title_folded = models.CharField(max_length=500, editable=False, db_index=True)
    author_folded = models.CharField(max_length=300, editable=False, blank=True)
    # Indexed in Meta: compared whole or ordered by, never by prefix, so PostgreSQL needs no
    # second, `varchar_pattern_ops` index of them (which `db_index` would make).
    dedup_key = models.CharField(max_length=255, editable=False)
    sort_key = models.CharField(max_length=400, editable=False)
    catalogued_by = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # OAI-PMH reports a deleted record (and one merged into another) as deleted.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(  # indexed where set (record_merged_into)
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    policy = RECORD_POLICY
    objects = RecordQuerySet.as_manager()
    # The audit rows are read by record (its `id`, indexed) and date, never searched by column:
    # the copies of the model's own indexes would only slow down every import.
    history = HistoricalRecords(
        excluded_fields=["marc", "sort_key", "dedup_key"],
        no_db_index=["title_folded", "updated_at", "catalogued_by", "merged_into"],
    )

    class Meta:
        verbose_name = _("bibliographic record")
        verbose_name_plural = _("bibliographic records")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(doc_type__in=DocType.values), name="record_doc_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=12),
                name="record_grade_1_to_12",
            ),
        ]
        indexes = [
            models.Index(fields=["dedup_key"], name="record_dedup_key"),
            models.Index(fields=["sort_key"], name="record_sort_key"),
            # A handful of merged records among hundreds of thousands: only those are indexed.
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="record_merged_into",
            ),
        ]

    def __str__(self) -> str:
        return self.full_title

    @property
    def full_title(self) -> str:
        return f"{self.title} : {self.subtitle}" if self.subtitle else self.title

    @property
    def authors(self) -> list[str]:
        return [name for name in [self.author, *self.other_authors] if name]


class RecordIsbn(models.Model):
    """One ISBN of a record, normalised to ISBN-13 digits (an ISBN-10 is converted)."""

    # Indexed by one_isbn_a_record, which begins with the record.
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="isbns", db_index=False
    )
    isbn13 = models.CharField(max_length=13, db_index=True)
    qualifier = models.CharField(max_length=100, blank=True)  # "(bìa mềm)"

    policy = RECORD_POLICY
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "isbn13"], name="one_isbn_a_record"),
        ]

    def __str__(self) -> str:
        return self.isbn13


class TermField(models.TextChoices):
    TITLE = "t", _("title")
    AUTHOR = "a", _("author")
    SUBJECT = "s", _("subject")
    OTHER = "x", _("other")  # series, publisher, summary words


class RecordTerm(models.Model):
    """One folded syllable of a record's title, authors, subjects or other text: the index the
    staff search, the SRU server and the OPAC look words up in (indexed on both databases)."""

    # Derived rows (rebuilt from the record by services.records.index), some 30 a record, the
    # largest table of the catalogue. Keyed by what they are (no id of their own, no sequence):
    # the key, which starts with the record, also finds a record's terms to rewrite them. No
    # database constraint, which would check the record again for each of them on every import
    # (Django still deletes them with their record). On SQLite the table has no rowid either
    # (migration 0003; decision 0009): an import writes it three times as fast.
    pk = models.CompositePrimaryKey("record_id", "field", "term")
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    field = models.CharField(max_length=1, choices=TermField.choices)
    term = models.CharField(max_length=40)

    policy = RECORD_POLICY
    objects = ScopedQuerySet.as_manager()

    class Meta:
        # Looked up by term (the index covers the record), rewritten by record (the key).
        indexes = [models.Index(fields=["term", "field", "record"], name="record_term_lookup")]

    def __str__(self) -> str:
        return f"{self.field}:{self.term}"

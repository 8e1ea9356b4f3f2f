"""Import batches in the admin: to look at, never to change (the worker and pruning do that)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from thuvien.core.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ["filename", "kind", "status", "created_by", "created_at", "finished_at", "size"]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "created_by__username", "created_by__full_name"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    # The file itself is never shown nor offered for download: it may hold personal data.
    fields = readonly_fields = (
        "id",
        "kind",
        "filename",
        "size",
        "created_by",
        "created_at",
        "status",
        "scope_membership_id",
        "queued_at",
        "applied_at",
        "finished_at",
        "error",
        "summary",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportBatch]:
        # The size is measured by the database; the content never leaves it.
        return (
            super().get_queryset(request).defer("content").annotate(content_size=Length("content"))
        )

    @admin.display(description=_("size"), ordering="content_size")
    def size(self, batch: Any) -> str:
        return filesizeformat(getattr(batch, "content_size", 0) or 0)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thuvien.organisations.models import (
    Membership,
    SchoolYearStats,
    Signer,
    Unit,
    UnitParentLink,
)


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["name", "kind", "code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_folded", "code"]
    raw_id_fields = ["parent", "merged_into"]
    readonly_fields = ["path", "depth"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["user", "role", "unit", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    raw_id_fields = ["user", "unit"]


admin.site.register(UnitParentLink, SimpleHistoryAdmin)
admin.site.register(SchoolYearStats, SimpleHistoryAdmin)


@admin.register(Signer)
class SignerAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["full_name", "position", "authority", "unit", "is_head"]
    search_fields = ["full_name", "unit__name"]
    raw_id_fields = ["unit"]

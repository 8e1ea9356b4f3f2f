from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from thuvien.accounts.models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin[User]):  # type: ignore[misc]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("ThuVien", {"fields": ("full_name", "phone", "qualification")}),
    )
    list_display = ["username", "full_name", "email", "qualification", "is_active"]
    search_fields = ["username", "full_name", "email"]

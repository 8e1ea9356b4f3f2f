"""`manage.py demo_logins`: one demo account per role, read from the database."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand

from thuvien.organisations.demo import DEMO_PASSWORD, DEMO_USERNAMES, ROLE_LABELS_VI
from thuvien.organisations.models import Membership, Role


class Command(BaseCommand):
    help = (
        "List one account per role to try the demo with: role, username, password, unit. "
        "Shows the demo accounts when they exist, otherwise the first current member of each role."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [row for role in Role.values if (row := _first_member(role)) is not None]
        if not rows:
            self.stdout.write("No accounts yet: run `manage.py seed_demo` to create the demo.")
            return
        self.stdout.write("Tài khoản dùng thử (vai trò, tên đăng nhập, mật khẩu, đơn vị):")
        hashes_ok: set[str] = set()  # one hash for every demo account: check it once
        width = max(len(ROLE_LABELS_VI[m.role]) for m in rows)
        for membership in rows:
            user = membership.user
            if user.password not in hashes_ok and check_password(DEMO_PASSWORD, user.password):
                hashes_ok.add(user.password)
            password = DEMO_PASSWORD if user.password in hashes_ok else "(mật khẩu đã đổi)"
            self.stdout.write(
                f"  {ROLE_LABELS_VI[membership.role]:<{width}}  {user.username:<12}  "
                f"{password:<12}  {membership.unit.name}"
            )


def _first_member(role: str) -> Membership | None:
    """The demo account of `role` if it still holds it, else the role's longest-standing member."""
    members = Membership.objects.current().filter(role=role).select_related("user", "unit")
    return (
        members.filter(user__username=DEMO_USERNAMES[role]).first()
        or members.order_by("pk").first()
    )

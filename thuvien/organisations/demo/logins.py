"""The demo's logins as `manage.py demo_logins` prints them (and `make demo` ends with).

One login per role, read from the database, with the two a newcomer needs besides: the principal
and the librarian of a THPT school directly under the Sở (their package goes to the Sở, not to an
office), and as the trainer the one who organises the demo's training event. Each row is the
published demo account when it still holds its role and is active, else the role's
longest-standing active member; its password is shown only while it is still the demo password.

Above the table, where the site is (`SITE_URL`, which `make demo` sets from `PORT`) and where
the e-mail goes (`EMAIL_BACKEND`: with the file backend, the folder of the files), so that the
table is the last thing printed before the web server's own lines.

The event is read by model name at run time (`apps.get_model`): organisations imports no later
app, and without the events app (or on a bulk-seeded province, which has no events) the trainer
row is the role's first member like the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db.models import Case, IntegerField, QuerySet, Value, When

from thuvien.organisations.demo.names import (
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    ROLE_LABELS_VI,
    THPT_USERNAMES,
)
from thuvien.organisations.models import Membership, Role, UnitKind

CHANGED_PASSWORD = "(mật khẩu đã đổi)"  # noqa: S105 — a note shown instead of a password
THPT_LABELS = {
    Role.PRINCIPAL: "Hiệu trưởng trường THPT trực thuộc Sở",
    Role.LIBRARIAN: "Nhân viên thư viện trường THPT trực thuộc Sở",
}
EVENT_TRAINER_LABEL = "Giảng viên (đối tác tổ chức sự kiện)"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
# Where each of Django's own backends puts a message, in the words of the table's header.
MAIL_DESTINATIONS = {
    "django.core.mail.backends.console.EmailBackend": "in ra màn hình (console) của tiến trình nền",
    "django.core.mail.backends.smtp.EmailBackend": "gửi qua máy chủ SMTP {host}:{port}",
    "django.core.mail.backends.locmem.EmailBackend": "giữ trong bộ nhớ, không gửi đi",
    "django.core.mail.backends.dummy.EmailBackend": "bỏ đi, không gửi",
}


@dataclass(frozen=True)
class Login:
    label: str
    username: str
    password: str  # the demo password, or CHANGED_PASSWORD
    unit: str


def _members(role: str) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(role=role, user__is_active=True)
        .select_related("user", "unit")
        .order_by("pk")
    )


def _preferring(members: QuerySet[Membership], username: str) -> Membership | None:
    """The member with the published `username`, else the longest-standing one."""
    return members.filter(user__username=username).first() or members.first()


def _thpt_member(role: str) -> Membership | None:
    members = _members(role).filter(
        unit__parent__kind=UnitKind.DEPARTMENT, unit__has_upper_secondary=True
    )
    return _preferring(members, THPT_USERNAMES[role])


def _event_trainer() -> Membership | None:
    """A trainer of the unit organising the demo's event: of an event still to come if there is
    one, else of the latest; an event organised by a unit with no active trainer does not count."""
    if not apps.is_installed("thuvien.events"):
        return None
    event_model = apps.get_model("events", "Event")
    trainers = _members(Role.TRAINER)
    done = Case(
        When(status__in=["held", "cancelled"], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    event = (
        event_model._default_manager.filter(organiser__in=trainers.values("unit"))
        .exclude(status="cancelled")
        .order_by(done, "-starts_on", "pk")
        .first()
    )
    if event is None:
        return None
    return _preferring(trainers.filter(unit=event.organiser_id), DEMO_USERNAMES[Role.TRAINER])


def _chosen() -> list[tuple[str, Membership]]:
    """(label, membership) of every row, in the order of the table."""
    rows: list[tuple[str, Membership | None]] = []
    for role in Role.values:
        if role == Role.TRAINER and (trainer := _event_trainer()) is not None:
            rows.append((EVENT_TRAINER_LABEL, trainer))
        else:
            rows.append((ROLE_LABELS_VI[role], _preferring(_members(role), DEMO_USERNAMES[role])))
        if role == Role.TEACHER_LIBRARIAN:  # after the school's, the THPT school's logins
            rows += [(THPT_LABELS[r], _thpt_member(r)) for r in (Role.PRINCIPAL, Role.LIBRARIAN)]
    seen: set[int] = set()
    chosen = []
    for label, membership in rows:
        if membership is not None and membership.pk not in seen:
            seen.add(membership.pk)
            chosen.append((label, membership))
    return chosen


def demo_logins() -> list[Login]:
    """The rows of the logins table; empty on a database with no members."""
    demo_hashes: set[str] = set()  # every demo account has one hash: check each hash once
    logins = []
    for label, membership in _chosen():
        user = membership.user
        if user.password not in demo_hashes and check_password(DEMO_PASSWORD, user.password):
            demo_hashes.add(user.password)
        password = DEMO_PASSWORD if user.password in demo_hashes else CHANGED_PASSWORD
        logins.append(Login(label, user.username, password, membership.unit.name))
    return logins


def mail_destination() -> str:
    """Where the site's e-mail goes, from the settings."""
    backend = settings.EMAIL_BACKEND
    if backend == FILE_BACKEND:
        folder = Path(settings.EMAIL_FILE_PATH).resolve()
        return f"không gửi đi, ghi thành tệp .log trong thư mục {folder}/"
    words = MAIL_DESTINATIONS.get(backend, f"qua {backend}")
    return words.format(host=settings.EMAIL_HOST, port=settings.EMAIL_PORT)


def logins_text(logins: list[Login]) -> str:
    """The header (site, e-mail) and the table, one line each; the table's rows come last."""
    site = settings.SITE_URL.rstrip("/")
    header = ("Vai trò", "Tên đăng nhập", "Mật khẩu", "Đơn vị")
    rows = [header, *((x.label, x.username, x.password, x.unit) for x in logins)]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [
        f"ThuVien: {site}/ — mật khẩu của mọi tài khoản dùng thử: {DEMO_PASSWORD}",
        f"Thư điện tử: {mail_destination()} (liên kết trong thư: {site}/…)",
        "Tài khoản dùng thử, mỗi vai trò một tài khoản (README.md: mỗi vai trò nên thử gì):",
    ]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  " + "  ".join([*cells, row[3]]))
    return "\n".join(lines) + "\n"

"""The school itself and its people, for `core.school_export`: the unit (its details, who
supervised it when, its yearly figures) and everyone who held a role there, past and present."""

from __future__ import annotations

from django.utils.translation import gettext as _

from thuvien.core.school_export import SchoolExport, Sheet
from thuvien.organisations.models import Membership, Unit


def _yes(flag: bool) -> str:
    return _("yes") if flag else _("no")


def school_and_people(school: Unit, export: SchoolExport) -> None:
    details = [
        (_("Name"), school.name),
        (_("Ministry code"), school.code or ""),
        (_("Levels"), ", ".join(school.tier_labels)),
        (_("Address"), school.address),
        (_("Phone"), school.phone),
        (_("E-mail"), school.email),
        (_("Supervising unit"), school.parent.name if school.parent else ""),
        (_("Active"), _yes(school.is_active)),
    ]
    links = school.parent_links.select_related("parent").order_by("valid_from")
    stats = school.year_stats.order_by("year")
    export.add_workbook(
        "organisation/school.xlsx",
        [
            Sheet(_("School"), [_("Field"), _("Value")], details),
            Sheet(
                _("Supervision"),
                [_("Supervising unit"), _("From"), _("Until"), _("Reason")],
                [
                    (
                        link.parent.name if link.parent else "",
                        link.valid_from,
                        link.valid_to,
                        link.reason,
                    )
                    for link in links
                ],
            ),
            Sheet(
                _("School years"),
                [_("School year"), _("Students"), _("Teachers"), _("Classes")],
                [(row.school_year, row.students, row.teachers, row.classes) for row in stats],
            ),
        ],
        _("The school: its details, who supervised it and when, its students and teachers."),
    )
    memberships = (
        Membership.objects.filter(unit=school)
        .select_related("user")
        .order_by("user__full_name", "user__username", "valid_from", "pk")
    )
    export.add_workbook(
        "organisation/people.xlsx",
        [
            Sheet(
                _("People"),
                [
                    _("Full name"),
                    _("Username"),
                    _("E-mail"),
                    _("Phone"),
                    _("Library qualification"),
                    _("Role"),
                    _("Reader category"),
                    _("From"),
                    _("Until"),
                ],
                [
                    (
                        m.user.display_name,
                        m.user.username,
                        m.user.email,
                        m.user.phone,
                        m.user.get_qualification_display(),
                        m.get_role_display(),
                        m.get_reader_category_display(),
                        m.valid_from,
                        m.valid_to,
                    )
                    for m in memberships
                ],
            )
        ],
        _("Everyone who held a role at the school, past and present, with their roles and dates."),
    )

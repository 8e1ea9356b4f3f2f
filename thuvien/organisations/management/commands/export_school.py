"""`manage.py export_school SCHOOL OUT.zip`: one school's own data in open formats (XLSX, PDF and
the files its people uploaded), for a school leaving the province or moving to another
installation. Each app adds its part (see thuvien/core/school_export.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from thuvien.core.school_export import export_school
from thuvien.organisations.models import Unit


def find_school(key: str) -> Unit:
    """The school whose Ministry code or id is `key`; refused when the two name two schools."""
    by_id = Q(pk=int(key)) if key.isdigit() else Q(pk__in=[])
    found = list(Unit.objects.schools().filter(Q(code=key.strip()) | by_id).order_by("pk"))
    if not found:
        raise CommandError(
            _("No school has the Ministry code or id %(key)s (see the unit list).") % {"key": key}
        )
    if len(found) > 1:
        raise CommandError(
            _(
                "%(key)s is the Ministry code of one school and the id of another (%(schools)s): "
                "give the Ministry code of the one you mean, or its id with --id."
            )
            % {"key": key, "schools": "; ".join(f"{s.pk}: {s.name}" for s in found)}
        )
    return found[0]


class Command(BaseCommand):
    help = (
        "Write one school's data to a ZIP: the school and its people with their roles, its "
        "self-training records (with each record as PDF, the uploaded reports and attachments), "
        "its people's registrations, attendance, feedback and certificates; XLSX and PDF, with a "
        "README and a manifest of every file's size and SHA-256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school", help="The school's Ministry code, or its id.")
        parser.add_argument("out", type=Path, help="The ZIP to write.")
        parser.add_argument(
            "--id", action="store_true", help="Read SCHOOL as the school's id only."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The language of the sheets and the README (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        key = str(options["school"])
        if options["id"]:
            school = Unit.objects.schools().filter(pk=int(key)).first() if key.isdigit() else None
            if school is None:
                raise CommandError(_("No school has the id %(key)s.") % {"key": key})
        else:
            school = find_school(key)
        if out.exists():
            raise CommandError(_("%(out)s already exists; choose a new name.") % {"out": out})
        partial = out.with_name(out.name + ".partial")
        with translation.override(options["language"]), partial.open("wb") as stream:
            export = export_school(school, stream)
        partial.replace(out)
        for name in export.missing:
            self.stderr.write(
                _("Warning: %(name)s is missing from storage; it is listed in the README.")
                % {"name": name}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Exported %(school)s: %(files)d files in %(out)s (%(size).1f MB).")
                % {
                    "school": school.name,
                    "files": len(export.files) + 2,
                    "out": out,
                    "size": out.stat().st_size / 1e6,
                }
            )
        )

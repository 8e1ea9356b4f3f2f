"""Fill `Unit.governing_body` of the department and offices from what their documents printed
until now (read from their names), so no existing document changes. Schools keep it empty: their
governing body is their supervising unit on the day of issue. Partners keep it empty: the Sở they
were printed under is not their governing body. Reversible and idempotent."""

import re

from django.db import migrations

_LEVELS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "huyện", "quận", "phường", "tỉnh", "xã")
_LEVEL = re.compile(r"\b(" + "|".join(_LEVELS) + r")\s+(.+)$")
_DEPARTMENT = re.compile(r"Đào tạo\s+(?:tỉnh\s+|thành phố\s+)?(.+)$", re.IGNORECASE)


def _read(unit):
    found = _LEVEL.search(unit.name)
    if found:
        return f"UBND {found.group(1).lower()} {found.group(2).strip()}"
    if unit.kind == "department":
        province = _DEPARTMENT.search(unit.name)
        if province:
            return f"UBND tỉnh {province.group(1).strip()}"
    return ""


def fill(apps, schema_editor):
    Unit = apps.get_model("organisations", "Unit")
    for unit in Unit.objects.filter(kind__in=["department", "office"], governing_body=""):
        read = _read(unit)
        if read:
            Unit.objects.filter(pk=unit.pk).update(governing_body=read)


def empty(apps, schema_editor):
    Unit = apps.get_model("organisations", "Unit")
    for unit in Unit.objects.filter(kind__in=["department", "office"]).exclude(governing_body=""):
        if unit.governing_body == _read(unit):
            Unit.objects.filter(pk=unit.pk).update(governing_body="")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_signers_governing_body_and_symbol")]

    operations = [migrations.RunPython(fill, empty)]

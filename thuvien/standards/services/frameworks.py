"""Use cases of the standards frameworks: ship the frameworks the platform knows, import one from
a file, correct a criterion. Each writes a whole new version in one transaction, or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from thuvien.standards.framework_files import (
    CriterionData,
    FrameworkData,
    FrameworkFileError,
    checked_data,
    data_of,
    read_yaml,
)
from thuvien.standards.models import (
    Criterion,
    CriterionGroup,
    Framework,
    FrameworkVersion,
    Judgement,
    Level,
)

SHIPPED = Path(__file__).resolve().parents[1] / "frameworks"


class StandardsError(Exception):
    """A rule of the frameworks was broken; the message says what to fix."""


@transaction.atomic
def import_framework(data: FrameworkData, *, by: Any = None, note: str = "") -> FrameworkVersion:
    """The next version of the framework `data.code` (created if new), exactly as `data` says."""
    framework, _created = Framework.objects.select_for_update().get_or_create(
        code=data.code,
        defaults={"name": data.name, "title": data.title},
    )
    for name in ("name", "title", "issued_on", "effective_on", "historical"):
        setattr(framework, name, getattr(data, name))
    framework.save()
    last = framework.versions.aggregate(last=Max("number"))["last"] or 0
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=last + 1,
        created_by=_name_of(by),
        note=note,
        sources=data.sources,
    )
    levels = {
        level.code: Level.objects.create(
            version=version,
            code=level.code,
            name=level.name,
            name_en=level.name_en,
            order=order,
            rule=level.rule,
            verified=level.verified,
            source=level.source,
        )
        for order, level in enumerate(data.levels, start=1)
    }
    groups = {
        group.code: CriterionGroup.objects.create(
            version=version, code=group.code, name=group.name, name_en=group.name_en, order=order
        )
        for order, group in enumerate(data.groups, start=1)
    }
    Criterion.objects.bulk_create(
        _criterion(version, c, order, levels, groups)
        for order, c in enumerate(data.criteria, start=1)
    )
    return version


def _name_of(person: Any) -> str:
    if person is None:
        return ""
    return str(getattr(person, "full_name", "") or getattr(person, "username", "") or person)


def _criterion(
    version: FrameworkVersion,
    c: CriterionData,
    order: int,
    levels: dict[str, Level],
    groups: dict[str, CriterionGroup],
) -> Criterion:
    return Criterion(
        version=version,
        group=groups[c.group],
        level=levels[c.level] if c.level else None,
        code=c.code,
        order=order,
        article=c.article,
        tiers=c.tiers,
        name=c.name,
        name_en=c.name_en,
        judgement=c.judgement,
        metric=c.metric,
        operator=c.operator,
        threshold=c.threshold,
        per=c.per,
        unit_label=c.unit,
        verified=c.verified,
        source=c.source,
        note=c.note,
        note_en=c.note_en,
    )


def ship_frameworks() -> list[FrameworkVersion]:
    """Load each framework file shipped with the platform whose framework is not there yet (a
    framework already present keeps its versions: the department may have corrected it)."""
    created = []
    for path in sorted(SHIPPED.glob("*.yaml")):
        data = read_yaml(path.read_bytes())
        if not Framework.objects.filter(code=data.code).exists():
            with translation.override(settings.LANGUAGE_CODE):  # stored: the site's language
                note = _("Shipped with ThuVien from the reference data.")
            created.append(import_framework(data, note=note))
    return created


def ship_frameworks_after_migrate(**kwargs: Any) -> None:
    """`post_migrate`: every database, the test ones included, starts with the frameworks."""
    using = kwargs.get("using", "default")
    if using == "default":
        ship_frameworks()


@transaction.atomic
def correct_criterion(criterion: Criterion, *, by: Any, change: str, **changes: Any) -> Criterion:
    """The next version of the criterion's framework, with this criterion changed as `changes`
    says (`change`: what and why, the version's note); the version it was in stays as it was
    (assessments made with it keep it)."""
    version = criterion.version
    current = version.framework.versions.order_by("-number").first()
    if current is None or current.pk != version.pk:
        raise StandardsError(
            _("This criterion is from version %(old)d; correct it in the current version %(new)d.")
            % {"old": version.number, "new": current.number if current else 0}
        )
    data = data_of(version)
    rows = []
    for row in data.criteria:
        fields = row.__dict__.copy()
        if row.code == criterion.code:
            fields.update(changes)
            if fields.get("judgement") != Judgement.THRESHOLD:
                fields.update(operator="", threshold=None, per="")
        rows.append(fields)
    new_version = _next_version(data, rows, by=by, change=change)
    return new_version.criteria.get(code=changes.get("code", criterion.code))


@transaction.atomic
def add_criterion(version: FrameworkVersion, *, by: Any, change: str, **fields: Any) -> Criterion:
    """The next version of the framework with one more criterion (`fields`: its code, group,
    level, tiers, name, how it is judged…), checked like a file's: the department completes
    what the reference text did not give."""
    current = version.framework.versions.order_by("-number").first()
    if current is None or current.pk != version.pk:
        raise StandardsError(
            _("This criterion is from version %(old)d; correct it in the current version %(new)d.")
            % {"old": version.number, "new": current.number if current else 0}
        )
    data = data_of(version)
    row = {"article": "", "name_en": "", "unit": "", "source": "", "note": "", **fields}
    if row.get("judgement") != Judgement.THRESHOLD:
        row.update(operator="", threshold=None, per="")
    rows = [c.__dict__.copy() for c in data.criteria] + [row]
    new_version = _next_version(data, rows, by=by, change=change)
    return new_version.criteria.get(code=fields["code"])


def _next_version(
    data: FrameworkData, rows: list[dict[str, Any]], *, by: Any, change: str
) -> FrameworkVersion:
    """`data` with these criteria, checked whole, as the framework's next version."""
    framework = {
        "code": data.code,
        "name": data.name,
        "title": data.title,
        "issued_on": data.issued_on,
        "effective_on": data.effective_on,
        "historical": data.historical,
    }
    try:
        checked = checked_data(
            framework,
            data.sources,
            [level.__dict__ for level in data.levels],
            [group.__dict__ for group in data.groups],
            rows,
        )
    except FrameworkFileError as error:
        raise StandardsError(" ".join(error.problems)) from error
    return import_framework(checked, by=by, note=change)

"""The list of session themes: the six of the 2018 programme ship as data, the department adds,
renames, retires and orders its own. A retired theme stays on the sessions that use it but is no
longer offered for new ones.

Access is the caller's business (department roles with MANAGE_EVENTS).
"""

from __future__ import annotations

from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from thuvien.core.folding import fold
from thuvien.events.models import Theme
from thuvien.events.services.common import EventError

MAX_NAME = Theme._meta.get_field("name").max_length or 255


def _lock_all() -> list[Theme]:
    """Lock every theme (a short list) so that two editors take turns; in display order."""
    return list(Theme.objects.select_for_update().order_by("order", "name", "pk"))


def _clean_name(name: str, *, others: list[Theme]) -> str:
    name = " ".join(name.split())
    if not name:
        raise EventError(_("Give the theme a name."))
    if len(name) > MAX_NAME:
        raise EventError(_("A theme name has at most %(count)d characters.") % {"count": MAX_NAME})
    folded = fold(name)
    same = next((theme for theme in others if fold(theme.name) == folded), None)
    if same is not None:
        raise EventError(
            _("The theme “%(name)s” exists already (letter case and accents aside).")
            % {"name": same.name}
        )
    return name


def _save(theme: Theme, fields: list[str] | None = None) -> Theme:
    try:
        with transaction.atomic():
            theme.save(update_fields=fields)
    except IntegrityError as error:  # another editor saved the same name meanwhile
        raise EventError(_("A theme with this name exists already.")) from error
    return theme


@transaction.atomic
def add_theme(name: str) -> Theme:
    """A new theme, in use, at the end of the list."""
    others = _lock_all()
    theme = Theme(name=_clean_name(name, others=others))
    last = Theme.objects.aggregate(last=Max("order"))["last"]
    theme.order = 0 if last is None else last + 1
    return _save(theme)


@transaction.atomic
def rename_theme(theme: Theme, name: str) -> Theme:
    """Rename a theme; the sessions that use it show the new name."""
    others = [row for row in _lock_all() if row.pk != theme.pk]
    theme.name = _clean_name(name, others=others)
    return _save(theme, ["name"])


@transaction.atomic
def set_theme_active(theme: Theme, active: bool) -> Theme:
    """Retire a theme (no longer offered for new sessions) or bring it back into use."""
    _lock_all()
    theme.refresh_from_db()
    if theme.active == active:
        raise EventError(
            _("This theme is in use already.") if active else _("This theme is retired already.")
        )
    theme.active = active
    return _save(theme, ["active"])


@transaction.atomic
def move_theme(theme: Theme, direction: Literal["up", "down"]) -> Theme:
    """Swap the theme with its neighbour above or below; the list is numbered 0, 1, 2… again."""
    themes = _lock_all()
    index = next(i for i, row in enumerate(themes) if row.pk == theme.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(themes):
        first, last = _("This theme is first already."), _("This theme is last already.")
        raise EventError(first if direction == "up" else last)
    themes[index], themes[other] = themes[other], themes[index]
    for order, row in enumerate(themes):
        row.order = order
    Theme.objects.bulk_update(themes, ["order"])
    theme.order = other
    return theme

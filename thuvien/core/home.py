"""The home page, assembled from what each app puts on it.

Domain-free: the home view asks `page_for(request)`; each app registers a provider in its
`AppConfig.ready()` (`home.register(provider, order=…)`), as it does with `core.history`. A provider
gets the request (the scope is `access.scope_for(request)`, resolved once per request) and returns
the sections it has for this person, none when it has nothing: each a template and its context,
shown in one area of the page. Providers run in `order`, then in the order they registered.

The rule every provider keeps: a fixed number of queries, whatever the size of the scope (count
with one aggregate, never once per unit). So the page stays as fast at 43,000 schools as at one,
and a per-role list of things to do can be built from the same providers: sections of the
`TODO` area, shown first, each a `TodoGroup` of `Todo` lines linking to where the step is done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.http import HttpRequest


class Area(StrEnum):
    TODO = "todo"  # first: the person's next steps, each line a link to where the step is done
    LEAD = "lead"  # above the cards: what the person should see first (the figures at a glance)
    CARDS = "cards"  # the grid of cards, each opening a part of the platform


@dataclass(frozen=True)
class Section:
    """One block of the home page: `template` rendered with the page's context plus `context`."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    area: Area = Area.CARDS


@dataclass(frozen=True)
class Todo:
    """One line of the to-do list: what to do (`text`), where it is done (`url`), and a detail
    (counts, a state) and the date it is due by, when there is one."""

    text: str
    url: str
    detail: str = ""
    due: dt.date | None = None


@dataclass(frozen=True)
class TodoGroup:
    """A heading of the to-do list and its lines (`core/home/todo_group.html` shows one)."""

    title: str
    lines: list[Todo]


Provider = Callable[[HttpRequest], Iterable[Section]]


@dataclass(frozen=True)
class _Entry:
    order: int
    provider: Provider


_PROVIDERS: list[_Entry] = []


def register(provider: Provider, *, order: int) -> None:
    """Add `provider` to the home page (once: `ready()` may run twice in tests)."""
    if all(entry.provider is not provider for entry in _PROVIDERS):
        _PROVIDERS.append(_Entry(order, provider))


@dataclass(frozen=True)
class HomePage:
    lead: list[Section]
    cards: list[Section]
    todo: list[Section] = field(default_factory=list)


def page_for(request: HttpRequest) -> HomePage:
    """Every provider's sections for this request, by area, in order."""
    sections = [
        section
        for entry in sorted(_PROVIDERS, key=lambda entry: entry.order)
        for section in entry.provider(request)
    ]
    return HomePage(
        lead=[section for section in sections if section.area == Area.LEAD],
        cards=[section for section in sections if section.area == Area.CARDS],
        todo=[section for section in sections if section.area == Area.TODO],
    )

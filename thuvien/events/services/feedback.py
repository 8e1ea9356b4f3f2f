"""The participants' survey: one answer per person (which they may update), a rating of 1 to 5
for each session they attended, free comments and "what will you change in your library"; the
organiser picks answers to quote on the event page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thuvien.core.form_help import COMMENT_MAX_CHARS, too_long
from thuvien.events.models import (
    EventSession,
    EventStatus,
    Feedback,
    Registration,
    RegistrationStatus,
    SessionRating,
)
from thuvien.events.services.common import EventError, audit

RATINGS = range(1, 6)


def attended_sessions(registration: Registration) -> list[EventSession]:
    """The sessions the person checked in at, in programme order: the ones they may rate."""
    return list(
        EventSession.objects.filter(checkins__registration=registration)
        .select_related("theme")
        .order_by("starts_at", "order", "pk")
    )


def may_answer(registration: Registration) -> bool:
    return (
        registration.status == RegistrationStatus.REGISTERED
        and registration.event.status != EventStatus.CANCELLED
        and registration.checkins.exists()
    )


@transaction.atomic
def submit_feedback(
    registration: Registration,
    *,
    ratings: Mapping[int, int | None],
    comments: str = "",
    change_plan: str = "",
) -> Feedback:
    """Save (or update) the person's one answer; `ratings` maps session ids to 1–5 or None."""
    Registration.objects.select_for_update().filter(pk=registration.pk).exists()
    registration.refresh_from_db()
    if not may_answer(registration):
        raise EventError(_("Only people who attended the event can answer its survey."))
    attended = {session.pk: session for session in attended_sessions(registration)}
    chosen: dict[int, int] = {}
    for session_id, rating in ratings.items():
        if rating is None:
            continue
        if session_id not in attended:
            raise EventError(_("You can rate only the sessions you attended."))
        if rating not in RATINGS:
            raise EventError(_("A rating is a whole number from 1 to 5."))
        chosen[session_id] = rating
    if not (chosen or comments.strip() or change_plan.strip()):
        raise EventError(_("Rate at least one session or write a comment."))
    for text, what in ((comments, _("Your comments")), (change_plan, _("Your answer"))):
        if message := too_long(COMMENT_MAX_CHARS, len(text.strip()), what):
            raise EventError(message)
    feedback, _created = Feedback.objects.update_or_create(
        registration=registration,
        defaults={"comments": comments.strip(), "change_plan": change_plan.strip()},
    )
    feedback.ratings.exclude(session_id__in=chosen).delete()
    for session_id, rating in chosen.items():
        SessionRating.objects.update_or_create(
            feedback=feedback, session_id=session_id, defaults={"rating": rating}
        )
    return feedback


@transaction.atomic
def show_quote(feedback: Feedback, shown: bool, *, by: Any) -> Feedback:
    """Show (or hide) the answer as a quote on the event page."""
    if shown and not (feedback.comments.strip() or feedback.change_plan.strip()):
        raise EventError(_("This answer has no words to quote."))
    feedback.quote_shown = shown
    audit(feedback, by)
    feedback.save(update_fields=["quote_shown"])
    return feedback

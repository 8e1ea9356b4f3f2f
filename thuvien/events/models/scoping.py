"""The rules the events models declare their policies with (see `thuvien.access.rules`).

- The organiser and the co-organisers (and the units above them) see their events, drafts too:
  `ORGANISED`, which is also the rule for managing an event.
- Once out of draft, an event is seen by the supervisors of its audience (the subtree it targets),
  by the units inside it whose school tiers it targets, and by any school one of whose people
  holds a registration (a nominated person outside the tiers): `Event.policy`.
- A participant's rows (registration, check-ins, survey answer and ratings) name a person: they
  are seen by the supervisors of the participant's school (its principal, the office, the Sở), by
  the event's organisers, by the participant, and by the other participants of the same event —
  `participants_seen`. Seeing the event does not show who took part in it.
- What an event leaves (materials, photos) is for its organisers and participants; its photo
  gallery is public when the organiser says so (`GALLERY`).
"""

from __future__ import annotations

import secrets

from thuvien.access import (
    Action,
    Holds,
    OwnedBy,
    Person,
    Public,
    Rule,
    Supervising,
    Through,
    Via,
    Where,
)

# The event (the row the rule is applied to) is organised or co-organised inside the scope.
ORGANISED = OwnedBy("organiser") | Through("co_organisers", OwnedBy(""))

# The person holds a seat at the event (registered: not invited, waiting or cancelled).
PARTICIPATING = Through("registrations", Person("user") & Where(status="registered"))

# The photo gallery of the event: its organisers and participants; everyone, anonymous visitors
# included, once the organiser made the photos public (public by design: `Event.photos_public`).
GALLERY = ORGANISED | PARTICIPATING | Public("photos_public")


def participants_seen(event: str, person: str) -> Rule:
    """Who sees a participant's row: `event` leads to the event, `person` to the participant.

    The supervisors of the participant's school (its principal, who nominates its staff; the
    office above it; the Sở); the event's organisers; the participant; the other participants of
    the same event. A colleague who did not take part does not see who did."""
    return (
        (OwnedBy("school") & (Supervising() | Holds(Action.NOMINATE_ATTENDEES)))
        | Via(event, ORGANISED)
        | Person(person)
        | Via(event, PARTICIPATING)
    )


def new_code() -> str:
    """An unguessable code for QR links (check-in posters, certificates)."""
    return secrets.token_urlsafe(12)

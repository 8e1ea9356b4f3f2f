"""In-person training events run by partner organisations or the department (the model case: the
library of Tôn Đức Thắng University training the THPT librarians of Khánh Hòa, 10/11/2018).

An `Event` is organised by a partner unit or the department (with co-organisers), under a
cooperation `Agreement` when there is one; it has `EventSession`s (talks, discussions, site visits),
an audience (role × school tier × subtree, like a campaign, plus nominated people), and per person
a `Registration` (invited → registered / waiting / cancelled) owned by the person's school.
Attendance is a `CheckIn` per session; `Feedback` with a `SessionRating` per session; `Photo`s and
`EventMaterial`s belong to the event. The certificate is the registration's `certificate_code`.

- `events`: `Theme`, `Agreement`, `Event`, `EventSession`.
- `people`: `Registration`, `CheckIn`, `Feedback`, `SessionRating`.
- `media`: `EventMaterial`, `Photo`.
- `scoping`: the rules the policies are declared with: who sees an event (drafts only its
  organisers; then the audience by subtree and school tier, and the schools of registered
  people), who sees its participants (their school and its supervisors, the organisers, the
  participants of the same event), who sees its photos (`EventGallery`: public when chosen).
"""

from thuvien.events.models.events import (
    EVENT_TRANSITIONS,
    Agreement,
    AgreementQuerySet,
    Event,
    EventGallery,
    EventQuerySet,
    EventSession,
    EventStatus,
    Theme,
)
from thuvien.events.models.media import EventMaterial, EventRowQuerySet, Photo
from thuvien.events.models.people import (
    CheckIn,
    CheckInMethod,
    CheckInQuerySet,
    Feedback,
    FeedbackQuerySet,
    Registration,
    RegistrationQuerySet,
    RegistrationStatus,
    SessionRating,
)
from thuvien.events.models.scoping import new_code

__all__ = [
    "EVENT_TRANSITIONS",
    "Agreement",
    "AgreementQuerySet",
    "CheckIn",
    "CheckInMethod",
    "CheckInQuerySet",
    "Event",
    "EventGallery",
    "EventMaterial",
    "EventQuerySet",
    "EventRowQuerySet",
    "EventSession",
    "EventStatus",
    "Feedback",
    "FeedbackQuerySet",
    "Photo",
    "Registration",
    "RegistrationQuerySet",
    "RegistrationStatus",
    "SessionRating",
    "Theme",
    "new_code",
]

"""The rule every events model declares its visibility with (see `thuvien.access.rules`).

- The organiser and the co-organisers (and the units above them) see their events, drafts too:
  `ORGANISED`, which is also the rule for managing an event.
- Once out of draft, an event is seen by the supervisors of its audience (the subtree it targets),
  by the units inside it whose school tiers it targets, and by any school one of whose people
  holds a registration (a nominated person outside the tiers): `Event.policy`.
- A person's rows (registration, check-ins, feedback) are seen by the person's school's scope and by
  the event's organisers.
"""

from __future__ import annotations

import secrets

from thuvien.access import OwnedBy, Through

# The event (the row the rule is applied to) is organised or co-organised inside the scope.
ORGANISED = OwnedBy("organiser") | Through("co_organisers", OwnedBy(""))


def new_code() -> str:
    """An unguessable code for QR links (check-in posters, certificates)."""
    return secrets.token_urlsafe(12)

"""Use cases of training events, one module a part of the work: `organising` (events, sessions,
agreements, audience and invitations), `registrations` (register, nominate, wait, cancel),
`attendance` (check-ins, materials), `certificates`, `photos`, `feedback`.

As in every app: one typed, atomic function per change, raising `EventError` with a message a person
can act on; access is the caller's business.
"""

from thuvien.events.services.common import EventError

__all__ = ["EventError"]

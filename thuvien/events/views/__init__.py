"""Screens of training events, one module a part: `organise` (event, sessions, agreements,
audience, invitations, registration), `attendance` (check-in, materials), `certificates`,
`gallery`, `feedback`, `reports`."""

"""Screens of training events, one module a part: `organise` (event, sessions, audience,
invitations, registration), `agreements`, `attendance` (check-in, materials), `certificates`,
`gallery`, `feedback`, `reports`."""

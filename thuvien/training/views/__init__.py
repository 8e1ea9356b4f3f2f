"""Screens of the self-training campaigns: `campaigns` (the Sở's and offices' side) and `records`
(the person's own record and the principal's school page)."""

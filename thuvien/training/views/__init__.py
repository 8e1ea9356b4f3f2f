"""Screens of the self-training campaigns, one module a side of the workflow: `campaigns` (issuing),
`records` (the person's own record), `school` (the principal), `office` (the office's review and
aggregate report), `province` (the department's dashboard) and `files` (scoped downloads)."""

"""The catalogue's use cases, one public function each:

- `records`       new records (form, copy cataloguing), keys and terms, duplicates, audited
                  edits, merges, call numbers
- `copies`        collections and numbering, adding N copies (one action), editing a copy
- `acquisitions`  acquisition batches, withdrawals (proposed → approved by the principal)

Every function raises `CatalogueError` with a Vietnamese message saying what to fix.
"""

from thuvien.catalogue.services.errors import CatalogueError

__all__ = ["CatalogueError"]

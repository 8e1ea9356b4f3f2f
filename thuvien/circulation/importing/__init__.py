"""The import of a school's readers (students, teachers, staff) from a spreadsheet (XLSX or CSV)
read through a column mapping, checked row by row (the dry run), then applied all or nothing —
or only its valid rows when the librarian chooses so — by the task worker.

Schools get their lists from the school-management systems (vnEdu, SMAS, CSDL ngành): a title
block above the headers, "Mã học sinh" or "Mã định danh", a name in one column or split in two
("Họ và tên đệm", "Tên"), dates as Excel dates or dd/mm/yyyy text. Each header is mapped to one
of our fields (`FIELDS`, guessed from the usual headers and saved with the batch); a code the
school already has updates that reader (active again), any other adds one.

- `columns`  our fields, the reader types' words, the mapping (guessed, checked, the form).
- `rows`     reading the file and its header row, checking every row.
- `apply`    applying a confirmed batch (in the task worker), in bulk.
- `files`    the template.
"""

from thuvien.circulation.importing.apply import apply_readers
from thuvien.circulation.importing.columns import (
    FIELD_KEYS,
    FIELD_LABELS,
    FIELDS,
    MappingForm,
    check_mapping,
    guess_mapping,
)
from thuvien.circulation.importing.files import template_bytes
from thuvien.circulation.importing.rows import (
    ReaderRow,
    merged_cells_on,
    preview_readers,
    read_sheet,
)

__all__ = [
    "FIELDS",
    "FIELD_KEYS",
    "FIELD_LABELS",
    "MappingForm",
    "ReaderRow",
    "apply_readers",
    "check_mapping",
    "guess_mapping",
    "merged_cells_on",
    "preview_readers",
    "read_sheet",
    "template_bytes",
]

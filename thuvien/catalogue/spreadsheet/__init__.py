"""The catalogue spreadsheet: a school's list of books (XLSX or CSV) read through a column
mapping into `RecordData` + `HoldingData`, checked row by row (the dry run), then applied all or
nothing — or only its valid rows when the librarian chooses so; the template; the school's
catalogue as a workbook that imports back.

Most schools keep their collection in Excel or in an OpenBiblio/VietBiblio export: the first row
holds headers of every kind ("Nhan đề", "Tên sách", "NXB", "Số ĐKCB"…). Each header is mapped to
one of our fields (`FIELDS`, guessed from the usual headers and saved with the batch), and every
row becomes a record (new, or matched with one the province already has: copy cataloguing) and
its copies. A registration number given in the file is kept; otherwise the school's numbering
gives one to each copy.

- `columns`  our fields (`FIELDS`): the template's headers, those of other lists, coded words.
- `rows`     reading the file, guessing and checking the mapping, checking every row.
- `apply`    applying a confirmed batch (in the task worker).
- `files`    the template and the school's catalogue as XLSX.
"""

from thuvien.catalogue.spreadsheet.apply import apply_sheet
from thuvien.catalogue.spreadsheet.columns import FIELD_KEYS, FIELD_LABELS, FIELDS
from thuvien.catalogue.spreadsheet.files import export_bytes, export_rows, template_bytes
from thuvien.catalogue.spreadsheet.rows import (
    SheetRow,
    check_mapping,
    guess_mapping,
    merged_header_cells,
    preview_sheet,
    read_sheet,
)

__all__ = [
    "FIELDS",
    "FIELD_KEYS",
    "FIELD_LABELS",
    "SheetRow",
    "apply_sheet",
    "check_mapping",
    "export_bytes",
    "export_rows",
    "guess_mapping",
    "merged_header_cells",
    "preview_sheet",
    "read_sheet",
    "template_bytes",
]

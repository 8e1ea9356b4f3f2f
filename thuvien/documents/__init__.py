"""Official documents (PDF and DOCX) in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I.

Domain-free: features describe a document with the dataclasses of `model` and call `render_pdf` or
`render_docx`; `official_filename` names the file.
"""

from .docx import render_docx
from .model import (
    Appendix,
    Authority,
    Block,
    BulletList,
    CongVan,
    DocumentType,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from .pdf import render_pdf
from .text import official_filename

__all__ = [
    "Appendix",
    "Authority",
    "Block",
    "BulletList",
    "CongVan",
    "DocumentType",
    "Heading",
    "OfficialDocument",
    "Paragraph",
    "Signature",
    "Table",
    "official_filename",
    "render_docx",
    "render_pdf",
]

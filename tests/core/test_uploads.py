"""Uploads are told by content: real PDF, DOCX and image bytes pass; renamed or broken ones fail."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from docx import Document
from PIL import Image

from thuvien.core import uploads
from thuvien.documents import CongVan, OfficialDocument, Paragraph, Signature, render_pdf


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _docx() -> bytes:
    document = Document()
    document.add_paragraph("Bài thu hoạch")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    document = OfficialDocument(
        issuing_agency="TRƯỜNG THCS AN HỘI",
        symbol="THCS-TV",
        place="Bến Tre",
        issued_on=dt.date(2026, 4, 1),
        kind=CongVan("Thử tệp"),
        signature=Signature("HIỆU TRƯỞNG", "Nguyễn Văn A"),
        body=[Paragraph("Nội dung")],
    )
    return render_pdf(document)


def _upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("make", "kind"),
    [(_docx, uploads.DOCX), (_png, uploads.PNG)],
)
def test_real_files_are_recognised_whatever_their_name(make, kind):
    assert (
        uploads.check_upload(
            _upload(make(), "ten-sai.txt"),
            kinds=uploads.DOCUMENTS | uploads.IMAGES,
            max_bytes=10**7,
        )
        == kind
    )


def test_a_real_pdf_passes():
    assert (
        uploads.check_upload(_upload(_pdf(), "bai.pdf"), kinds=uploads.DOCUMENTS, max_bytes=10**7)
        == uploads.PDF
    )


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 not really a pdf",
        b"PK\x03\x04 broken zip",
        b"just text renamed .docx",
    ],
)
def test_broken_or_renamed_files_are_refused(data):
    with pytest.raises(uploads.UploadError, match="PDF / Word"):
        uploads.check_upload(_upload(data, "bai.docx"), kinds=uploads.DOCUMENTS, max_bytes=10**7)


def test_a_png_renamed_docx_is_refused_where_only_documents_are_accepted():
    with pytest.raises(uploads.UploadError):
        uploads.check_upload(_upload(_png(), "bai.docx"), kinds=uploads.DOCUMENTS, max_bytes=10**7)


def test_a_zip_without_the_word_part_is_not_a_docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("readme.txt", "x")
    with pytest.raises(uploads.UploadError):
        uploads.check_upload(
            _upload(out.getvalue(), "bai.docx"), kinds=uploads.DOCUMENTS, max_bytes=10**7
        )


def test_size_limit_and_empty_file():
    with pytest.raises(uploads.UploadError, match="limit"):
        uploads.check_upload(_upload(_docx(), "bai.docx"), kinds=uploads.DOCUMENTS, max_bytes=100)
    with pytest.raises(uploads.UploadError, match="empty"):
        uploads.check_upload(_upload(b"", "bai.docx"), kinds=uploads.DOCUMENTS, max_bytes=100)


def test_safe_filename_takes_the_real_kind_and_drops_folders():
    assert uploads.safe_filename("C:\\Users\\a\\Bài thu hoạch.pdf", uploads.DOCX) == (
        "Bài thu hoạch.docx"
    )

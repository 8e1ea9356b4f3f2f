"""Digital resources: a school attaches a PDF, an EPUB or an audio file (told by its content)
or a video/audio link to a record, after confirming the copyright (TT 16); the school alone, or
everyone, sees it as the school chose; downloads go through the policy."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from thuvien.catalogue.models import DigitalResource, Record
from thuvien.catalogue.services import CatalogueError, resources


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def epub_bytes(*, mimetype_first: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        entries = [
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", "<container/>"),
            ("OEBPS/a.xhtml", "<html/>"),
        ]
        for name, content in entries if mimetype_first else reversed(entries):
            package.writestr(name, content, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def textbook() -> Record:
    return Record.objects.get(title="Tiếng Việt 1")


def page_url(record: Record) -> str:
    return reverse("catalogue:record_resources", args=[record.pk])


def add_url(record: Record) -> str:
    return reverse("catalogue:resource_add", args=[record.pk])


def file_url(resource: DigitalResource) -> str:
    return reverse("catalogue:resource_file", args=[resource.pk])


def remove_url(resource: DigitalResource) -> str:
    return reverse("catalogue:resource_remove", args=[resource.pk])


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def post(client, record: Record, **fields):
    data = {"kind": "pdf", "visibility": "school", "rights_confirmed": "on", **fields}
    return client.post(add_url(record), data)


def added(world, **fields) -> DigitalResource:
    values = {"school": world.school, "by": world.librarian, "kind": "pdf",
              "visibility": "school", "rights_confirmed": True,
              "upload": upload("Bài đọc.pdf", pdf_bytes()), **fields}  # fmt: skip
    return resources.add_resource(textbook(), **values)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_librarian_uploads_a_pdf_and_downloads_it(world, client_for):
    client = client_for(world.librarian)
    response = post(client, textbook(), file=upload("Bài đọc thêm.pdf", pdf_bytes()))
    assert response.status_code == 302 and response.url == page_url(textbook())
    resource = DigitalResource.objects.get(file_name="Bài đọc thêm.pdf")
    assert (resource.school_id, resource.kind, resource.added_by_id) == (
        world.school.pk, "pdf", world.librarian.pk,
    )  # fmt: skip
    assert resource.file.name.endswith(".pdf") and "Bài" not in resource.file.name
    download = client.get(file_url(resource))
    assert download.status_code == 200 and body(download) == pdf_bytes()
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    page = client.get(page_url(textbook()))
    assert file_url(resource) in page.content.decode()


@pytest.mark.parametrize(
    ("kind", "name", "content", "stored"),
    [("epub", "Truyện.epub", epub_bytes(), ".epub"), ("audio", "Bài hát.mp3", MP3, ".mp3"),
     ("audio", "Đọc truyện.ogg", b"OggS\x00\x02" + b"\x00" * 100, ".ogg")],
)  # fmt: skip
def test_epub_and_audio_files_are_told_by_their_content(
    world, client_for, kind, name, content, stored
):
    response = post(client_for(world.librarian), textbook(), kind=kind, file=upload(name, content))
    assert response.status_code == 302
    assert DigitalResource.objects.get(kind=kind).file.name.endswith(stored)


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [("pdf", "anh.pdf", PNG), ("pdf", "hong.pdf", b"%PDF-1.4 not really"),
     ("epub", "sach.epub", epub_bytes(mimetype_first=False)),
     ("epub", "bang.epub", b"PK\x03\x04xx"),
     ("audio", "bai.mp3", b"This is a text file, not a song."), ("audio", "so.mp3", pdf_bytes()),
     ("pdf", "rong.pdf", b"")],
)  # fmt: skip
def test_a_file_that_is_not_its_kind_is_refused(world, client_for, kind, name, content):
    before = DigitalResource.objects.count()
    response = post(client_for(world.librarian), textbook(), kind=kind, file=upload(name, content))
    assert response.status_code == 422
    assert DigitalResource.objects.count() == before
    assert response.context["form"].errors  # the empty file: Django's own field error


def test_the_copyright_confirmation_is_required(world, client_for):
    before = DigitalResource.objects.count()
    response = post(
        client_for(world.librarian), textbook(), rights_confirmed="",
        file=upload("sach.pdf", pdf_bytes()),
    )  # fmt: skip
    assert response.status_code == 422
    assert DigitalResource.objects.count() == before
    with pytest.raises(CatalogueError, match="16"):
        added(world, rights_confirmed=False)


def test_a_video_link_is_added_for_everyone(world, client_for):
    url = "https://www.youtube.com/watch?v=abc123"
    response = post(client_for(world.librarian), textbook(), kind="video", url=url,
                    visibility="everyone")  # fmt: skip
    assert response.status_code == 302
    resource = DigitalResource.objects.get(url=url)
    assert (resource.kind, resource.visibility, resource.file.name) == ("video", "everyone", "")


@pytest.mark.parametrize(
    "fields",
    [{"kind": "pdf", "url": "https://example.org/a.pdf"},
     {"kind": "video", "url": "javascript:alert(1)"}, {"kind": "link", "url": "example.org"},
     {"kind": "video", "url": "https://example.org/v", "file": "pdf"}, {"kind": "video"},
     {"kind": "video", "file": "pdf"}, {"kind": "film", "url": "https://example.org/v"},
     {"visibility": "province", "kind": "link", "url": "https://example.org/v"}],
)  # fmt: skip
def test_a_wrong_link_or_file_combination_is_refused(world, client_for, fields):
    if fields.get("file") == "pdf":
        fields["file"] = upload("sach.pdf", pdf_bytes())
    before = DigitalResource.objects.count()
    assert post(client_for(world.librarian), textbook(), **fields).status_code == 422
    assert DigitalResource.objects.count() == before


def test_each_sees_the_schools_own_and_the_shared_resources(world, client_for):
    mine = added(world)
    shared = added(world, kind="link", upload=None, url="https://example.org/chung",
                   visibility="everyone")  # fmt: skip
    link = DigitalResource.objects.get(url__contains="hanhtrangso")  # the world's, school-only
    librarian = client_for(world.librarian).get(page_url(textbook()))
    assert {r.pk for r in librarian.context["resources"]} == {mine.pk, shared.pk, link.pk}
    assert librarian.context["removable"] == {mine.pk, shared.pk, link.pk}
    outsider = client_for(world.outsider).get(page_url(textbook()))
    assert [r.pk for r in outsider.context["resources"]] == [shared.pk]
    assert outsider.context["removable"] == set()
    assert "hanhtrangso" not in outsider.content.decode()


def test_the_outsider_gets_404_on_a_school_file_and_403_on_removing_a_shared_one(world, client_for):
    mine = added(world)
    shared = added(world, visibility="everyone", upload=upload("chung.pdf", pdf_bytes()))
    outsider = client_for(world.outsider)
    assert outsider.get(file_url(mine)).status_code == 404
    assert outsider.post(remove_url(mine)).status_code == 404
    assert outsider.get(file_url(shared)).status_code == 200
    assert outsider.post(remove_url(shared)).status_code == 403
    assert DigitalResource.objects.filter(pk__in=[mine.pk, shared.pk]).count() == 2


def test_the_librarian_removes_a_resource_and_its_file(world, client_for):
    resource = added(world)
    storage, name = resource.file.storage, resource.file.name
    assert storage.exists(name)
    assert client_for(world.principal).post(remove_url(resource)).status_code == 403
    response = client_for(world.librarian).post(remove_url(resource))
    assert response.status_code == 302 and response.url == page_url(textbook())
    assert not DigitalResource.objects.filter(pk=resource.pk).exists()
    assert not storage.exists(name)


def test_a_missing_file_is_404(world, client_for):
    resource = added(world)
    resource.file.storage.delete(resource.file.name)
    assert client_for(world.librarian).get(file_url(resource)).status_code == 404


def test_the_department_and_the_principal_cannot_add(world, client_for):
    before = DigitalResource.objects.count()
    for user, status in ((world.dept_admin, 403), (world.principal, 403)):
        response = post(client_for(user), textbook(), file=upload("sach.pdf", pdf_bytes()))
        assert response.status_code == status
    assert DigitalResource.objects.count() == before
    assert client_for(world.principal).get(page_url(textbook())).context["form"] is None


def test_a_merged_record_takes_no_resource(world):
    from django.utils import timezone

    Record.objects.filter(pk=textbook().pk).update(deleted_at=timezone.now())
    with pytest.raises(CatalogueError):
        added(world)


def test_anonymous_goes_to_login_and_wrong_methods_get_405(world, client, client_for):
    resource = added(world)
    for url in (page_url(textbook()), file_url(resource)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    librarian = client_for(world.librarian)
    assert librarian.get(add_url(textbook())).status_code == 405
    assert librarian.get(remove_url(resource)).status_code == 405
    assert librarian.post(file_url(resource)).status_code == 405
    assert client_for(world.reader).get(page_url(textbook())).status_code == 403

"""Searching an external SRU target and copying a record from it: against a real SRU server
(our own /sru, served by the live server the test starts). A record already in the catalogue
is matched, not made again; a new one is made, and the librarian adds its copies."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from thuvien.catalogue.models import Copy, Record, SruTarget
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import records
from thuvien.organisations import services as units
from thuvien.organisations.models import UnitKind

SEARCH = reverse("catalogue:external_search")
IMPORT = reverse("catalogue:external_import")
TITLE = "Đường về nhà"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def remote(live_server, world) -> SruTarget:
    """The target answers from the same database: its record is also ours until taken out."""
    records.create_record(
        RecordData(title=TITLE, subtitle="tập thơ", author="Trần Đăng Khoa", publisher="Kim Đồng",
                   place="Hà Nội", year=2019, isbns=[("978-0-306-40615-7", "")]),
        school=world.thpt, by=world.thpt_librarian,
    )  # fmt: skip
    return SruTarget.objects.create(
        department=world.department, name="Thư viện tỉnh bạn", url=f"{live_server.url}/sru"
    )


@pytest.fixture
def elsewhere(remote, world) -> Iterator[SruTarget]:
    """Another province's catalogue: a local server answering what our /sru answered for the
    record, which is then taken out of our catalogue (one database plays both provinces)."""
    answer = requests.get(
        remote.url,
        params={"operation": "searchRetrieve", "version": "2.0", "query": 'isbn = "0306406152"',
                "recordSchema": "marcxml"},
        timeout=20,
    ).content  # fmt: skip
    assert TITLE.encode() in answer
    Record.objects.filter(title=TITLE).update(deleted_at=timezone.now())

    class Recorded(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/sru+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SruTarget.objects.create(
        department=world.department, name="Thư viện tỉnh khác",
        url=f"http://127.0.0.1:{server.server_address[1]}/sru",
    )  # fmt: skip
    server.shutdown()
    server.server_close()
    thread.join()


def query(target: SruTarget, **extra) -> dict:
    return {"target": target.pk, "index": "title", "q": "duong ve nha", **extra}


def test_a_found_record_already_in_the_catalogue_is_matched_not_made_again(
    remote, world, client_for
):
    ours = Record.objects.get(title=TITLE)
    client = client_for(world.librarian)
    page = client.get(SEARCH, query(remote))
    assert page.status_code == 200
    [(position, data, match)] = page.context["rows"]
    assert (position, data.title, data.author, match) == (1, TITLE, "Trần Đăng Khoa", ours)
    assert reverse("catalogue:record_detail", args=[ours.pk]) in page.content.decode()
    response = client.post(IMPORT, query(remote, position=1))
    assert response.status_code == 302
    assert response.url == reverse("catalogue:record_detail", args=[ours.pk])
    assert Record.objects.filter(title=TITLE).count() == 1


def test_a_new_record_is_copied_in_and_gets_the_schools_copies(elsewhere, world, client_for):
    remote = elsewhere
    client = client_for(world.librarian)
    page = client.get(SEARCH, query(remote, index="isbn", q="0-306-40615-2"))
    [(_position, data, match)] = page.context["rows"]
    assert match is None and data.title == TITLE
    response = client.post(IMPORT, query(remote, index="isbn", q="0-306-40615-2", position=1))
    assert response.status_code == 302
    made = Record.objects.live().get(title=TITLE)
    assert response.url == reverse("catalogue:record_detail", args=[made.pk])
    assert (made.author, made.year, made.catalogued_by_id) == (
        "Trần Đăng Khoa",
        2019,
        world.school.pk,
    )
    assert list(made.isbns.values_list("isbn13", flat=True)) == ["9780306406157"]
    added = client.post(reverse("catalogue:copies_add", args=[made.pk]), {"count": 2})
    assert added.status_code == 302
    numbers = Copy.objects.filter(record=made).values_list("registration_number", flat=True)
    assert sorted(numbers) == ["STK.000001", "STK.000002"]
    again = client.post(IMPORT, query(remote, index="isbn", q="0-306-40615-2", position=1))
    assert again.url == response.url  # a second copy-in matches the record just made
    assert Record.objects.live().filter(title=TITLE).count() == 1


def test_a_position_the_target_no_longer_has_is_refused(remote, world, client_for):
    response = client_for(world.librarian).post(IMPORT, query(remote, position=7))
    assert response.status_code == 422
    assert Record.objects.filter(title=TITLE).count() == 1


def test_an_unreachable_target_is_reported_with_its_name(world, client_for):
    target = SruTarget.objects.create(
        department=world.department, name="Thư viện đã đóng",
        url=f"http://127.0.0.1:{_closed_port()}/sru",
    )  # fmt: skip
    page = client_for(world.librarian).get(SEARCH, query(target))
    assert page.status_code == 200 and page.context["rows"] is None
    assert "Thư viện đã đóng" in page.content.decode()
    assert "127.0.0.1" in page.content.decode()


def test_a_disabled_or_foreign_target_cannot_be_searched(world, client_for):
    other = units.create_unit(kind=UnitKind.DEPARTMENT, name="Sở GD&ĐT Trà Vinh", parent=None)
    theirs = SruTarget.objects.create(department=other, name="Mục lục Trà Vinh", url="http://x/sru")
    off = SruTarget.objects.create(
        department=world.department, name="Tạm tắt", url="http://x/sru", enabled=False
    )
    client = client_for(world.librarian)
    page = client.get(SEARCH)
    assert list(page.context["form"].fields["target"].queryset) == []
    assert "Mục lục Trà Vinh" not in page.content.decode()
    for target in (theirs, off):
        assert "target" in client.get(SEARCH, query(target)).context["form"].errors
        assert client.post(IMPORT, query(target, position=1)).status_code == 422


def test_the_htmx_search_answers_the_results_fragment(world, client_for):
    page = client_for(world.librarian).get(SEARCH, HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert page.status_code == 200 and "<html" not in body and 'id="results"' in body


def test_roles_without_cataloguing_get_403_and_anonymous_goes_to_login(world, client, client_for):
    for user in (world.principal, world.dept_officer, world.reader):
        assert client_for(user).get(SEARCH).status_code == 403
        assert client_for(user).post(IMPORT, {}).status_code == 403
    response = client.get(SEARCH)
    assert response.status_code == 302 and "login" in response.url
    assert client_for(world.librarian).post(SEARCH).status_code == 405
    assert client_for(world.librarian).get(IMPORT).status_code == 405


def test_the_results_come_in_pages_and_any_page_copies_its_own_record(remote, world, client_for):
    """Our own /sru as the target, with 12 records of one series: 10 a page, the count the
    target gives, the next page from position 11, and a record copied from the second page."""
    for n in range(1, 13):
        records.create_record(
            RecordData(title=f"Tuyển tập truyện ngắn {n:02d}", year=2000 + n),
            school=world.thpt, by=world.thpt_librarian,
        )  # fmt: skip
    client = client_for(world.librarian)
    wanted = {"target": remote.pk, "index": "title", "q": "tuyen tap truyen ngan"}
    first = client.get(SEARCH, wanted)
    assert [p for p, _d, _m in first.context["rows"]] == list(range(1, 11))
    body = first.content.decode()
    assert "Biểu ghi 1–10 trong số 12." in body and "Trang sau" in body
    assert "Trang trước" not in body
    second = client.get(first.context["next_url"])
    rows = second.context["rows"]
    assert [(p, d.title) for p, d, _m in rows] == [
        (11, "Tuyển tập truyện ngắn 11"),
        (12, "Tuyển tập truyện ngắn 12"),
    ]
    assert "next_url" not in second.context and "Trang trước" in second.content.decode()
    # Each row is matched with our record (the target is our own catalogue here).
    assert all(match is not None and match.title == d.title for _p, d, match in rows)
    response = client.post(IMPORT, {**wanted, "position": 12})
    assert response.status_code == 302
    twelfth = Record.objects.get(title="Tuyển tập truyện ngắn 12")
    assert response.url == reverse("catalogue:record_detail", args=[twelfth.pk])

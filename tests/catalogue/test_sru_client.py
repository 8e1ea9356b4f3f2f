"""Copy cataloguing from an external SRU target: the client searches a real SRU server (our own
/sru, served by the live server the test starts, in SRU 2.0 and 1.2), reads its MARCXML records
as RecordData, and a chosen one is imported; a target that is closed, slow, not SRU, or refuses
the query is a clear error."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from thuvien.catalogue.interop import client
from thuvien.catalogue.models import Record, SruTarget
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import CatalogueError, records


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The messages are matched in English (the msgids), whatever the catalogue compiled."""
    with translation.override("en"):
        yield


def target_at(world, url: str, **fields) -> SruTarget:
    return SruTarget.objects.create(
        department=world.department, name="Thư viện tỉnh bạn", url=url, **fields
    )


@pytest.fixture
def remote(live_server, world) -> SruTarget:
    records.create_record(
        RecordData(
            title="Đường về nhà",
            subtitle="tập thơ",
            author="Trần Đăng Khoa",
            publisher="Kim Đồng",
            place="Hà Nội",
            year=2019,
            subjects=["Thơ thiếu nhi"],
            isbns=[("978-0-306-40615-7", "")],
        ),
        school=world.school,
        by=world.librarian,
    )
    return target_at(world, f"{live_server.url}/sru")


def test_a_search_reads_the_targets_marcxml_records(remote):
    found = client.search_target(remote, 'dc.title = "duong ve nha"')
    assert len(found) == 1
    data = found[0]
    assert data.title == "Đường về nhà"
    assert data.author == "Trần Đăng Khoa"
    assert data.year == 2019
    assert any("9780306406157" in isbn.replace("-", "") for isbn, _q in data.isbns)


def test_a_chosen_record_is_imported_into_the_catalogue(remote, world):
    data = client.search_target(remote, "isbn = 9780306406157")[0]
    # The same database plays the other province: take its record out of our catalogue first.
    Record.objects.filter(title="Đường về nhà").update(deleted_at=timezone.now())
    made = records.create_record(data, school=world.school_a2, by=world.librarian)
    assert made.title == "Đường về nhà"
    assert made.author == "Trần Đăng Khoa"
    assert list(made.isbns.values_list("isbn13", flat=True)) == ["9780306406157"]
    assert records.find_by_isbn("0-306-40615-2") == made


def test_an_sru_1_2_target_is_searched_too(remote):
    remote.version = "1.2"
    found = client.search_target(remote, "dc.creator = khoa", max_records=5)
    assert [data.title for data in found] == ["Đường về nhà"]


def test_max_records_limits_the_answer(remote, world):
    for n in range(4):
        records.create_record(
            RecordData(title=f"Thơ chọn lọc {n}"), school=world.school, by=world.librarian
        )
    assert len(client.search_target(remote, "title = tho", max_records=2)) == 2


def test_a_refused_query_says_the_targets_diagnostic(remote):
    with pytest.raises(CatalogueError, match="16") as refused:
        client.search_target(remote, "dc.publisher = kim")
    assert "Thư viện tỉnh bạn" in str(refused.value)


def test_a_target_answering_dublin_core_is_refused(remote):
    remote.record_schema = "dc"
    with pytest.raises(CatalogueError, match="marcxml"):
        client.search_target(remote, "duong")


def test_a_page_that_is_not_sru(live_server, world):
    not_found = target_at(world, f"{live_server.url}/khong-co-trang-nay")
    with pytest.raises(CatalogueError, match="404"):
        client.search_target(not_found, "duong")
    oai = target_at(world, f"{live_server.url}/oai")
    with pytest.raises(CatalogueError, match="searchRetrieveResponse"):
        client.search_target(oai, "duong")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_closed_port_is_unreachable(world):
    target = target_at(world, f"http://127.0.0.1:{_closed_port()}/sru")
    with pytest.raises(CatalogueError, match="Thư viện tỉnh bạn") as refused:
        client.search_target(target, "duong")
    assert "127.0.0.1" in str(refused.value)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that takes the connection and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sru"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_silent_target_times_out(world, silent_server, monkeypatch):
    monkeypatch.setattr(client, "TIMEOUT", (1, 1))
    target = target_at(world, silent_server)
    with pytest.raises(CatalogueError, match="in time"):
        client.search_target(target, "duong")


def test_an_empty_query_is_refused_before_asking(world):
    target = target_at(world, f"http://127.0.0.1:{_closed_port()}/sru")
    with pytest.raises(CatalogueError):
        client.search_target(target, "  ")

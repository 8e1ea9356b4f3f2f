"""The SRU server (/sru): explain, searchRetrieve with CQL over the folded term index, MARCXML and
Dublin Core records, paging and diagnostics; checked on the raw XML and with sruthi, a real SRU
client, against the live server."""

from __future__ import annotations

import pytest
import sruthi
from lxml import etree

from thuvien.catalogue.interop import sru
from thuvien.catalogue.models import Record
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import copies, records

NS2 = {
    "s": "http://docs.oasis-open.org/ns/search-ws/sruResponse",
    "d": "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "zr": "http://explain.z3950.org/dtd/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "m": "http://www.loc.gov/MARC21/slim",
}
NS1 = {"s": "http://www.loc.gov/zing/srw/", "d": "http://www.loc.gov/zing/srw/diagnostic/"}


def ask(client, **params) -> etree._Element:
    response = client.get("/sru", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def titles(root: etree._Element) -> list[str]:
    return root.xpath("//s:recordData//dc:title/text()", namespaces=NS2)


def dc_search(client, query: str, **params) -> list[str]:
    return titles(ask(client, query=query, recordSchema="dc", **params))


def diagnostic(root: etree._Element, ns: dict[str, str] = NS2) -> tuple[str, str]:
    uri = root.xpath("//d:diagnostic/d:uri/text()", namespaces=ns)
    details = root.xpath("//d:diagnostic/d:details/text()", namespaces=ns)
    return (uri[0] if uri else "", details[0] if details else "")


def add(world, title: str, **fields) -> Record:
    record = records.create_record(
        RecordData(title=title, **fields), school=world.school, by=world.librarian
    )
    copies.add_copies(record, school=world.school, count=1, by=world.librarian)
    return record


@pytest.fixture
def shelf(world) -> dict[str, Record]:
    return {
        "duong": add(
            world,
            "Đường về nhà",
            author="Trần Đăng Khoa",
            subjects=["Thơ thiếu nhi"],
            year=2019,
            isbns=[("0-306-40615-2", "")],
        ),
        "duong2": add(world, "Dương và biển", author="Lê Minh Khuê", year=2020),
        "hoa": add(world, "Hoa học trò", author="Xuân Diệu", subjects=["Thơ"], year=2001),
        "toan": add(world, "Toán 6", author="Hà Huy Khoái", doc_type="sgk", grade=6, year=2024),
    }


# --- explain -----------------------------------------------------------------------------------


def test_without_a_query_the_server_explains_itself_in_sru_2(client, db):
    root = ask(client)
    assert root.tag == f"{{{NS2['s']}}}explainResponse"
    assert root.findtext("s:version", namespaces=NS2) == "2.0"
    server = root.find(".//zr:serverInfo", NS2)
    assert server.get("protocol") == "SRU"
    assert server.findtext("zr:host", namespaces=NS2) == "testserver"
    assert server.findtext("zr:database", namespaces=NS2) == "sru"
    names = set(root.xpath("//zr:indexInfo/zr:index/zr:map/zr:name/text()", namespaces=NS2))
    assert names == {"title", "creator", "subject", "isbn", "serverChoice"}
    schemas = {s.get("name") for s in root.iterfind(".//zr:schemaInfo/zr:schema", NS2)}
    assert schemas == {"marcxml", "dc"}


def test_the_answer_is_public_and_needs_no_login(client, db):
    response = client.get("/sru")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert client.post("/sru").status_code == 405


# --- searchRetrieve: indexes, relations, booleans ------------------------------------------


def test_a_title_without_diacritics_finds_every_spelling(client, shelf):
    assert sorted(dc_search(client, 'dc.title = "duong"')) == ["Dương và biển", "Đường về nhà"]
    assert dc_search(client, "title=ĐƯỜNG and title=nha") == ["Đường về nhà"]


def test_author_subject_and_isbn_indexes(client, shelf):
    assert dc_search(client, 'dc.creator = "tran dang khoa"') == ["Đường về nhà"]
    assert dc_search(client, 'author any "dieu khoai"') == ["Hoa học trò", "Toán 6"]
    assert sorted(dc_search(client, "dc.subject = tho")) == ["Hoa học trò", "Đường về nhà"]
    assert dc_search(client, "bath.isbn = 9780306406157") == ["Đường về nhà"]
    assert dc_search(client, 'isbn = "0-306-40615-2"') == ["Đường về nhà"]
    assert dc_search(client, "isbn = 978-0-306-40615-8") == []  # wrong check digit
    assert dc_search(client, "isbn = 97803064*") == ["Đường về nhà"]


def test_bare_terms_and_server_choice_search_every_field(client, shelf):
    assert dc_search(client, "khue") == ["Dương và biển"]  # an author's word
    assert dc_search(client, 'cql.serverChoice all "hoc tro"') == ["Hoa học trò"]
    assert dc_search(client, "0306406152") == ["Đường về nhà"]  # an ISBN typed in any field


def test_booleans_parentheses_and_truncation(client, shelf):
    assert dc_search(client, "duong not title=bien") == ["Đường về nhà"]
    assert sorted(dc_search(client, "(title=hoa or title=toan) and author=dieu")) == ["Hoa học trò"]
    assert sorted(dc_search(client, "title=du*")) == ["Dương và biển", "Đường về nhà"]
    assert dc_search(client, 'title any "hoa toan" NOT subject=tho') == ["Toán 6"]


def test_exact_and_adj_relations(client, shelf):
    assert dc_search(client, 'title exact "duong ve nha"') == ["Đường về nhà"]
    assert dc_search(client, 'title == "duong ve"') == []
    assert dc_search(client, 'title exact "duong ve*"') == ["Đường về nhà"]
    assert dc_search(client, 'title adj "ve nha"') == ["Đường về nhà"]
    assert dc_search(client, 'title adj "nha ve"') == []
    assert dc_search(client, 'title all "nha ve"') == ["Đường về nhà"]
    assert dc_search(client, 'author exact "tran dang khoa"') == ["Đường về nhà"]


def test_merged_records_are_not_found(client, world, shelf):
    records.merge_records(shelf["duong"], shelf["duong2"], by=world.dept_admin)
    assert dc_search(client, "duong") == ["Đường về nhà"]


# --- records and paging ------------------------------------------------------------------------


def test_dublin_core_of_a_record(client, shelf):
    root = ask(client, query="title=duong and title=nha", recordSchema="dc")
    record = root.find(".//s:records/s:record", NS2)
    assert record.findtext("s:recordSchema", namespaces=NS2) == "info:srw/schema/1/dc-v1.1"
    assert record.findtext("s:recordXMLEscaping", namespaces=NS2) == "xml"
    assert record.findtext("s:recordPosition", namespaces=NS2) == "1"
    dc = record.find("s:recordData/*", NS2)
    assert dc.tag == "{info:srw/schema/1/dc-schema}dc"
    assert dc.findtext("dc:creator", namespaces=NS2) == "Trần Đăng Khoa"
    assert dc.findtext("dc:date", namespaces=NS2) == "2019"
    assert dc.xpath("dc:identifier/text()", namespaces=NS2) == ["URN:ISBN:9780306406157"]
    assert dc.xpath("dc:subject/text()", namespaces=NS2) == ["Thơ thiếu nhi"]


def test_marcxml_is_the_default_schema(client, shelf):
    root = ask(client, query="title=duong and title=nha")
    record = root.find(".//s:records/s:record", NS2)
    assert record.findtext("s:recordSchema", namespaces=NS2) == sru.MARCXML
    marc = record.find("s:recordData/m:record", NS2)
    assert marc is not None
    title = marc.xpath("m:datafield[@tag='245']/m:subfield[@code='a']/text()", namespaces=NS2)
    assert title and title[0].startswith("Đường về nhà")
    alias = ask(client, query="title=toan", recordSchema="info:srw/schema/1/marcxml-v1.1")
    assert alias.find(".//s:recordData/m:record", NS2) is not None


def test_record_packing_string_escapes_the_record(client, shelf):
    root = ask(client, query="title=toan", recordSchema="dc", recordXMLEscaping="string")
    data = root.find(".//s:recordData", NS2)
    assert len(data) == 0
    inner = etree.fromstring(data.text.encode())
    assert inner.findtext("dc:title", namespaces=NS2) == "Toán 6"


@pytest.mark.parametrize("head", [1000, 4, 7])
def test_pages_of_results_and_the_next_position(client, world, head, monkeypatch):
    # `head`: how many ids the first query reads (1000: all of them; 4 and 7: the count is
    # then taken apart, and the later pages read apart).
    from thuvien.catalogue.interop import sru

    monkeypatch.setattr(sru, "HEAD", head)
    for n in range(1, 13):
        add(world, f"Tuyển tập truyện {n:02d}", year=2000 + n)
    root = ask(client, query="title=tuyen", recordSchema="dc", maximumRecords="5", startRecord="6")
    assert root.findtext("s:numberOfRecords", namespaces=NS2) == "12"
    assert titles(root) == [f"Tuyển tập truyện {n:02d}" for n in range(6, 11)]
    positions = root.xpath("//s:record/s:recordPosition/text()", namespaces=NS2)
    assert positions == ["6", "7", "8", "9", "10"]
    assert root.findtext("s:nextRecordPosition", namespaces=NS2) == "11"
    last = ask(client, query="title=tuyen", recordSchema="dc", maximumRecords="5", startRecord="11")
    assert len(titles(last)) == 2
    assert last.find("s:nextRecordPosition", NS2) is None
    default = ask(client, query="title=tuyen", recordSchema="dc")
    assert len(titles(default)) == 10
    counted = ask(client, query="title=tuyen", maximumRecords="0")
    assert counted.findtext("s:numberOfRecords", namespaces=NS2) == "12"
    assert counted.find("s:records", NS2) is None
    capped = ask(client, query="title=tuyen", recordSchema="dc", maximumRecords="1000")
    assert len(titles(capped)) == 12


def test_no_match_answers_zero_records(client, shelf):
    root = ask(client, query="title=khongcogi")
    assert root.findtext("s:numberOfRecords", namespaces=NS2) == "0"
    assert root.find("s:records", NS2) is None
    assert root.find("s:diagnostics", NS2) is None


def test_a_page_of_ten_records_takes_a_handful_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(15):
        add(world, f"Truyện cổ tích số {n}", author="Nhiều tác giả", isbns=[])
    for schema in ("dc", "marcxml"):
        with django_assert_max_num_queries(4):
            root = ask(client, query="title=truyen and tich", recordSchema=schema)
        assert len(root.findall(".//s:records/s:record", NS2)) == 10


# --- diagnostics -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"query": "title="}, "10"),
        ({"query": "(title=a"}, "13"),
        ({"query": "title=a)"}, "13"),
        ({"query": 'title="open'}, "14"),
        ({"query": "duong hoa"}, "10"),
        ({"query": "dc.publisher=giao"}, "16"),
        ({"query": "title < a"}, "19"),
        ({"query": "title =/cql.locale=vi a"}, "20"),
        ({"query": "title=?oa"}, "28"),
        ({"query": "title=*oa"}, "28"),
        ({"query": "title=h*"}, "29"),
        ({"query": "a prox b"}, "39"),
        ({"query": "title=a sortby dc.title"}, "80"),
        ({"query": "title=a", "recordSchema": "mods"}, "66"),
        ({"query": "title=a", "recordXMLEscaping": "json"}, "71"),
        ({"query": "title=a", "maximumRecords": "ten"}, "6"),
        ({"query": "title=a", "startRecord": "0"}, "61"),
        ({"query": "title=a", "queryType": "solr"}, "6"),
        ({"operation": "searchRetrieve"}, "7"),
        ({"operation": "scan", "scanClause": "title=a"}, "4"),
        ({"version": "3.0", "query": "title=a"}, "5"),
    ],
)
def test_bad_requests_answer_a_diagnostic(client, db, params, code):
    uri, details = diagnostic(ask(client, **params))
    assert uri == f"info:srw/diagnostic/1/{code}"
    assert details


def test_a_start_beyond_the_results_is_out_of_range(client, shelf):
    root = ask(client, query="title=duong", startRecord="3")
    assert diagnostic(root)[0] == "info:srw/diagnostic/1/61"


def test_version_1_2_is_answered_in_its_own_namespace(client, shelf):
    root = ask(client, version="1.2", operation="searchRetrieve", query="toan", recordSchema="dc")
    assert root.tag == f"{{{NS1['s']}}}searchRetrieveResponse"
    assert root.findtext("s:version", namespaces=NS1) == "1.2"
    assert root.findtext("s:records/s:record/s:recordPacking", namespaces=NS1) == "xml"
    bad = ask(client, version="1.2", operation="searchRetrieve", query="title=")
    assert diagnostic(bad, NS1)[0] == "info:srw/diagnostic/1/10"


# --- a real client -----------------------------------------------------------------------------


def test_sruthi_pages_through_the_live_server(live_server, world):
    for n in range(1, 8):
        add(world, f"Sách giáo khoa Ngữ văn {n}", doc_type="sgk", grade=n, year=2024)
    url = f"{live_server.url}/sru"
    client = sruthi.Client(url=url, maximum_records=3, record_schema="dc", sru_version="1.2")
    found = client.searchretrieve(query='dc.title = "ngu van"')
    assert found.count == 7
    assert [record["title"] for record in found] == [
        f"Sách giáo khoa Ngữ văn {n}" for n in range(1, 8)
    ]
    explained = client.explain()
    assert explained.server["database"] == "sru"
    assert explained.index["dc"]["title"]
    assert explained.config["maximumRecords"] == 100
    with pytest.raises(sruthi.errors.SruError, match="info:srw/diagnostic/1/16"):
        client.searchretrieve(query="dc.publisher = giao")

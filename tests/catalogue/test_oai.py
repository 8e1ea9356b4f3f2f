"""The OAI-PMH 2.0 provider (/oai): the six verbs, oai_dc and marc21, sets by school, from/until,
deleted records, resumption tokens and every error; harvested with sickle, a real harvester,
from the live server, and checked on the raw XML."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree
from sickle import Sickle, oaiexceptions

from thuvien.catalogue.interop import oai
from thuvien.catalogue.models import Record
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import copies, records

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "m": "http://www.loc.gov/MARC21/slim",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}
UTC = dt.UTC


def ask(client, method: str = "get", **params) -> etree._Element:
    response = getattr(client, method)("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{NS['o']}}}OAI-PMH"
    assert root.find("o:responseDate", NS) is not None
    return root


def error_of(root: etree._Element) -> str | None:
    error = root.find("o:error", NS)
    return None if error is None else error.get("code")


def add(world, title: str, school=None, **fields) -> Record:
    record = records.create_record(
        RecordData(title=title, **fields), school=world.school, by=world.librarian
    )
    if school is not None:
        copies.set_up_collections(school)
        copies.add_copies(record, school=school, count=1, by=world.librarian)
    return record


def stamp(record: Record, moment: dt.datetime) -> None:
    Record.objects.filter(pk=record.pk).update(updated_at=moment)


def identifiers(root: etree._Element) -> list[str]:
    return root.xpath("//o:header/o:identifier/text()", namespaces=NS)


# --- Identify, formats, sets -------------------------------------------------------------------


def test_identify_describes_the_repository(client, world, settings):
    settings.OAI_REPOSITORY_IDENTIFIER = "thuvien.example.vn"
    Record.objects.update(updated_at=dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
    root = ask(client, verb="Identify")
    body = root.find("o:Identify", NS)
    assert body.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert body.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert body.findtext("o:earliestDatestamp", namespaces=NS) == "2024-01-02T03:04:05Z"
    assert body.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert body.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert body.findtext("o:adminEmail", namespaces=NS)
    sample = body.findtext(".//id:sampleIdentifier", namespaces=NS)
    assert sample == "oai:thuvien.example.vn:record/1"
    assert root.find("o:request", NS).get("verb") == "Identify"


def test_list_metadata_formats(client, world):
    root = ask(client, verb="ListMetadataFormats")
    prefixes = root.xpath("//o:metadataPrefix/text()", namespaces=NS)
    assert prefixes == ["oai_dc", "marc21"]
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    one = ask(client, verb="ListMetadataFormats", identifier=oai.identifier_of(novel.pk))
    assert error_of(one) is None
    missing = ask(client, verb="ListMetadataFormats", identifier="oai:x:record/999999")
    assert error_of(missing) == "idDoesNotExist"


def test_sets_are_the_schools_holding_copies(client, world):
    root = ask(client, verb="ListSets")
    specs = root.xpath("//o:set/o:setSpec/text()", namespaces=NS)
    # School A1 holds the textbook and the novel; the outsider school a copy of the novel.
    assert sorted(specs) == sorted(
        [f"school:{world.school.code}", f"school:{world.outsider_school.code}"]
    )
    names = root.xpath("//o:set/o:setName/text()", namespaces=NS)
    assert world.school.name in names


# --- ListRecords, ListIdentifiers, GetRecord ---------------------------------------------------


def test_list_records_in_dublin_core(client, world):
    root = ask(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(root.findall(".//o:record", NS)) == 2
    assert root.find(".//o:resumptionToken", NS) is None  # one page
    titles = root.xpath("//oai_dc:dc/dc:title/text()", namespaces=NS)
    assert sorted(titles) == ["Cho tôi xin một vé đi tuổi thơ", "Tiếng Việt 1"]
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    header = root.xpath(
        "//o:header[o:identifier=$id]", id=oai.identifier_of(novel.pk), namespaces=NS
    )[0]
    assert sorted(header.xpath("o:setSpec/text()", namespaces=NS)) == sorted(
        [f"school:{world.school.code}", f"school:{world.outsider_school.code}"]
    )
    assert header.findtext("o:datestamp", namespaces=NS).endswith("Z")


def test_list_records_in_marc21(client, world):
    root = ask(client, verb="ListRecords", metadataPrefix="marc21")
    marc = root.findall(".//o:metadata/m:record", NS)
    assert len(marc) == 2
    titles = {
        r.xpath("m:datafield[@tag='245']/m:subfield[@code='a']/text()", namespaces=NS)[0]
        for r in marc
    }
    assert any(title.startswith("Tiếng Việt 1") for title in titles)


def test_list_identifiers_by_set_and_dates(client, world):
    old = add(world, "Sách cũ", school=world.school_a2)
    new = add(world, "Sách mới", school=world.school_a2)
    stamp(old, dt.datetime(2020, 5, 1, 10, 0, 0, 500_000, tzinfo=UTC))
    stamp(new, dt.datetime(2020, 5, 3, 10, 0, 0, tzinfo=UTC))
    school_set = f"school:{world.school_a2.code}"
    by_set = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=school_set)
    assert identifiers(by_set) == [oai.identifier_of(old.pk), oai.identifier_of(new.pk)]
    assert by_set.find(".//o:metadata", NS) is None
    day = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-05-01")
    assert identifiers(day) == [oai.identifier_of(old.pk)]
    second = ask(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": "2020-05-01T10:00:00Z", "until": "2020-05-01T10:00:00Z"},
    )
    assert identifiers(second) == [oai.identifier_of(old.pk)]  # its datestamp, to the second
    since = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2020-05-02"})
    assert oai.identifier_of(old.pk) not in identifiers(since)
    assert oai.identifier_of(new.pk) in identifiers(since)
    none = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2019-12-31")
    assert error_of(none) == "noRecordsMatch"


def test_deleted_records_are_headers_with_status_deleted(client, world):
    keep = add(world, "Truyện Kiều", author="Nguyễn Du", year=2015)
    drop = add(world, "Truyện Kiều (bản in lại)", author="Nguyễn Du", year=2016)
    records.merge_records(keep, drop, by=world.dept_admin)
    root = ask(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai.identifier_of(drop.pk)
    )
    header = root.find(".//o:record/o:header", NS)
    assert header.get("status") == "deleted"
    assert root.find(".//o:record/o:metadata", NS) is None
    listed = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    deleted = listed.xpath("//o:header[@status='deleted']/o:identifier/text()", namespaces=NS)
    assert deleted == [oai.identifier_of(drop.pk)]


def test_a_page_takes_a_fixed_number_of_queries(
    client, world, settings, django_assert_max_num_queries
):
    settings.OAI_PAGE_SIZE = 20
    for n in range(30):
        add(world, f"Tài liệu tham khảo {n}", school=world.school)
    for prefix in ("oai_dc", "marc21"):
        with django_assert_max_num_queries(5):
            root = ask(client, verb="ListRecords", metadataPrefix=prefix)
        assert len(root.findall(".//o:record", NS)) == 20
        token = root.find(".//o:resumptionToken", NS)
        assert token.get("completeListSize") == "32"
        assert token.get("cursor") == "0"
        with django_assert_max_num_queries(4):
            rest = ask(client, verb="ListRecords", resumptionToken=token.text)
        assert len(rest.findall(".//o:record", NS)) == 12
        last = rest.find(".//o:resumptionToken", NS)
        assert last.get("cursor") == "20" and not last.text


def test_post_requests_are_answered_like_get(client, world):
    root = ask(client, method="post", verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert len(identifiers(root)) == 2


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01",
             "until": "2020-02-01T00:00:00Z"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01",
             "until": "2020-01-01"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "school:none"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "abc"}, "idDoesNotExist"),
    ],
)  # fmt: skip
def test_bad_requests_answer_the_protocol_error(client, world, params, code):
    root = ask(client, **params)
    assert error_of(root) == code
    assert root.find("o:error", NS).text
    request = root.find("o:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert dict(request.attrib) == {}


def test_a_repeated_verb_or_argument_is_refused(client, world):
    response = client.get("/oai?verb=Identify&verb=Identify")
    assert error_of(etree.fromstring(response.content)) == "badVerb"
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marc21")
    assert error_of(etree.fromstring(response.content)) == "badArgument"


def test_a_record_in_an_unknown_format_cannot_be_disseminated(client, world):
    novel = Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")
    root = ask(
        client, verb="GetRecord", metadataPrefix="mods", identifier=oai.identifier_of(novel.pk)
    )
    assert error_of(root) == "cannotDisseminateFormat"


def test_a_tampered_resumption_token_is_refused(client, world, settings):
    settings.OAI_PAGE_SIZE = 1
    token = ask(client, verb="ListIdentifiers", metadataPrefix="oai_dc").findtext(
        ".//o:resumptionToken", namespaces=NS
    )
    assert token
    root = ask(client, verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")
    assert error_of(root) == "badResumptionToken"


# --- a real harvester --------------------------------------------------------------------------


def test_sickle_harvests_every_page_and_gets_one_record(live_server, world, settings):
    settings.OAI_PAGE_SIZE = 2
    made = [add(world, f"Tuyển tập thơ {n}", school=world.school) for n in range(5)]
    records.merge_records(made[0], made[1], by=world.dept_admin)
    harvester = Sickle(f"{live_server.url}/oai")
    harvested = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    ids = [r.header.identifier for r in harvested]
    assert len(ids) == len(set(ids)) == 7  # the world's two and these five, over four pages
    deleted = [r.header.identifier for r in harvested if r.header.deleted]
    assert deleted == [oai.identifier_of(made[1].pk)]
    titles = {r.metadata["title"][0] for r in harvested if not r.header.deleted}
    assert "Tuyển tập thơ 4" in titles
    one = harvester.GetRecord(identifier=oai.identifier_of(made[2].pk), metadataPrefix="oai_dc")
    assert one.metadata["title"] == ["Tuyển tập thơ 2"]
    assert f"school:{world.school.code}" in one.header.setSpecs
    headers = list(
        harvester.ListIdentifiers(metadataPrefix="oai_dc", set=f"school:{world.school.code}")
    )
    assert len(headers) == 2 + 4  # the world's two held by school A1, and the four kept
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        harvester.GetRecord(identifier="oai:nowhere:record/1", metadataPrefix="oai_dc")

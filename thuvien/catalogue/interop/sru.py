"""The SRU server of the union catalogue (/sru): explain and searchRetrieve, SRU 2.0 (and 1.2
for older clients), CQL on title, author, ISBN, subject and any, MARCXML or Dublin Core records.

The province's records are public: other library systems copy them (the records, never the
schools' copies), so this reads `Record.objects.live()` without a scope. A response is answered
in the version asked (2.0 when none is): the namespaces of the two differ. Every error is a
diagnostic (info:srw/diagnostic/1/…) in an HTTP 200 answer, as SRU clients expect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from thuvien.catalogue.interop import cql, dublin_core, search
from thuvien.catalogue.marc.writer import record_element
from thuvien.catalogue.models import Record

DEFAULT_RECORDS = 10
MAX_RECORDS = 100
MAX_QUERY = 2000
SRU_2 = ("http://docs.oasis-open.org/ns/search-ws/sruResponse", "sruResponse")
DIAG_2 = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
SRU_1 = ("http://www.loc.gov/zing/srw/", "zs")
DIAG_1 = "http://www.loc.gov/zing/srw/diagnostic/"
ZEEREX = "http://explain.z3950.org/dtd/2.0/"
MARCXML = "info:srw/schema/1/marcxml-v1.1"
DC = "info:srw/schema/1/dc-v1.1"
SCHEMAS = {
    "marcxml": MARCXML,
    "marc21": MARCXML,
    "marc21xml": MARCXML,
    MARCXML: MARCXML,
    "dc": DC,
    "oai_dc": DC,
    DC: DC,
}
# The standard names of the diagnostics this server sends.
DIAGNOSTICS = {
    1: gettext_lazy("General system error"),
    4: gettext_lazy("Unsupported operation"),
    5: gettext_lazy("Unsupported version"),
    6: gettext_lazy("Unsupported parameter value"),
    7: gettext_lazy("Mandatory parameter not supplied"),
    10: gettext_lazy("Query syntax error"),
    12: gettext_lazy("Too many characters in query"),
    13: gettext_lazy("Invalid or unsupported use of parentheses"),
    14: gettext_lazy("Invalid or unsupported use of quotes"),
    16: gettext_lazy("Unsupported index"),
    19: gettext_lazy("Unsupported relation"),
    20: gettext_lazy("Unsupported relation modifier"),
    27: gettext_lazy("Empty term unsupported"),
    28: gettext_lazy("Masking character not supported"),
    29: gettext_lazy("Masked words too short"),
    39: gettext_lazy("Proximity not supported"),
    46: gettext_lazy("Unsupported boolean modifier"),
    61: gettext_lazy("First record position out of range"),
    66: gettext_lazy("Unknown schema for retrieval"),
    71: gettext_lazy("Unsupported record packing"),
    80: gettext_lazy("Sort not supported"),
}
INDEX_TITLES = [
    (gettext_lazy("Title"), [("dc", "title")]),
    (gettext_lazy("Author"), [("dc", "creator")]),
    (gettext_lazy("Subject"), [("dc", "subject")]),
    (gettext_lazy("ISBN"), [("bath", "isbn")]),
    (gettext_lazy("Any field"), [("cql", "serverChoice")]),
]


class Diagnostic(Exception):
    def __init__(self, code: int, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class Version:
    number: str
    namespace: str
    prefix: str
    diagnostics: str

    @property
    def packing_parameter(self) -> str:
        return "recordXMLEscaping" if self.number == "2.0" else "recordPacking"

    def element(
        self, parent: etree._Element | None, name: str, text: str | None = None
    ) -> etree._Element:
        tag = f"{{{self.namespace}}}{name}"
        if parent is None:
            made = etree.Element(tag, nsmap={self.prefix: self.namespace})
        else:
            made = etree.SubElement(parent, tag)
        if text is not None:
            made.text = text
        return made


V2 = Version("2.0", *SRU_2, DIAG_2)
V1 = Version("1.2", *SRU_1, DIAG_1)


def respond(params: Mapping[str, str], *, host: str, port: int, database: str) -> bytes:
    """The XML answer to one SRU request (its query-string parameters)."""
    version = V1 if params.get("version") in {"1.1", "1.2"} else V2
    operation = params.get("operation") or ("searchRetrieve" if "query" in params else "explain")
    try:
        if params.get("version") not in {None, "", "1.1", "1.2", "2.0"}:
            raise Diagnostic(5, "2.0")
        if operation == "searchRetrieve":
            return _xml(search_retrieve(params, version))
        if operation != "explain":
            raise Diagnostic(4, operation)
        return _xml(explain(version, host=host, port=port, database=database))
    except Diagnostic as problem:
        name = "searchRetrieveResponse" if operation == "searchRetrieve" else "explainResponse"
        root = version.element(None, name)
        version.element(root, "version", version.number)
        if name == "searchRetrieveResponse":
            version.element(root, "numberOfRecords", "0")
        _diagnostics(root, version, [problem])
        return _xml(root)


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _diagnostics(root: etree._Element, version: Version, problems: list[Diagnostic]) -> None:
    holder = version.element(root, "diagnostics")
    for problem in problems:
        diagnostic = etree.SubElement(
            holder, f"{{{version.diagnostics}}}diagnostic", nsmap={"diag": version.diagnostics}
        )
        for name, value in (
            ("uri", f"info:srw/diagnostic/1/{problem.code}"),
            ("details", problem.details),
            ("message", str(DIAGNOSTICS.get(problem.code, DIAGNOSTICS[1]))),
        ):
            etree.SubElement(diagnostic, f"{{{version.diagnostics}}}{name}").text = value


def _number(params: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    value = params.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise Diagnostic(6, name) from None
    if number < minimum:
        raise Diagnostic(61 if name == "startRecord" else 6, name)
    return number


def search_retrieve(params: Mapping[str, str], version: Version) -> etree._Element:
    query = params.get("query", "")
    if not query.strip():
        raise Diagnostic(7, "query")
    if len(query) > MAX_QUERY:
        raise Diagnostic(12, str(MAX_QUERY))
    if params.get("queryType", "cql") != "cql":
        raise Diagnostic(6, "queryType")
    start = _number(params, "startRecord", 1, minimum=1)
    maximum = min(_number(params, "maximumRecords", DEFAULT_RECORDS, minimum=0), MAX_RECORDS)
    schema = SCHEMAS.get(params.get("recordSchema", "") or "marcxml")
    if schema is None:
        raise Diagnostic(66, params.get("recordSchema", ""))
    packing = params.get(version.packing_parameter, "") or "xml"
    if packing not in {"xml", "string"}:
        raise Diagnostic(71, packing)
    try:
        tree = cql.parse(query)
        condition = search.to_q(tree)
        ids = search.record_ids(tree)
    except cql.CqlError as error:
        raise Diagnostic(error.code, str(error)) from None
    if ids is not None:
        total, page = _from_the_index(ids, start, maximum)
    else:
        rows = Record.objects.live().filter(condition)  # public shared records: see the docstring
        total = rows.count()
        if total and start > total:
            raise Diagnostic(61, str(start))
        page = (
            list(rows.order_by("pk").prefetch_related("isbns")[start - 1 : start - 1 + maximum])
            if maximum and total
            else []
        )
    root = version.element(None, "searchRetrieveResponse")
    version.element(root, "version", version.number)
    version.element(root, "numberOfRecords", str(total))
    if page:
        holder = version.element(root, "records")
        for position, record in enumerate(page, start=start):
            _record(holder, version, record, schema, packing, position)
    if page and start + len(page) <= total:
        version.element(root, "nextRecordPosition", str(start + len(page)))
    return root


HEAD = 1000


def _from_the_index(
    postings: list[search.Posting], start: int, maximum: int
) -> tuple[int, list[Record]]:
    """A query of words and ISBNs: counted and paged on the index tables alone, in the order
    records entered the catalogue (as the general case), then the page's records read."""
    found = search.found_ids(postings)
    # The first HEAD ids at once: most queries find fewer, and are then counted and paged by
    # this one query; a larger result is counted apart (its first pages come from the head).
    head = list(found[: HEAD + 1])
    end = start - 1 + maximum
    total = len(head) if len(head) <= HEAD else search.count(found)
    if total and start > total:
        raise Diagnostic(61, str(start))
    if not (maximum and total):
        return total, []
    wanted = head[start - 1 : end] if end <= HEAD else list(found[start - 1 : end])
    # Public shared records (see the docstring); `live` as the general case, though the index
    # holds live records only.
    by_id = Record.objects.live().prefetch_related("isbns").in_bulk(wanted)
    return total, [by_id[pk] for pk in wanted if pk in by_id]


def _record(
    holder: etree._Element, version: Version, record: Record, schema: str, packing: str, at: int
) -> None:
    element = version.element(holder, "record")
    version.element(element, "recordSchema", schema)
    version.element(element, version.packing_parameter, packing)
    data = version.element(element, "recordData")
    payload = marcxml(record) if schema == MARCXML else dublin_core.srw_dc(record)
    if packing == "string":
        data.text = etree.tostring(payload, encoding="unicode")
    else:
        data.append(payload)
    version.element(element, "recordPosition", str(at))


def marcxml(record: Record) -> etree._Element:
    """The record as a MARCXML `record` element (MARC21 slim), from the catalogue's writer."""
    return record_element(record)


def explain(version: Version, *, host: str, port: int, database: str) -> etree._Element:
    root = version.element(None, "explainResponse")
    version.element(root, "version", version.number)
    record = version.element(root, "record")
    version.element(record, "recordSchema", ZEEREX)
    version.element(record, version.packing_parameter, "xml")
    data = version.element(record, "recordData")
    zr = etree.SubElement(data, f"{{{ZEEREX}}}explain", nsmap={"zr": ZEEREX})

    def add(
        parent: etree._Element, tag: str, text: str | None = None, /, **attrs: str
    ) -> etree._Element:
        made = etree.SubElement(parent, f"{{{ZEEREX}}}{tag}", attrs)
        made.text = text
        return made

    server = add(zr, "serverInfo", protocol="SRU", version=version.number, transport="http")
    add(server, "host", host)
    add(server, "port", str(port))
    add(server, "database", database)
    info = add(zr, "databaseInfo")
    add(
        info,
        "title",
        _("Union catalogue of the province's school libraries"),
        lang="vi",
        primary="true",
    )
    add(
        info,
        "description",
        _("Bibliographic records shared by the province's school libraries (ThuVien)."),
        lang="vi",
        primary="true",
    )
    indexes = add(zr, "indexInfo")
    add(indexes, "set", name="dc", identifier="info:srw/cql-context-set/1/dc-v1.1")
    add(indexes, "set", name="bath", identifier="http://zing.z3950.org/cql/bath/2.0/")
    add(indexes, "set", name="cql", identifier="info:srw/cql-context-set/1/cql-v1.2")
    for title, names in INDEX_TITLES:
        index = add(indexes, "index", search="true", scan="false", sort="false")
        add(index, "title", str(title), lang="vi")
        mapping = add(index, "map")
        for context, name in names:
            add(mapping, "name", name, set=context)
    schemas = add(zr, "schemaInfo")
    for identifier, name, schema_title in (
        (MARCXML, "marcxml", "MARCXML (MARC21 slim)"),
        (DC, "dc", "Dublin Core"),
    ):
        schema = add(schemas, "schema", identifier=identifier, name=name, retrieve="true")
        add(schema, "title", schema_title)
    config = add(zr, "configInfo")
    add(config, "default", str(DEFAULT_RECORDS), type="numberOfRecords")
    add(config, "setting", str(MAX_RECORDS), type="maximumRecords")
    add(config, "default", "marcxml", type="retrieveSchema")
    for relation in ("=", "==", "exact", "all", "any", "adj"):
        add(config, "supports", relation, type="relation")
    add(config, "supports", "*", type="maskingCharacter")
    return root

"""Copy cataloguing from another catalogue: search an external SRU server (another province's
ThuVien, a national catalogue) and read its MARCXML records as `RecordData`, ready for
`services.records.create_record`. Every failure is a `CatalogueError` saying what went wrong in
words a librarian understands (the target did not answer, answered something that is not SRU,
or refused the query)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pymarc
import requests
from django.utils.translation import gettext as _
from lxml import etree

from thuvien.catalogue.marc.reader import to_data
from thuvien.catalogue.models import SruTarget
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services.errors import CatalogueError

TIMEOUT = (5, 20)  # seconds to connect, to read
MAX_RECORDS = 50
MAX_BYTES = 20 * 1024 * 1024
MARC_NS = "http://www.loc.gov/MARC21/slim"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


@dataclass
class Page:
    """One page of what a target found: its records from position `start` on, and how many it
    found in all (None when it did not say)."""

    records: list[RecordData]
    start: int
    total: int | None

    @property
    def end(self) -> int:
        """The position of the page's last record."""
        return self.start + len(self.records) - 1


def search_target(target: SruTarget, query: str, *, max_records: int = 10) -> list[RecordData]:
    """The first records the target finds for a CQL query (at most `max_records`)."""
    return search_page(target, query, max_records=max_records).records


def search_page(target: SruTarget, query: str, *, start: int = 1, max_records: int = 10) -> Page:
    """The records the target finds for a CQL query from position `start` (at most
    `max_records`), with the number it found in all."""
    if not query.strip():
        raise CatalogueError(_("Enter what to search for."))
    start = max(1, start)
    params = {
        "operation": "searchRetrieve",
        "version": target.version or "2.0",
        "query": query,
        "startRecord": str(start),
        "maximumRecords": str(max(1, min(max_records, MAX_RECORDS))),
        "recordSchema": target.record_schema or "marcxml",
    }
    if params["version"] != "2.0":
        params["recordPacking"] = "xml"
    root = _fetch(target, params)
    _raise_diagnostics(target, root)
    if _local(root) != "searchRetrieveResponse":
        raise CatalogueError(
            _("%(target)s did not answer as an SRU server (no searchRetrieveResponse).")
            % {"target": target.name}
        )
    counted = "".join((child.text or "").strip() for child in _children(root, "numberOfRecords"))
    records = [
        _record_data(target, position, marc)
        for position, marc in enumerate(_marc_records(target, root), start=start)
    ]
    return Page(records, start, int(counted) if counted.isdigit() else None)


def _fetch(target: SruTarget, params: dict[str, str]) -> etree._Element:
    try:
        response = requests.get(target.url, params=params, timeout=TIMEOUT, stream=True)
        content = response.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.Timeout:
        raise CatalogueError(
            _("%(target)s did not answer in time; try again later.") % {"target": target.name}
        ) from None
    except requests.RequestException:
        raise CatalogueError(
            _("Cannot reach %(target)s (%(url)s): check the address or try again later.")
            % {"target": target.name, "url": target.url}
        ) from None
    if len(content) > MAX_BYTES:
        raise CatalogueError(_("%(target)s sent too large an answer.") % {"target": target.name})
    if response.status_code >= 400:
        raise CatalogueError(
            _("%(target)s answered with an error (HTTP %(status)s).")
            % {"target": target.name, "status": response.status_code}
        )
    try:
        return etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError:
        raise CatalogueError(
            _("%(target)s sent an answer that is not valid XML.") % {"target": target.name}
        ) from None


def _raise_diagnostics(target: SruTarget, root: etree._Element) -> None:
    for holder in _children(root, "diagnostics"):
        for diagnostic in _children(holder, "diagnostic"):
            parts = {_local(child): (child.text or "").strip() for child in diagnostic}
            number = parts.get("uri", "").rsplit("/", 1)[-1]
            message = parts.get("message") or parts.get("uri", "")
            if parts.get("details"):
                message = f"{message}: {parts['details']}"
            raise CatalogueError(
                _("%(target)s refused the search (diagnostic %(number)s: %(message)s).")
                % {"target": target.name, "number": number or "?", "message": message}
            )


def _marc_records(target: SruTarget, root: etree._Element) -> list[pymarc.Record]:
    found: list[pymarc.Record] = []
    for holder in _children(root, "records"):
        for entry in _children(holder, "record"):
            escaping = {
                _local(child): (child.text or "").strip()
                for child in entry
                if _local(child) in {"recordXMLEscaping", "recordPacking"}
            }
            for data in _children(entry, "recordData"):
                if "string" in escaping.values():
                    try:
                        payloads = [etree.fromstring((data.text or "").encode(), _PARSER)]
                    except etree.XMLSyntaxError:
                        raise CatalogueError(
                            _("%(target)s sent a record that is not valid XML.")
                            % {"target": target.name}
                        ) from None
                else:
                    payloads = list(data)
                found += _parse_marc(target, payloads)
    return found


def _parse_marc(target: SruTarget, payloads: list[etree._Element]) -> list[pymarc.Record]:
    collection = etree.Element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS})
    for payload in payloads:
        if _local(payload) != "record" or not any(_local(c) == "leader" for c in payload):
            raise CatalogueError(
                _("%(target)s did not send MARCXML records: choose the marcxml record schema.")
                % {"target": target.name}
            )
        collection.append(payload)
    records = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(collection)))
    return [record for record in records if record is not None]


def _record_data(target: SruTarget, position: int, marc: pymarc.Record) -> RecordData:
    result = to_data(position, marc)
    if result.data is None:
        raise CatalogueError(
            _("Record %(position)s from %(target)s cannot be read: %(error)s")
            % {"position": position, "target": target.name, "error": result.error}
        )
    return result.data

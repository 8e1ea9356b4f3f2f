"""Simple Dublin Core of a record, written from its columns: OAI-PMH's `oai_dc` and SRU's `dc`
(info:srw/schema/1/dc-v1.1) carry the same fifteen-element set in two wrappers."""

from __future__ import annotations

import re

from lxml import etree

from thuvien.catalogue.models import DocType, Record

DC = "http://purl.org/dc/elements/1.1/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
SRW_DC = "info:srw/schema/1/dc-schema"
SRW_DC_SCHEMA = "http://www.loc.gov/standards/sru/recordSchemas/dc-schema.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# The DCMI Type of each document type; and the words a harvester shows for it (dc:type, twice).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

DCMI_TYPE = {DocType.MAP: "Image", DocType.DIGITAL: "Text"}


def xml_text(value: str) -> str:
    """Text lxml accepts: imported records may carry control characters XML 1.0 forbids."""
    return _NOT_XML.sub("", value)


def elements(record: Record) -> list[tuple[str, str]]:
    """(element, value) pairs in the usual order; ISBNs from a prefetched `record.isbns`."""
    pairs: list[tuple[str, str]] = [("title", record.full_title)]
    pairs += [("creator", name) for name in record.authors]
    pairs += [("subject", subject) for subject in record.subjects]
    if record.classification:
        pairs.append(("subject", f"DDC {record.classification}"))
    if record.summary:
        pairs.append(("description", record.summary))
    if record.publisher:
        pairs.append(("publisher", record.publisher))
    if record.year:
        pairs.append(("date", str(record.year)))
    pairs.append(("type", DCMI_TYPE.get(DocType(record.doc_type), "Text")))
    pairs.append(("type", str(DocType(record.doc_type).label)))
    if record.physical:
        pairs.append(("format", record.physical))
    pairs += [("identifier", f"URN:ISBN:{row.isbn13}") for row in record.isbns.all()]
    if record.series:
        pairs.append(("relation", record.series))
    if record.language:
        pairs.append(("language", record.language))
    return pairs


def _wrapped(record: Record, tag: str, namespace: str, prefix: str, schema: str) -> etree._Element:
    root = etree.Element(f"{{{namespace}}}{tag}", nsmap={prefix: namespace, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{namespace} {schema}")
    for name, value in elements(record):
        etree.SubElement(root, f"{{{DC}}}{name}").text = xml_text(value)
    return root


def oai_dc(record: Record) -> etree._Element:
    return _wrapped(record, "dc", OAI_DC, "oai_dc", OAI_DC_SCHEMA)


def srw_dc(record: Record) -> etree._Element:
    return _wrapped(record, "dc", SRW_DC, "srw_dc", SRW_DC_SCHEMA)

"""The OAI-PMH 2.0 provider of the union catalogue (/oai): other systems harvest the province's
records as `oai_dc` or `marc21` (MARCXML), all of them or one school's set.

- Identifiers: `oai:<repository>:record/<pk>`, the repository being `OAI_REPOSITORY_IDENTIFIER`
  or the host of `SITE_URL`. Datestamps: `Record.updated_at` in UTC, to the second.
- Deleted records (deleted, or merged into another: `deleted_at` set) stay, as headers with
  `status="deleted"` (deletedRecord "persistent").
- Sets: one per school holding copies in stock, `school:<Ministry code>`.
- Lists come in pages ordered by pk; the resumption token is signed (opaque to harvesters, not
  forgeable) and carries the filters, the last pk sent and the cursor.

The records are public by design (the province's shared catalogue; the schools' copies are
never shown, only which school holds a record): this reads them without a scope.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from thuvien.catalogue.interop import dublin_core
from thuvien.catalogue.interop.sru import marcxml
from thuvien.catalogue.models import Copy, Record
from thuvien.organisations.models import Unit, UnitKind

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
MARC_NS = "http://www.loc.gov/MARC21/slim"
FORMATS = {
    "oai_dc": (dublin_core.OAI_DC_SCHEMA, dublin_core.OAI_DC),
    "marc21": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC_NS),
}
ARGUMENTS: dict[str, tuple[set[str], set[str], bool]] = {
    # verb: (required, optional, takes a resumptionToken)
    "Identify": (set(), set(), False),
    "ListMetadataFormats": (set(), {"identifier"}, False),
    "ListSets": (set(), set(), True),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, True),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, True),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), False),
}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_DOMAIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
RESUMPTION_SALT = "catalogue.oai.resumption"


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def page_size() -> int:
    return int(getattr(settings, "OAI_PAGE_SIZE", 100))


def repository_identifier() -> str:
    return getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "") or (
        urlsplit(settings.SITE_URL).hostname or "localhost"
    )


def identifier_of(record_id: int) -> str:
    return f"oai:{repository_identifier()}:record/{record_id}"


def record_id_of(identifier: str) -> int | None:
    prefix = f"oai:{repository_identifier()}:record/"
    rest = identifier.removeprefix(prefix) if identifier.startswith(prefix) else ""
    return int(rest) if rest.isdigit() and len(rest) < 12 else None


def datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def respond(params: Mapping[str, Sequence[str]], *, base_url: str) -> bytes:
    """The XML answer to one OAI-PMH request (each argument with every value it was given)."""
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_SCHEMA}")
    etree.SubElement(root, f"{{{OAI}}}responseDate").text = datestamp(timezone.now())
    request = etree.SubElement(root, f"{{{OAI}}}request")
    request.text = base_url
    try:
        verb, arguments = _arguments(params)
        for name, value in arguments.items():
            request.set(name, value)
        request.set("verb", verb)
        body = HANDLERS[verb](arguments, base_url)
        root.append(body)
    except OaiError as problem:
        if problem.code in {"badVerb", "badArgument"}:
            request.attrib.clear()  # the protocol: echo no arguments of an illegal request
        error = etree.SubElement(root, f"{{{OAI}}}error", code=problem.code)
        error.text = problem.message
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _arguments(params: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    verbs = params.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError("badVerb", _("The verb is missing, repeated or not an OAI-PMH verb."))
    verb = verbs[0]
    arguments: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if len(values) != 1:
            raise OaiError("badArgument", _("The argument %(name)s is repeated.") % {"name": name})
        arguments[name] = values[0]
    required, optional, resumable = ARGUMENTS[verb]
    if resumable and "resumptionToken" in arguments:
        if len(arguments) != 1:
            raise OaiError(
                "badArgument", _("A resumptionToken is the only argument it may be given with.")
            )
        return verb, arguments
    unknown = set(arguments) - required - optional
    if unknown:
        raise OaiError(
            "badArgument",
            _("%(verb)s does not take the argument %(name)s.")
            % {"verb": verb, "name": sorted(unknown)[0]},
        )
    missing = required - set(arguments)
    if missing:
        raise OaiError(
            "badArgument",
            _("%(verb)s needs the argument %(name)s.") % {"verb": verb, "name": sorted(missing)[0]},
        )
    return verb, arguments


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    made = etree.SubElement(parent, f"{{{OAI}}}{name}")
    made.text = text
    return made


def identify(arguments: dict[str, str], base_url: str) -> etree._Element:
    body = etree.Element(f"{{{OAI}}}Identify")
    earliest = Record.objects.aggregate(first=Min("updated_at"))["first"]  # public records
    _el(body, "repositoryName", _("Union catalogue of the province's school libraries"))
    _el(body, "baseURL", base_url)
    _el(body, "protocolVersion", "2.0")
    admins = [email for _name, email in getattr(settings, "ADMINS", [])]
    for email in admins or [settings.DEFAULT_FROM_EMAIL]:
        _el(body, "adminEmail", email.rsplit("<", 1)[-1].rstrip(">").strip())
    _el(body, "earliestDatestamp", datestamp(earliest or timezone.now()))
    _el(body, "deletedRecord", "persistent")
    _el(body, "granularity", GRANULARITY)
    repository = repository_identifier()
    if _DOMAIN.match(repository):
        description = _el(body, "description")
        ident = etree.SubElement(description, f"{{{ID_NS}}}oai-identifier", nsmap={None: ID_NS})
        ident.set(f"{{{XSI}}}schemaLocation", f"{ID_NS} {ID_NS}.xsd")
        for name, value in (
            ("scheme", "oai"),
            ("repositoryIdentifier", repository),
            ("delimiter", ":"),
            ("sampleIdentifier", identifier_of(1)),
        ):
            etree.SubElement(ident, f"{{{ID_NS}}}{name}").text = value
    return body


def list_metadata_formats(arguments: dict[str, str], base_url: str) -> etree._Element:
    if "identifier" in arguments:
        _record_or_error(arguments["identifier"])
    body = etree.Element(f"{{{OAI}}}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        entry = _el(body, "metadataFormat")
        _el(entry, "metadataPrefix", prefix)
        _el(entry, "schema", schema)
        _el(entry, "metadataNamespace", namespace)
    return body


def set_spec(code: str | None, pk: int) -> str:
    return f"school:{code}" if code else f"school:id-{pk}"


def _schools() -> QuerySet[Unit]:
    holding = Copy.objects.in_stock().values("school_id")  # public: who holds a record
    return Unit.objects.filter(kind=UnitKind.SCHOOL, pk__in=holding).order_by("code", "pk")


def list_sets(arguments: dict[str, str], base_url: str) -> etree._Element:
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", _("The list of sets comes in one page."))
    body = etree.Element(f"{{{OAI}}}ListSets")
    for school in _schools():
        entry = _el(body, "set")
        _el(entry, "setSpec", set_spec(school.code, school.pk))
        _el(entry, "setName", school.name)
    return body


def _school_of(spec: str) -> Unit:
    rest = spec.removeprefix("school:") if spec.startswith("school:") else ""
    schools = _schools()
    found = (
        schools.filter(pk=int(rest[3:])).first()
        if rest.startswith("id-") and rest[3:].isdigit()
        else schools.filter(code=rest).first()
        if rest
        else None
    )
    if found is None:
        raise OaiError("badArgument", _("There is no set %(spec)s.") % {"spec": spec})
    return found


def _moment(value: str, *, end: bool) -> tuple[dt.datetime, str]:
    try:
        if _DAY.match(value):
            day = dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), tzinfo=dt.UTC)
            return (day + dt.timedelta(days=1) if end else day), "day"
        if _SECOND.match(value):
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            return (moment + dt.timedelta(seconds=1) if end else moment), "second"
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        _("“%(value)s” is not a UTC date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).") % {"value": value},
    )


def _filters(arguments: dict[str, str]) -> dict[str, Any]:
    """The list's filters as kept in a token: metadataPrefix, from, until, set (school pk)."""
    prefix = arguments["metadataPrefix"]
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            _("The metadata format %(prefix)s is not offered: use oai_dc or marc21.")
            % {"prefix": prefix},
        )
    wanted: dict[str, Any] = {"p": prefix, "k": 0, "c": 0}
    grains: set[str] = set()
    if "from" in arguments:
        moment, grain = _moment(arguments["from"], end=False)
        wanted["f"], grains = moment.isoformat(), grains | {grain}
    if "until" in arguments:
        moment, grain = _moment(arguments["until"], end=True)
        wanted["u"], grains = moment.isoformat(), grains | {grain}
    if len(grains) > 1:
        raise OaiError("badArgument", _("from and until must have the same granularity."))
    if "f" in wanted and "u" in wanted and wanted["f"] >= wanted["u"]:
        raise OaiError("badArgument", _("from is later than until."))
    if "set" in arguments:
        wanted["s"] = _school_of(arguments["set"]).pk
    return wanted


def _rows(wanted: dict[str, Any]) -> QuerySet[Record]:
    rows = Record.objects.all()  # public records, deleted ones included (reported deleted)
    if "f" in wanted:
        rows = rows.filter(updated_at__gte=dt.datetime.fromisoformat(wanted["f"]))
    if "u" in wanted:
        rows = rows.filter(updated_at__lt=dt.datetime.fromisoformat(wanted["u"]))
    if "s" in wanted:
        rows = rows.filter(
            pk__in=Copy.objects.in_stock().filter(school_id=wanted["s"]).values("record_id")
        )
    return rows.order_by("pk")


def _token_filters(arguments: dict[str, str]) -> dict[str, Any]:
    if "resumptionToken" not in arguments:
        return _filters(arguments)
    try:
        wanted = signing.loads(arguments["resumptionToken"], salt=RESUMPTION_SALT)
    except signing.BadSignature:
        wanted = None
    if not isinstance(wanted, dict) or wanted.get("p") not in FORMATS:
        raise OaiError("badResumptionToken", _("This resumption token is not valid."))
    return wanted


def _list(arguments: dict[str, str], *, with_metadata: bool) -> etree._Element:
    wanted = _token_filters(arguments)
    rows = _rows(wanted)
    size = page_size()
    page = list(rows.filter(pk__gt=wanted["k"]).prefetch_related("isbns")[: size + 1])
    if not page:
        if "resumptionToken" in arguments:
            raise OaiError("badResumptionToken", _("This resumption token is not valid."))
        raise OaiError("noRecordsMatch", _("No record matches these arguments."))
    more, page = len(page) > size, page[:size]
    total = wanted.get("n") if wanted["c"] else None
    total = total if total is not None else rows.count()
    sets = _sets_of([record.pk for record in page])
    body = etree.Element(f"{{{OAI}}}{'ListRecords' if with_metadata else 'ListIdentifiers'}")
    for record in page:
        if with_metadata:
            _record(body, record, wanted["p"], sets)
        else:
            _header(body, record, sets)
    if more or wanted["c"]:
        token = _el(body, "resumptionToken")
        token.set("completeListSize", str(total))
        token.set("cursor", str(wanted["c"]))
        if more:
            following = {**wanted, "k": page[-1].pk, "c": wanted["c"] + len(page), "n": total}
            token.text = signing.dumps(following, salt=RESUMPTION_SALT, compress=True)
    return body


def list_identifiers(arguments: dict[str, str], base_url: str) -> etree._Element:
    return _list(arguments, with_metadata=False)


def list_records(arguments: dict[str, str], base_url: str) -> etree._Element:
    return _list(arguments, with_metadata=True)


def _record_or_error(identifier: str) -> Record:
    record_id = record_id_of(identifier)
    found = Record.objects.filter(pk=record_id).first() if record_id else None  # public
    if found is None:
        raise OaiError(
            "idDoesNotExist", _("There is no record %(identifier)s.") % {"identifier": identifier}
        )
    return found


def get_record(arguments: dict[str, str], base_url: str) -> etree._Element:
    prefix = arguments["metadataPrefix"]
    record = _record_or_error(arguments["identifier"])
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            _("The metadata format %(prefix)s is not offered: use oai_dc or marc21.")
            % {"prefix": prefix},
        )
    body = etree.Element(f"{{{OAI}}}GetRecord")
    _record(body, record, prefix, _sets_of([record.pk]))
    return body


def _sets_of(record_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    held = (
        Copy.objects.in_stock()  # public: which school holds a record
        .filter(record_id__in=record_ids, school__kind=UnitKind.SCHOOL)
        .values_list("record_id", "school__code", "school_id")
        .distinct()
        .order_by("record_id", "school__code", "school_id")
    )
    for record_id, code, school_id in held:
        spec = set_spec(code, school_id)
        if spec not in found.setdefault(record_id, []):
            found[record_id].append(spec)
    return found


def _header(parent: etree._Element, record: Record, sets: dict[int, list[str]]) -> None:
    header = _el(parent, "header")
    if record.deleted_at is not None:
        header.set("status", "deleted")
    _el(header, "identifier", identifier_of(record.pk))
    _el(header, "datestamp", datestamp(record.updated_at))
    for spec in sets.get(record.pk, []):
        _el(header, "setSpec", spec)


def _record(
    parent: etree._Element, record: Record, prefix: str, sets: dict[int, list[str]]
) -> None:
    entry = _el(parent, "record")
    _header(entry, record, sets)
    if record.deleted_at is not None:
        return
    metadata = _el(entry, "metadata")
    metadata.append(dublin_core.oai_dc(record) if prefix == "oai_dc" else marcxml(record))


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}

"""Every page, asked in Vietnamese by every role of the named world, shows no English.

The pages are the project's URL patterns as the URL walk reads them (tests/access/test_url_walk:
`all_endpoints`), without the admin and the JSON API; each URL parameter is filled BY NAME with a
row of the world's main branch (the school A1, its campaign, the librarian's record, the
partner's event…), so that most roles get the page itself, and the others a refusal page, which
must be Vietnamese too. A parameter name this test does not know fails it. Every answer that is
an HTML page is read as a person sees it (tests/i18n/english.py) and must hold no sentence of the
catalogue's English and no common English word, and no table may head two columns alike (two
"Đạt"); then the main buttons are pressed and the
messages they flash (built at run time) are read the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.access.test_url_walk import Endpoint, all_endpoints
from tests.i18n.english import (
    URL_OR_ADDRESS,
    english_in,
    in_context,
    repeated_headings,
    translated_sentences,
    visible_text,
)
from thuvien.events.models import Event, EventStatus, Registration
from thuvien.organisations.models import Membership
from thuvien.organisations.testing import World
from thuvien.training import services as training
from thuvien.training.models import Campaign, Enrolment, SchoolPackage, UnitReport

NOT_PAGES = ("admin", "api-")  # the admin is Django's; the API answers JSON
# Files in both languages by design, each with its reason.
BILINGUAL = {
    "standards:evidence_file": (
        "an evidence file is what the school uploaded (the world's is a minimal PDF), not a "
        "document ThuVien writes"
    ),
    "standards:framework_export_xlsx": (
        "a framework file carries the English names beside the Vietnamese ones, and its columns "
        "are the file format's field names, the same as the YAML's keys"
    ),
}
MINIMUM_PAGES = 1200  # pages and documents read, all roles together (about 1,400 today)


def _pages() -> list[Endpoint]:
    return [
        endpoint
        for endpoint in all_endpoints()
        if not endpoint.is_api
        and not endpoint.template.startswith("admin/")
        and not endpoint.name.startswith(NOT_PAGES)
        and endpoint.name not in BILINGUAL
    ]


def _first_id(rows: Any) -> int:
    row = rows.order_by("pk").first()
    return row.pk if row else 0  # none in the world: the page answers 404, in Vietnamese


def own_rows(world: World) -> dict[str, Callable[[Any], Any]]:
    """For each URL parameter, its value for a person (None: anonymous) in the main branch."""
    from thuvien.core.models import ImportBatch
    from thuvien.events.models import EventMaterial, EventSession, Photo
    from thuvien.standards import services as standards
    from thuvien.standards.models import (
        Assessment,
        Criterion,
        DevelopmentPlan,
        Evidence,
        Framework,
        Recognition,
    )
    from thuvien.training.models import Material, ReportVersion, StudyNote

    standards.ship_frameworks()
    campaign = Campaign.objects.get(issuer=world.office)
    enrolment = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    event = Event.objects.get(organiser=world.partner)
    registration = Registration.objects.get(event=event, user=world.librarian)
    session = EventSession.objects.filter(event=event).order_by("order").first()
    fixed: dict[str, Any] = {
        "unit_id": world.school.pk,
        "membership_id": Membership.objects.get(user=world.librarian).pk,
        "user_id": world.librarian.pk,
        "campaign_id": campaign.pk,
        "enrolment_id": enrolment.pk,
        "package_id": SchoolPackage.objects.get(campaign=campaign, school=world.school).pk,
        "report_id": UnitReport.objects.get(campaign=campaign, unit=world.office).pk,
        "material_id": _first_id(Material.objects.filter(campaign=campaign)),
        "note_id": _first_id(StudyNote.objects.filter(enrolment=enrolment)),
        "version_id": _first_id(ReportVersion.objects.filter(enrolment=enrolment)),
        "event_id": event.pk,
        "session_id": session.pk,
        "registration_id": registration.pk,
        "agreement_id": event.agreement_id,
        "photo_id": _first_id(Photo.objects.filter(event=event)),
        "event_material_id": _first_id(EventMaterial.objects.filter(event=event)),
        "checkin_code": session.checkin_code,
        "certificate_code": registration.certificate_code or "khong-co",
    }
    values: dict[str, Callable[[Any], Any]] = {
        name: (lambda user, value=value: value) for name, value in fixed.items()
    }

    def batch(user: Any) -> int:
        return _first_id(ImportBatch.objects.filter(created_by=user)) if user else 0

    def reset_user(user: Any) -> Any:
        return user or world.librarian

    values["batch_id"] = batch
    values["framework_id"] = lambda user: _first_id(Framework.objects.filter(code="tt16-2022"))
    assessment = Assessment.objects.get(school=world.school)  # standards.testing
    values["assessment_id"] = lambda user: assessment.pk
    values["window_id"] = lambda user: assessment.window_id
    values["evidence_id"] = lambda user: _first_id(Evidence.objects.filter(school=world.school))
    values["metric"] = lambda user: "total_area_m2"
    values["recognition_id"] = lambda user: _first_id(
        Recognition.objects.filter(school=world.school)
    )
    values["plan_id"] = lambda user: _first_id(DevelopmentPlan.objects.filter(school=world.school))
    values["criterion_id"] = lambda user: _first_id(
        Criterion.objects.filter(version__framework__code="tt16-2022")
    )
    from thuvien.catalogue.models import (
        Collection,
        Copy,
        DigitalResource,
        Record,
        SruTarget,
        Withdrawal,
    )

    values["record_id"] = lambda user: _first_id(Record.objects.filter(title="Tiếng Việt 1"))
    values["copy_id"] = lambda user: _first_id(Copy.objects.filter(school=world.school))
    values["withdrawal_id"] = lambda user: _first_id(Withdrawal.objects.filter(school=world.school))
    values["collection_id"] = lambda user: _first_id(Collection.objects.filter(school=world.school))
    values["target_id"] = lambda user: _first_id(
        SruTarget.objects.filter(department=world.department)
    )
    values["resource_id"] = lambda user: _first_id(
        DigitalResource.objects.filter(school=world.school)
    )
    from thuvien.circulation.models import Closure, Hold, Loan, LoanRule, Reader

    values["reader_id"] = lambda user: _first_id(Reader.objects.filter(school=world.school))
    values["loan_id"] = lambda user: _first_id(Loan.objects.filter(school=world.school))
    values["rule_id"] = lambda user: _first_id(LoanRule.objects.filter(school=world.school))
    values["closure_id"] = lambda user: _first_id(Closure.objects.filter(school=world.school))
    values["hold_id"] = lambda user: _first_id(Hold.objects.filter(school=world.school))
    values["library_id"] = lambda user: world.school.pk
    from thuvien.stocktake.models import Stocktake

    values["stocktake_id"] = lambda user: _first_id(Stocktake.objects.filter(school=world.school))
    from thuvien.circulation.models import ActivityPhoto

    values["activity_photo_id"] = lambda user: _first_id(
        ActivityPhoto.objects.filter(school=world.school)
    )
    values["uidb64"] = lambda user: urlsafe_base64_encode(force_bytes(reset_user(user).pk))
    values["token"] = lambda user: default_token_generator.make_token(reset_user(user))
    return values


def actors(world: World) -> list[tuple[str, Any]]:
    people = [(str(role), user) for role, user in world.users_by_role().items()]
    return [*people, ("principal of school A2", world.principal_a2), ("anonymous", None)]


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def fill_the_world(world: World) -> None:
    """A note, a submitted report and an import of the Sở's, so that more of each page shows."""
    from thuvien.core.models import ImportBatch

    campaign = Campaign.objects.get(issuer=world.office)
    enrolment = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    training.add_study_note(
        enrolment, date=dt.date(2025, 10, 1), content="Đọc tài liệu.", hours=Decimal("2.5")
    )
    training.submit_report_text(enrolment, body="<p>Bài thu hoạch của tôi.</p>")
    ImportBatch.objects.create(
        kind="units", created_by=world.dept_admin, filename="don-vi.xlsx", content=b"PK"
    )
    from thuvien.catalogue.models import Copy
    from thuvien.circulation.models import Reader
    from thuvien.circulation.services import desk

    reader = Reader.objects.get(school=world.school, code="HS0001")
    copy = Copy.objects.filter(school=world.school, collection__code="STN").first()
    desk.check_out(world.school, reader, copy.barcode, by=world.librarian)
    from thuvien.circulation.services import holds

    holds.place_hold(
        world.school, Reader.objects.get(school=world.school, code="HS0002"), copy.record
    )
    from thuvien.stocktake import services as stocktakes

    stocktake = stocktakes.open_stocktake(world.school, by=world.librarian)
    stocktakes.scan(stocktake, copy.barcode, by=None, found_at="Giá B")
    stocktakes.close(stocktake, by=None)


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _document_text(kind: str, body: bytes) -> str:
    """The words of a generated PDF, DOCX or XLSX, as the person reads them."""
    import docx
    import pypdf
    from openpyxl import load_workbook

    if kind == "pdf":
        return "\n".join(
            page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(body)).pages
        )
    if kind == "docx":
        document = docx.Document(io.BytesIO(body))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    book = load_workbook(io.BytesIO(body), read_only=True)
    return (
        "\n".join(
            f"{value}"
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        )
        + "\n"
        + "\n".join(book.sheetnames)
    )


DOCUMENTS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def _read(response: Any) -> str | None:
    """What the answer shows a person: a page's visible text, a generated document's words; None
    for anything else (a picture, a file someone uploaded, a redirect)."""
    kind = response.get("Content-Type", "").split(";")[0]
    if kind == "text/html":
        html = _body(response).decode("utf-8", "replace")
        twice = [f"two columns headed “{heading}”" for heading in repeated_headings(html)]
        return "\n".join([visible_text(html), *twice])
    if kind in DOCUMENTS and response.status_code == 200:
        return URL_OR_ADDRESS.sub(" ", _document_text(DOCUMENTS[kind], _body(response)))
    return None


def walk(world: World) -> Iterator[tuple[str, str, list[str]]]:
    """(who, url, English found) for every page each actor gets."""
    values = own_rows(world)
    pages = _pages()
    for label, user in actors(world):
        client = client_for(user)
        for endpoint in pages:
            missing = [name for name in endpoint.params if name not in values]
            if missing:
                raise LookupError(
                    f"{endpoint.name} ({endpoint.template}) has URL parameter(s) {missing}: "
                    "add them to own_rows in tests/i18n/test_every_page_vietnamese.py"
                )
            url = "/" + endpoint.template % {name: values[name](user) for name in endpoint.params}
            try:
                response = client.get(url)
            except Exception as error:  # reported with the page: the walk goes on
                yield label, url, [f"raised {error!r}"]
                continue
            if response.status_code == 302 and response["Location"].startswith("/"):
                response = client.get(response["Location"])  # the page it sends the person to
            try:
                text = _read(response)
            except Exception as error:
                yield label, url, [f"unreadable {error!r}"]
                continue
            if text is not None:
                found = [in_context(text, found) for found in english_in(text)]
                yield (
                    label,
                    url,
                    found
                    + [line for line in text.split("\n") if line.startswith("two columns headed")],
                )


def test_the_detector_finds_english_and_lets_vietnamese_names_and_codes_pass():
    assert "Registration is closed" in translated_sentences()
    page = (
        "<html><head><title>Sự kiện</title><script>var x = 'the event is open';</script></head>"
        "<body><p>Registration is closed.</p><p>Đặng Thị Thư — librarian</p>"
        '<input type="submit" value="Save"><a href="/events/3/">English</a>'
        "<code>department_admin</code><p>Trường Tiểu học Nguyễn Du, An Hội, in ngày 05/09/2025 "
        "thuvien@example.vn, 83000101, PDF, XLSX</p></body></html>"
    )
    assert english_in(visible_text(page)) == ["Registration is closed", "librarian", "Save"]
    vietnamese = "<p>Đăng ký đã đóng. Trường Tiểu học Nguyễn Du — Thủ thư. English</p>"
    assert english_in(visible_text(vietnamese)) == []


def test_the_heading_check_finds_two_columns_of_one_name():
    page = (
        "<table><thead><tr><th>Trường</th><th>Đạt</th><th>Đạt</th></tr></thead></table>"
        "<table><thead><tr><th>Trường</th></tr></thead><tbody><tr><th>Đạt</th></tr></tbody></table>"
    )
    assert repeated_headings(page) == ["Đạt"]
    assert repeated_headings("<table><thead><tr><th>A</th><th>B</th></tr></thead></table>") == []


def test_every_page_reads_in_vietnamese_for_every_role(world):
    fill_the_world(world)
    problems: list[str] = []
    read = 0
    logger = logging.getLogger("django.request")  # every refusal logs its traceback: quiet
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        for label, url, english in walk(world):
            read += 1
            if english:
                problems.append(f"{label} GET {url}: {english}")
    finally:
        logger.setLevel(level)
    shown = "\n".join(problems[:80])
    assert not problems, f"{len(problems)} page(s) with English ({read} read):\n{shown}"
    assert read >= MINIMUM_PAGES, read


# --- The messages the main buttons flash, built at run time ----------------------------------


def _flashes(client: Client, url: str, data: dict[str, Any] | None = None) -> list[str]:
    response = client.post(url, data or {}, follow=True)
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.mark.parametrize("move", ["close", "held"])
def test_an_event_move_flashes_vietnamese(world, move):
    event = Event.objects.get(organiser=world.partner)
    client = client_for(world.trainer)
    flashes = _flashes(client, f"/events/{event.pk}/{move}/")
    event.refresh_from_db()
    assert event.status == {"close": EventStatus.CLOSED, "held": EventStatus.HELD}[move]
    assert flashes and not english_in(" ".join(flashes)), flashes


def test_registering_for_a_closed_event_flashes_vietnamese(world):
    event = Event.objects.get(organiser=world.partner)
    event.status = EventStatus.CLOSED
    event.save()
    flashes = _flashes(client_for(world.teacher_librarian), f"/events/{event.pk}/register/")
    assert flashes and not english_in(" ".join(flashes)), flashes


def test_the_main_training_steps_flash_vietnamese(world):
    campaign = Campaign.objects.get(issuer=world.office)
    enrolment = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    librarian = client_for(world.librarian)
    flashes = _flashes(
        librarian,
        f"/training/records/{enrolment.pk}/notes/",
        {"date": "2025-10-01", "content": "Đọc tài liệu.", "hours": "2"},
    )
    flashes += _flashes(
        librarian,
        f"/training/records/{enrolment.pk}/report/",
        {"body": "<p>Bài của tôi.</p>", "action": "submit"},
    )
    principal = client_for(world.principal)
    flashes += _flashes(
        principal,
        f"/training/school/records/{enrolment.pk}/return/",
        {"comment": "Bổ sung phần kết luận."},
    )
    enrolment.refresh_from_db()
    assert enrolment.report_status == "returned", flashes
    assert len(flashes) >= 3 and not english_in(" ".join(flashes)), flashes


def test_registering_cancelling_and_evaluating_flash_vietnamese(world):
    event = Event.objects.get(organiser=world.partner)
    teacher = client_for(world.teacher_librarian)
    flashes = _flashes(teacher, f"/events/{event.pk}/register/")
    registration = Registration.objects.get(event=event, user=world.teacher_librarian)
    flashes += _flashes(teacher, f"/events/registrations/{registration.pk}/cancel/")
    campaign = Campaign.objects.get(issuer=world.office)
    enrolment = Enrolment.objects.get(campaign=campaign, user=world.librarian)
    training.submit_report_text(enrolment, body="<p>Bài thu hoạch của tôi.</p>")
    flashes += _flashes(
        client_for(world.principal),
        f"/training/school/records/{enrolment.pk}/evaluate/",
        {"grade": "good", "comment": "Bài viết tốt."},
    )
    registration.refresh_from_db()
    enrolment.refresh_from_db()
    assert (registration.status, enrolment.report_status) == ("cancelled", "evaluated"), flashes
    assert len(flashes) >= 3 and not english_in(" ".join(flashes)), flashes

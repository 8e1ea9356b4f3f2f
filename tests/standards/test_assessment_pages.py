"""The self-assessment pages as each role meets them, through the real views: the librarian
prepares and submits, the principal approves, the office recognises; nobody else sees it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from thuvien.standards import services
from thuvien.standards.models import Assessment, AssessmentStatus, Evidence, Recognition

YEAR = 2025
TODAY = timezone.localdate()
LIST = reverse("standards:assessment_list")


def text(response) -> str:
    return response.content.decode()


def detail(assessment) -> str:
    return reverse("standards:assessment_detail", args=[assessment.pk])


def step(assessment, name) -> str:
    return reverse(f"standards:assessment_{name}", args=[assessment.pk])


def _pdf() -> io.BytesIO:
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    out.seek(0)
    out.name = "bien-ban-kiem-ke.pdf"
    return out


def test_the_librarian_prepares_the_principal_approves_the_office_recognises(
    world, window, client_for
):
    librarian = client_for(world.librarian)
    listed = librarian.get(LIST)
    assert "Bắt đầu tự đánh giá" in text(listed)
    started = librarian.post(reverse("standards:assessment_start", args=[window.pk]))
    assessment = Assessment.objects.get(window=window, school=world.school)
    assert started.url == detail(assessment)
    page = librarian.get(detail(assessment))
    assert page.status_code == 200 and "TH.TNTT.1.copies" in text(page)
    assert "Chưa kiểm chứng" in text(page) and "Lưu số liệu" in text(page)
    form = page.context["values_form"]
    data = {name: "" for name in form.fields}
    copies = assessment.values.get(criterion__code="TH.TNTT.1.copies")
    data[f"entered_{copies.criterion_id}"] = "3,5"  # a Vietnamese decimal comma
    data["summary"] = "Thư viện có 2 phòng đọc."
    saved = librarian.post(detail(assessment), data)
    assert saved.status_code == 302, saved.context["values_form"].errors
    copies.refresh_from_db()
    assert str(copies.entered) == "3.50"
    bad = io.BytesIO(b"not a document")
    bad.name = "minh-chung.pdf"
    refused = librarian.post(step(assessment, "evidence"), {"value": copies.pk, "file": bad})
    assert refused.status_code == 422 and not Evidence.objects.filter(value=copies).exists()
    added = librarian.post(step(assessment, "evidence"), {"value": copies.pk, "file": _pdf()})
    assert added.status_code == 302
    evidence = Evidence.objects.get(value=copies)
    download = librarian.get(reverse("standards:evidence_file", args=[evidence.pk]))
    assert download.status_code == 200
    assert librarian.post(step(assessment, "submit")).status_code == 302
    again = librarian.post(step(assessment, "submit"), follow=True)
    assert "không thể nộp lại" in text(again)

    principal = client_for(world.principal)
    page = text(principal.get(detail(assessment)))
    assert "Duyệt và gửi đề nghị công nhận" in page
    assert principal.post(step(assessment, "approve")).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.sent_to) == (AssessmentStatus.SENT, world.office)

    office = client_for(world.office_officer)
    assert world.school.name in text(office.get(LIST))
    decided = office.post(
        step(assessment, "recognise"),
        {"level": "", "decision_number": "30/QĐ-PGDĐT", "decided_on": "2026-06-30"},
    )
    assert decided.status_code == 302
    recognition = Recognition.objects.get(assessment=assessment)
    assert recognition.level is None and recognition.decided_by == world.office
    assert "30/QĐ-PGDĐT" in text(librarian.get(LIST))


def test_a_step_out_of_turn_is_refused(world, window, client_for):
    assessment = services.start_assessment(window, world.school)
    # The principal cannot approve a draft; the office cannot recognise what was not sent.
    principal = client_for(world.principal)
    response = principal.post(step(assessment, "approve"), follow=True)
    assert "chỉ bản đang chờ hiệu trưởng duyệt mới được duyệt" in text(response)
    office = client_for(world.office_officer)
    assert office.post(step(assessment, "recognise"), {}).status_code == 403
    librarian = client_for(world.librarian)
    assert librarian.post(step(assessment, "approve")).status_code == 403
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT


@pytest.mark.parametrize("role", ["outsider", "principal_a2", "office_b_officer"])
def test_nobody_outside_the_school_and_its_recognisers_sees_it(world, window, client_for, role):
    assessment = services.start_assessment(window, world.school)
    client = client_for(getattr(world, role))
    assert client.get(detail(assessment)).status_code == 404
    assert world.school.name not in text(client.get(LIST))


def test_the_department_opens_the_window_and_a_second_one_is_refused(world, tt16, client_for):
    client = client_for(world.dept_officer)
    page = client.get(reverse("standards:window_create"))
    assert page.status_code == 200
    data = {
        "title": "Tự đánh giá thư viện 2026–2027",
        "framework_version": str(tt16.pk),
        "target": str(world.department.pk),
        "year": "2026",
        "opens_on": "2027-05-01",
        "closes_on": "2027-07-31",
        "department_tiers": ["upper_secondary"],
    }
    created = client.post(reverse("standards:window_create"), data)
    assert created.status_code == 302, created.context["form"].errors
    again = client.post(reverse("standards:window_create"), data)
    assert again.status_code == 422 and "đã được mở" in text(again)
    backwards = {**data, "year": "2027", "closes_on": "2027-01-01"}
    refused = client.post(reverse("standards:window_create"), backwards)
    assert refused.status_code == 422 and "Ngày kết thúc phải bằng hoặc sau" in text(refused)
    assert (
        client_for(world.office_officer).get(reverse("standards:window_create")).status_code == 403
    )


def test_the_librarian_keeps_the_library_profile(world, client_for):
    client = client_for(world.librarian)
    url = reverse("standards:profile") + "?year=2025"
    page = client.get(url)
    assert page.status_code == 200 and "Hồ sơ thư viện" in text(page)
    data = {name: "0" for name in page.context["form"].fields}
    data.update(reading_room_m2="55,5", seats="40", equipment="Tủ mục lục", opening_hours="7h–16h")
    data.update(open_hours_per_week="", budget_vnd="")
    assert client.post(url, data).status_code == 302
    from thuvien.standards.models import LibraryProfile

    assert str(LibraryProfile.objects.get(school=world.school, year=2025).reading_room_m2) == "55.5"


def test_the_indicator_drill_down_lists_what_was_counted(world, window, client_for):
    services.save_profile(world.school, year=YEAR, reading_room_m2=60, stack_m2=10)
    assessment = services.start_assessment(window, world.school)
    url = reverse("standards:indicator_rows", args=[assessment.pk, "total_area_m2"])
    page = client_for(world.principal).get(url)
    assert page.status_code == 200
    assert "Phòng đọc" in text(page) and "Kho sách" in text(page)
    unknown = reverse("standards:indicator_rows", args=[assessment.pk, "khong-co"])
    assert client_for(world.principal).get(unknown).status_code == 404


def test_the_department_extends_the_window_and_the_school_can_submit_again(world, tt16, client_for):
    window = services.open_window(
        world.department,
        framework_version=tt16,
        year=2026,
        title="Tự đánh giá 2026–2027",
        opens_on=TODAY - dt.timedelta(days=20),
        closes_on=TODAY - dt.timedelta(days=1),  # closed yesterday
    )
    assessment = services.start_assessment(window, world.school)
    late = client_for(world.librarian).post(step(assessment, "submit"), follow=True)
    assert "đã kết thúc ngày" in text(late)
    url = reverse("standards:window_dates", args=[window.pk])
    assert client_for(world.office_officer).get(url).status_code == 403
    officer = client_for(world.dept_officer)
    backwards = {"opens_on": "2026-12-10", "closes_on": "2026-12-01"}
    assert officer.post(url, backwards).status_code == 422
    later = (TODAY + dt.timedelta(days=10)).isoformat()
    moved = officer.post(url, {"opens_on": window.opens_on.isoformat(), "closes_on": later})
    assert moved.status_code == 302
    assert client_for(world.librarian).post(step(assessment, "submit")).status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_a_wrong_file_is_taken_back_until_the_assessment_is_submitted(world, window, client_for):
    assessment = services.start_assessment(window, world.school)
    value = assessment.values.first()
    librarian = client_for(world.librarian)
    for _ in range(2):
        assert (
            librarian.post(
                step(assessment, "evidence"), {"value": value.pk, "file": _pdf()}
            ).status_code
            == 302
        )
    first, second = Evidence.objects.filter(value=value).order_by("pk")
    remove = reverse("standards:evidence_remove", args=[first.pk])
    assert client_for(world.outsider).post(remove).status_code == 404
    assert client_for(world.office_officer).post(remove).status_code == 403
    assert librarian.post(remove).status_code == 302
    assert list(Evidence.objects.filter(value=value)) == [second]
    services.submit(assessment, by=world.librarian)
    late = librarian.post(reverse("standards:evidence_remove", args=[second.pk]), follow=True)
    assert "không thể thay đổi minh chứng" in text(late)
    assert Evidence.objects.filter(pk=second.pk).exists()

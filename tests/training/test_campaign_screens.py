"""The campaign screens: create, edit, parts (materials with a file), publish, the report guidance
published later, close (department and office side), and the page's links for those who act.

The list (the archive) is tested in test_campaign_search.py, the custom scale in
test_campaign_scales.py."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from tests.training.conftest import make_campaign
from thuvien.training import services
from thuvien.training.models import (
    Campaign,
    CampaignStatus,
    Enrolment,
    Milestone,
    Topic,
)

NEW = reverse("training:campaign_create")


def url(name: str, campaign: Campaign) -> str:
    return reverse(f"training:{name}", args=[campaign.pk])


def english(client: Any) -> Any:
    client.cookies["thuvien_language"] = "en"
    return client


CAMPAIGN_POST = {
    "subject": "Tự bồi dưỡng 2026",
    "school_year": "2026",
    "roles": ["librarian"],
    "tiers": ["primary"],
    "symbol": "PGDĐT",
    "place": "Bến Tre",
    "school_deadline": "2027-04-10",
    "office_deadline": "2027-04-20",
    "scale": "marks_10",
    "reminder_days": "7,1",
    "topics_per_person": "1",
}


# --- Create and edit ----------------------------------------------------------------------------


def test_office_officer_creates_a_draft_of_the_office(world, client_for):
    response = client_for(world.office_officer).post(
        NEW, {**CAMPAIGN_POST, "target": world.school.pk}
    )
    campaign = Campaign.objects.get(subject="Tự bồi dưỡng 2026")
    assert response.status_code == 302 and response["Location"] == url("campaign_detail", campaign)
    assert campaign.issuer == world.office and campaign.target == world.school
    assert campaign.status == CampaignStatus.DRAFT and campaign.roles == ["librarian"]
    assert campaign.target_primary and not campaign.target_lower_secondary
    assert campaign.created_by == world.office_officer and campaign.scale == "marks_10"


def test_create_with_a_target_outside_the_scope_is_refused(world, client_for):
    before = Campaign.objects.count()
    data = {**CAMPAIGN_POST, "target": world.outsider_school.pk}
    response = client_for(world.office_officer).post(NEW, data)
    assert response.status_code == 422
    assert Campaign.objects.count() == before


def test_create_invalid_answers_422_and_saves_nothing(world, client_for):
    before = Campaign.objects.count()
    bad = {
        **CAMPAIGN_POST,
        "target": world.department.pk,
        "office_deadline": "2027-01-01",
    }  # before the school deadline
    response = english(client_for(world.dept_officer)).post(NEW, bad)
    assert response.status_code == 422
    assert "The office deadline cannot be before the school deadline." in response.content.decode()
    assert client_for(world.dept_officer).post(NEW, {"subject": ""}).status_code == 422
    assert Campaign.objects.count() == before


def test_create_refuses_wrong_method_anonymous_and_school_roles(world, client, client_for):
    assert client_for(world.dept_admin).get(NEW).status_code == 200
    assert client_for(world.dept_admin).put(NEW).status_code == 405
    assert client.get(NEW)["Location"].startswith("/accounts/login/")
    assert client_for(world.principal).get(NEW).status_code == 403


def test_issuer_edits_the_draft(world, client_for, campaign):
    client = client_for(world.dept_officer)
    assert client.get(url("campaign_edit", campaign)).status_code == 200
    data = {**CAMPAIGN_POST, "target": world.department.pk, "subject": "Đã sửa"}
    response = client.post(url("campaign_edit", campaign), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.subject == "Đã sửa" and campaign.school_year == 2026


def test_edit_invalid_answers_422_and_changes_nothing(world, client_for, campaign):
    data = {**CAMPAIGN_POST, "target": world.department.pk, "roles": ["reader"]}
    response = client_for(world.dept_officer).post(url("campaign_edit", campaign), data)
    assert response.status_code == 422
    campaign.refresh_from_db()
    assert campaign.school_year == 2025


def test_edit_of_a_campaign_issued_by_another_unit_is_403_or_404(world, client_for, campaign):
    office_a = Campaign.objects.get(issuer=world.office)
    # The Sở's draft is not seen below the Sở (404); office A's published campaign is seen by the
    # Sở, which may not edit another unit's campaign (403).
    assert client_for(world.office_officer).get(url("campaign_edit", campaign)).status_code == 404
    assert client_for(world.dept_officer).get(url("campaign_edit", office_a)).status_code == 403
    assert client_for(world.office_b_officer).get(url("campaign_edit", office_a)).status_code == 404
    assert client_for(world.principal).get(url("campaign_edit", campaign)).status_code == 403


def test_edit_anonymous_and_wrong_method(world, client, client_for, campaign):
    assert client.get(url("campaign_edit", campaign))["Location"].startswith("/accounts/login/")
    assert client_for(world.dept_admin).delete(url("campaign_edit", campaign)).status_code == 405


def test_a_published_campaign_can_no_longer_be_edited(world, client_for, published):
    data = {**CAMPAIGN_POST, "target": world.department.pk}
    response = client_for(world.dept_admin).post(url("campaign_edit", published), data)
    assert response.status_code == 422
    published.refresh_from_db()
    assert published.school_year == 2025


# --- The page, its parts ------------------------------------------------------------------------


def test_page_shows_the_letter_fields_and_parts(world, client_for, campaign):
    services.publish_campaign(campaign, by=world.dept_admin)  # a draft is not seen by schools
    response = english(client_for(world.librarian)).get(url("campaign_detail", campaign))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thư viện xanh" in body and "Nộp bài thu hoạch" in body and "10/04/2026" in body
    assert "NXB Giáo dục Việt Nam" in body
    assert url("campaign_publish", campaign) not in body  # read-only for school staff
    admin_body = english(client_for(world.dept_admin)).get(url("campaign_detail", campaign))
    assert url("campaign_publish", campaign) in admin_body.content.decode()


def test_page_refuses_outsider_anonymous_post_and_readers(world, client, client_for):
    office_a = Campaign.objects.get(issuer=world.office)
    assert client_for(world.outsider).get(url("campaign_detail", office_a)).status_code == 404
    assert client_for(world.thpt_librarian).get(url("campaign_detail", office_a)).status_code == 404
    assert client.get(url("campaign_detail", office_a)).status_code == 302
    assert (
        client_for(world.office_officer).post(url("campaign_detail", office_a)).status_code == 405
    )
    assert client_for(world.reader).get(url("campaign_detail", office_a)).status_code == 403


@pytest.mark.parametrize(
    ("part", "data", "model", "field", "value"),
    [
        ("topic", {"title": "Thư viện số"}, Topic, "title", "Thư viện số"),
        (
            "material",
            {"title": "Sổ tay", "author": "A", "publisher": "NXB", "year": "2020",
             "url": "https://example.org/a"},
            None, "title", "Sổ tay",
        ),
        (
            "milestone",
            {"name": "Tháng 6", "start": "2026-05-01", "end": "2026-05-31", "expected_output": ""},
            Milestone, "name", "Tháng 6",
        ),
    ],
)  # fmt: skip
def test_issuer_adds_and_removes_parts(
    world, client_for, campaign, part, data, model, field, value
):
    client = client_for(world.dept_officer)
    response = client.post(url(f"campaign_add_{part}", campaign), data)
    assert response.status_code == 302
    rows = getattr(campaign, f"{part}s").filter(**{field: value})
    assert rows.count() == 1
    response = client.post(url(f"campaign_remove_{part}", campaign), {"item": rows.get().pk})
    assert response.status_code == 302
    assert not rows.exists()


def test_adding_a_bad_part_answers_422_and_saves_nothing(world, client_for, campaign):
    client = english(client_for(world.dept_officer))
    before = campaign.milestones.count()
    bad = {"name": "Ngược", "start": "2026-05-31", "end": "2026-05-01"}
    response = client.post(url("campaign_add_milestone", campaign), bad)
    assert response.status_code == 422
    assert "A milestone cannot end before it starts." in response.content.decode()
    second_lock = {"name": "Khóa 2", "start": "2026-05-01", "end": "2026-05-31",
                   "locks_topic_choice": "on"}  # fmt: skip
    assert client.post(url("campaign_add_milestone", campaign), second_lock).status_code == 422
    assert client.post(url("campaign_add_topic", campaign), {"title": ""}).status_code == 422
    duplicate = {"title": "Thư viện xanh"}
    assert client.post(url("campaign_add_topic", campaign), duplicate).status_code == 422
    assert campaign.milestones.count() == before and campaign.topics.count() == 5


def test_parts_refuse_other_units_anonymous_get_and_published(world, client, client_for, published):
    add = url("campaign_add_topic", published)
    assert client_for(world.office_officer).post(add, {"title": "X"}).status_code == 403
    office_a = url("campaign_add_topic", Campaign.objects.get(issuer=world.office))
    assert client_for(world.office_b_officer).post(office_a, {"title": "X"}).status_code == 404
    assert client_for(world.librarian).post(add, {"title": "X"}).status_code == 403
    assert client.post(add, {"title": "X"}).status_code == 302
    assert client_for(world.dept_admin).get(add).status_code == 405
    assert client_for(world.dept_admin).post(add, {"title": "X"}).status_code == 422
    topic = published.topics.first()
    remove = url("campaign_remove_topic", published)
    client_for(world.dept_admin).post(remove, {"item": topic.pk})
    assert published.topics.filter(pk=topic.pk).exists()
    assert published.topics.count() == 5


# --- Publish and close --------------------------------------------------------------------------


def test_publish_enrols_and_says_how_many_then_again_changes_nothing(world, client_for, campaign):
    client = english(client_for(world.dept_officer))
    response = client.post(url("campaign_publish", campaign), follow=True)
    campaign.refresh_from_db()
    enrolled = Enrolment.objects.filter(campaign=campaign).count()
    assert campaign.status == CampaignStatus.PUBLISHED and enrolled > 0
    assert f"{enrolled} people were enrolled" in response.content.decode()
    again = client.post(url("campaign_publish", campaign), follow=True)
    assert "already published; nothing changed" in again.content.decode()
    assert Enrolment.objects.filter(campaign=campaign).count() == enrolled


def test_publish_without_a_school_deadline_is_refused(world, client_for):
    campaign = make_campaign(world, school_deadline=None, office_deadline=None)
    response = english(client_for(world.dept_officer)).post(
        url("campaign_publish", campaign), follow=True
    )
    assert "Set the school deadline before publishing." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_close_a_published_campaign(world, client_for, published):
    response = client_for(world.dept_officer).post(url("campaign_close", published))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == CampaignStatus.CLOSED


def test_closing_a_draft_is_refused(world, client_for, campaign):
    client_for(world.dept_officer).post(url("campaign_close", campaign))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


@pytest.mark.parametrize("name", ["campaign_publish", "campaign_close"])
def test_publish_and_close_refuse_strangers(world, client, client_for, campaign, name):
    target = url(name, campaign)
    assert client_for(world.dept_admin).get(target).status_code == 405
    assert client.post(target)["Location"].startswith("/accounts/login/")
    assert client_for(world.office_officer).post(target).status_code == 404  # the Sở's draft
    assert client_for(world.principal).post(target).status_code == 403
    office_a = Campaign.objects.get(issuer=world.office)
    assert client_for(world.office_b_officer).post(url(name, office_a)).status_code == 404
    campaign.refresh_from_db()
    office_a.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert office_a.status == CampaignStatus.PUBLISHED


# --- Materials with a file ----------------------------------------------------------------------


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_material_with_a_real_pdf_is_stored_under_a_safe_name(world, client_for, campaign, media):
    upload = SimpleUploadedFile("Sổ tay nghiệp vụ.PDF", pdf_bytes(), content_type="text/plain")
    data = {"title": "Sổ tay nghiệp vụ", "author": "Bộ GD&ĐT", "year": "2018", "file": upload}
    response = client_for(world.dept_officer).post(url("campaign_add_material", campaign), data)
    assert response.status_code == 302
    material = campaign.materials.get(title="Sổ tay nghiệp vụ")
    assert material.file.name.startswith("training/materials/")
    assert material.file.name.endswith(".pdf") and "tay" in material.file.name
    assert (media / material.file.name).read_bytes() == pdf_bytes()
    services.publish_campaign(campaign, by=world.dept_admin)  # schools see published campaigns
    page = english(client_for(world.librarian)).get(url("campaign_detail", campaign))
    body = page.content.decode()
    assert "Sổ tay nghiệp vụ" in body and "Bộ GD&amp;ĐT" in body and "2018" in body
    assert reverse("training:material_file", kwargs={"material_id": material.pk}) in body


def test_a_file_named_after_another_kind_is_stored_with_its_real_extension(
    world, client_for, campaign, media
):
    upload = SimpleUploadedFile("tai-lieu.docx", pdf_bytes())
    data = {"title": "Tài liệu", "file": upload}
    assert (
        client_for(world.dept_officer)
        .post(url("campaign_add_material", campaign), data)
        .status_code
        == 302
    )
    assert campaign.materials.get(title="Tài liệu").file.name.endswith("tai-lieu.pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.pdf", png_bytes(), "not a readable PDF / Word (DOCX) / Excel (XLSX) / PowerPoint"),
        ("hong.pdf", b"%PDF-1.7 not really", "not a readable PDF"),
        ("rong.pdf", b"", "file is empty."),
    ],
)
def test_a_bad_material_file_is_refused_and_nothing_is_saved(
    world, client_for, campaign, media, name, content, message
):
    before = campaign.materials.count()
    data = {"title": "Ảnh đổi tên", "file": SimpleUploadedFile(name, content)}
    client = english(client_for(world.dept_officer))
    response = client.post(url("campaign_add_material", campaign), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert campaign.materials.count() == before
    assert not any(media.rglob("*.*"))


def test_a_material_file_over_20_mb_is_refused(world, client_for, campaign, media):
    big = pdf_bytes() + b"%" * (20 * 1024 * 1024)
    data = {"title": "Quá lớn", "file": SimpleUploadedFile("lon.pdf", big)}
    client = english(client_for(world.dept_officer))
    response = client.post(url("campaign_add_material", campaign), data)
    assert response.status_code == 422
    assert "the limit is 20.0" in response.content.decode()
    assert not campaign.materials.filter(title="Quá lớn").exists()


def test_a_material_with_only_a_link_or_nothing_is_fine(world, client_for, campaign, media):
    client = client_for(world.dept_officer)
    add = url("campaign_add_material", campaign)
    assert client.post(add, {"title": "Trang web", "url": "thuvien.edu.vn/a"}).status_code == 302
    assert client.post(add, {"title": "Sách in"}).status_code == 302
    assert campaign.materials.get(title="Trang web").url == "https://thuvien.edu.vn/a"
    assert not campaign.materials.get(title="Sách in").file


def test_the_add_material_form_sends_files(world, client_for, campaign):
    body = client_for(world.dept_officer).get(url("campaign_detail", campaign)).content.decode()
    assert 'enctype="multipart/form-data"' in body and 'type="file"' in body


# --- The report guidance, published later -------------------------------------------------------

GUIDANCE = "Bài thu hoạch 3–5 trang, trình bày theo mẫu đính kèm."


def test_the_issuer_publishes_then_updates_the_guidance_and_the_enrolled_read_it(
    world, client_for, published
):
    client = english(client_for(world.dept_officer))
    response = client.post(url("campaign_guidance", published), {"text": GUIDANCE})
    assert response.status_code == 302 and response["Location"] == url("campaign_detail", published)
    published.refresh_from_db()
    assert published.report_guidance == GUIDANCE and published.guidance_published_at is not None
    assert client.post(url("campaign_guidance", published), {"text": "Bản mới."}).status_code == 302
    published.refresh_from_db()
    assert published.report_guidance == "Bản mới."
    librarian_page = english(client_for(world.librarian)).get(url("campaign_detail", published))
    body = librarian_page.content.decode()
    assert "Bản mới." in body and "Published on" in body
    assert url("campaign_guidance", published) not in body  # read-only for the enrolled


def test_guidance_form_is_offered_to_the_issuer_of_a_published_campaign_only(
    world, client_for, campaign
):
    form_url = url("campaign_guidance", campaign)
    assert (
        form_url
        not in client_for(world.dept_officer).get(url("campaign_detail", campaign)).content.decode()
    )
    services.publish_campaign(campaign, by=world.dept_admin)
    assert (
        form_url
        in client_for(world.dept_officer).get(url("campaign_detail", campaign)).content.decode()
    )


@pytest.mark.parametrize(
    ("state", "text", "message"),
    [
        ("draft", GUIDANCE, "still a draft: write its report guidance in the campaign form"),
        ("closed", GUIDANCE, "closed; its report guidance can no longer change"),
        ("published", "   ", "This field is required."),
    ],
)
def test_guidance_refused_on_a_draft_a_closed_campaign_or_empty(
    world, client_for, campaign, state, text, message
):
    if state != "draft":
        services.publish_campaign(campaign, by=world.dept_admin)
    if state == "closed":
        services.close_campaign(campaign, by=world.dept_admin)
    response = english(client_for(world.dept_officer)).post(
        url("campaign_guidance", campaign), {"text": text}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.report_guidance == "" and campaign.guidance_published_at is None


def test_guidance_refuses_strangers(world, client, client_for, published):
    target = url("campaign_guidance", published)
    office_a = url("campaign_guidance", Campaign.objects.get(issuer=world.office))
    assert client_for(world.librarian).post(target, {"text": GUIDANCE}).status_code == 403
    assert client_for(world.principal).post(target, {"text": GUIDANCE}).status_code == 403
    assert client_for(world.office_officer).post(target, {"text": GUIDANCE}).status_code == 403
    assert client_for(world.office_b_officer).post(office_a, {"text": GUIDANCE}).status_code == 404
    assert client_for(world.outsider).post(office_a, {"text": GUIDANCE}).status_code == 403
    assert client.post(target, {"text": GUIDANCE})["Location"].startswith("/accounts/login/")
    assert client_for(world.dept_admin).get(target).status_code == 405
    published.refresh_from_db()
    assert published.report_guidance == ""


# --- Links for those who act --------------------------------------------------------------------


def test_the_page_links_the_principal_to_the_school_page_and_staff_to_their_record(
    world, client_for, published
):
    school_page = reverse("training:school_page", args=[published.pk])
    principal = client_for(world.principal).get(url("campaign_detail", published)).content.decode()
    assert school_page in principal
    own = Enrolment.objects.get(campaign=published, user=world.librarian)
    librarian = client_for(world.librarian).get(url("campaign_detail", published)).content.decode()
    assert reverse("training:record_detail", args=[own.pk]) in librarian
    assert school_page not in librarian


def test_no_school_page_link_on_a_draft(world, client_for, campaign):
    school_page = reverse("training:school_page", args=[campaign.pk])
    assert (
        school_page
        not in client_for(world.principal).get(url("campaign_detail", campaign)).content.decode()
    )


def test_supervisors_get_the_office_pages_and_schools_do_not(world, client_for, published):
    office_page = reverse("training:office_page", args=[published.pk])
    report_page = reverse("training:unit_report", args=[published.pk])
    for supervisor in (world.office_officer, world.dept_officer):
        page = client_for(supervisor).get(url("campaign_detail", published)).content.decode()
        assert office_page in page and report_page in page, supervisor
    for school_person in (world.principal, world.librarian):
        page = client_for(school_person).get(url("campaign_detail", published)).content.decode()
        assert office_page not in page and report_page not in page, school_person


def test_a_draft_is_seen_only_where_it_is_written(world, client_for, campaign):
    """The Sở's draft: not on the list, page, letter or material of schools and offices."""
    page = reverse("training:campaign_detail", args=[campaign.pk])
    letter = reverse("training:campaign_pdf", args=[campaign.pk])
    for outsider in (world.librarian, world.principal, world.office_officer, world.thpt_librarian):
        client = client_for(outsider)
        assert client.get(page).status_code == 404, outsider
        assert client.get(letter).status_code in (403, 404), outsider
        listing = client.get(reverse("training:campaign_list")).content.decode()
        assert campaign.subject not in listing, outsider
    for insider in (world.dept_admin, world.dept_officer):
        assert client_for(insider).get(page).status_code == 200, insider
    services.publish_campaign(campaign, by=world.dept_admin)
    assert client_for(world.librarian).get(page).status_code == 200  # published: it reaches A1

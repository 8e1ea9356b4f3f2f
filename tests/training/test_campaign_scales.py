"""The custom evaluation scale on the campaign form: levels typed one per line, passing ones in one
box and failing ones in the other, checked with messages that say what to fix, shown on the page,
and usable for evaluation. The preset scales keep working."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tests.training.conftest import make_campaign
from thuvien.training import services
from thuvien.training.models import Campaign, Scale, ScaleLevel

NEW = reverse("training:campaign_create")
LEVELS = [("Hoàn thành tốt", True), ("Hoàn thành", True), ("Chưa hoàn thành", False)]
POST = {
    "subject": "Tự bồi dưỡng thang riêng",
    "school_year": "2026",
    "roles": ["librarian"],
    "school_deadline": "2027-04-10",
    "scale": "custom",
    "passing_levels": "Hoàn thành tốt\r\nHoàn thành",
    "failing_levels": "Chưa hoàn thành",
    "reminder_days": "7,1",
    "topics_per_person": "1",
}


def url(name: str, campaign: Campaign) -> str:
    return reverse(f"training:{name}", args=[campaign.pk])


def levels_of(campaign: Campaign) -> list[tuple[str, bool]]:
    return [(level.label, level.passes) for level in campaign.scale_levels.order_by("order")]


@pytest.fixture
def client(world: Any, client_for: Any) -> Any:
    client = client_for(world.dept_officer)
    client.cookies["thuvien_language"] = "en"
    return client


def test_a_custom_scale_round_trip(world, client):
    response = client.post(NEW, {**POST, "target": world.department.pk})
    campaign = Campaign.objects.get(subject=POST["subject"])
    assert response.status_code == 302
    assert campaign.scale == Scale.CUSTOM and levels_of(campaign) == LEVELS
    page = client.get(url("campaign_detail", campaign)).content.decode()
    assert "Hoàn thành tốt — passes" in page and "Chưa hoàn thành — does not pass" in page
    form = client.get(url("campaign_edit", campaign)).context["form"]
    assert form["passing_levels"].value() == "Hoàn thành tốt\nHoàn thành"
    assert form["failing_levels"].value() == "Chưa hoàn thành"
    # Evaluation uses the levels: "Hoàn thành" passes, "Chưa hoàn thành" does not.
    assert services.grade_on_scale(campaign, "Hoàn thành")[2] is True
    assert services.grade_on_scale(campaign, "Chưa hoàn thành")[2] is False


def test_pasted_bullets_and_blank_lines_are_not_part_of_a_level(world, client):
    data = {**POST, "target": world.department.pk,
            "passing_levels": "- Hoàn thành tốt\n\n• Hoàn thành\n",
            "failing_levels": "* Chưa hoàn thành"}  # fmt: skip
    assert client.post(NEW, data).status_code == 302
    assert levels_of(Campaign.objects.get(subject=POST["subject"])) == LEVELS


@pytest.mark.parametrize(
    ("passing", "failing", "field", "message"),
    [
        ("", "Chưa hoàn thành", "passing_levels", "at least one passing level"),
        ("  \n ", "", "passing_levels", "at least one passing level"),
        ("Hoàn thành", "", "failing_levels", "at least two levels"),
        ("Đạt\nđạt", "Chưa đạt", "passing_levels", "“đạt” is listed twice"),
        ("Đạt", "Đạt", "failing_levels", "“Đạt” is listed twice"),
        ("Đạt", "x" * 65, "failing_levels", "at most 64 characters"),
        ("\n".join(f"Mức {n}" for n in range(11)), "", "passing_levels", "at most 10 levels"),
    ],
)
def test_bad_levels_are_refused_with_what_to_fix_and_nothing_is_saved(
    world, client, passing, failing, field, message
):
    before = Campaign.objects.count(), ScaleLevel.objects.count()
    data = {**POST, "target": world.department.pk, "passing_levels": passing,
            "failing_levels": failing}  # fmt: skip
    response = client.post(NEW, data)
    assert response.status_code == 422
    with translation.override("en"):  # the request left the site's language active
        errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert (Campaign.objects.count(), ScaleLevel.objects.count()) == before


def test_editing_replaces_the_levels_or_goes_back_to_a_preset(world, client):
    campaign = make_campaign(world)
    services.set_custom_scale(campaign, levels=LEVELS)
    data = {**POST, "target": world.department.pk, "passing_levels": "Đạt",
            "failing_levels": "Chưa đạt"}  # fmt: skip
    assert client.post(url("campaign_edit", campaign), data).status_code == 302
    assert levels_of(campaign) == [("Đạt", True), ("Chưa đạt", False)]
    preset = {**data, "scale": "complete_incomplete"}
    assert client.post(url("campaign_edit", campaign), preset).status_code == 302
    campaign.refresh_from_db()
    assert campaign.scale == Scale.COMPLETE_INCOMPLETE
    page = client.get(url("campaign_detail", campaign)).content.decode()
    assert "Complete / Incomplete" in page and "Chưa đạt" not in page
    assert services.grade_on_scale(campaign, "complete")[2] is True


def test_bad_levels_on_edit_keep_the_old_ones(world, client):
    campaign = make_campaign(world)
    services.set_custom_scale(campaign, levels=LEVELS)
    data = {**POST, "target": world.department.pk, "passing_levels": "", "subject": "Đổi tên"}
    assert client.post(url("campaign_edit", campaign), data).status_code == 422
    campaign.refresh_from_db()
    assert levels_of(campaign) == LEVELS and campaign.subject != "Đổi tên"


def test_levels_of_a_published_campaign_cannot_change(world, client):
    campaign = make_campaign(world)
    services.set_custom_scale(campaign, levels=LEVELS)
    services.publish_campaign(campaign, by=world.dept_admin)
    data = {
        **POST,
        "target": world.department.pk,
        "passing_levels": "Đạt",
        "failing_levels": "Không",
    }
    response = client.post(url("campaign_edit", campaign), data)
    assert response.status_code == 422
    assert "A published campaign can no longer be changed." in response.content.decode()
    assert levels_of(campaign) == LEVELS


@pytest.mark.parametrize("scale", ["good_fair_pass_fail", "marks_10", "complete_incomplete"])
def test_preset_scales_need_no_levels_and_ignore_the_boxes(world, client, scale):
    data = {**POST, "target": world.department.pk, "scale": scale, "passing_levels": "Đạt",
            "failing_levels": ""}  # fmt: skip
    assert client.post(NEW, data).status_code == 302
    campaign = Campaign.objects.get(subject=POST["subject"])
    assert campaign.scale == scale and not campaign.scale_levels.exists()


def test_a_custom_scale_without_levels_says_so_on_the_page(world, client):
    campaign = make_campaign(world, scale=Scale.CUSTOM)
    page = client.get(url("campaign_detail", campaign)).content.decode()
    assert "no level yet: edit the campaign to list them" in page


def test_a_custom_scale_without_levels_cannot_be_published(world):
    campaign = make_campaign(world, scale=Scale.CUSTOM)
    with pytest.raises(services.TrainingError, match="levels of the custom scale"):
        services.publish_campaign(campaign, by=world.dept_admin)
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_leaving_a_custom_scale_drops_its_levels(world):
    campaign = make_campaign(world)
    services.set_custom_scale(campaign, levels=[("Hoàn thành tốt", True), ("Chưa đạt", False)])
    services.update_campaign(campaign, by=world.dept_admin, scale=Scale.MARKS_10)
    assert not campaign.scale_levels.exists()

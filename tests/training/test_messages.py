"""Refusals reach people in Vietnamese, saying what to do."""

import pytest
from django.utils import translation

from tests.training.conftest import LOCK_DAY, PUBLISHED_ON, make_campaign
from thuvien.training import services
from thuvien.training.services import TrainingError


def test_locked_topic_choice_is_explained_in_vietnamese(world):
    campaign = make_campaign(world)
    services.publish_campaign(campaign, by=world.dept_admin, on=PUBLISHED_ON)
    enrolment = campaign.enrolments.get(user=world.librarian)
    topic = campaign.topics.first()
    with translation.override("vi"), pytest.raises(TrainingError) as error:
        services.choose_topic(enrolment, topic, on=LOCK_DAY)
    assert str(error.value) == (
        "Việc chọn chuyên đề đã khóa từ ngày 15/01/2026; hãy đề nghị hiệu trưởng mở lại."
    )

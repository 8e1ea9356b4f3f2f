"""The issuer's own report follows the sending rule too: the Sở finalises its report once it has
confirmed the offices whose report has not reached it and the schools directly under it that
have not sent their package (`sending.not_sent_to_issuer`, `sending.check_final_confirmed`)."""

from __future__ import annotations

import pytest

from tests.training.conftest import D, at, make_campaign
from tests.training.test_unit_reports import send_a1
from thuvien.training import services
from thuvien.training.figures import unit_figures
from thuvien.training.models import Enrolment
from thuvien.training.services import reports, sending

AFTER = D(2026, 4, 25)  # after the office deadline (20/04/2026)


@pytest.fixture
def office_report(world, published):
    """Office A's report, sent to the Sở: A1 sent its package, A2 has not (confirmed)."""
    send_a1(world, published)
    report = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    return reports.submit_unit_report(
        report, by=world.office_officer, on=at(2026, 4, 18), not_sent=[world.school_a2.pk]
    )


def test_nothing_sent_names_every_office_then_the_schools_directly_under_the_sở(world, published):
    missing = sending.final_not_sent(published, world.department, AFTER)
    assert missing == [world.office, world.office_b, world.thpt]


def test_an_office_whose_report_reached_the_sở_is_not_named(world, published, office_report):
    assert sending.final_not_sent(published, world.department, AFTER) == [
        world.office_b,
        world.thpt,
    ]
    reports.accept_unit_report(office_report, by=world.dept_officer)
    assert world.office not in sending.final_not_sent(published, world.department, AFTER)


def test_a_returned_office_report_is_named_again(world, published, office_report):
    reports.return_unit_report(office_report, by=world.dept_officer, comment="Bổ sung số liệu.")
    assert world.office in sending.final_not_sent(published, world.department, AFTER)


def test_a_draft_office_report_is_named(world, published):
    send_a1(world, published)
    reports.prepare_unit_report(published, world.office, by=world.office_officer)
    assert world.office in sending.final_not_sent(published, world.department, AFTER)


def test_a_thpt_package_that_reached_the_sở_is_not_named(world, published, office_report):
    missing = Enrolment.objects.get(campaign=published, user=world.thpt_librarian)
    thpt = services.submit_school_package(
        published,
        world.thpt,
        by=world.dept_officer,
        summary="THPT",
        on=at(2026, 4, 11),
        not_submitted=[missing.pk],
    )
    assert thpt.submitted_to == world.department
    assert sending.final_not_sent(published, world.department, AFTER) == [world.office_b]


def test_the_sở_itself_is_never_named(world, published):
    figures = unit_figures(published, world.department, today=AFTER)
    assert world.department in [row.office for row in figures.offices]
    assert world.department not in sending.not_sent_to_issuer(figures)


def test_an_offices_own_campaign_names_its_schools_without_a_package(world):
    campaign = make_campaign(world, issuer=world.office, target=world.office)
    services.publish_campaign(campaign, by=world.office_officer, on=D(2025, 12, 4))
    send_a1(world, campaign)
    assert sending.final_not_sent(campaign, world.office, AFTER) == [world.school_a2]


def test_the_confirmation_must_name_every_unit_not_sent(world, published):
    missing = sending.final_not_sent(published, world.department, AFTER)
    with pytest.raises(sending.Unconfirmed) as refused:
        sending.check_final_confirmed(missing, [world.office.pk, world.office_b.pk])
    message = str(refused.value)
    assert all(unit.name in message for unit in missing)
    assert "finalised without these units" in message
    with pytest.raises(sending.Unconfirmed):
        sending.check_final_confirmed(missing, [])
    sending.check_final_confirmed(missing, [unit.pk for unit in missing])  # all confirmed
    sending.check_final_confirmed(missing, None)  # a script, as things stand
    sending.check_final_confirmed([], [])  # nothing missing: nothing to confirm


def test_a_confirmation_of_an_old_list_is_refused_when_another_office_is_missing(
    world, published, office_report
):
    seen = sending.final_not_sent(published, world.department, AFTER)  # office B, THPT
    reports.return_unit_report(office_report, by=world.dept_officer, comment="Bổ sung.")
    now = sending.final_not_sent(published, world.department, AFTER)
    with pytest.raises(sending.Unconfirmed, match=world.office.name):
        sending.check_final_confirmed(now, [unit.pk for unit in seen])

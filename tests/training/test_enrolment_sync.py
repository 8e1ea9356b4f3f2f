"""People appointed after publishing are enrolled; people who leave keep their record; a person who
moves to another targeted school takes the record along (see test_enrolment_moves.py)."""

from tests.training.conftest import PUBLISHED_ON, D, enrolled_users
from thuvien.core.testing import make_user
from thuvien.organisations import services as organisations
from thuvien.organisations.models import Membership, Role
from thuvien.training import services
from thuvien.training.models import Enrolment


def test_a_person_appointed_after_publishing_is_enrolled_by_sync(world, published):
    newcomer = make_user("thuvien_moi", "Lý Thị Mới")
    organisations.add_membership(
        newcomer, world.school_a2, Role.LIBRARIAN, valid_from=D(2026, 1, 5)
    )
    assert services.sync_enrolments(published, on=D(2026, 1, 4)).enrolled == 0
    result = services.sync_enrolments(published, on=D(2026, 1, 5))
    assert (result.enrolled, result.left, result.returned) == (1, 0, 0)
    record = Enrolment.objects.get(campaign=published, user=newcomer)
    assert (record.school, record.enrolled_on, record.left_on) == (
        world.school_a2,
        D(2026, 1, 5),
        None,
    )
    assert services.sync_enrolments(published, on=D(2026, 1, 6)).enrolled == 0


def test_a_person_who_left_keeps_the_record_with_left_on(world, record):
    membership = Membership.objects.get(user=world.librarian, role=Role.LIBRARIAN)
    organisations.end_membership(membership, on=D(2026, 2, 28))
    assert services.sync_enrolments(record.campaign, on=D(2026, 2, 28)).left == 0
    result = services.sync_enrolments(record.campaign, on=D(2026, 3, 1))
    assert (result.enrolled, result.left) == (0, 1)
    record.refresh_from_db()
    assert record.left_on == D(2026, 3, 1)
    assert world.librarian in enrolled_users(record.campaign)
    current = Enrolment.objects.filter(campaign=record.campaign).current()
    assert world.librarian not in {e.user for e in current}
    assert services.sync_enrolments(record.campaign, on=D(2026, 3, 2)).left == 0


def test_a_person_who_comes_back_is_current_again(world, record):
    membership = Membership.objects.get(user=world.librarian, role=Role.LIBRARIAN)
    organisations.end_membership(membership, on=D(2026, 1, 31))
    services.sync_enrolments(record.campaign, on=D(2026, 2, 1))
    organisations.add_membership(
        world.librarian, world.school, Role.LIBRARIAN, valid_from=D(2026, 3, 1)
    )
    assert services.sync_enrolments(record.campaign, on=D(2026, 3, 1)).returned == 1
    record.refresh_from_db()
    assert record.left_on is None


def test_enrolment_is_kept_in_history(world, published):
    record = Enrolment.objects.get(campaign=published, user=world.librarian)
    assert record.history.count() == 1
    assert record.enrolled_on == PUBLISHED_ON

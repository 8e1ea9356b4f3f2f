"""The catalogue's standards indicators, computed from the school's copies."""

from __future__ import annotations

from decimal import Decimal

from thuvien.access import resolve_scope
from thuvien.catalogue.models import Record
from thuvien.catalogue.services import copies
from thuvien.core import indicators


def test_copies_per_student_and_teacher_count_the_books_held(world):
    schools = [world.school.pk, world.school_a2.pk, world.outsider_school.pk]
    # School A1: 5 copies, 620 students and 31 teachers in 2025. School A2 keeps no copies in
    # the catalogue, and the outsider school's one copy came after that school year: no value
    # for either (not a computed zero).
    assert indicators.values("book_copies_per_student", schools, 2025) == {
        world.school.pk: Decimal("0.01"),
    }
    assert indicators.values("book_copies_per_teacher", [world.school.pk], 2025) == {
        world.school.pk: Decimal("0.16")
    }


def test_textbook_sets_are_the_fewest_copies_of_a_grades_titles(world):
    textbook = Record.objects.get(title="Tiếng Việt 1")
    assert indicators.values("book_sets_per_teacher", [world.school.pk], 2025) == {
        world.school.pk: Decimal("0.10")  # 3 sets of grade 1 for 31 teachers
    }
    copies.add_copies(textbook, school=world.school, count=28, by=world.librarian)
    # Copies registered now (after 31 May 2026) count from the 2026 school year on.
    assert indicators.values("book_sets_per_teacher", [world.school.pk], 2025)[
        world.school.pk
    ] == Decimal("0.10")
    assert indicators.rows(
        "book_sets_per_teacher", world.school.pk, 2026, resolve_scope(world.librarian, None)
    )[0].detail


def test_the_drill_down_shows_nothing_to_an_outsider(world):
    insider = indicators.rows(
        "book_copies_per_student", world.school.pk, 2025, resolve_scope(world.librarian, None)
    )
    assert [row.detail.split()[0] for row in insider] == ["3", "2"]  # SGK, then STN
    outsider = resolve_scope(world.outsider, None)
    for code in ("book_copies_per_student", "book_sets_per_teacher", "digital_resources"):
        assert indicators.rows(code, world.school.pk, 2025, outsider) == []
        assert indicators.rows(code, world.school.pk, 2026, outsider) == []


def test_digital_resources_are_counted(world):
    assert indicators.values("digital_resources", [world.school.pk], 2026) == {
        world.school.pk: Decimal(1)
    }


def test_indicators_for_many_schools_take_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    schools = [world.school.pk, world.school_a2.pk, world.thpt.pk, world.outsider_school.pk]
    for code in (
        "book_copies_per_student",
        "book_sets_per_teacher",
        "professional_books_per_teacher",
    ):
        with django_assert_max_num_queries(2):
            indicators.values(code, schools, 2025)

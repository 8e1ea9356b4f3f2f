"""The copy list: the school's copies only, filtered by collection, status and a text (the
title without diacritics, a registration number, a barcode), in pages, sorted by registration
number; anonymous → login, roles without the catalogue → 403, a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thuvien.catalogue.models import Collection, Copy, CopyStatus, Record
from thuvien.catalogue.services import copies
from thuvien.catalogue.views import copy_list

URL = reverse("catalogue:copy_list")
QUERIES = 7  # session, user, memberships, count, page, the collections (form), notifications


def numbers(response) -> list[str]:
    return [copy.registration_number for copy in response.context["page"].object_list]


def test_the_librarian_sees_the_schools_copies_in_registration_order(world, client_for):
    response = client_for(world.librarian).get(URL)
    assert response.status_code == 200
    assert numbers(response) == [
        "SGK.000001", "SGK.000002", "SGK.000003", "STN.000001", "STN.000002",
    ]  # fmt: skip
    body = response.content.decode()
    assert "Tiếng Việt 1" in body and "Cho tôi xin một vé đi tuổi thơ" in body
    copy = Copy.objects.get(school=world.school, registration_number="SGK.000001")
    assert reverse("catalogue:copy_edit", args=[copy.pk]) in body
    assert reverse("catalogue:record_detail", args=[copy.record_id]) in body


def test_the_outsider_sees_only_its_own_copy(world, client_for):
    response = client_for(world.outsider).get(URL)
    assert [c.school_id for c in response.context["page"].object_list] == [world.outsider_school.pk]
    assert "SGK.000001" not in response.content.decode()


def test_the_outsiders_collection_is_no_filter_of_the_librarian(world, client_for):
    theirs = Collection.objects.get(school=world.outsider_school, code="STN")
    response = client_for(world.librarian).get(URL, {"collection": theirs.pk})
    assert response.context["form"].errors  # not a choice: the filter is ignored
    assert world.outsider_school.pk not in {
        c.school_id for c in response.context["page"].object_list
    }


def test_filter_by_collection_and_status(world, client_for):
    stn = Collection.objects.get(school=world.school, code="STN")
    client = client_for(world.librarian)
    assert numbers(client.get(URL, {"collection": stn.pk})) == ["STN.000001", "STN.000002"]
    Copy.objects.filter(registration_number="SGK.000002").update(status=CopyStatus.DAMAGED)
    assert numbers(client.get(URL, {"status": "damaged"})) == ["SGK.000002"]
    assert numbers(client.get(URL, {"status": "damaged", "collection": stn.pk})) == []


@pytest.mark.parametrize("text", ["tieng viet", "TIẾNG VIỆT", "tiếng việt 1"])
def test_the_text_finds_the_title_without_diacritics(world, client_for, text):
    response = client_for(world.librarian).get(URL, {"q": text})
    assert numbers(response) == ["SGK.000001", "SGK.000002", "SGK.000003"]


def test_the_text_finds_a_registration_number_or_a_barcode(world, client_for):
    client = client_for(world.librarian)
    assert numbers(client.get(URL, {"q": "stn.000002"})) == ["STN.000002"]
    copy = Copy.objects.get(school=world.school, registration_number="SGK.000003")
    copies.update_copy(copy, by=world.librarian, barcode="8930000000031")
    assert numbers(client.get(URL, {"q": "8930000000031"})) == ["SGK.000003"]
    assert numbers(client.get(URL, {"q": "khong co sach nay"})) == []


def test_the_list_is_paginated(world, client_for, monkeypatch):
    monkeypatch.setattr(copy_list, "PER_PAGE", 2)
    client = client_for(world.librarian)
    first = client.get(URL, {"status": "available"})
    assert numbers(first) == ["SGK.000001", "SGK.000002"]
    assert "status=available&amp;page=2" in first.content.decode()
    assert numbers(client.get(URL, {"status": "available", "page": 3})) == ["STN.000002"]
    assert numbers(client.get(URL, {"page": 99})) == ["STN.000002"]  # the last page


def test_the_htmx_filter_answers_the_list_fragment(world, client_for):
    response = client_for(world.librarian).get(URL, {"q": "tuoi tho"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="copies"' in body and "STN.000001" in body


def test_the_department_sees_every_school_with_the_schools_name(world, client_for):
    response = client_for(world.dept_admin).get(URL)
    schools = {c.school_id for c in response.context["page"].object_list}
    assert schools == {world.school.pk, world.outsider_school.pk}
    assert world.outsider_school.name in response.content.decode()


def test_the_principal_reads_the_list_without_edit_links(world, client_for):
    response = client_for(world.principal).get(URL)
    assert response.status_code == 200 and len(numbers(response)) == 5
    copy = Copy.objects.filter(school=world.school).first()
    assert reverse("catalogue:copy_edit", args=[copy.pk]) not in response.content.decode()


def test_anonymous_goes_to_login_and_other_roles_get_403(world, client, client_for):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url
    assert client_for(world.trainer).get(URL).status_code == 403
    assert client_for(world.reader).get(URL).status_code == 403


def test_the_list_is_get_only(world, client_for):
    assert client_for(world.librarian).post(URL).status_code == 405


def test_the_query_count_does_not_grow_with_the_copies(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.librarian)
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        few = client.get(URL)
    record = Record.objects.get(title="Tiếng Việt 1")
    copies.add_copies(record, school=world.school, count=20, by=world.librarian)
    with django_assert_num_queries(QUERIES):
        many = client.get(URL)
    assert len(numbers(few)) == 5 and len(numbers(many)) == 25

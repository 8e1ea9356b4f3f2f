"""Collections and numbering: the list with each sequence's last number given, a new
collection numbered by its own prefix or sharing one, a collection's prefix changed without
renumbering its copies, and a prefix or digits the numbering rules forbid refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thuvien.catalogue.models import Collection, Copy, Record, Sequence
from thuvien.catalogue.services import CatalogueError, copies
from thuvien.catalogue.services.collections import save_collection

LIST = reverse("catalogue:collection_list")
NEW = reverse("catalogue:collection_new")


def edit_url(collection: Collection) -> str:
    return reverse("catalogue:collection_edit", args=[collection.pk])


def collection(world, code: str) -> Collection:
    return Collection.objects.select_related("sequence").get(school=world.school, code=code)


def form_of(item: Collection, **changes) -> dict:
    data = {
        "code": item.code,
        "name": item.name,
        "doc_type": item.doc_type,
        "number_prefix": item.sequence.prefix,
        "digits": item.sequence.digits,
        "public": "on" if item.public else "",
    }
    return {**data, **changes}


def textbook() -> Record:
    return Record.objects.get(title="Tiếng Việt 1")


def test_the_list_shows_the_schools_collections_and_their_numbering(world, client_for):
    response = client_for(world.librarian).get(LIST)
    assert response.status_code == 200
    codes = [c.code for c in response.context["collections"]]
    assert codes == ["BTC", "SGK", "SGV", "SNV", "STK", "STN", "TLK"]
    counts = {c.code: c.copies_count for c in response.context["collections"]}
    assert counts["SGK"] == 3 and counts["STN"] == 2
    rows = {seq.prefix: (codes, nxt) for seq, codes, nxt in response.context["sequences"]}
    assert rows["SGK."] == (["SGK"], "SGK.000004")
    assert {seq.school_id for seq, _c, _n in response.context["sequences"]} == {world.school.pk}
    assert "SGK.000004" in response.content.decode()


def test_the_outsider_sees_only_its_own_collections(world, client_for):
    response = client_for(world.outsider).get(LIST)
    assert {c.school_id for c in response.context["collections"]} == {world.outsider_school.pk}


def test_the_librarian_adds_a_collection_with_its_own_numbering(world, client_for):
    client = client_for(world.librarian)
    data = {"code": "tn", "name": "Tủ sách lớp học", "doc_type": "stn", "number_prefix": "TN.",
            "digits": 5}  # fmt: skip
    response = client.post(NEW, data)
    assert response.status_code == 302 and response.url == LIST
    made = collection(world, "TN")
    assert (made.name, made.doc_type, made.public) == ("Tủ sách lớp học", "stn", False)
    assert (made.sequence.prefix, made.sequence.digits, made.sequence.last_number) == ("TN.", 5, 0)
    added = copies.add_copies(
        textbook(), school=world.school, count=2, collection=made, by=world.librarian
    )
    assert [c.registration_number for c in added] == ["TN.00001", "TN.00002"]


def test_a_collection_given_anothers_prefix_shares_its_numbering(world, client_for):
    data = {"code": "SGK2", "name": "Sách giáo khoa cũ", "number_prefix": "SGK.", "digits": 6}
    assert client_for(world.librarian).post(NEW, data).status_code == 302
    shared = collection(world, "SGK2")
    assert shared.sequence_id == collection(world, "SGK").sequence_id
    added = copies.add_copies(
        textbook(), school=world.school, count=1, collection=shared, by=world.librarian
    )
    assert added[0].registration_number == "SGK.000004"


def test_changing_a_prefix_keeps_the_copies_numbers(world, client_for):
    sgk = collection(world, "SGK")
    before = list(
        Copy.objects.filter(collection=sgk).values_list("registration_number", "sequence_id")
    )
    response = client_for(world.librarian).post(
        edit_url(sgk), form_of(sgk, number_prefix="GK-", name="Sách giáo khoa")
    )
    assert response.status_code == 302
    sgk.refresh_from_db()
    assert (sgk.name, sgk.sequence.prefix) == ("Sách giáo khoa", "GK-")
    after = list(
        Copy.objects.filter(collection=sgk).values_list("registration_number", "sequence_id")
    )
    assert after == before  # the registered copies keep their numbers and their sequence
    old = Sequence.objects.get(school=world.school, prefix="SGK.")
    assert old.last_number == 3  # the old numbering is kept, never given again
    added = copies.add_copies(
        textbook(), school=world.school, count=1, collection=sgk, by=world.librarian
    )
    assert added[0].registration_number == "GK-000001"


def test_going_back_to_an_old_prefix_continues_its_numbers(world):
    sgk = collection(world, "SGK")
    save_collection(world.school, collection=sgk, code="SGK", name="SGK", doc_type="sgk",
                    prefix="GK-", digits=6)  # fmt: skip
    save_collection(world.school, collection=sgk, code="SGK", name="SGK", doc_type="sgk",
                    prefix="SGK.", digits=6)  # fmt: skip
    added = copies.add_copies(
        textbook(), school=world.school, count=1, collection=sgk, by=world.librarian
    )
    assert added[0].registration_number == "SGK.000004"


def test_a_prefix_whose_numbers_another_numbering_gave_is_refused(world):
    # SGK.000001-3 were given; a sequence "SGK.000" of 3 digits would give SGK.000001 again.
    with pytest.raises(CatalogueError, match=r"SGK\.000"):
        save_collection(world.school, code="X", name="X", doc_type="", prefix="SGK.000",
                        digits=3)  # fmt: skip
    assert not Collection.objects.filter(school=world.school, code="X").exists()
    assert not Sequence.objects.filter(school=world.school, prefix="SGK.000").exists()


def test_the_digits_of_a_numbering_that_gave_numbers_are_not_changed(world, client_for):
    sgk = collection(world, "SGK")
    response = client_for(world.librarian).post(edit_url(sgk), form_of(sgk, digits=8))
    assert response.status_code == 422
    assert "SGK.000003" in response.content.decode()
    sgk.sequence.refresh_from_db()
    assert sgk.sequence.digits == 6
    unused = collection(world, "TLK")
    assert (
        client_for(world.librarian).post(edit_url(unused), form_of(unused, digits=4)).status_code
        == 302
    )
    unused.sequence.refresh_from_db()
    assert unused.sequence.digits == 4


@pytest.mark.parametrize(
    "changes",
    [{"code": "STN"}, {"code": ""}, {"number_prefix": "SGK 1"}, {"number_prefix": "A" * 13},
     {"digits": 2}, {"doc_type": "novel"}],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_changes(world, client_for, changes):
    sgk = collection(world, "SGK")
    response = client_for(world.librarian).post(edit_url(sgk), form_of(sgk, **changes))
    assert response.status_code == 422
    again = collection(world, "SGK")
    assert (again.code, again.sequence_id) == ("SGK", sgk.sequence_id)


def test_the_outsider_gets_404_and_the_principal_403(world, client_for):
    sgk = collection(world, "SGK")
    assert client_for(world.outsider).get(edit_url(sgk)).status_code == 404
    assert client_for(world.outsider).post(edit_url(sgk), form_of(sgk, name="X")).status_code == 404
    assert client_for(world.principal).get(edit_url(sgk)).status_code == 403
    assert client_for(world.principal).get(NEW).status_code == 403
    assert collection(world, "SGK").name == sgk.name


def test_the_department_cannot_open_a_collection_without_a_school(world, client_for):
    response = client_for(world.dept_admin).post(NEW, {"code": "X", "name": "X", "digits": 6})
    assert response.status_code == 403
    assert not Collection.objects.filter(code="X").exists()


def test_anonymous_goes_to_login_and_wrong_methods_get_405(world, client, client_for):
    for url in (LIST, NEW, edit_url(collection(world, "SGK"))):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    assert client_for(world.librarian).post(LIST).status_code == 405
    assert client_for(world.librarian).put(NEW).status_code == 405
    assert client_for(world.reader).get(LIST).status_code == 403


SET_UP = reverse("catalogue:collections_set_up")


def test_the_usual_collections_set_up_at_once_with_one_sequence(world, client_for):
    assert not Collection.objects.filter(school=world.thpt).exists()
    client = client_for(world.thpt_librarian)
    page = client.get(LIST).content.decode()
    assert "Thiết lập các kho thông dụng" in page
    response = client.post(SET_UP, {"numbering": "school", "prefix": "TV."}, follow=True)
    made = Collection.objects.filter(school=world.thpt).select_related("sequence")
    assert sorted(c.code for c in made) == ["BTC", "SGK", "SGV", "SNV", "STK", "STN", "TLK"]
    assert {c.sequence.prefix for c in made} == {"TV."}
    assert "Đã thêm các kho: SGK, SGV, SNV, STK, STN, BTC, TLK." in response.content.decode()
    again = client.post(SET_UP, {"numbering": "collection"}, follow=True)
    assert "Trường đã có đủ các kho thông dụng." in again.content.decode()
    assert Collection.objects.filter(school=world.thpt).count() == 7
    # Another school's librarian sets up their own school's, never this one's.
    before = set(Collection.objects.filter(school=world.school).values_list("pk", "sequence"))
    client_for(world.outsider).post(SET_UP, {"numbering": "collection"})
    assert set(Collection.objects.filter(school=world.school).values_list("pk", "sequence")) == (
        before
    )
    assert client.get(SET_UP).status_code == 405


def test_one_sequence_per_collection_gives_each_its_prefix(world, client_for):
    client_for(world.thpt_librarian).post(SET_UP, {"numbering": "collection"})
    prefixes = dict(
        Collection.objects.filter(school=world.thpt).values_list("code", "sequence__prefix")
    )
    assert prefixes["SGK"] == "SGK." and prefixes["STN"] == "STN."
    assert len(set(prefixes.values())) == 7

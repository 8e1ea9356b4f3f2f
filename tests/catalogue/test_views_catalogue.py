"""The librarian's catalogue screens through the real views: search, copy cataloguing by ISBN,
a record's page and adding copies, new and edited records, withdrawals approved by the
principal; outsiders get 404, other roles 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thuvien.catalogue.models import (
    AcquisitionBatch,
    Copy,
    CopyStatus,
    Record,
    RecordIsbn,
    Withdrawal,
    WithdrawalStatus,
)
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import copies, records

HOME = reverse("catalogue:home")
ISBN = reverse("catalogue:isbn")
NEW = reverse("catalogue:record_new")
WITHDRAWALS = reverse("catalogue:withdrawal_list")
QUERIES = 7  # session, user, memberships, search, copies here, copies by number, notifications


def text(response) -> str:
    return response.content.decode()


def textbook() -> Record:
    return Record.objects.get(title="Tiếng Việt 1")


def novel() -> Record:
    return Record.objects.get(title="Cho tôi xin một vé đi tuổi thơ")


def detail(record: Record) -> str:
    return reverse("catalogue:record_detail", args=[record.pk])


def withdrawal_of(world) -> Withdrawal:
    return Withdrawal.objects.get(school=world.school)


# Search


def test_search_lists_records_with_the_schools_copy_count(world, client_for):
    response = client_for(world.librarian).get(HOME, {"q": "tieng viet"})
    assert response.status_code == 200
    assert response.context["rows"] == [(textbook(), 3)]
    assert "Tiếng Việt 1" in text(response)


def test_copies_here_count_only_the_schools_own(world, client_for):
    # The outsider's school holds one copy of the novel, school A1 two.
    mine = client_for(world.librarian).get(HOME, {"q": "ve di tuoi tho"}).context["rows"]
    theirs = client_for(world.outsider).get(HOME, {"q": "ve di tuoi tho"}).context["rows"]
    assert mine == [(novel(), 2)] and theirs == [(novel(), 1)]


def test_a_registration_number_shows_the_schools_copy_first(world, client_for):
    copy = Copy.objects.filter(school=world.school, record=textbook()).first()
    response = client_for(world.librarian).get(HOME, {"q": copy.registration_number})
    assert response.context["copies"] == [copy]
    outsider = client_for(world.outsider).get(HOME, {"q": copy.registration_number})
    assert outsider.context["copies"] == []


def test_the_search_answers_an_htmx_fragment(world, client_for):
    response = client_for(world.librarian).get(HOME, {"q": "tieng viet"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in text(response) and "Tiếng Việt 1" in text(response)


def test_anonymous_is_sent_to_login(client):
    response = client.get(HOME)
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("who", ["trainer", "reader"])
def test_roles_without_the_catalogue_get_403(world, client_for, who):
    client = client_for(getattr(world, who))
    assert client.get(HOME).status_code == 403
    assert client.get(detail(textbook())).status_code == 403
    assert client.get(WITHDRAWALS).status_code == 403


# Copy cataloguing by ISBN


def test_a_known_isbn_leads_to_its_record(world, client_for):
    response = client_for(world.librarian).post(ISBN, {"isbn": "978-604-1-12345-8"})
    assert response.status_code == 302 and response.url == detail(novel())


def test_a_scan_sent_by_htmx_loads_the_whole_record_page(world, client_for):
    # htmx follows a plain redirect and swaps the page into the ISBN box: it is told to leave.
    client = client_for(world.librarian)
    response = client.post(ISBN, {"isbn": "978-604-1-12345-8"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == detail(novel())
    added = client.post(
        reverse("catalogue:copies_add", args=[novel().pk]), {"count": 1}, HTTP_HX_REQUEST="true"
    )
    assert added["HX-Redirect"] == detail(novel())


def test_an_unknown_isbn_leads_to_the_new_record_form(world, client_for):
    client = client_for(world.librarian)
    response = client.post(ISBN, {"isbn": "9780306406157"})
    assert response.status_code == 302 and response.url == f"{NEW}?isbn=9780306406157"
    form = client.get(response.url).context["form"]
    assert form.initial["isbns"] == "9780306406157"


def test_an_invalid_isbn_is_refused_with_the_message(world, client_for):
    response = client_for(world.librarian).post(
        ISBN, {"isbn": "9780306406158"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert records.invalid_isbn("9780306406158") in text(response)
    assert "<html" not in text(response)


def test_isbn_lookup_is_post_only(world, client_for):
    assert client_for(world.librarian).get(ISBN).status_code == 405


def test_the_principal_may_not_catalogue(world, client_for):
    assert client_for(world.principal).post(ISBN, {"isbn": "9780306406157"}).status_code == 403


# The record page and adding copies


def test_the_record_page_shows_the_schools_copies_and_the_others_count(world, client_for):
    response = client_for(world.librarian).get(detail(novel()))
    assert response.status_code == 200
    shown = response.context["copies"]
    assert {c.school_id for c in shown} == {world.school.pk} and len(shown) == 2
    assert response.context["elsewhere"] == 1  # the outsider school's copy, counted only
    assert response.context["history"]


def test_the_record_page_shows_the_schools_digital_resource(world, client_for):
    response = client_for(world.librarian).get(detail(textbook()))
    assert "hanhtrangso.nxbgd.vn" in text(response)
    outsider = client_for(world.outsider).get(detail(textbook()))
    assert outsider.status_code == 200 and "hanhtrangso.nxbgd.vn" not in text(outsider)


def test_the_outsider_sees_only_its_own_copy_of_the_shared_record(world, client_for):
    response = client_for(world.outsider).get(detail(novel()))
    assert [c.school_id for c in response.context["copies"]] == [world.outsider_school.pk]
    assert response.context["elsewhere"] == 2


def test_a_missing_record_is_404(world, client_for):
    assert client_for(world.librarian).get(detail(Record(pk=999_999))).status_code == 404


def test_the_librarian_adds_copies_to_a_record_catalogued_by_another_school(world, client_for):
    record = novel()
    before = Copy.objects.filter(school=world.school, record=record).count()
    response = client_for(world.librarian).post(
        reverse("catalogue:copies_add", args=[record.pk]),
        {"count": 3, "price_vnd": 90000, "location": "Kệ 4", "source": "purchase"},
    )
    assert response.status_code == 302 and response.url == detail(record)
    added = Copy.objects.filter(school=world.school, record=record).order_by("number")
    assert added.count() == before + 3
    last = added.last()
    assert last.price_vnd == 90000 and last.location == "Kệ 4"
    assert last.barcode == last.registration_number


def test_adding_copies_refuses_a_bad_count(world, client_for):
    record = novel()
    before = Copy.objects.count()
    response = client_for(world.librarian).post(
        reverse("catalogue:copies_add", args=[record.pk]), {"count": 0}
    )
    assert response.status_code == 422 and Copy.objects.count() == before


def test_a_donation_without_donor_is_refused(world, client_for):
    before = Copy.objects.count()
    response = client_for(world.librarian).post(
        reverse("catalogue:copies_add", args=[novel().pk]), {"count": 1, "source": "donation"}
    )
    assert response.status_code == 422 and Copy.objects.count() == before
    assert response.context["form"].non_field_errors()


def test_a_collection_of_another_school_cannot_be_chosen(world, client_for):
    other = Copy.objects.get(school=world.outsider_school).collection
    before = Copy.objects.count()
    response = client_for(world.librarian).post(
        reverse("catalogue:copies_add", args=[novel().pk]),
        {"count": 1, "collection": other.pk},
    )
    assert response.status_code == 422 and Copy.objects.count() == before


def test_adding_copies_is_post_only(world, client_for):
    url = reverse("catalogue:copies_add", args=[novel().pk])
    assert client_for(world.librarian).get(url).status_code == 405


def test_the_principal_cannot_add_copies(world, client_for):
    url = reverse("catalogue:copies_add", args=[novel().pk])
    assert client_for(world.principal).post(url, {"count": 1}).status_code == 403


# New and edited records


def test_the_librarian_catalogues_a_new_record(world, client_for):
    response = client_for(world.librarian).post(
        NEW,
        {
            "title": "Dế Mèn phiêu lưu ký",
            "author": "Tô Hoài",
            "other_authors": "Tạ Huy Long\n",
            "publisher": "Kim Đồng",
            "year": 2020,
            "doc_type": "stn",
            "classification": "895.9223",
            "subjects": "Văn học thiếu nhi\nTruyện",
            "isbns": "978-0-306-40615-7 (bìa mềm)",
        },
    )
    record = Record.objects.get(title="Dế Mèn phiêu lưu ký")
    assert response.status_code == 302 and response.url == detail(record)
    assert record.catalogued_by_id == world.school.pk
    assert record.other_authors == ["Tạ Huy Long"] and record.subjects == [
        "Văn học thiếu nhi",
        "Truyện",
    ]
    assert record.call_number  # by the province's rule
    isbn = RecordIsbn.objects.get(record=record)
    assert (isbn.isbn13, isbn.qualifier) == ("9780306406157", "(bìa mềm)")


def test_a_duplicate_record_is_refused(world, client_for):
    before = Record.objects.count()
    response = client_for(world.librarian).post(
        NEW, {"title": "Khác", "doc_type": "stn", "isbns": "9786041123458"}
    )
    assert response.status_code == 422 and Record.objects.count() == before
    assert response.context["form"].non_field_errors()


def test_a_new_record_with_an_invalid_isbn_is_refused(world, client_for):
    response = client_for(world.librarian).post(
        NEW, {"title": "Sách mới", "doc_type": "stk", "isbns": "12345"}
    )
    assert response.status_code == 422 and records.invalid_isbn("12345") in text(response)
    assert not Record.objects.filter(title="Sách mới").exists()


def test_the_cataloguing_school_edits_its_record_with_a_reason(world, client_for):
    record = textbook()
    client = client_for(world.librarian)
    form = client.get(reverse("catalogue:record_edit", args=[record.pk])).context["form"]
    data = {name: value if value is not None else "" for name, value in form.initial.items()}
    data.update(edition="Tái bản lần 1", reason="Thêm lần xuất bản")
    response = client.post(reverse("catalogue:record_edit", args=[record.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    assert record.edition == "Tái bản lần 1" and record.title == "Tiếng Việt 1"
    assert list(record.isbns.values_list("isbn13", flat=True)) == ["9786040351630"]
    assert record.history.first().history_change_reason == "Thêm lần xuất bản"
    page = client.get(detail(record))
    assert "Thêm lần xuất bản" in text(page)


def test_a_librarian_of_another_school_cannot_edit_the_record_but_adds_copies(world, client_for):
    record = novel()  # catalogued by world.thpt
    client = client_for(world.librarian)
    assert client.get(reverse("catalogue:record_edit", args=[record.pk])).status_code == 403
    posted = client.post(reverse("catalogue:record_edit", args=[record.pk]), {"title": "X"})
    assert posted.status_code == 403
    record.refresh_from_db()
    assert record.title == "Cho tôi xin một vé đi tuổi thơ"
    assert not client.get(detail(record)).context["can_edit"]
    added = client.post(reverse("catalogue:copies_add", args=[record.pk]), {"count": 1})
    assert added.status_code == 302


def test_the_thpt_librarian_edits_its_record(world, client_for):
    record = novel()
    response = client_for(world.thpt_librarian).get(
        reverse("catalogue:record_edit", args=[record.pk])
    )
    assert response.status_code == 200


def test_new_record_anonymous_and_wrong_role(world, client, client_for):
    assert client.get(NEW).status_code == 302
    assert client_for(world.principal).get(NEW).status_code == 403
    assert client_for(world.trainer).get(NEW).status_code == 403


# Withdrawals


def test_the_withdrawal_list_shows_the_schools_only(world, client_for):
    mine = client_for(world.librarian).get(WITHDRAWALS).context["withdrawals"]
    assert mine == [withdrawal_of(world)]
    assert client_for(world.outsider).get(WITHDRAWALS).context["withdrawals"] == []


def test_the_librarian_proposes_a_withdrawal(world, client_for):
    copy = Copy.objects.filter(school=world.school, record=textbook()).first()
    response = client_for(world.librarian).post(
        reverse("catalogue:withdrawal_propose"),
        {"codes": f"{copy.barcode}; Mất bìa\n", "reason": "Sách cũ"},
    )
    withdrawal = Withdrawal.objects.filter(school=world.school).order_by("-number").first()
    assert response.status_code == 302
    assert response.url == reverse("catalogue:withdrawal_detail", args=[withdrawal.pk])
    assert withdrawal.status == WithdrawalStatus.PROPOSED and withdrawal.reason == "Sách cũ"
    line = withdrawal.lines.get()
    assert line.copy_id == copy.pk and line.reason == "Mất bìa"


def test_a_withdrawal_of_a_copy_the_school_does_not_have_is_refused(world, client_for):
    theirs = Copy.objects.get(school=world.outsider_school)
    Copy.objects.filter(pk=theirs.pk).update(barcode="NGOAI-0001")
    before = Withdrawal.objects.count()
    response = client_for(world.librarian).post(
        reverse("catalogue:withdrawal_propose"), {"codes": "NGOAI-0001\nSTK.999999"}
    )
    assert response.status_code == 422 and Withdrawal.objects.count() == before
    assert "NGOAI-0001, STK.999999" in text(response)


def test_the_principal_approves_a_withdrawal(world, client_for):
    withdrawal = withdrawal_of(world)
    principal = client_for(world.principal)
    page = principal.get(reverse("catalogue:withdrawal_detail", args=[withdrawal.pk]))
    assert page.context["can_approve"]
    response = principal.post(
        reverse("catalogue:withdrawal_approve", args=[withdrawal.pk]),
        {"minutes_number": "05/BB-TV", "minutes_date": "2026-05-20", "decision_number": "12/QĐ"},
    )
    assert response.status_code == 302
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.APPROVED
    assert withdrawal.minutes_number == "05/BB-TV" and withdrawal.approved_by == world.principal
    copy = withdrawal.lines.get().copy
    assert copy.status == CopyStatus.WITHDRAWN


def test_approval_without_minutes_is_refused(world, client_for):
    withdrawal = withdrawal_of(world)
    response = client_for(world.principal).post(
        reverse("catalogue:withdrawal_approve", args=[withdrawal.pk]), {"minutes_number": ""}
    )
    assert response.status_code == 422
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PROPOSED


def test_the_librarian_cannot_approve_and_another_principal_gets_404(world, client_for):
    withdrawal = withdrawal_of(world)
    url = reverse("catalogue:withdrawal_approve", args=[withdrawal.pk])
    data = {"minutes_number": "1", "minutes_date": "2026-05-20"}
    assert client_for(world.librarian).post(url, data).status_code == 403
    assert client_for(world.principal_a2).post(url, data).status_code == 404
    assert client_for(world.principal).get(url).status_code == 405
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PROPOSED


def test_the_outsider_gets_404_on_the_schools_withdrawal(world, client_for):
    withdrawal = withdrawal_of(world)
    client = client_for(world.outsider)
    assert (
        client.get(reverse("catalogue:withdrawal_detail", args=[withdrawal.pk])).status_code == 404
    )
    assert (
        client.post(reverse("catalogue:withdrawal_cancel", args=[withdrawal.pk])).status_code == 404
    )
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PROPOSED


def test_the_librarian_cancels_a_withdrawal(world, client_for):
    withdrawal = withdrawal_of(world)
    client = client_for(world.librarian)
    url = reverse("catalogue:withdrawal_cancel", args=[withdrawal.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.CANCELLED


def test_the_department_cannot_add_copies_without_a_school(world, client_for):
    before = Copy.objects.count()
    response = client_for(world.dept_admin).post(
        reverse("catalogue:copies_add", args=[novel().pk]), {"count": 1}
    )
    assert response.status_code == 403 and Copy.objects.count() == before
    assert not client_for(world.dept_admin).get(detail(novel())).context["can_add"]


def test_adding_copies_by_htmx_answers_the_copies_fragment(world, client_for):
    response = client_for(world.librarian).post(
        reverse("catalogue:copies_add", args=[novel().pk]), {"count": 0}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert 'id="copies"' in text(response) and "<html" not in text(response)


def test_the_search_query_count_does_not_grow_with_the_rows(
    world, client_for, django_assert_num_queries
):
    for number in range(1, 4):
        made = records.create_record(
            RecordData(title=f"Truyện cổ tích tập {number}", year=2020 + number),
            school=world.school,
            by=world.librarian,
        )
        copies.add_copies(made, school=world.school, count=number, by=world.librarian)
    client = client_for(world.librarian)
    client.get(HOME)
    with django_assert_num_queries(QUERIES):
        one = client.get(HOME, {"q": "tieng viet"})
    with django_assert_num_queries(QUERIES):
        three = client.get(HOME, {"q": "truyen co tich"})
    assert len(one.context["rows"]) == 1
    assert [held for _record, held in three.context["rows"]] == [1, 2, 3]


# Copies and acquisition batches


def test_the_librarian_edits_a_copy_but_not_its_number(world, client_for):
    copy = Copy.objects.filter(school=world.school, record=textbook()).first()
    url = reverse("catalogue:copy_edit", args=[copy.pk])
    client = client_for(world.librarian)
    form = client.get(url).context["form"]
    data = {name: value if value is not None else "" for name, value in form.initial.items()}
    data["collection"] = copy.collection_id
    data.update(location="Kệ 2", status="damaged", registration_number="X")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    number = copy.registration_number
    copy.refresh_from_db()
    assert copy.location == "Kệ 2" and copy.status == CopyStatus.DAMAGED
    assert copy.registration_number == number


def test_a_copy_cannot_be_withdrawn_from_its_edit_form(world, client_for):
    copy = Copy.objects.filter(school=world.school, record=textbook()).first()
    url = reverse("catalogue:copy_edit", args=[copy.pk])
    data = {"barcode": copy.barcode, "collection": copy.collection_id, "source": "purchase"}
    response = client_for(world.librarian).post(url, {**data, "status": "withdrawn"})
    assert response.status_code == 422
    copy.refresh_from_db()
    assert copy.status == CopyStatus.AVAILABLE


def test_the_outsider_gets_404_on_the_schools_copy(world, client_for):
    copy = Copy.objects.filter(school=world.school).first()
    url = reverse("catalogue:copy_edit", args=[copy.pk])
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.principal).get(url).status_code == 403


def test_the_librarian_opens_an_acquisition_batch(world, client_for):
    client = client_for(world.librarian)
    response = client.post(
        reverse("catalogue:batch_new"),
        {"received_on": "2026-03-02", "source": "donation", "supplier": "Hội cha mẹ học sinh"},
    )
    assert response.status_code == 302
    batch = AcquisitionBatch.objects.filter(school=world.school).order_by("-number").first()
    assert batch.number == 2 and batch.supplier == "Hội cha mẹ học sinh"
    listed = client.get(reverse("catalogue:batch_list")).context["batches"]
    assert {b.school_id for b in listed} == {world.school.pk} and len(listed) == 2
    assert client_for(world.outsider).get(reverse("catalogue:batch_list")).context["batches"] == []


def test_a_donation_batch_needs_its_donor(world, client_for):
    before = AcquisitionBatch.objects.count()
    response = client_for(world.librarian).post(
        reverse("catalogue:batch_new"), {"received_on": "2026-03-02", "source": "donation"}
    )
    assert response.status_code == 422 and AcquisitionBatch.objects.count() == before


# Merging duplicates


def test_the_department_merges_a_duplicate_and_its_copies_move(world, client_for):
    keep = novel()
    drop = records.create_record(
        RecordData(title="Cho tôi xin một vé đi tuổi thơ (bản trùng)", year=2018),
        school=world.school,
        by=world.librarian,
    )
    copies.add_copies(drop, school=world.school, count=2, by=world.librarian)
    before = Copy.objects.filter(record=keep).count()
    client = client_for(world.dept_admin)
    assert client.get(detail(drop)).context["merge_form"] is not None
    response = client.post(reverse("catalogue:record_merge", args=[drop.pk]), {"keep": keep.pk})
    assert response.status_code == 302 and response.url == detail(keep)
    drop.refresh_from_db()
    assert drop.merged_into_id == keep.pk and drop.deleted_at is not None
    assert Copy.objects.filter(record=keep).count() == before + 2


def test_merging_a_record_into_itself_is_refused(world, client_for):
    record = novel()
    url = reverse("catalogue:record_merge", args=[record.pk])
    response = client_for(world.dept_admin).post(url, {"keep": record.pk})
    assert response.status_code == 422
    record.refresh_from_db()
    assert record.deleted_at is None


def test_a_librarian_cannot_merge_records(world, client_for):
    record = novel()
    url = reverse("catalogue:record_merge", args=[record.pk])
    client = client_for(world.librarian)
    assert client.post(url, {"keep": textbook().pk}).status_code == 403
    assert client.get(detail(record)).context["merge_form"] is None
    assert client_for(world.dept_admin).get(url).status_code == 405

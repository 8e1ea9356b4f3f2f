"""A unit's signers: the model's rules, the use cases, and the screen on the unit's page."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from thuvien.access import resolve_scope
from thuvien.core.testing import OUTSIDER_MARK, make_user
from thuvien.organisations import services
from thuvien.organisations.agencies import head_signer, signature_of, unit_signature
from thuvien.organisations.models import Authority, Role, Signer, UnitKind


def deputy(unit, **extra):
    fields = {
        "full_name": "Lê Văn Phó",
        "position": "Phó Giám đốc",
        "authority": Authority.KT,
        "on_behalf_of": "Giám đốc",
    }
    return services.add_signer(unit, **{**fields, **extra})


# --- the model and the use cases ---------------------------------------------------------------


def test_a_deputy_signs_kt_for_the_head_on_two_lines(world):
    signer = deputy(world.department)
    assert signer.title_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    signature = signature_of(signer)
    assert signature.title_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert signature.signer == "Lê Văn Phó"


@pytest.mark.parametrize(
    ("authority", "lines"),
    [
        (Authority.TL, ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
        (Authority.TUQ, ["TUQ. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
        (Authority.Q, ["Q. CHÁNH VĂN PHÒNG"]),
        (Authority.NONE, ["CHÁNH VĂN PHÒNG"]),
    ],
)
def test_each_authority_prints_its_lines(world, authority, lines):
    signer = deputy(world.department, position="Chánh Văn phòng", authority=authority)
    assert signer.title_lines == lines == signature_of(signer).title_lines


def test_the_first_signer_is_the_head_and_a_new_head_replaces_the_old(world):
    first = services.add_signer(world.office, full_name="Trần Văn Trưởng", position="Trưởng phòng")
    second = deputy(world.office, position="Phó Trưởng phòng", on_behalf_of="Trưởng phòng")
    first.refresh_from_db()
    assert (first.is_head, second.is_head) == (True, False)
    assert head_signer(world.office) == first
    services.update_signer(second, is_head=True)
    first.refresh_from_db()
    assert (first.is_head, head_signer(world.office)) == (False, second)
    services.remove_signer(second)
    first.refresh_from_db()
    assert first.is_head and head_signer(world.office) == first


def test_a_unit_keeps_one_head_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Signer.objects.create(unit=world.school, full_name="B", position="HT", is_head=True)


def test_kt_without_the_head_it_signs_for_is_refused(world):
    with pytest.raises(services.OrganisationError, match=r"KT\. ký thay cho ai"):
        deputy(world.department, on_behalf_of=" ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Signer.objects.create(unit=world.department, full_name="A", position="P", authority="KT.")


def test_a_signer_needs_a_name_and_a_position(world):
    with pytest.raises(services.OrganisationError):
        services.add_signer(world.department, full_name=" ", position="Giám đốc")


def test_on_behalf_of_is_dropped_when_signing_in_ones_own_name(world):
    signer = deputy(world.department, authority=Authority.NONE)
    assert signer.on_behalf_of == ""


def test_a_signer_of_another_unit_is_never_used(world):
    other = deputy(world.department)
    assert unit_signature(world.office, other) is None  # the office keeps none
    assert unit_signature(world.school, other).signer == "Nguyễn Thị Hiệu"


def test_the_outsider_does_not_see_the_schools_signers(world):
    scope = resolve_scope(world.outsider, None)
    assert not Signer.objects.visible_to(scope).filter(unit=world.school).exists()
    assert Signer.objects.visible_to(resolve_scope(world.principal, None)).filter(unit=world.school)


# --- the screen --------------------------------------------------------------------------------


def url(unit):
    return reverse("organisations:unit_signers", args=[unit.pk])


def test_the_unit_page_lists_its_signers_with_a_link_for_the_administrator(world, client_for):
    deputy(world.department)
    page = client_for(world.dept_admin).get(
        reverse("organisations:unit_detail", args=[world.department.pk])
    )
    assert "Lê Văn Phó — KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" in page.content.decode()
    assert url(world.department) in page.content.decode()


def test_the_administrator_adds_a_deputy(world, client_for):
    response = client_for(world.dept_admin).post(
        url(world.office),
        {
            "full_name": "Lê Thị Phó",
            "position": "Phó Trưởng phòng",
            "authority": "KT.",
            "on_behalf_of": "Trưởng phòng",
            "order": 1,
        },
    )
    assert response.status_code == 302 and response.url == url(world.office)
    signer = Signer.objects.get(unit=world.office)
    assert signer.title_lines == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"]
    assert signer.is_head  # the office's only signer


def test_a_bad_signer_answers_422_with_the_reason(world, client_for):
    response = client_for(world.dept_admin).post(
        url(world.office), {"full_name": "A", "position": "Phó", "authority": "KT.", "order": 0}
    )
    assert response.status_code == 422
    assert not Signer.objects.filter(unit=world.office).exists()


def test_the_administrator_edits_and_removes_a_signer(world, client_for):
    client = client_for(world.dept_admin)
    signer = Signer.objects.get(unit=world.school)
    page = client.get(url(world.school), {"edit": signer.pk})
    assert page.status_code == 200 and 'value="Nguyễn Thị Hiệu"' in page.content.decode()
    fields = {"signer": signer.pk, "full_name": "Nguyễn Thị Hiệu", "position": "Quyền Hiệu"}
    response = client.post(url(world.school), {**fields, "authority": "", "order": 0})
    assert response.status_code == 302
    signer.refresh_from_db()
    assert signer.position == "Quyền Hiệu"
    remove = reverse("organisations:unit_signer_remove", args=[world.school.pk])
    assert client.post(remove, {"signer": signer.pk}).status_code == 302
    assert not Signer.objects.filter(pk=signer.pk).exists()


def test_the_htmx_request_gets_the_list_alone(world, client_for):
    page = client_for(world.dept_admin).get(url(world.school), HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert page.status_code == 200 and "Nguyễn Thị Hiệu" in text and "<html" not in text


def test_a_signer_of_another_unit_cannot_be_edited_or_removed_through_this_one(world, client_for):
    client = client_for(world.dept_admin)
    other = Signer.objects.get(unit=world.outsider_school)
    assert client.get(url(world.school), {"edit": other.pk}).status_code == 404
    fields = {"signer": other.pk, "full_name": "X", "position": "Y", "order": 0}
    assert client.post(url(world.school), fields).status_code == 404
    remove = reverse("organisations:unit_signer_remove", args=[world.school.pk])
    assert client.post(remove, {"signer": other.pk}).status_code == 404
    assert Signer.objects.filter(pk=other.pk, full_name__contains=OUTSIDER_MARK).exists()


def test_the_administrator_of_another_province_gets_404(world, client_for):
    other = services.create_unit(
        kind=UnitKind.DEPARTMENT, name=f"Sở Giáo dục và Đào tạo {OUTSIDER_MARK}", parent=None
    )
    admin = make_user("so_khac", f"Quản trị {OUTSIDER_MARK}")
    services.add_membership(admin, other, Role.DEPARTMENT_ADMIN)
    client = client_for(admin)
    assert client.get(url(world.school)).status_code == 404
    signer = Signer.objects.get(unit=world.school)
    fields = {"signer": signer.pk, "full_name": "X", "position": "Y", "order": 0}
    assert client.post(url(world.school), fields).status_code == 404
    remove = reverse("organisations:unit_signer_remove", args=[world.school.pk])
    assert client.post(remove, {"signer": signer.pk}).status_code == 404
    signer.refresh_from_db()
    assert signer.full_name == "Nguyễn Thị Hiệu"


def test_roles_without_the_management_of_units_get_403(world, client_for):
    for user in (world.outsider, world.office_officer, world.principal, world.trainer):
        assert client_for(user).get(url(world.school)).status_code == 403, user


def test_anonymous_goes_to_the_login_page_and_put_is_405(world, client, client_for):
    response = client.get(url(world.school))
    assert response.status_code == 302 and "login" in response.url
    assert client_for(world.dept_admin).put(url(world.school)).status_code == 405
    remove = reverse("organisations:unit_signer_remove", args=[world.school.pk])
    assert client_for(world.dept_admin).get(remove).status_code == 405

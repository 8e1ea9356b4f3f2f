"""The province's catalogue settings: the call-number rule and the SRU targets, kept by the
department (Sở) administrator; every library role of the province reads them, nobody else
changes them (403), and another province's targets are out of sight (404)."""

from __future__ import annotations

from django.urls import reverse

from thuvien.catalogue.models import CallNumberRule, CatalogueSettings, Record, SruTarget
from thuvien.catalogue.record_data import RecordData
from thuvien.catalogue.services import records
from thuvien.organisations import services as units
from thuvien.organisations.models import Role, UnitKind
from thuvien.organisations.testing import make_user

PAGE = reverse("catalogue:settings")
EDIT = reverse("catalogue:settings_edit")
NEW_TARGET = reverse("catalogue:sru_target_new")
TARGET = {"name": "Thư viện tỉnh Vĩnh Long", "url": "https://thuvien.vinhlong.example/sru",
          "record_schema": "marcxml", "version": "2.0", "enabled": "on"}  # fmt: skip


def target_url(target: SruTarget) -> str:
    return reverse("catalogue:sru_target_edit", args=[target.pk])


def a_target(world, department=None, **fields) -> SruTarget:
    values = {"name": "Thư viện Quốc gia", "url": "https://nlv.example/sru", **fields}
    return SruTarget.objects.create(department=department or world.department, **values)


def test_the_department_changes_the_rule_for_new_records(world, client_for):
    response = client_for(world.dept_admin).post(
        EDIT, {"call_number_rule": CallNumberRule.CLASS_MARK1, "use_local_class": "on"}
    )
    assert response.status_code == 302 and response.url == PAGE
    settings = CatalogueSettings.objects.get(department=world.department)
    assert (settings.call_number_rule, settings.use_local_class) == ("class_mark1", True)
    assert records.province_rule(world.school) == ("class_mark1", True)
    book = Record(title="Dế mèn phiêu lưu ký", author="Tô Hoài", classification="895.9223",
                  local_class="V23", year=2020)  # fmt: skip
    assert records.call_number(book, *records.province_rule(world.school)[:1],
                               use_local_class=True) == "V23 T"  # fmt: skip


def test_a_record_made_after_the_change_follows_the_rule(world, client_for):
    client_for(world.dept_admin).post(EDIT, {"call_number_rule": CallNumberRule.CLASS_MARK1})
    made = records.create_record(
        RecordData(title="Dế mèn phiêu lưu ký", author="Tô Hoài", classification="895.9223",
                   year=2020),
        school=world.school, by=world.librarian,
    )  # fmt: skip
    assert made.call_number == "895.9223 T"


def test_a_second_change_updates_the_one_row(world, client_for):
    client = client_for(world.dept_admin)
    client.post(EDIT, {"call_number_rule": CallNumberRule.CLASS_MARK1})
    client.post(EDIT, {"call_number_rule": CallNumberRule.CLASS_MARK3})
    rows = CatalogueSettings.objects.filter(department=world.department)
    assert [(r.call_number_rule, r.use_local_class) for r in rows] == [("class_mark3", False)]


def test_an_unknown_rule_is_refused(world, client_for):
    response = client_for(world.dept_admin).post(EDIT, {"call_number_rule": "dewey_only"})
    assert response.status_code == 422
    assert not CatalogueSettings.objects.exists()


def test_a_librarian_reads_the_settings_but_cannot_change_them(world, client_for):
    CatalogueSettings.objects.create(
        department=world.department, call_number_rule=CallNumberRule.CLASS_MARK3
    )
    a_target(world)
    client = client_for(world.librarian)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.context["rule"] == CallNumberRule.CLASS_MARK3 and not page.context["can_keep"]
    assert [t.name for t in page.context["targets"]] == ["Thư viện Quốc gia"]
    assert EDIT not in page.content.decode()
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, {"call_number_rule": "class_mark1"}).status_code == 403
    assert CatalogueSettings.objects.get().call_number_rule == "class_mark3"


def test_the_department_page_offers_the_changes(world, client_for):
    target = a_target(world)
    page = client_for(world.dept_admin).get(PAGE)
    assert page.context["can_keep"] and page.context["rule"] == CallNumberRule.CLASS_MARK3_YEAR
    body = page.content.decode()
    assert EDIT in body and NEW_TARGET in body and target_url(target) in body


def test_other_roles_and_the_outsider_cannot_keep_the_settings(world, client_for):
    target = a_target(world)
    for user in (world.dept_officer, world.office_officer, world.principal, world.outsider):
        client = client_for(user)
        assert client.get(EDIT).status_code == 403
        assert client.post(NEW_TARGET, TARGET).status_code == 403
        assert client.post(target_url(target), TARGET).status_code == 403
    assert client_for(world.trainer).get(PAGE).status_code == 403
    assert list(SruTarget.objects.values_list("name", flat=True)) == ["Thư viện Quốc gia"]


def test_the_department_adds_and_changes_a_target(world, client_for):
    client = client_for(world.dept_admin)
    response = client.post(NEW_TARGET, TARGET)
    assert response.status_code == 302 and response.url == PAGE
    target = SruTarget.objects.get()
    assert (target.department_id, target.name, target.version) == (
        world.department.pk, "Thư viện tỉnh Vĩnh Long", "2.0",
    )  # fmt: skip
    changed = {**TARGET, "version": "1.2", "enabled": ""}
    assert client.post(target_url(target), changed).status_code == 302
    target.refresh_from_db()
    assert (target.version, target.enabled) == ("1.2", False)


def test_a_target_without_a_web_address_is_refused(world, client_for):
    client = client_for(world.dept_admin)
    for url in ("ftp://thuvien.example/sru", "thuvien.example/sru", "https://"):
        assert client.post(NEW_TARGET, {**TARGET, "url": url}).status_code == 422
    assert client.post(NEW_TARGET, {**TARGET, "version": "3.0"}).status_code == 422
    assert not SruTarget.objects.exists()


def test_another_provinces_target_is_out_of_sight(world, client_for):
    other = units.create_unit(kind=UnitKind.DEPARTMENT, name="Sở GD&ĐT Trà Vinh", parent=None)
    their_admin = make_user("so_tra_vinh", "Quản trị Trà Vinh")
    units.add_membership(their_admin, other, Role.DEPARTMENT_ADMIN)
    theirs = a_target(world, department=other, name="Mục lục Trà Vinh")
    ours = a_target(world)
    assert client_for(world.dept_admin).get(target_url(theirs)).status_code == 404
    assert client_for(their_admin).post(target_url(ours), TARGET).status_code == 404
    page = client_for(world.librarian).get(PAGE)
    assert "Mục lục Trà Vinh" not in page.content.decode()
    ours.refresh_from_db()
    assert ours.name == "Thư viện Quốc gia"


def test_anonymous_goes_to_login_and_wrong_methods_get_405(world, client, client_for):
    target = a_target(world)
    for url in (PAGE, EDIT, NEW_TARGET, target_url(target)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    assert client_for(world.dept_admin).post(PAGE).status_code == 405
    assert client_for(world.dept_admin).delete(EDIT).status_code == 405


def test_the_school_classification_is_used_by_hand_by_import_and_on_edit(world):
    """With "the school's classification first", a record's call number starts with its 084,
    whichever way it enters the catalogue: made by hand, imported from MARC, or edited."""
    import pymarc

    from tests.catalogue.marc_fixtures import record as marc_record
    from thuvien.catalogue.marc.importer import import_marc

    CatalogueSettings.objects.create(
        department=world.department, call_number_rule=CallNumberRule.CLASS_MARK1,
        use_local_class=True,
    )  # fmt: skip
    by_hand = records.create_record(
        RecordData(title="Dế mèn phiêu lưu ký", author="Tô Hoài", classification="895.9223",
                   local_class="V23", year=2020),
        school=world.school, by=world.librarian,
    )  # fmt: skip
    assert by_hand.call_number == "V23 T"

    marc = marc_record("Mắt biếc")  # 082 895.9223, 100 Nguyễn Nhật Ánh
    marc.add_field(pymarc.Field("084", pymarc.Indicators(" ", " "), [pymarc.Subfield("a", "V2")]))
    report = import_marc(marc.as_marc(), school=world.school, by=world.librarian)
    assert report.created == 1, report.rejected
    assert Record.objects.get(title="Mắt biếc").call_number == "V2 N"

    edited = records.update_record(
        by_hand,
        RecordData(title="Dế mèn phiêu lưu ký", author="Tô Hoài", classification="895.9223",
                   local_class="V24", year=2020),
        by=world.librarian,
    )  # fmt: skip
    assert edited.call_number == "V24 T"

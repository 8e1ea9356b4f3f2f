"""The search keys kept folded beside the fields they fold."""


def test_a_search_key_follows_its_field_when_only_some_fields_are_saved(db):
    from thuvien.organisations import services
    from thuvien.organisations.models import Unit, UnitKind

    unit = services.create_unit(kind=UnitKind.DEPARTMENT, name="Sở Giáo dục", parent=None)
    unit.name = "Sở Giáo dục và Đào tạo Vĩnh Long"
    unit.save(update_fields=["name"])
    assert Unit.objects.get(pk=unit.pk).name_folded == "so giao duc va dao tao vinh long"

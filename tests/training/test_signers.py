"""Who signs, and the names printed: every document defaults to its unit's head signer (never
silently to whoever downloads it), offers the unit's signers, prints the unit's own governing body,
symbol and the offices as the tree names them, and keeps "Kính gửi" and "Nơi nhận" apart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.training.test_letter import pdf_text
from tests.training.test_unit_reports import send_a1
from thuvien.documents import text as nd30
from thuvien.events import letters as event_letters
from thuvien.events.certificate_pdf import certificate_context
from thuvien.events.models import Event, Registration
from thuvien.organisations import services as units
from thuvien.organisations.agencies import abbreviation, governing_agency, issuing_agency
from thuvien.organisations.models import Authority, Unit, UnitKind
from thuvien.training import letters, report_documents
from thuvien.training.figures import unit_figures
from thuvien.training.forms import LetterForm, UnitReportForm
from thuvien.training.models import Campaign
from thuvien.training.services import reports


@pytest.fixture
def deputy(world):
    units.add_signer(world.department, full_name="Nguyễn Văn Giám", position="Giám đốc")
    return units.add_signer(
        world.department,
        full_name="Lê Văn Phó",
        position="Phó Giám đốc",
        authority=Authority.KT,
        on_behalf_of="Giám đốc",
        order=1,
    )


def office_report(world, campaign, **fields):
    report = reports.prepare_unit_report(campaign, world.office, by=world.office_officer, **fields)
    return report_documents.unit_report_document(
        report, unit_figures(campaign, world.office), **_signer(report, world.office_officer)
    )


def _signer(report, user):
    return {"signer": report_documents.signer_name(report, user)}


# --- the default signer ---------------------------------------------------------------------


def test_the_letter_is_signed_by_the_head_not_by_the_drafter(world, published, deputy):
    assert letters.default_signature(published, world.dept_admin) == ("", "")
    doc = letters.campaign_letter(published, position="", signer="")
    assert (doc.signature.title_lines, doc.signature.signer) == (["GIÁM ĐỐC"], "Nguyễn Văn Giám")


def test_a_deputy_chosen_signs_kt_on_two_lines(world, published, deputy):
    doc = letters.campaign_letter(published, signatory=deputy)
    assert doc.signature.title_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert doc.signature.signer == "Lê Văn Phó"


def test_a_signer_of_another_unit_is_not_taken(world, published, deputy):
    other = units.add_signer(world.office, full_name="Trần Phòng", position="Trưởng phòng")
    doc = letters.campaign_letter(published, signatory=other)
    assert doc.signature.signer == "Nguyễn Văn Giám"


def test_a_name_typed_on_the_download_still_wins(world, published, deputy):
    doc = letters.campaign_letter(published, position="Phó Giám đốc", signer="Lê Văn Ký")
    assert (doc.signature.title_lines, doc.signature.signer) == (["PHÓ GIÁM ĐỐC"], "Lê Văn Ký")


def test_without_signers_the_letter_keeps_todays_fallback(world, published):
    position, signer = letters.default_signature(published, world.dept_officer)
    assert (position, signer) == ("GIÁM ĐỐC", world.dept_admin.display_name)  # the drafter


def test_the_download_of_a_reader_prints_the_head_not_the_reader(world, client_for, published):
    units.add_signer(world.department, full_name="Nguyễn Văn Giám", position="Giám đốc")
    response = client_for(world.dept_officer).get(
        reverse("training:campaign_pdf", args=[published.pk])
    )
    text = pdf_text(response.content)
    assert "GIÁM ĐỐC Nguyễn Văn Giám" in text
    assert world.dept_officer.display_name not in text
    assert world.dept_admin.display_name not in text


def test_the_letter_form_offers_the_units_signers_head_first(world, deputy):
    form = LetterForm(unit=world.department)
    field = form.fields["signatory"]
    assert [s.full_name for s in field.queryset] == ["Nguyễn Văn Giám", "Lê Văn Phó"]
    bound = LetterForm({"signatory": deputy.pk}, unit=world.department)
    assert bound.is_valid() and bound.cleaned_data["signatory"] == deputy
    foreign = units.add_signer(world.office, full_name="Trần Phòng", position="Trưởng phòng")
    assert not LetterForm({"signatory": foreign.pk}, unit=world.department).is_valid()
    assert "signatory" not in LetterForm().fields  # without the unit: the name fields only


def test_the_office_report_is_signed_by_the_offices_head_not_the_sender(world, published):
    units.add_signer(world.office, full_name="Trần Thị Trưởng", position="Trưởng phòng")
    doc = office_report(world, published)
    assert (doc.signature.title_lines, doc.signature.signer) == (
        ["TRƯỞNG PHÒNG"],
        "Trần Thị Trưởng",
    )


def test_the_office_report_without_signers_keeps_the_senders_name(world, published):
    doc = office_report(world, published)
    assert doc.signature.signer == world.office_officer.display_name


def test_the_sent_office_report_is_signed_by_the_head(world, client_for, published):
    send_a1(world, published)
    units.add_signer(world.office, full_name="Trần Thị Trưởng", position="Trưởng phòng")
    report = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    response = client_for(world.office_officer).get(
        reverse("training:unit_report_pdf", args=[report.pk])
    )
    text = pdf_text(response.content)
    assert "TRƯỞNG PHÒNG Trần Thị Trưởng" in text
    assert world.office_officer.display_name not in text


def test_the_sos_final_report_is_signed_by_its_deputy_when_chosen(world, published, deputy):
    report = reports.prepare_unit_report(published, world.department, by=world.dept_officer)
    figures = unit_figures(published, world.department)
    doc = report_documents.unit_report_document(report, figures, signatory=deputy)
    assert doc.signature.title_lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    default = report_documents.unit_report_document(report, figures)
    assert default.signature.signer == "Nguyễn Văn Giám"


def test_the_invitation_is_signed_by_the_organisers_head(world):
    event = Event.objects.get(organiser=world.partner)
    assert event_letters.invitation(event).signature.signer == event_letters.BLANK_NAME
    units.add_signer(world.partner, full_name="Võ Văn Thư", position="Giám đốc Thư viện")
    doc = event_letters.invitation(event)
    assert (doc.signature.title_lines, doc.signature.signer) == (
        ["GIÁM ĐỐC THƯ VIỆN"],
        "Võ Văn Thư",
    )


# --- the governing body and the agency's name ------------------------------------------------


def test_a_partner_prints_its_own_governing_body_and_name(world):
    doc = event_letters.invitation(Event.objects.get(organiser=world.partner))
    assert doc.parent_agency == "TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG"  # not the Sở
    assert doc.issuing_agency == "THƯ VIỆN TRƯỜNG ĐẠI HỌC TÔN ĐỨC THẮNG"
    units.update_unit(world.partner, governing_body="")
    assert governing_agency(world.partner, world.department) == ""  # none rather than the Sở


def test_the_governing_body_field_wins_over_the_names(world, published):
    units.update_unit(world.department, governing_body="Ủy ban nhân dân tỉnh Bến Tre")
    published.refresh_from_db()
    doc = letters.campaign_letter(published)
    assert doc.parent_agency == "ỦY BAN NHÂN DÂN TỈNH BẾN TRE"
    assert doc.issuing_agency == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"


def test_the_province_is_not_repeated_under_its_committee(world):
    for unit, header in (
        (world.department, ("UBND TỈNH BẾN TRE", "SỞ GIÁO DỤC VÀ ĐÀO TẠO")),
        (world.office, ("UBND PHƯỜNG AN HỘI", "PHÒNG VĂN HÓA – XÃ HỘI")),
    ):
        governing = governing_agency(unit)
        assert (governing, issuing_agency(unit, governing)) == header
    # A governing body that names another place keeps the agency's full name.
    assert issuing_agency(world.office, "UBND TỈNH BẾN TRE") == world.office.name.upper()


def test_the_unit_form_edits_the_governing_body_and_symbol(world, client_for):
    response = client_for(world.dept_admin).post(
        reverse("organisations:unit_edit", args=[world.office.pk]),
        {"name": world.office.name, "governing_body": "UBND phường An Hội", "symbol": "pvhxh-ah"},
    )
    assert response.status_code == 302
    world.office.refresh_from_db()
    assert (world.office.governing_body, world.office.symbol) == ("UBND phường An Hội", "PVHXH-AH")
    page = client_for(world.dept_admin).get(
        reverse("organisations:unit_detail", args=[world.office.pk])
    )
    assert "UBND phường An Hội" in page.content.decode()


# --- symbols ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "symbol"),
    [
        (UnitKind.DEPARTMENT, "Sở Giáo dục và Đào tạo Bến Tre", "SGDĐT"),
        (UnitKind.DEPARTMENT, "Sở Giáo dục và Đào tạo tỉnh Vĩnh Long", "SGDĐT"),
        (UnitKind.OFFICE, "Phòng Giáo dục và Đào tạo huyện Châu Thành", "PGDĐT"),
        (UnitKind.OFFICE, "Phòng GD&ĐT thị xã Bình Minh", "PGDĐT"),
        (UnitKind.OFFICE, "Phòng Văn hóa – Xã hội phường An Hội", "PVHXH"),
    ],
)
def test_the_symbol_is_made_from_the_units_name(kind, name, symbol):
    assert abbreviation(Unit(kind=kind, name=name)) == symbol
    assert abbreviation(Unit(kind=kind, name=name, symbol="vhxh")) == "VHXH"  # its own wins


def test_every_document_number_follows_the_unit(world, published):
    office_letter = letters.campaign_letter(Campaign.objects.get(issuer=world.office))
    assert office_letter.symbol.startswith("PVHXH")
    assert office_report(world, published).symbol == "BC-PVHXH"
    units.update_unit(world.office, symbol="PGDĐT")
    world.office.refresh_from_db()
    assert office_report(world, published).symbol == "BC-PGDĐT"
    units.update_unit(world.partner, symbol="TVĐH")
    doc = event_letters.invitation(Event.objects.get(organiser=world.partner))
    assert doc.symbol == "GM-TVĐH"


# --- Kính gửi, Nơi nhận, and the offices as the tree names them ------------------------------


def test_kinh_gui_and_noi_nhan_print_where_their_names_say(world, campaign):
    campaign.recipients = "Phòng Văn hóa – Xã hội các xã, phường"
    campaign.copies_to = "Giám đốc Sở (để b/c)\nCác Phó Giám đốc Sở"
    doc = letters.campaign_letter(campaign)
    assert list(doc.kinh_gui) == ["Phòng Văn hóa – Xã hội các xã, phường"]
    assert nd30.noi_nhan_lines(doc) == [
        "- Như trên;",
        "- Giám đốc Sở (để b/c);",
        "- Các Phó Giám đốc Sở;",
        "- Lưu: VT, KHTC.",
    ]
    assert nd30.kinh_gui_lines(doc) == ["Phòng Văn hóa – Xã hội các xã, phường."]


def test_an_empty_kinh_gui_names_the_offices_and_schools_as_the_tree_does(world, campaign):
    campaign.recipients = ""
    doc = letters.campaign_letter(campaign)
    # The world's offices are a ward's and a commune's culture–society offices (the reform).
    assert list(doc.kinh_gui) == [
        "Phòng Văn hóa – Xã hội các xã, phường",
        "Các trường trực thuộc Sở",  # the THPT school directly under the Sở
    ]
    body = " ".join(getattr(block, "text", "") for block in doc.body)
    assert "Phòng Văn hóa – Xã hội các xã, phường tổng hợp, báo cáo kết quả về Sở" in body
    assert "Phòng Giáo dục và Đào tạo" not in body


def test_where_the_reform_does_not_apply_the_offices_are_education_offices(world, campaign):
    for office, name in ((world.office, "huyện Mỏ Cày"), (world.office_b, "thành phố Bến Tre")):
        units.update_unit(office, name=f"Phòng Giáo dục và Đào tạo {name}")
    campaign.recipients = ""
    doc = letters.campaign_letter(campaign)
    assert next(iter(doc.kinh_gui)) == "Phòng Giáo dục và Đào tạo các huyện, thành phố"


def test_a_campaign_names_the_unit_it_targets_or_the_issuers_own_schools(world):
    campaign = Campaign.objects.get(issuer=world.office)
    campaign.recipients = ""
    assert list(letters.campaign_letter(campaign).kinh_gui) == [campaign.target.name]
    campaign.target = world.office
    assert list(letters.campaign_letter(campaign).kinh_gui) == ["Các trường trực thuộc Phòng"]


def test_the_subject_is_lower_case_inside_a_sentence(world, published):
    assert letters.in_sentence("V/v Hướng dẫn công tác tự bồi dưỡng") == (
        "hướng dẫn công tác tự bồi dưỡng"
    )
    assert letters.in_sentence("V/v THPT tự bồi dưỡng") == "THPT tự bồi dưỡng"
    published.subject = "V/v Hướng dẫn công tác tự bồi dưỡng"
    published.save()
    (basis,) = office_report(world, published).can_cu
    assert "về việc hướng dẫn công tác tự bồi dưỡng" in basis
    assert "V/v" not in basis and "về việc Hướng" not in basis
    # The V/v line itself keeps the case the issuer typed.
    assert nd30.vv_line(letters.campaign_letter(published)) == published.subject


def test_the_certificate_carries_the_organisers_head_signer(world):
    registration = Registration.objects.get(event__organiser=world.partner, user=world.librarian)
    registration.certificate_code = "MAU-01"  # as once issued (not saved)
    assert certificate_context(registration)["signature"] is None  # the partner keeps none
    units.add_signer(world.partner, full_name="Võ Văn Thư", position="Giám đốc Thư viện")
    signature = certificate_context(registration)["signature"]
    assert (signature.title_lines, signature.signer) == (["GIÁM ĐỐC THƯ VIỆN"], "Võ Văn Thư")


def test_the_office_report_form_offers_the_offices_signers(world):
    head = units.add_signer(world.office, full_name="Trần Thị Trưởng", position="Trưởng phòng")
    form = UnitReportForm({"signatory": head.pk}, unit=world.office)
    assert form.is_valid() and form.cleaned_data["signatory"] == head
    assert next(iter(form.fields)) == "signatory"
    assert "signatory" not in UnitReportForm.base_fields  # the saved report's fields alone


# --- the office report's signer, chosen and kept ---------------------------------------------


@pytest.fixture
def office_deputy(world):
    units.add_signer(world.office, full_name="Trần Thị Trưởng", position="Trưởng phòng")
    return units.add_signer(
        world.office,
        full_name="Phạm Văn Phó",
        position="Phó Trưởng phòng",
        authority=Authority.KT,
        on_behalf_of="Trưởng phòng",
        order=1,
    )


def test_the_office_reports_chosen_signer_is_kept_and_prints(
    world, client_for, published, office_deputy
):
    client = client_for(world.office_officer)
    url = reverse("training:unit_report", args=[published.pk])
    assert client.post(url, {"signatory": office_deputy.pk}).status_code == 302
    report = published.unit_reports.get(unit=world.office)
    assert report.signer == office_deputy
    page = client.get(url).content.decode()
    assert f'<option value="{office_deputy.pk}" selected>' in page  # shown as saved
    pdf = client.get(reverse("training:unit_report_pdf", args=[report.pk]))
    text = pdf_text(pdf.content)
    assert "KT. TRƯỞNG PHÒNG PHÓ TRƯỞNG PHÒNG" in text and "Phạm Văn Phó" in text
    assert "Trần Thị Trưởng" not in text and world.office_officer.display_name not in text
    # Cleared again: the head signs.
    assert client.post(url, {"signatory": ""}).status_code == 302
    report.refresh_from_db()
    assert report.signer is None
    pdf = client.get(reverse("training:unit_report_pdf", args=[report.pk]))
    assert "TRƯỞNG PHÒNG Trần Thị Trưởng" in pdf_text(pdf.content)


def test_the_sent_office_report_keeps_the_chosen_signer(world, published, office_deputy):
    send_a1(world, published)
    report = reports.prepare_unit_report(
        published, world.office, by=world.office_officer, signatory=office_deputy
    )
    reports.submit_unit_report(report, by=world.office_officer)
    report.refresh_from_db()
    report.sent_pdf.open("rb")
    with report.sent_pdf:
        text = pdf_text(report.sent_pdf.read())
    assert "Phạm Văn Phó" in text and world.office_officer.display_name not in text


def test_a_signer_of_another_unit_is_refused_for_the_office_report(
    world, client_for, published, deputy
):
    response = client_for(world.office_officer).post(
        reverse("training:unit_report", args=[published.pk]), {"signatory": deputy.pk}
    )
    assert response.status_code == 422
    assert "Vui lòng chọn một giá trị trong danh sách." in response.content.decode()
    assert not published.unit_reports.filter(unit=world.office).exists()
    with pytest.raises(reports.TrainingError, match=r"Lê Văn Phó .*Phòng Văn hóa"):
        reports.prepare_unit_report(
            published, world.office, by=world.office_officer, signatory=deputy
        )


def test_a_deleted_signer_leaves_the_report_to_the_head(world, published, office_deputy):
    report = reports.prepare_unit_report(
        published, world.office, by=world.office_officer, signatory=office_deputy
    )
    office_deputy.delete()
    report.refresh_from_db()
    doc = report_documents.unit_report_document(
        report, unit_figures(published, world.office), signatory=report.signer
    )
    assert (report.signer, doc.signature.signer) == (None, "Trần Thị Trưởng")


def test_the_campaign_page_shows_kinh_gui_and_noi_nhan_apart(world, client_for, published):
    published.recipients = "Phòng Văn hóa – Xã hội các xã, phường"
    published.copies_to = "Giám đốc Sở (để b/c)\nCác Phó Giám đốc Sở"
    published.save()
    client = client_for(world.dept_admin)
    client.cookies["thuvien_language"] = "en"  # the English source labels
    page = client.get(reverse("training:campaign_detail", args=[published.pk])).content.decode()
    recipients, copies = page.index("<dt>Recipients</dt>"), page.index("<dt>Copies to</dt>")
    assert recipients < page.index("Phòng Văn hóa – Xã hội các xã, phường") < copies
    assert page.index("Giám đốc Sở (để b/c)<br>Các Phó Giám đốc Sở") > copies

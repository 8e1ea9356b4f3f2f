"""Every official document the platform generates, built from the named world, checked against
the rules of Nghị định 30/2020, Phụ lục I (../shared/reference/nd30_document_layout.md) that can
be read on its data and its HTML: the header (governing body over the agency, Quốc hiệu, tiêu
ngữ), "Số: 12/KH-SGDĐT", the place and date line, "V/v" for a Công văn, "Kính gửi:", the
signature block (authority line, position, name) and "Nơi nhận:" ending "- Lưu: VT…"."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from lxml import html as lxml_html

from thuvien.access import resolve_scope
from thuvien.core.folding import fold
from thuvien.documents import CongVan, DocumentType, OfficialDocument
from thuvien.documents import text as nd30
from thuvien.documents.model import TYPE_ABBREVIATIONS
from thuvien.documents.pdf import render_html
from thuvien.events import letters as event_letters
from thuvien.events import reports as event_reports
from thuvien.events.models import Event
from thuvien.organisations import services as units
from thuvien.organisations.agencies import locality
from thuvien.organisations.models import Authority
from thuvien.standards import documents as standards_documents
from thuvien.standards.models import Assessment, DevelopmentPlan
from thuvien.training import letters, report_documents
from thuvien.training.figures import unit_figures
from thuvien.training.models import Campaign
from thuvien.training.services import reports

SYMBOL = re.compile(r"^[A-ZĐ][A-ZĐa-z]*(-[A-ZĐ&]+)*$")  # "KH-SGDĐT", "SGDĐT-KHTC", "TTr-…"
NUMBER_LINE = re.compile(r"^Số: (\d{2,}|\u00a0{6})/(\S+)$")
DATE_LINE = re.compile(r"^(?P<place>[^,]+), ngày (?P<d>\d{2}) tháng (?P<m>\d{1,2}) năm \d{4}$")
DEPUTY = {
    "full_name": "Lê Văn Phó",
    "position": "Phó Giám đốc",
    "authority": Authority.KT,
    "on_behalf_of": "Giám đốc",
}


def _campaign_letter(world, published) -> OfficialDocument:
    return letters.campaign_letter(published)


def _office_campaign_letter(world, published) -> OfficialDocument:
    return letters.campaign_letter(Campaign.objects.get(issuer=world.office))


def _office_report(world, published) -> OfficialDocument:
    report = reports.prepare_unit_report(published, world.office, by=world.office_officer)
    return report_documents.unit_report_document(report, unit_figures(published, world.office))


def _province_report(world, published) -> OfficialDocument:
    report = reports.prepare_unit_report(published, world.department, by=world.dept_officer)
    figures = unit_figures(published, world.department)
    return report_documents.unit_report_document(report, figures)


def _invitation(world, published) -> OfficialDocument:
    return event_letters.invitation(Event.objects.get(organiser=world.partner))


def _event_report(world, published) -> OfficialDocument:
    event = Event.objects.get(organiser=world.partner)
    report = event_reports.event_report(event, resolve_scope(world.trainer, None))
    return event_reports.report_document(report)


def _assessment(world):
    return Assessment.objects.get(school=world.school)  # standards.testing: recognised


def _bien_ban(world, published) -> OfficialDocument:
    return standards_documents.bien_ban(_assessment(world))


def _to_trinh(world, published) -> OfficialDocument:
    return standards_documents.to_trinh(_assessment(world))


def _quyet_dinh(world, published) -> OfficialDocument:
    return standards_documents.quyet_dinh(_assessment(world).recognition)


def _ke_hoach(world, published) -> OfficialDocument:
    return standards_documents.ke_hoach(DevelopmentPlan.objects.get(school=world.school))


BUILDERS: dict[str, Callable[..., OfficialDocument]] = {
    "standards biên bản": _bien_ban,
    "standards tờ trình": _to_trinh,
    "standards quyết định": _quyet_dinh,
    "standards kế hoạch": _ke_hoach,
    "campaign letter of the Sở": _campaign_letter,
    "campaign letter of an office": _office_campaign_letter,
    "office report": _office_report,
    "Sở final report": _province_report,
    "event Giấy mời": _invitation,
    "event report": _event_report,
}


@pytest.fixture(params=sorted(BUILDERS))
def built(request, world, published):
    """(name, document, its HTML) of each kind; the Sở's documents are signed by a deputy
    ("KT."), the office's and the partner's by their heads."""
    units.add_signer(world.department, **DEPUTY, is_head=True)
    units.add_signer(world.office, full_name="Trần Thị Trưởng", position="Trưởng phòng")
    units.add_signer(world.partner, full_name="Võ Văn Thư", position="Giám đốc Thư viện")
    units.add_signer(world.school, full_name="Nguyễn Thị Hiệu", position="Hiệu trưởng")
    document = BUILDERS[request.param](world, published)
    return request.param, document, lxml_html.fromstring(render_html(document))


def texts(page, cls: str) -> list[str]:
    found = page.find_class(cls)
    return [" ".join(element.text_content().split()) for element in found]


def test_the_header_puts_the_governing_body_over_the_agency_and_the_national_motto(built):
    name, doc, page = built
    assert doc.issuing_agency == doc.issuing_agency.upper(), name
    assert texts(page, "issuing-agency") == [doc.issuing_agency], name
    if doc.parent_agency:  # every agency of the world has one
        assert texts(page, "parent-agency") == [doc.parent_agency.upper()], name
        parent, agency = fold(doc.parent_agency), fold(doc.issuing_agency)
        # The province (ward, commune…) the governing body names is not repeated under it.
        where = [fold(word) for word in parent.split(" ")[2:]] if parent.startswith("ubnd") else []
        assert not where or not agency.endswith(" ".join(where)), (name, doc.issuing_agency)
    assert texts(page, "quoc-hieu") == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], name
    assert texts(page, "tieu-ngu") == ["Độc lập - Tự do - Hạnh phúc"], name


def test_every_agency_of_the_world_prints_a_governing_body(built):
    name, doc, _page = built
    assert doc.parent_agency.strip(), name


def test_the_number_and_symbol_read_so_12_kh_sgddt(built):
    name, doc, page = built
    line = nd30.number_line(doc)
    assert texts(page, "number") == [" ".join(line.split())], name
    found = NUMBER_LINE.match(line)
    assert found, (name, line)
    assert SYMBOL.match(doc.symbol), (name, doc.symbol)
    if isinstance(doc.kind, DocumentType):
        abbreviation = TYPE_ABBREVIATIONS[doc.kind.name]
        assert doc.symbol.startswith(f"{abbreviation}-"), (name, doc.symbol)
    else:  # a Công văn: the agency's abbreviation, no type
        assert doc.symbol.split("-")[0] not in TYPE_ABBREVIATIONS.values(), (name, doc.symbol)


def test_the_number_line_format_itself():
    assert NUMBER_LINE.match("Số: 05/BNV-VP") and NUMBER_LINE.match("Số: 2458/SGDĐT-KHTC")
    assert not NUMBER_LINE.match("Số: 5/BNV-VP") and not NUMBER_LINE.match("Số 05/BNV-VP")


def test_the_place_and_date_line_is_lower_case_with_leading_zeros(built):
    name, doc, page = built
    line = nd30.place_and_date(doc)
    assert texts(page, "place-date") == [line], name
    found = DATE_LINE.match(line)
    assert found, (name, line)
    month = int(found["m"])
    assert found["m"] == (f"{month:02d}" if month <= 2 else str(month)), (name, line)
    # A place name, or the blank Văn thư fills in when the agency's name tells none.
    place = found["place"]
    assert place == letters.BLANK_PLACE or place[0].isupper(), (name, line)


def test_a_cong_van_carries_its_v_v_line_and_a_typed_document_its_type_and_summary(built):
    name, doc, page = built
    if isinstance(doc.kind, CongVan):
        (line,) = texts(page, "vv")
        assert line.startswith("V/v ") and len(line) > 8, (name, line)  # its case kept
        assert not page.find_class("type-name"), name
    else:
        assert texts(page, "type-name") == [doc.kind.name.upper()], name
        (summary,) = texts(page, "summary")
        assert summary == doc.kind.summary and summary[0].isupper() and not summary.isupper()
        assert not page.find_class("vv"), name


def test_kinh_gui_names_real_recipients_one_per_line(built):
    name, doc, page = built
    if not doc.kinh_gui:
        # nobody above them; the school's and the decision's own records
        assert name in {
            "event Giấy mời",
            "Sở final report",
            "standards biên bản",
            "standards quyết định",
            "standards kế hoạch",
        }, name
        return
    assert texts(page, "kinh-gui-label") == ["Kính gửi:"], name
    lines = nd30.kinh_gui_lines(doc)
    if len(lines) == 1:
        assert lines[0].endswith(".") and not lines[0].startswith("-"), (name, lines)
    else:
        assert all(line.startswith("- ") for line in lines), (name, lines)
        assert all(line.endswith(";") for line in lines[:-1]) and lines[-1].endswith(".")


def test_the_signature_block_is_the_head_signer_with_authority_position_and_name(built, world):
    name, doc, page = built
    titles = texts(page, "signature-title")
    assert titles == doc.signature.title_lines and all(t == t.upper() for t in titles), name
    (signer,) = texts(page, "signer")
    assert signer == doc.signature.signer and signer != signer.upper(), name
    logged_in = {world.dept_admin.display_name, world.dept_officer.display_name}
    logged_in |= {world.office_officer.display_name, world.trainer.display_name}
    assert signer not in logged_in, (name, signer)  # never silently whoever downloads it
    if doc.issuing_agency.startswith("SỞ"):
        assert titles == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and signer == "Lê Văn Phó", name


def test_noi_nhan_ends_with_the_archive_line(built):
    name, doc, page = built
    assert texts(page, "noi-nhan-label") == ["Nơi nhận:"], name
    lines = nd30.noi_nhan_lines(doc)
    assert all(line.startswith("- ") for line in lines), (name, lines)
    assert all(line.endswith(";") for line in lines[:-1]), (name, lines)
    assert re.match(r"^- Lưu: VT(, [^,;.]+)*\.$", lines[-1]), (name, lines)
    assert sum(line.startswith("- Lưu") for line in lines) == 1, (name, lines)
    if doc.kinh_gui:  # sent to someone named above: "Như trên" first
        assert lines[0] == "- Như trên;", (name, lines)


def test_the_checks_catch_a_document_that_breaks_the_rules(world):
    """The same checks on a wrong header, number, date and archive line fail."""
    assert not NUMBER_LINE.match("Số: 7/KH-SGDĐT")
    assert not DATE_LINE.match("Bến Tre, ngày 5 tháng 01 năm 2026")
    found = DATE_LINE.match("Bến Tre, ngày 05 tháng 1 năm 2026")
    assert found and found["m"] != "01"  # the month check above refuses it
    assert not re.match(r"^- Lưu: VT(, [^,;.]+)*\.$", "- Lưu VT;")
    assert not SYMBOL.match("kh-sgdđt")
    assert locality(world.department) == ("tỉnh", "Bến Tre")

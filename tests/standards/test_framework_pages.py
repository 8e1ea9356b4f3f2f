"""The frameworks' pages as each role meets them: everyone reads them; only the department
administrator imports a file or corrects a criterion, and each change is a new version."""

from __future__ import annotations

import io

import pytest
import yaml
from django.urls import reverse

from thuvien.standards import framework_files
from thuvien.standards.models import FrameworkVersion

LIST = reverse("standards:framework_list")
IMPORT = reverse("standards:framework_import")
CONFIRM = reverse("standards:framework_import_confirm")


def detail(shown, **query):
    url = reverse("standards:framework_detail", args=[shown.framework_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "role", ["librarian", "principal", "office_officer", "dept_officer", "trainer"]
)
def test_every_library_role_reads_the_frameworks_in_vietnamese(world, tt16, client_for, role):
    client = client_for(getattr(world, role))
    listed = client.get(LIST)
    assert listed.status_code == 200
    assert "Thông tư 16/2022/TT-BGDĐT" in text(listed) and "Quyết định 01/2003" in text(listed)
    page = client.get(detail(tt16))
    assert page.status_code == 200
    body = text(page)
    assert "Chưa kiểm chứng" in body  # the reference's unverified criteria say so
    assert "Tài nguyên thông tin" in body and "mỗi học sinh" in body
    assert "Sửa</a>" not in body  # no correction link without KEEP_FRAMEWORKS


def test_a_reader_and_a_visitor_do_not_see_the_frameworks(world, tt16, client_for, client):
    assert client_for(world.reader).get(LIST).status_code == 403
    assert client.get(LIST).status_code == 302  # to the login page


def test_the_tier_filter_shows_only_that_tiers_criteria(world, tt16, client_for):
    body = text(client_for(world.librarian).get(detail(tt16, tier="upper_secondary")))
    assert "THPT.TNTT.1.b" in body and "TRH.TNTT.1.a" in body
    assert "MN.TNTT.1.b" not in body and "THCS.TNTT.1.b" not in body


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_a_framework_downloads_as_a_file_that_reads_back(world, tt16, client_for, fmt):
    url = reverse(f"standards:framework_export_{fmt}", args=[tt16.framework_id])
    response = client_for(world.office_officer).get(url)
    assert response.status_code == 200
    assert f'filename="tt16-2022-v{tt16.number}.{fmt}"' in response["Content-Disposition"]
    assert framework_files.read(response.content, f"x.{fmt}") == framework_files.data_of(tt16)


@pytest.mark.parametrize("role", ["dept_officer", "office_officer", "librarian"])
def test_only_the_department_administrator_changes_a_framework(world, tt16, client_for, role):
    client = client_for(getattr(world, role))
    criterion = tt16.criteria.first()
    assert client.get(IMPORT).status_code == 403
    correct = reverse("standards:criterion_correct", args=[criterion.pk])
    assert client.post(correct, {"name": "x", "change": "x"}).status_code == 403
    assert FrameworkVersion.objects.filter(framework=tt16.framework).count() == 1


def _upload(client, content: bytes, name: str = "khung.yaml", note: str = ""):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(IMPORT, {"file": upload, "note": note})


def test_importing_a_file_shows_what_changes_then_makes_the_next_version(world, tt16, client_for):
    client = client_for(world.dept_admin)
    document = yaml.safe_load(framework_files.write_yaml(framework_files.data_of(tt16)))
    document["criteria"][0]["name"] = "Tên đã đối chiếu với văn bản gốc"
    content = yaml.safe_dump(document, allow_unicode=True).encode()
    preview = _upload(client, content, note="Đối chiếu Điều 5")
    assert preview.status_code == 200
    body = text(preview)
    assert "Kiểm tra trước khi nhập" in body and "phiên bản 2" in body
    assert f"Sửa: 1 ({document['criteria'][0]['code']})" in body
    assert FrameworkVersion.objects.filter(framework=tt16.framework).count() == 1  # not yet
    confirm = preview.context["confirm"]
    done = client.post(CONFIRM, {name: confirm[name].value() for name in confirm.fields})
    assert done.status_code == 302
    version = tt16.framework.versions.order_by("-number").first()
    assert (version.number, version.note, version.created_by) == (
        2,
        "Đối chiếu Điều 5",
        world.dept_admin.full_name,
    )
    page = text(client.get(detail(version)))
    assert "Tên đã đối chiếu với văn bản gốc" in page
    old = text(client.get(detail(tt16, version=1)))
    assert "Đây là phiên bản cũ" in old and "Tên đã đối chiếu" not in old


def test_a_bad_file_is_refused_with_its_problems_and_nothing_is_imported(world, tt16, client_for):
    client = client_for(world.dept_admin)
    document = yaml.safe_load(framework_files.write_yaml(framework_files.data_of(tt16)))
    document["criteria"][3]["tiers"] = ["dai_hoc"]
    response = _upload(client, yaml.safe_dump(document, allow_unicode=True).encode())
    assert response.status_code == 422
    assert "Chưa nhập gì" in text(response) and "không rõ cấp học “dai_hoc”" in text(response)
    wrong = _upload(client, b"%PDF-1.4", name="quyet-dinh.pdf")
    assert wrong.status_code == 422 and "có đuôi .yaml, .yml hoặc .xlsx" in text(wrong)
    assert FrameworkVersion.objects.filter(framework=tt16.framework).count() == 1


def test_a_tampered_confirmation_imports_nothing(world, tt16, client_for):
    client = client_for(world.dept_admin)
    data = {"content": "forged", "filename": "khung.yaml", "note": ""}
    response = client.post(CONFIRM, data, follow=True)
    assert "Bản xem trước đã hết hạn" in text(response)
    assert FrameworkVersion.objects.filter(framework=tt16.framework).count() == 1


def _criterion_form(criterion, **changes):
    data = {
        "name": criterion.name,
        "name_en": criterion.name_en,
        "article": criterion.article,
        "level": criterion.level.code if criterion.level else "",
        "tiers": criterion.tiers,
        "judgement": criterion.judgement,
        "operator": criterion.operator,
        "threshold": "" if criterion.threshold is None else str(criterion.threshold),
        "per": criterion.per,
        "unit": criterion.unit_label,
        "metric": criterion.metric,
        "note": criterion.note,
        "change": "Đối chiếu văn bản",
    }
    if criterion.verified:
        data["verified"] = "on"
    data.update(changes)
    return data


def test_correcting_a_criterion_makes_the_next_version(world, tt16, client_for):
    client = client_for(world.dept_admin)
    criterion = tt16.criteria.get(code="TH.TNTT.1.copies")
    assert not criterion.verified
    url = reverse("standards:criterion_correct", args=[criterion.pk])
    response = client.post(url, _criterion_form(criterion, threshold="3", verified="on"))
    assert response.status_code == 302
    new = tt16.framework.versions.order_by("-number").first()
    corrected = new.criteria.get(code="TH.TNTT.1.copies")
    assert corrected.verified and new.note == "Đối chiếu văn bản"
    criterion.refresh_from_db()
    assert not criterion.verified  # version 1 is as it was
    again = client.post(url, _criterion_form(criterion))
    assert again.status_code == 422 and "hãy sửa trong phiên bản hiện hành 2" in text(again)


def test_a_threshold_criterion_without_its_number_says_what_to_give(world, tt16, client_for):
    client = client_for(world.dept_admin)
    criterion = tt16.criteria.get(code="THCS.TNTT.1.b")
    url = reverse("standards:criterion_correct", args=[criterion.pk])
    response = client.post(url, _criterion_form(criterion, threshold=""))
    assert response.status_code == 422 and "Hãy nhập số của ngưỡng." in text(response)
    assert FrameworkVersion.objects.filter(framework=tt16.framework).count() == 1


def test_the_administrator_completes_the_framework_with_a_criterion(world, tt16, client_for):
    client = client_for(world.dept_admin)
    url = reverse("standards:criterion_add", args=[tt16.framework_id])
    assert client.get(url).status_code == 200
    data = {
        "code": "TRH.CSVC.1",
        "group": "CSVC",
        "name": "Diện tích thư viện tối thiểu",
        "level": "muc1",
        "tiers": ["lower_secondary", "upper_secondary"],
        "judgement": "threshold",
        "operator": ">=",
        "threshold": "54",
        "per": "library",
        "unit": "m²",
        "metric": "total_area_m2",
        "change": "Bổ sung theo văn bản gốc",
    }
    duplicate = client.post(url, {**data, "code": "THPT.TNTT.1.b"})
    assert duplicate.status_code == 422 and "xuất hiện hai lần" in text(duplicate)
    assert client.post(url, data).status_code == 302
    latest = tt16.framework.versions.order_by("-number").first()
    added = latest.criteria.get(code="TRH.CSVC.1")
    assert (latest.number, added.group.code, added.metric) == (2, "CSVC", "total_area_m2")
    assert tt16.criteria.filter(code="TRH.CSVC.1").count() == 0  # version 1 as it was
    assert client_for(world.dept_officer).get(url).status_code == 403

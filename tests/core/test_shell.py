"""The UI shell: language, security headers, error pages, folding."""

from django.urls import reverse

from thuvien.core.folding import fold


def test_fold_strips_vietnamese_marks():
    assert fold("  Trường THPT  Nguyễn Đình Chiểu ") == "truong thpt nguyen dinh chieu"
    assert fold("ĐẠI HỌC Tôn Đức Thắng") == "dai hoc ton duc thang"
    assert fold("Thư viện") == fold("thu vien") == fold("THƯ VIỆN")


def test_vietnamese_is_the_default_even_for_english_browsers(db, client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi"' in response.text


def test_language_switch_to_english_and_back(db, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(reverse("accounts:login"))
    assert page["Content-Language"] == "en"
    assert "Log in to ThuVien" in page.text
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert client.get(reverse("accounts:login"))["Content-Language"] == "vi"


def test_security_headers(db, client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_friendly_404_page(db, client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "core/home" not in response.text
    assert 'href="/"' in response.text or reverse("core:home") in response.text


def test_500_page_renders_without_request_context(db, rf):
    from thuvien.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"<h1>" in response.content


def test_healthz(db, client):
    assert client.get("/healthz").content == b"ok"


def test_every_asset_is_local(world, client_for):
    page = client_for(world.dept_admin).get(reverse("organisations:unit_list")).text
    for attribute in ("src=", "href="):
        for chunk in page.split(attribute)[1:]:
            url = chunk[1:].split(chunk[0], 1)[0]
            assert not url.startswith(("http://", "https://", "//")), url


def test_home_shows_scope_figures_for_supervisors(world, client_for):
    response = client_for(world.office_officer).get(reverse("core:home"))
    summary = response.context["summary"]
    assert (summary["schools"], summary["offices"]) == (2, 1)
    assert summary["students"] == 620 + 810
    assert summary["staff"] == 5  # officer, 2 principals, librarian, teacher-librarian


def test_home_for_reader_has_no_unit_figures(world, client_for):
    response = client_for(world.reader).get(reverse("core:home"))
    assert response.status_code == 200
    assert "summary" not in response.context  # organisations puts no figures on the page
    assert 'class="figures"' not in response.text

"""Photos of an event: many at once with thumbnails, all or nothing, served only through views,
private to participants and organisers unless the organiser makes them public."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from thuvien.core.testing import make_user
from thuvien.events.models import Event, Photo
from thuvien.events.services import EventError, photos
from thuvien.organisations import services
from thuvien.organisations.models import Role, UnitKind


@pytest.fixture
def client_for(client_for: Any, settings: Any) -> Any:
    """Logged-in clients that read the pages in English (the messages checked below)."""

    def make(user: Any) -> Any:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(
    size: tuple[int, int] = (1000, 500), fmt: str = "JPEG", orientation: int = 0
) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, fmt, exif=exif)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(name: str, content: bytes, kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, kind)


def stored_files(media: Any) -> list[Any]:
    return [path for path in media.rglob("*") if path.is_file()]


def post_photos(client: Any, event: Event, files: list[Any], **extra: Any) -> Any:
    url = reverse("events:photo_upload", args=[event.pk])
    return client.post(url, {"photos": files, **extra})


def test_many_photos_in_one_upload_get_upright_thumbnails(world, client_for, event, media):
    files = [
        upload("hoi-truong.jpg", image_bytes()),
        upload("xoay.jpg", image_bytes(orientation=6)),  # a phone held upright: rotate 90°
        upload("nho.png", image_bytes((300, 200), "PNG"), "image/png"),
    ]
    response = post_photos(client_for(world.trainer), event, files, caption="Buổi sáng")
    assert response.status_code == 302
    rows = list(Photo.objects.filter(event=event).order_by("order"))
    assert [p.order for p in rows] == [0, 1, 2]
    assert {p.caption for p in rows} == {"Buổi sáng"}
    assert rows[2].image.name.endswith(".png")
    sizes = []
    for photo in rows:
        with Image.open(photo.thumbnail.path) as thumb:
            assert thumb.format == "JPEG"
            sizes.append(thumb.size)
    assert sizes == [(480, 240), (480, 960), (300, 200)]
    assert len(stored_files(media)) == 6


def test_a_later_upload_goes_after_the_photos_already_there(world, event, media):
    photos.upload_photos(event, [upload("a.jpg", image_bytes())])
    later = photos.upload_photos(
        event, [upload("b.jpg", image_bytes()), upload("c.jpg", image_bytes())]
    )
    assert [p.order for p in later] == [1, 2]


def test_a_text_file_renamed_jpg_refuses_the_whole_batch(world, client_for, event, media):
    files = [
        upload("tot.jpg", image_bytes()),
        upload("ghi-chu.jpg", "Không phải ảnh".encode()),
    ]
    response = post_photos(client_for(world.trainer), event, files)
    assert response.status_code == 422
    text = response.content.decode()
    assert "No photo was saved" in text and "ghi-chu.jpg" in text
    assert not Photo.objects.filter(event=event).exists()
    assert stored_files(media) == []


def test_a_photo_over_the_limit_is_refused_and_nothing_saved(
    world, client_for, event, media, settings
):
    settings.EVENT_PHOTO_MAX_BYTES = 20_000
    big = Image.effect_noise((400, 400), 100).convert("RGB")
    out = io.BytesIO()
    big.save(out, "PNG")
    assert len(out.getvalue()) > 20_000
    files = [
        upload("nho.jpg", image_bytes((50, 50))),
        upload("lon.png", out.getvalue(), "image/png"),
    ]
    response = post_photos(client_for(world.trainer), event, files)
    assert response.status_code == 422
    assert "the limit is" in response.content.decode()
    assert not Photo.objects.exists() and stored_files(media) == []


def test_the_default_limit_is_15_mb(world, event, media):
    huge = upload("huge.jpg", b"\xff\xd8\xff" + b"0" * (15 * 1024 * 1024))
    with pytest.raises(EventError, match="limit"):
        photos.upload_photos(event, [huge])
    assert not Photo.objects.exists()


def test_a_decompression_bomb_is_refused(world, event, media):
    bomb = Image.new("1", (10_000, 7_000))
    out = io.BytesIO()
    bomb.save(out, "PNG")
    with pytest.raises(EventError, match="No photo was saved"):
        photos.upload_photos(event, [upload("bom.png", out.getvalue(), "image/png")])
    assert not Photo.objects.exists()


def test_an_upload_without_files_says_what_to_do(world, client_for, event, media):
    response = client_for(world.trainer).post(reverse("events:photo_upload", args=[event.pk]))
    assert response.status_code == 422
    assert "Choose at least one photo" in response.content.decode()


@pytest.fixture
def photo(event: Event, media: Any) -> Photo:
    [photo] = photos.upload_photos(
        event, [upload("a.png", image_bytes((60, 40), "PNG"), "image/png")]
    )
    return photo


def test_the_gallery_is_private_unless_public(world, client, client_for, event, photo):
    gallery = reverse("events:gallery", args=[event.pk])
    image = reverse("events:photo_image", args=[photo.pk])
    thumb = reverse("events:photo_thumbnail", args=[photo.pk])
    for url in (gallery, image, thumb):
        assert client.get(url).url.startswith("/accounts/login/")
    # A librarian of the school who is not registered: sees the event, not its photos.
    assert client_for(world.teacher_librarian).get(gallery).status_code == 403
    assert client_for(world.teacher_librarian).get(image).status_code == 403
    participant = client_for(world.librarian)
    page = participant.get(gallery)
    assert page.status_code == 200 and thumb in page.content.decode()
    assert reverse("events:photo_upload", args=[event.pk]) not in page.content.decode()
    response = participant.get(image)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert participant.get(thumb)["Content-Type"] == "image/jpeg"
    Event.objects.filter(pk=event.pk).update(photos_public=True)
    assert client.get(gallery).status_code == 200
    assert client.get(image).status_code == 200
    assert client_for(world.teacher_librarian).get(gallery).status_code == 200


def test_photos_are_never_under_a_public_media_url(world, client_for, event, photo):
    page = (
        client_for(world.trainer).get(reverse("events:gallery", args=[event.pk])).content.decode()
    )
    assert "/media/" not in page and photo.image.name not in page


def test_outsiders_get_404(world, client_for, event, photo):
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("events:gallery", args=[event.pk])).status_code == 404
    assert outsider.get(reverse("events:photo_image", args=[photo.pk])).status_code == 404
    assert outsider.post(reverse("events:photo_delete", args=[photo.pk])).status_code == 403
    # Another partner's trainer may manage photos, but not this event's: 404.
    other = services.create_unit(kind=UnitKind.PARTNER, name="Thư viện khác", parent=None)
    trainer = make_user("gv_khac", "Giảng viên khác")
    services.add_membership(trainer, other, Role.TRAINER)
    assert (
        client_for(trainer).post(reverse("events:photo_delete", args=[photo.pk])).status_code == 404
    )
    assert client_for(trainer).get(reverse("events:gallery", args=[event.pk])).status_code == 404
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_only_organisers_manage_photos(world, client_for, event, photo):
    librarian = client_for(world.librarian)
    assert librarian.post(reverse("events:photo_delete", args=[photo.pk])).status_code == 403
    # The office officer sees the event (aimed at the office) but organises nothing.
    officer = client_for(world.office_officer)
    assert officer.post(reverse("events:photo_delete", args=[photo.pk])).status_code == 403
    assert Photo.objects.filter(pk=photo.pk).exists()
    assert (
        client_for(world.trainer).get(reverse("events:photo_delete", args=[photo.pk])).status_code
        == 405
    )


def test_the_organiser_captions_orders_and_deletes(world, client_for, event, media):
    files = [upload(f"{n}.jpg", image_bytes((40, 40))) for n in "abc"]
    a, b, c = photos.upload_photos(event, files)
    trainer = client_for(world.trainer)
    trainer.post(
        reverse("events:photo_caption", args=[b.pk]), {"caption": "  Học viên thảo luận  "}
    )
    b.refresh_from_db()
    assert b.caption == "Học viên thảo luận"
    trainer.post(reverse("events:photo_move", args=[c.pk]), {"direction": "up"})
    order = list(Photo.objects.filter(event=event).order_by("order").values_list("pk", flat=True))
    assert order == [a.pk, c.pk, b.pk]
    trainer.post(reverse("events:photo_move", args=[a.pk]), {"direction": "up"})  # already first
    trainer.post(reverse("events:photo_move", args=[a.pk]), {"direction": "down"})
    order = list(Photo.objects.filter(event=event).order_by("order").values_list("pk", flat=True))
    assert order == [c.pk, a.pk, b.pk]
    image_path = media / a.image.name
    assert trainer.post(reverse("events:photo_delete", args=[a.pk])).status_code == 302
    assert not Photo.objects.filter(pk=a.pk).exists() and not image_path.exists()


def test_the_organiser_makes_the_photos_public_and_private(world, client_for, event):
    trainer = client_for(world.trainer)
    url = reverse("events:photos_visibility", args=[event.pk])
    trainer.post(url, {"public": "1"})
    event.refresh_from_db()
    assert event.photos_public
    trainer.post(url, {"public": "0"})
    event.refresh_from_db()
    assert not event.photos_public
    assert client_for(world.librarian).post(url, {"public": "1"}).status_code == 403


def test_the_gallery_answers_its_htmx_fragment(world, client_for, event, photo):
    response = client_for(world.librarian).get(
        reverse("events:gallery", args=[event.pk]), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200 and "gallery-grid" in text and "<html" not in text

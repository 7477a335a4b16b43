"""Event photos are served by the app, never straight from disk: to readers of the event, or on its live
public page while that page shows photos; always as the image type found inside the file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.events.services import (
    event_add_photo,
    event_remove_photo,
    public_page_publish,
    public_page_withdraw,
)

pytestmark = pytest.mark.django_db


def png(name="现场.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def photo(users, event):
    return event_add_photo(actor=users["office"], event=event, image=png(), caption="签约现场")


def test_a_reader_gets_the_photo_as_an_image_that_is_never_sniffed(client, users, event, photo):
    client.force_login(users["district"])
    response = client.get(f"/events/{event.pk}/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_image_uploaded_under_a_page_name_is_stored_and_served_as_what_it_is(client, users, event):
    photo = event_add_photo(actor=users["office"], event=event, image=png("index.html"), caption="")
    assert photo.image.name.endswith(".png") and "index" not in photo.image.name
    client.force_login(users["office"])
    assert client.get(f"/events/{event.pk}/photos/{photo.pk}/")["Content-Type"] == "image/png"


def test_anonymous_readers_and_removed_photos_get_nothing(client, users, event, photo):
    assert client.get(f"/events/{event.pk}/photos/{photo.pk}/").status_code == 302  # to the login page
    event_remove_photo(actor=users["office"], photo=photo)
    client.force_login(users["office"])
    assert client.get(f"/events/{event.pk}/photos/{photo.pk}/").status_code == 404


def test_the_public_page_serves_its_photos_only_while_it_shows_them(client, users, event, photo):
    page = public_page_publish(actor=users["office"], event=event, fields=["kind", "photos"])
    url = f"/p/{page.token}/photos/{photo.pk}/"
    assert url in client.get(f"/p/{page.token}/").content.decode()
    assert client.get(url).status_code == 200
    public_page_publish(actor=users["office"], event=event, fields=["kind"])
    assert client.get(url).status_code == 404
    page.refresh_from_db()
    public_page_withdraw(actor=users["office"], page=page, reason="活动信息有误")
    assert client.get(url).status_code == 410
    assert client.get(f"/p/not-a-token/photos/{photo.pk}/").status_code == 404


def test_a_photo_stored_under_its_old_name_is_still_served_as_what_it_is(client, users, event, photo):
    # Photos uploaded before names were normalised kept the uploader's name, e.g. "现场.jpeg" holding a PNG.
    from django.core.files.base import ContentFile

    photo.image.save("旧照片.jpeg", ContentFile(png().read()), save=True)
    client.force_login(users["office"])
    response = client.get(f"/events/{event.pk}/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"

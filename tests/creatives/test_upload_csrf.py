"""Uploads with CSRF on, as in production: the token is checked once the size limit holds."""

import io

from omnitraffick.models import Creative
from tests.creatives.files import image_bytes
from tests.html import csrf_token, text_of


def test_an_upload_without_the_token_is_refused(client, trafficker, dis, csrf_on, db):
    response = client.post(
        f"/creatives/brands/{dis.id}",
        data={"files": [(io.BytesIO(image_bytes(700, 700)), "a.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "This form has expired" in text_of(response)
    assert db.session.query(Creative).count() == 0


def test_an_upload_with_the_pages_token_is_taken(client, trafficker, dis, csrf_on, db):
    page = client.get(f"/creatives/brands/{dis.id}")
    response = client.post(
        f"/creatives/brands/{dis.id}",
        data={
            "csrf_token": csrf_token(page),
            "files": [(io.BytesIO(image_bytes(700, 700)), "a.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert db.session.query(Creative).count() == 1


def test_an_oversized_upload_is_413_before_the_token_is_read(client, app, trafficker, dis, csrf_on):
    app.config["CREATIVE_MAX_BYTES"] = 10_000
    response = client.post(
        f"/creatives/brands/{dis.id}",
        data={"files": [(io.BytesIO(image_bytes(900, 900, "PNG") + bytes(20_000)), "a.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "An upload may carry at most 10 KB in all" in text_of(response)


def test_delete_needs_the_token_too(client, trafficker, dis, csrf_on, db):
    page = client.get(f"/creatives/brands/{dis.id}")
    client.post(
        f"/creatives/brands/{dis.id}",
        data={
            "csrf_token": csrf_token(page),
            "files": [(io.BytesIO(image_bytes(700, 700)), "a.png")],
        },
        content_type="multipart/form-data",
    )
    creative = db.session.query(Creative).one()
    assert client.post(f"/creatives/{creative.id}/delete").status_code == 400
    assert db.session.query(Creative).count() == 1

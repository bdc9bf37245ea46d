"""A brand with creatives in its library is not deleted (its files would be orphaned)."""

import io

from omnitraffick.models import Brand, Creative, Role
from tests.creatives.files import image_bytes
from tests.html import text_of


def test_a_brand_with_creatives_is_kept_until_they_are_deleted(client, login, dis, db):
    login(Role.ADMIN)
    brand_id = dis.id
    client.post(
        f"/creatives/brands/{dis.id}",
        data={"files": [(io.BytesIO(image_bytes(700, 700)), "a.png")]},
        content_type="multipart/form-data",
    )
    response = client.post(f"/brands/{dis.id}/delete")
    assert response.status_code == 409
    assert "has 1 creative in its library; delete them first. Nothing was deleted." in text_of(
        response
    )
    assert db.session.get(Brand, dis.id) is not None
    creative = db.session.query(Creative).one()
    client.post(f"/creatives/{creative.id}/delete")
    assert client.post(f"/brands/{brand_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Brand, brand_id) is None

"""The creative library's pages: upload (several files, all or none), list, serve, delete."""

import io

from omnitraffick.models import Creative, Role
from tests.creatives.files import image_bytes, mp4_bytes
from tests.html import parse, text_of


def upload(client, brand, *files, fragment=False):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    headers = {"HX-Request": "true"} if fragment else {}
    return client.post(
        f"/creatives/brands/{brand.id}",
        data=data,
        content_type="multipart/form-data",
        headers=headers,
    )


def test_upload_two_files_reads_their_real_properties(
    client, trafficker, dis, db, creative_storage
):
    response = upload(
        client,
        dis,
        ("launch.png", image_bytes(1200, 628)),
        ("story.mp4", mp4_bytes(1080, 1920, 15.5)),
    )
    assert response.status_code == 302
    rows = {c.original_name: c for c in db.session.query(Creative).all()}
    image, video = rows["launch.png"], rows["story.mp4"]
    assert (image.kind.value, image.width, image.height, image.aspect_ratio) == (
        "image",
        1200,
        628,
        "1.91:1",
    )
    assert image.mime_type == "image/png" and image.thumbnail_key and image.duration_seconds is None
    assert (video.kind.value, video.width, video.height, video.aspect_ratio) == (
        "video",
        1080,
        1920,
        "9:16",
    )
    assert float(video.duration_seconds) == 15.5 and video.mime_type == "video/mp4"
    assert video.uploaded_by.id == trafficker.id
    assert (creative_storage / image.stored_key).read_bytes() == image_bytes(1200, 628)
    assert (creative_storage / image.thumbnail_key).is_file()

    page = client.get(f"/creatives/brands/{dis.id}")
    text = text_of(page)
    assert "launch.png" in text and "1200×628 px · 1.91:1" in text
    assert "story.mp4" in text and "1080×1920 px · 9:16" in text and "15.5 s" in text
    tree = parse(page.text)
    assert tree.find("img", src=f"/creatives/{image.id}/thumbnail") is not None
    assert tree.find("video", src=f"/creatives/{video.id}/file") is not None
    # The story video fits Stories, Reels and TikTok; the landscape image fits Feed and
    # Google's landscape display image, and the row says why not the others.
    assert "Fits 3 of 6 placements: Meta Stories, Meta Reels, TikTok in-feed" in text
    assert "Fits 2 of 6 placements: Meta Feed, Google responsive display (landscape)" in text
    assert "A Meta Stories image must be 9:16; this one is 1.91:1." in text


def test_one_bad_file_refuses_the_whole_upload_naming_it(
    client, trafficker, dis, db, creative_storage
):
    response = upload(
        client,
        dis,
        ("good.png", image_bytes(600, 600)),
        ("fake.jpg", image_bytes(600, 600, "PNG")),
        ("notes.mp4", b"this is not a video at all" * 10),
        ("script.html", b"<script>alert(1)</script>"),
    )
    assert response.status_code == 422
    text = text_of(response)
    assert "Nothing was uploaded: 3 of 4 files could not be taken." in text
    assert "fake.jpg : The name says JPEG (.jpg) but the file is a PNG image" in text
    assert "notes.mp4 : This file is not a readable MP4/MOV video" in text
    assert "script.html : Only images and videos can be uploaded" in text
    assert db.session.query(Creative).count() == 0
    assert not creative_storage.exists() or not any(creative_storage.rglob("*.*"))


def test_a_truncated_image_is_refused(client, trafficker, dis, db):
    broken = image_bytes(800, 800, "JPEG")[:200]
    response = upload(client, dis, ("cut.jpg", broken))
    assert response.status_code == 422
    assert "cut.jpg : This file is not a readable JPEG image" in text_of(response)
    assert db.session.query(Creative).count() == 0


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, app, trafficker, dis, db):
    app.config["CREATIVE_MAX_BYTES"] = 50_000
    response = upload(client, dis, ("big.mp4", mp4_bytes(1080, 1920, 10, padding=60_000)))
    assert response.status_code == 413
    assert "An upload may carry at most 49 KB in all; this one is" in text_of(response)
    assert db.session.query(Creative).count() == 0


def test_nothing_chosen_says_so(client, trafficker, dis):
    response = client.post(
        f"/creatives/brands/{dis.id}", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "Choose or drop at least one image or video." in text_of(response)


def test_the_upload_fragment_answers_with_the_library_alone(client, trafficker, dis):
    response = upload(client, dis, ("sq.jpg", image_bytes(1080, 1080, "JPEG")), fragment=True)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Uploaded 1 file: sq.jpg." in text_of(response)
    assert "Fits 2 of 6 placements: Meta Feed, Google responsive display (square)" in text_of(
        response
    )


def test_files_are_served_with_their_type_never_sniffed_or_run(client, trafficker, dis, db):
    upload(
        client,
        dis,
        ("pic.png", image_bytes(640, 640)),
        ("clip.mov", mp4_bytes(640, 640, 6, b"qt  ")),
    )
    rows = {c.original_name: c for c in db.session.query(Creative).all()}
    picture = client.get(f"/creatives/{rows['pic.png'].id}/file")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert picture.headers["X-Content-Type-Options"] == "nosniff"
    assert picture.headers["Content-Disposition"] == "inline; filename=pic.png"
    assert picture.data == image_bytes(640, 640)
    clip = client.get(f"/creatives/{rows['clip.mov'].id}/file")
    assert clip.mimetype == "video/quicktime"
    thumb = client.get(f"/creatives/{rows['pic.png'].id}/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/png"
    for response in (picture, clip, thumb):
        response.close()  # as a server does once the file is sent
    assert client.get(f"/creatives/{rows['clip.mov'].id}/thumbnail").status_code == 404


def test_the_creative_page_says_which_placements_fit_and_why_not(client, trafficker, dis, db):
    upload(client, dis, ("square.png", image_bytes(1080, 1080)))
    creative = db.session.query(Creative).one()
    page = client.get(f"/creatives/{creative.id}")
    table = parse(page.text).find("table", cls="placements")
    by_name = {
        row.find("th").text: [cell.text for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    }
    assert by_name["Meta Feed"][0] == "Fits"
    assert by_name["Meta Stories"][0] == "Does not fit"
    assert "A Meta Stories image must be 9:16; this one is 1:1." in by_name["Meta Stories"][1]
    assert "ads take videos only; this one is an image." in by_name["TikTok in-feed"][1]


def test_delete_removes_the_row_and_its_files(client, trafficker, dis, db, creative_storage):
    upload(client, dis, ("gone.png", image_bytes(700, 700)))
    creative = db.session.query(Creative).one()
    stored = creative_storage / creative.stored_key
    assert stored.is_file()
    response = client.post(f"/creatives/{creative.id}/delete")
    assert response.status_code == 302
    assert db.session.query(Creative).count() == 0
    assert not stored.exists()


def test_viewers_see_the_library_but_cannot_change_it(client, login, make_user, dis, db):
    login(Role.TRAFFICKER)
    upload(client, dis, ("kept.png", image_bytes(700, 700)))
    creative = db.session.query(Creative).one()
    client.post("/logout")
    login(Role.VIEWER)
    page = client.get(f"/creatives/brands/{dis.id}")
    assert page.status_code == 200 and "kept.png" in text_of(page)
    tree = parse(page.text)
    assert tree.find("form", id="creative-upload") is None
    assert "Delete" not in text_of(page)
    assert upload(client, dis, ("more.png", image_bytes(700, 700))).status_code == 403
    assert client.post(f"/creatives/{creative.id}/delete").status_code == 403
    assert db.session.query(Creative).count() == 1


def test_unknown_ids_are_404(client, trafficker):
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/creatives/{missing}").status_code == 404
    assert client.get(f"/creatives/{missing}/file").status_code == 404
    assert client.get(f"/creatives/brands/{missing}").status_code == 404


def test_an_image_damaged_past_its_header_is_refused_whole(client, trafficker, dis, db):
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(buffer, "JPEG")
    cut = buffer.getvalue()[: len(buffer.getvalue()) * 6 // 10]
    response = upload(client, dis, ("fine.png", image_bytes(700, 700)), ("cut.jpg", cut))
    assert response.status_code == 422
    assert "cut.jpg : The image is damaged and cannot be shown" in text_of(response)
    assert db.session.query(Creative).count() == 0

"""Reading uploads: real properties from real bytes, and refusals that say why."""

import io

import pytest

from omnitraffick.models import CreativeKind
from omnitraffick.services import media
from omnitraffick.services.storage import FilesystemStorage
from tests.creatives.files import image_bytes, mp4_bytes


@pytest.mark.parametrize(
    ("name", "fmt", "mime"),
    [
        ("a.jpg", "JPEG", "image/jpeg"),
        ("a.JPEG", "JPEG", "image/jpeg"),
        ("a.png", "PNG", "image/png"),
        ("a.gif", "GIF", "image/gif"),
        ("a.webp", "WEBP", "image/webp"),
    ],
)
def test_images_are_read_by_pillow(name, fmt, mime):
    info = media.inspect(io.BytesIO(image_bytes(1080, 1350, fmt)), name)
    assert (info.kind, info.mime_type, info.width, info.height) == (
        CreativeKind.IMAGE,
        mime,
        1080,
        1350,
    )
    assert info.aspect_ratio == "4:5" and info.duration_seconds is None


def test_videos_are_read_by_hachoir():
    info = media.inspect(io.BytesIO(mp4_bytes(1920, 1080, 30)), "spot.mp4")
    assert (info.kind, info.mime_type, info.width, info.height) == (
        CreativeKind.VIDEO,
        "video/mp4",
        1920,
        1080,
    )
    assert info.aspect_ratio == "16:9" and float(info.duration_seconds) == 30.0
    mov = media.inspect(io.BytesIO(mp4_bytes(1080, 1080, 6, b"qt  ")), "spot.MOV")
    assert mov.mime_type == "video/quicktime" and mov.aspect_ratio == "1:1"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.png", image_bytes(10, 10, "JPEG"), "The name says PNG (.png) but the file is a JPEG"),
        ("x.jpg", b"GIF89a" + bytes(40), "This file is not a readable JPEG image"),
        ("x.mp4", image_bytes(10, 10), "This file is not a readable MP4/MOV video"),
        ("x.exe", b"MZ" + bytes(100), "Only images and videos can be uploaded"),
        ("noextension", b"anything", "this is no extension"),
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "this is .svg"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(name, content, message):
    with pytest.raises(media.UnreadableFile) as refused:
        media.inspect(io.BytesIO(content), name)
    assert message in refused.value.message


def test_a_video_without_a_picture_track_is_refused():
    audio_only = mp4_bytes(0, 0, 10)
    with pytest.raises(media.UnreadableFile, match="no picture track"):
        media.inspect(io.BytesIO(audio_only), "sound.mp4")


def test_an_image_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(media, "MAX_PIXELS", 10_000)
    with pytest.raises(media.UnreadableFile, match="too many pixels"):
        media.inspect(io.BytesIO(image_bytes(200, 200)), "big.png")


def test_thumbnails_keep_transparency_only_when_there_is_some():
    data, extension = media.thumbnail(io.BytesIO(image_bytes(1920, 1080, "JPEG")))
    assert extension == ".jpg"
    from PIL import Image

    with Image.open(io.BytesIO(data)) as small:
        assert small.size == (480, 270)
    _, extension = media.thumbnail(io.BytesIO(image_bytes(300, 300, "PNG")))
    assert extension == ".png"


@pytest.mark.parametrize(
    ("size", "label"),
    [
        ((1080, 1920), "9:16"),
        ((1200, 628), "1.91:1"),
        ((1080, 1350), "4:5"),
        ((600, 1067), "1:1.78"),
    ],
)
def test_ratio_labels(size, label):
    assert media.ratio_label(*size) == label


def test_filesystem_storage_round_trip_and_refuses_odd_keys(tmp_path):
    store = FilesystemStorage(tmp_path)
    assert store.put("abc/one.png", io.BytesIO(b"12345")) == 5
    assert store.exists("abc/one.png") and store.url("abc/one.png") is None
    with store.open("abc/one.png") as stored:
        assert stored.read() == b"12345"
    store.delete("abc/one.png")
    store.delete("abc/one.png")  # gone already: no error
    assert not store.exists("abc/one.png")
    for key in ("../escape.png", "/abs.png", "a/../../b.png", "noext"):
        with pytest.raises(ValueError):
            store.path(key)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_an_image_cut_short_after_its_header_is_refused_when_drawn():
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(buffer, "JPEG")
    cut = buffer.getvalue()[: len(buffer.getvalue()) * 6 // 10]
    # Its header reads well: the size is known...
    assert media.inspect(io.BytesIO(cut), "cut.jpg").width == 400
    # ...but the picture cannot be drawn, so it is refused before anything is kept.
    with pytest.raises(media.UnreadableFile, match="The image is damaged and cannot be shown"):
        media.thumbnail(io.BytesIO(cut))

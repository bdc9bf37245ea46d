"""The creative library in a browser: drop two files, watch them upload, see thumbnails and
where each fits; a wrong file is refused in words; the pages pass the axe-core audit."""

import base64
import uuid
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from tests.creatives.files import image_bytes, mp4_bytes
from tests.e2e.test_accessibility_flows import audit, audited, sign_in  # noqa: F401

__all__ = ["audited"]


def make_brand(live_sql) -> tuple[uuid.UUID, str]:
    brand_id, suffix = uuid.uuid4(), uuid.uuid4().hex[:6].upper()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    name = f"Creative Co {suffix}"
    live_sql(
        "INSERT INTO brands (id, name, internal_code, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (brand_id.hex, name, f"CC{suffix}", now, now),
    )
    return brand_id, name


def drop_files(page: Page, selector: str, files: dict[str, tuple[bytes, str]]) -> None:
    """Drop `files` ({name: (bytes, type)}) on the element, as a person dragging them would."""
    payload = [
        {"name": name, "type": kind, "data": base64.b64encode(data).decode()}
        for name, (data, kind) in files.items()
    ]
    page.evaluate(
        """([selector, files]) => {
            const transfer = new DataTransfer();
            for (const file of files) {
                const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
                transfer.items.add(new File([bytes], file.name, {type: file.type}));
            }
            const zone = document.querySelector(selector);
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true}));
            }
        }""",
        [selector, payload],
    )


def test_drop_two_files_and_see_thumbnails_and_fit(login, live_sql, screenshot):
    page = login("trafficker")
    brand_id, brand_name = make_brand(live_sql)
    page.get_by_role("link", name="Creatives", exact=True).click()
    page.get_by_role("link", name=brand_name).click()
    expect(page.get_by_role("heading", name=f"{brand_name} creatives")).to_be_visible()

    drop_files(
        page,
        ".drop-zone",
        {
            "launch-1200x628.png": (image_bytes(1200, 628), "image/png"),
            "story-1080x1920.mp4": (mp4_bytes(1080, 1920, 15, padding=400_000), "video/mp4"),
        },
    )
    expect(page.locator("#chosen-files li")).to_have_count(2)
    page.get_by_role("button", name="Upload files", exact=True).click()
    expect(
        page.get_by_text("Uploaded 2 files: launch-1200x628.png, story-1080x1920.mp4.")
    ).to_be_visible()
    assert page.locator("#upload-progress").evaluate("el => el.value") == 100

    image_row = page.locator("tr", has_text="launch-1200x628.png")
    thumbnail = image_row.get_by_role("img", name="launch-1200x628.png")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 480
    expect(image_row).to_contain_text("1200×628 px · 1.91:1")
    expect(image_row).to_contain_text(
        "Fits 2 of 6 placements: Meta Feed, Google responsive display (landscape)"
    )
    video_row = page.locator("tr", has_text="story-1080x1920.mp4")
    expect(video_row).to_contain_text("1080×1920 px · 9:16")
    expect(video_row).to_contain_text(
        "Fits 3 of 6 placements: Meta Stories, Meta Reels, TikTok in-feed"
    )

    image_row.get_by_text("Fits 2 of 6 placements").click()
    expect(image_row).to_contain_text("A Meta Stories image must be 9:16; this one is 1.91:1.")
    screenshot(page, "creatives-library")

    image_row.get_by_role("link", name="launch-1200x628.png").click()
    expect(page.get_by_role("heading", name="launch-1200x628.png")).to_be_visible()
    stories = page.get_by_role("row", name="Meta Stories")
    expect(stories).to_contain_text("Does not fit")
    expect(stories).to_contain_text("A Meta Stories image must be 9:16; this one is 1.91:1.")
    screenshot(page, "creatives-detail")


def test_choosing_a_wrong_file_is_refused_in_words(login, live_sql):
    page = login("trafficker")
    brand_id, _ = make_brand(live_sql)
    page.goto(f"/creatives/brands/{brand_id}")
    page.get_by_label("Drop images and videos here").set_input_files(
        [
            {"name": "ok.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(1080, 1080, "JPEG")},
            {"name": "fake.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(1080, 1080)},
        ]
    )
    page.get_by_role("button", name="Upload files", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was uploaded: 1 of 2 files could not be taken.")
    expect(alert).to_contain_text("fake.jpg: The name says JPEG (.jpg) but the file is a PNG image")
    expect(page.get_by_text("No creatives for")).to_be_visible()


def test_the_creative_pages_pass_the_audit(audited: Page, live_sql):  # noqa: F811
    brand_id, _ = make_brand(live_sql)
    sign_in(audited, "trafficker")
    audited.goto(f"/creatives/brands/{brand_id}")
    audited.get_by_label("Drop images and videos here").set_input_files(
        [{"name": "sq.png", "mimeType": "image/png", "buffer": image_bytes(1080, 1080)}]
    )
    audited.get_by_role("button", name="Upload files", exact=True).click()
    expect(audited.get_by_text("Uploaded 1 file: sq.png.")).to_be_visible()
    found = audit(audited, "library")
    audited.goto("/creatives/")
    found += audit(audited, "index")
    (creative_id,) = live_sql("SELECT id FROM creatives WHERE brand_id = ?", (brand_id.hex,))[0]
    audited.goto(f"/creatives/{uuid.UUID(creative_id)}")
    found += audit(audited, "creative")
    assert not found, "\n".join(found)

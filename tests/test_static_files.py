"""Static files are linked under names carrying their content's hash and cached for a year
under them; the plain names still answer, with a short cache; a changed file gets a new URL."""

import re

from omnitraffick.static_files import IMMUTABLE, StaticFiles, fingerprints, hashed_name
from tests.html import parse

HASHED_URL = re.compile(r"^/static/(?P<stem>.+)\.[0-9a-f]{12}(?P<suffix>\.[a-z]+)$")


def static_links(response) -> list[str]:
    doc = parse(response)
    links = [tag.attrs["href"] for tag in doc.find_all("link") if "href" in tag.attrs]
    scripts = [tag.attrs["src"] for tag in doc.find_all("script") if "src" in tag.attrs]
    return [url for url in links + scripts if url.startswith("/static/")]


def test_every_static_link_of_the_board_carries_its_hash(client, trafficker):
    links = static_links(client.get("/board/"))

    plain = {f"{m['stem']}{m['suffix']}" for m in map(HASHED_URL.match, links) if m}
    assert len(plain) == len(links), links
    # The vendored files (copied from node_modules by `make assets`) too.
    assert {"vendor/pico.min.css", "vendor/htmx.min.js", "vendor/Sortable.min.js"} <= plain
    assert {"css/app.css", "js/app.js", "js/board.js", "favicon.svg"} <= plain


def test_a_hashed_name_is_cached_for_a_year_and_the_plain_one_briefly(client, trafficker):
    [href] = [url for url in static_links(client.get("/board/")) if "/css/app." in url]

    hashed = client.get(href)
    plain = client.get("/static/css/app.css")

    assert hashed.status_code == plain.status_code == 200
    assert hashed.data == plain.data
    assert hashed.headers["Cache-Control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert hashed.headers["Content-Type"].startswith("text/css")
    assert plain.headers["Cache-Control"] == "public, max-age=300"
    assert "ETag" in plain.headers  # revalidated once the 5 minutes are up
    hashed.close()
    plain.close()


def test_a_stale_hash_gets_the_current_file_with_a_short_cache(client):
    stale = client.get("/static/css/app.000000000000.css")
    plain = client.get("/static/css/app.css")

    assert stale.status_code == 200 and stale.data == plain.data
    assert stale.headers["Cache-Control"] == "public, max-age=300"
    stale.close()
    plain.close()


def test_a_range_of_a_static_file_gets_the_whole_file_compressed(client):
    import brotli

    whole = client.get("/static/css/app.css")
    ranged = client.get(
        "/static/css/app.css", headers={"Range": "bytes=0-99", "Accept-Encoding": "br"}
    )

    assert ranged.status_code == 200 and "Content-Range" not in ranged.headers
    assert brotli.decompress(ranged.data) == whole.data
    whole.close()
    ranged.close()


def test_unknown_static_names_are_404(client):
    for url in ("/static/css/nothing.css", "/static/css/nothing.0123456789ab.css"):
        response = client.get(url)
        assert response.status_code == 404, url
        response.close()


def test_the_fingerprint_changes_with_the_content(tmp_path):
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "app.css"
    sheet.write_text("body { color: black; }")
    (tmp_path / ".hidden").write_text("not served")
    before = fingerprints(tmp_path)

    sheet.write_text("body { color: navy; }")
    after = fingerprints(tmp_path)

    assert set(before) == set(after) == {"css/app.css"}
    assert before["css/app.css"] != after["css/app.css"]
    assert HASHED_URL.match("/static/" + after["css/app.css"])
    # The same content, the same name: in every worker, after every restart.
    assert fingerprints(tmp_path) == after


def test_the_app_serves_a_changed_file_under_its_new_name(make_app, tmp_path):
    app = make_app()
    (tmp_path / "note.txt").write_text("first")
    app.extensions["static_files"] = StaticFiles(tmp_path)
    with app.test_request_context():
        from flask import url_for

        first = url_for("static", filename="note.txt")
    (tmp_path / "note.txt").write_text("second")
    app.extensions["static_files"] = StaticFiles(tmp_path)
    with app.test_request_context():
        second = url_for("static", filename="note.txt")

    assert first != second
    client = app.test_client()
    current = client.get(second)
    assert current.data == b"second" and current.headers["Cache-Control"] == IMMUTABLE
    current.close()


def test_hashed_names_keep_the_suffix_last():
    assert hashed_name("css/app.css", "0123456789ab") == "css/app.0123456789ab.css"
    assert hashed_name("vendor/htmx.min.js", "ab") == "vendor/htmx.min.ab.js"
    assert hashed_name("LICENSE", "ab") == "LICENSE.ab"
    assert hashed_name(".env", "ab") == ".env.ab"


def test_hashes_are_read_once_per_process_not_per_request(client, trafficker, monkeypatch):
    from omnitraffick import static_files

    monkeypatch.setattr(static_files, "content_hash", lambda path: 1 / 0)
    response = client.get("/board/")
    assert response.status_code == 200
    assert all(HASHED_URL.match(url) for url in static_links(response))


def test_a_plain_name_revalidates_to_304_compressed_or_not(client):
    for coding in ("", "br"):
        first = client.get("/static/css/app.css", headers={"Accept-Encoding": coding})
        again = client.get(
            "/static/css/app.css",
            headers={"Accept-Encoding": coding, "If-None-Match": first.headers["ETag"]},
        )
        assert (again.status_code, again.data) == (304, b""), coding
        first.close()
        again.close()

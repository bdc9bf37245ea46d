"""Responses go out compressed (Brotli or gzip, as the browser asks) and decompress to the
very body an uncompressed request gets; streamed CSV exports stay streams; small bodies and
already-compressed types go out as they are; every compressible response varies on
Accept-Encoding."""

import gzip

import brotli
from flask import Response

from omnitraffick.compression import identity_tag


def decoded(response) -> bytes:
    coding = response.headers.get("Content-Encoding")
    if coding == "gzip":
        return gzip.decompress(response.data)
    if coding == "br":
        return brotli.decompress(response.data)
    assert coding is None, coding
    return response.data


def campaigns(make_campaign, make_brand, make_market, count):
    brand, market = make_brand(), make_market()
    for n in range(count):
        make_campaign(brand, market, campaign_name=f"Launch{n}")


def test_compressed_html_decompresses_to_the_same_page(
    client, trafficker, make_campaign, make_brand, make_market
):
    campaigns(make_campaign, make_brand, make_market, 20)
    plain = client.get("/campaigns/")
    as_gzip = client.get("/campaigns/", headers={"Accept-Encoding": "gzip"})
    as_br = client.get("/campaigns/", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})

    assert plain.status_code == as_gzip.status_code == as_br.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert as_gzip.headers["Content-Encoding"] == "gzip"
    assert as_br.headers["Content-Encoding"] == "br"  # Brotli when the browser takes both
    assert decoded(as_gzip) == decoded(as_br) == plain.data
    assert len(as_br.data) < len(plain.data) / 3
    assert int(as_br.headers["Content-Length"]) == len(as_br.data)
    for response in (plain, as_gzip, as_br):
        assert "Accept-Encoding" in response.headers["Vary"]


def test_a_browser_that_refuses_codings_gets_the_plain_page(client, trafficker):
    response = client.get("/campaigns/", headers={"Accept-Encoding": "identity, gzip;q=0"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_json_is_compressed(client, trafficker, make_campaign, make_brand, make_market):
    campaigns(make_campaign, make_brand, make_market, 5)
    plain = client.get("/api/v1/campaigns")
    packed = client.get("/api/v1/campaigns", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == 200, plain.text
    assert packed.headers["Content-Encoding"] == "gzip"
    assert decoded(packed) == plain.data


def test_a_streamed_csv_export_is_compressed_as_a_stream(
    client, trafficker, make_campaign, make_brand, make_market
):
    campaigns(make_campaign, make_brand, make_market, 30)
    plain = client.get("/campaigns/export.csv")
    packed = client.get(
        "/campaigns/export.csv", headers={"Accept-Encoding": "gzip"}, buffered=False
    )

    assert packed.is_streamed
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Length" not in packed.headers  # chunked: never measured whole first
    body = b"".join(packed.response)
    packed.close()
    assert gzip.decompress(body) == plain.data
    assert plain.data.decode("utf-8-sig").count("\r\n") == 31


# Routes of the test's own, under /api/v1/ (which answers for itself, without a login).
def served(make_app, mimetype: str, body: bytes, accept="gzip, br"):
    app = make_app()
    app.add_url_rule("/api/v1/test-body", "test_body", lambda: Response(body, mimetype=mimetype))
    return app.test_client().get("/api/v1/test-body", headers={"Accept-Encoding": accept})


def test_small_bodies_go_out_as_they_are(make_app):
    response = served(make_app, "text/html", b"<p>" + b"x" * 480 + b"</p>")
    assert response.status_code == 200
    assert len(response.data) == 487 and "Content-Encoding" not in response.headers
    bigger = served(make_app, "text/html", b"<p>" + b"x" * 600 + b"</p>")
    assert bigger.headers["Content-Encoding"] == "br"


def test_images_videos_and_pdfs_go_out_as_they_are(make_app):
    body = bytes(range(256)) * 40
    for kind in ("image/png", "image/jpeg", "image/webp", "video/mp4", "application/pdf"):
        response = served(make_app, kind, body)
        assert response.status_code == 200, kind
        assert response.data == body and "Content-Encoding" not in response.headers, kind


def test_svg_csv_css_and_javascript_are_compressed(make_app, client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg">' + b'<rect width="1"/>' * 100 + b"</svg>"
    assert brotli.decompress(served(make_app, "image/svg+xml", svg).data) == svg
    csv = b"a,b\r\n" + b"1,2\r\n" * 200
    assert gzip.decompress(served(make_app, "text/csv", csv, accept="gzip").data) == csv
    for url in ("/static/css/app.css", "/static/js/board.js", "/static/vendor/htmx.min.js"):
        plain = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "br"})
        assert packed.headers["Content-Encoding"] == "br", url
        assert "Accept-Encoding" in packed.headers["Vary"], url
        assert brotli.decompress(packed.data) == plain.data, url
        assert len(packed.data) < len(plain.data) / 2, url
        plain.close()
        packed.close()


def test_identity_tag_drops_only_a_coding_flask_compress_adds():
    assert identity_tag("123-abc:br") == "123-abc"
    assert identity_tag("123-abc:gzip") == "123-abc"
    assert identity_tag("123-abc") == "123-abc"
    assert identity_tag("123-abc:zip") == "123-abc:zip"
    assert identity_tag(":br") == ""

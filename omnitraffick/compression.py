"""Responses compressed on the way out (Flask-Compress), for every browser that asks.

- What: HTML, JSON, CSV, CSS, JavaScript and SVG. Images, videos, PDFs and the creative files
  (image and video types only) are compressed already and go out as they are; so does any
  body under COMPRESS_MIN_SIZE bytes (the header would cost more than it saves).
- How: Brotli (`br`, which every current browser asks for) or gzip, whichever the browser
  prefers, Brotli on a tie. Both come with Flask-Compress (it requires the `brotli` package).
  zstd is left out: it saves no more than Brotli on our pages and fewer browsers send it.
- Streams (the CSV exports, static files) are compressed chunk by chunk as they go out, never
  read whole into memory first; they lose their Content-Length and go out chunked.
- Every response that could be compressed says `Vary: Accept-Encoding`, so a cache never
  hands a gzip body to a client that did not ask for one.
- ETags: Flask-Compress appends the coding to a compressed body's strong ETag ("x" becomes
  "x:br"), since the compressed bytes differ from the plain ones, and answers a conditional
  request that matches the new tag with 304 itself (COMPRESS_EVALUATE_CONDITIONAL_REQUEST). A
  view that checks If-None-Match itself before rendering (the board's refresh) reads the tags
  the browser sends through `identity_tag`, so "x:br" still means "x" to it.
"""

from flask import Flask
from flask_compress import Compress

ALGORITHMS = ("br", "gzip")

MIMETYPES = (
    "text/html",
    "text/css",
    "text/csv",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "image/svg+xml",
)

# Below this many bytes a body goes out as it is (Flask-Compress's own default).
MIN_SIZE = 500

compress = Compress()


def identity_tag(tag: str) -> str:
    """An ETag the browser sends back, without the coding Flask-Compress appended to it."""
    base, colon, coding = tag.rpartition(":")
    return base if colon and coding in ALGORITHMS else tag


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", list(ALGORITHMS))
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", list(ALGORITHMS))
    app.config.setdefault("COMPRESS_MIMETYPES", list(MIMETYPES))
    app.config.setdefault("COMPRESS_MIN_SIZE", MIN_SIZE)
    app.config.setdefault("COMPRESS_STREAMS", True)
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", True)
    compress.init_app(app)

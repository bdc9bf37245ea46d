"""Static files under names that carry their content's hash, cached by browsers for a year.

`url_for('static', filename='css/app.css')` gives `/static/css/app.<hash>.css`, the hash
being the first HASH_LENGTH hex digits of the file's SHA-256, read once when the app is made
(a changed file gets a new URL after a restart; `make assets` copies the vendored files into
static/vendor/ before the app starts, so they are hashed too). The static route serves:

- a name with the current hash: the file, `Cache-Control: public, max-age=31536000,
  immutable` (the browser never asks again: a new content is a new name);
- the plain name (or a name with a hash that is no longer current, from a page cached
  before a deploy): the file as it is now, with a short cache (SHORT_MAX_AGE) and Flask's
  ETag and Last-Modified, so it is revalidated soon;
- anything else: 404, as before.

This is Flask's own `url_defaults` hook and its `static` endpoint, no extension: the
mapping back from a hashed name to the file is a dictionary lookup.
"""

import hashlib
import os
import re
from pathlib import Path

from flask import Flask, current_app, request, send_from_directory

HASH_LENGTH = 12
YEAR = 365 * 24 * 3600
SHORT_MAX_AGE = 300
IMMUTABLE = f"public, max-age={YEAR}, immutable"

# name.0123456789ab.ext: the hash sits before the last suffix.
HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<suffix>\.[^./]+)$")


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()[:HASH_LENGTH]


def hashed_name(filename: str, digest: str) -> str:
    """`css/app.css` with hash `d` is `css/app.d.css` (a name without a suffix ends in it)."""
    folder, _, name = filename.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    versioned = f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"
    return f"{folder}/{versioned}" if folder else versioned


def fingerprints(folder: str | Path) -> dict[str, str]:
    """Every file under `folder` (hidden files and folders aside): its path relative to the
    folder, with forward slashes, to its hashed name."""
    root = Path(folder)
    found: dict[str, str] = {}
    if not root.is_dir():
        return found
    for directory, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            found[relative] = hashed_name(relative, content_hash(path))
    return found


class StaticFiles:
    """The hashed names of one app's static folder, and the way back."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = str(folder)
        self.names = fingerprints(folder)
        self.files = {hashed: plain for plain, hashed in self.names.items()}

    def url_name(self, filename: str) -> str:
        return self.names.get(filename, filename)

    def serve(self, filename: str):
        # Answered whole: a range of the file would not be a range of the compressed body
        # that goes out (and ours are small enough never to need one).
        request.environ.pop("HTTP_RANGE", None)
        plain = self.files.get(filename)
        if plain is not None:
            response = in_memory(send_from_directory(self.folder, plain, max_age=YEAR))
            response.headers["Cache-Control"] = IMMUTABLE
            return response
        if filename not in self.names:
            # A hash that is not (or no longer) the file's: the file as it is now.
            match = HASHED.match(filename)
            if match and f"{match['stem']}{match['suffix']}" in self.names:
                filename = f"{match['stem']}{match['suffix']}"
        response = in_memory(send_from_directory(self.folder, filename, max_age=SHORT_MAX_AGE))
        response.cache_control.public = True
        return response


def in_memory(response):
    """The file read into the response (ours are at most a few dozen kB), its handle closed
    with it: compression then sees one body with a length, not a stream whose file it would
    leave to the garbage collector to close."""
    if response.status_code == 200:
        response.direct_passthrough = False
        response.make_sequence()
    return response


def init_app(app: Flask) -> None:
    if app.static_folder is None:
        return
    files = StaticFiles(app.static_folder)
    app.extensions["static_files"] = files

    @app.url_defaults
    def hashed_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = current_app.extensions["static_files"].url_name(values["filename"])

    def static(filename: str):
        return current_app.extensions["static_files"].serve(filename)

    app.view_functions["static"] = static

"""Where uploaded files live: one interface, a folder on disk by default.

Files are addressed by key ("<brand id>/<random>.png"): `put`, `open`, `delete`, `exists`
and `url`. The filesystem backend keeps them under CREATIVE_STORAGE_DIR (the instance
folder's `creatives/` unless configured). A bucket backend (S3 and compatibles) would take
the same shape, `url` answering a presigned address; it is not built: boto3 is a large
dependency that cannot be exercised without a network, and nothing here needs it yet.
"""

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

# Keys are made by the app (services/creatives.py), never taken from a request.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.[a-z0-9]{1,5}$")


class Storage(Protocol):
    def put(self, key: str, stream: BinaryIO) -> int:
        """Store the stream's bytes under `key` (replacing nothing); return how many."""

    def open(self, key: str) -> BinaryIO:
        """The stored bytes, for reading."""

    def delete(self, key: str) -> None:
        """Remove `key`; a missing key is not an error."""

    def exists(self, key: str) -> bool:
        """Whether `key` holds a file."""

    def url(self, key: str) -> str | None:
        """An address the browser may fetch directly, or None: the app serves the file."""


def _checked(key: str) -> str:
    if not KEY_PATTERN.match(key) or ".." in key:
        raise ValueError(f"Not a storage key: {key!r}")
    return key


class FilesystemStorage:
    """Files under one folder, written atomically (a temporary file, then renamed)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, stream: BinaryIO) -> int:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                shutil.copyfileobj(stream, out, 1024 * 1024)
                size = out.tell()
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return size

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def url(self, key: str) -> str | None:
        return None


def current() -> FilesystemStorage:
    """The storage the app is configured with."""
    return FilesystemStorage(Path(current_app.config["CREATIVE_STORAGE_DIR"]))

"""What the platforms read from an uploaded file: an image's format and pixel size (Pillow),
a video's picture size and length (hachoir, MP4 and MOV).

The sandbox imports nothing from the app (see pyproject's import contracts), so it reads
files itself, as the platforms read them on upload.
"""

import io
from dataclasses import dataclass

from hachoir.metadata import extractMetadata
from hachoir.parser import guessParser
from hachoir.parser.container.mp4 import MP4File
from hachoir.stream import InputIOStream
from PIL import Image, UnidentifiedImageError

MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


@dataclass(frozen=True)
class UploadedImage:
    width: int
    height: int
    format: str  # Pillow's name: JPEG, PNG, GIF, ...

    @property
    def mime_type(self) -> str | None:
        """The MIME type of a format the platforms take; None for any other."""
        return MIME_TYPES.get(self.format)

    @property
    def ratio(self) -> float:
        return self.width / self.height

    def ratio_within(self, width: int, height: int, tolerance: float) -> bool:
        """Whether the image is width:height, give or take `tolerance` (0.01 is 1 %)."""
        wanted = width / height
        return abs(self.ratio - wanted) <= wanted * tolerance + 1e-9


def read_image(data: bytes) -> UploadedImage | None:
    """The image in `data`, or None when Pillow cannot read one."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return UploadedImage(image.width, image.height, image.format or "")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


@dataclass(frozen=True)
class UploadedVideo:
    width: int
    height: int
    seconds: float


def read_video(data: bytes) -> UploadedVideo | None:
    """The MP4 or MOV video in `data`, or None when it has no picture of a size or no length."""
    try:
        parser = guessParser(InputIOStream(io.BytesIO(data), source="upload.mp4"))
        metadata = extractMetadata(parser) if isinstance(parser, MP4File) else None
    except Exception:  # noqa: BLE001 - hachoir raises many kinds on bad input
        metadata = None
    if metadata is None:
        return None
    width, height = metadata.get("width", 0), metadata.get("height", 0)
    duration = metadata.get("duration", None)
    if not (width and height) or duration is None or duration.total_seconds() <= 0:
        return None
    return UploadedVideo(int(width), int(height), duration.total_seconds())

"""Read what an uploaded file really is: Pillow for images, hachoir for MP4/MOV videos.

A file is taken only when a library reads it as the kind its extension names; whatever
the browser claimed (Content-Type) is ignored. Nothing is ever executed or rendered
beyond decoding the image to check it and to draw its thumbnail.
"""

import io
import math
import warnings
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import BinaryIO

from hachoir.core import config as hachoir_config
from hachoir.metadata import extractMetadata
from hachoir.parser import guessParser
from hachoir.parser.container.mp4 import MP4File
from hachoir.stream import InputIOStream
from PIL import Image, UnidentifiedImageError

from ..models import CreativeKind

# hachoir reports parse trouble on stderr unless told otherwise; we report it ourselves.
hachoir_config.quiet = True

# Extension -> (Pillow's name for the format, the MIME type we serve it with).
IMAGE_TYPES = {
    ".jpg": ("JPEG", "image/jpeg"),
    ".jpeg": ("JPEG", "image/jpeg"),
    ".png": ("PNG", "image/png"),
    ".gif": ("GIF", "image/gif"),
    ".webp": ("WEBP", "image/webp"),
}
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime"}
EXTENSIONS = tuple(sorted({*IMAGE_TYPES, *VIDEO_TYPES}))
# Pillow refuses images past twice this as decompression bombs; we refuse past it.
MAX_PIXELS = 100_000_000
THUMBNAIL_SIZE = (480, 480)


class UnreadableFile(Exception):
    """The file is not what its name says, or cannot be read: `message` says which."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class MediaInfo:
    kind: CreativeKind
    extension: str
    mime_type: str
    width: int
    height: int
    duration_seconds: Decimal | None = None

    @property
    def aspect_ratio(self) -> str:
        return ratio_label(self.width, self.height)


def extension_of(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""


def ratio_label(width: int, height: int) -> str:
    """A ratio as people write it: 9:16, 4:5, 1:1, and 1.91:1 for 1200x628."""
    ratio = Fraction(width, height)
    if max(ratio.numerator, ratio.denominator) <= 21:
        return f"{ratio.numerator}:{ratio.denominator}"
    if width >= height:
        return f"{_short(width / height)}:1"
    return f"1:{_short(height / width)}"


def _short(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def inspect(stream: BinaryIO, filename: str) -> MediaInfo:
    """What the file is, read from its bytes; UnreadableFile says why it cannot be taken."""
    extension = extension_of(filename)
    if extension in IMAGE_TYPES:
        return _image(stream, extension)
    if extension in VIDEO_TYPES:
        return _video(stream, extension)
    allowed = ", ".join(EXTENSIONS)
    shown = extension or "no extension"
    raise UnreadableFile(f"Only images and videos can be uploaded ({allowed}); this is {shown}.")


def _image(stream: BinaryIO, extension: str) -> MediaInfo:
    expected, mime = IMAGE_TYPES[extension]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                found = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnreadableFile(
            f"The image has too many pixels to be read safely (at most {MAX_PIXELS:,})."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise UnreadableFile(
            f"This file is not a readable {expected} image ({_reason(err)})."
        ) from None
    if found != expected:
        raise UnreadableFile(
            f"The name says {expected} ({extension}) but the file is a {found} image; "
            "rename it or export it again."
        )
    if width * height > MAX_PIXELS:
        raise UnreadableFile(
            f"The image has too many pixels to be read safely (at most {MAX_PIXELS:,})."
        )
    return MediaInfo(CreativeKind.IMAGE, extension, mime, width, height)


def _reason(err: Exception) -> str:
    text = str(err).strip()
    return text[:120] if text else type(err).__name__


def _video(stream: BinaryIO, extension: str) -> MediaInfo:
    mime = VIDEO_TYPES[extension]
    try:
        parser = guessParser(InputIOStream(stream, source=f"upload{extension}"))
    except Exception:  # noqa: BLE001 - hachoir raises many kinds on bad input
        parser = None
    if not isinstance(parser, MP4File):
        raise UnreadableFile(
            f"This file is not a readable MP4/MOV video ({extension}); export it again as "
            "H.264 MP4."
        )
    try:
        metadata = extractMetadata(parser)
    except Exception:  # noqa: BLE001
        metadata = None
    width = metadata.get("width", 0) if metadata else 0
    height = metadata.get("height", 0) if metadata else 0
    duration = metadata.get("duration", None) if metadata else None
    if not (width and height):
        raise UnreadableFile("The video has no picture track with a size (an audio-only file?).")
    if duration is None or duration.total_seconds() <= 0:
        raise UnreadableFile("The video's length cannot be read from the file.")
    seconds = Decimal(str(round(duration.total_seconds(), 3)))
    return MediaInfo(CreativeKind.VIDEO, extension, mime, int(width), int(height), seconds)


def thumbnail(stream: BinaryIO) -> tuple[bytes, str]:
    """A small copy of an image (PNG when it has transparency, else JPEG), and its extension.

    Drawing it decodes the whole picture, so a file whose header reads well but whose data
    is cut short or damaged is refused here (UnreadableFile), before anything is kept.
    """
    stream.seek(0)
    try:
        with Image.open(stream) as image:
            image.seek(0)
            image.thumbnail(THUMBNAIL_SIZE)
            buffer = io.BytesIO()
            if image.mode in ("RGBA", "LA", "P") and _has_alpha(image):
                image.convert("RGBA").save(buffer, "PNG", optimize=True)
                return buffer.getvalue(), ".png"
            image.convert("RGB").save(buffer, "JPEG", quality=85)
            return buffer.getvalue(), ".jpg"
    except (OSError, ValueError, SyntaxError) as err:
        raise UnreadableFile(
            f"The image is damaged and cannot be shown ({_reason(err)})."
        ) from None
    finally:
        stream.seek(0)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA") or "transparency" in image.info


def megabytes(size: int) -> str:
    """A byte count for people: 30 MB, 1.5 MB, 800 KB."""
    if size >= 1024 * 1024:
        value = size / (1024 * 1024)
        return f"{_short(value) if value < 10 else math.floor(value + 0.5)} MB"
    return f"{math.ceil(size / 1024)} KB"


def duration_text(seconds: Decimal | float) -> str:
    """A video's length for people: 15 s, 1 min 5 s, 14.5 s."""
    value = float(seconds)
    if value < 60:
        return f"{_short(round(value, 1))} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"

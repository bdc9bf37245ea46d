"""What the platforms read from an uploaded image: its real format and pixel size.

The sandbox imports nothing from the app (see pyproject's import contracts), so it reads
images with Pillow itself, as the platforms read them on upload.
"""

import io
from dataclasses import dataclass

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

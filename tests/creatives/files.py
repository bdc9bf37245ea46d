"""Small real media files made in code: images with Pillow, MP4/MOV files box by box.

Nothing here is third-party media: every byte is written by these functions.
"""

import io
import struct

from PIL import Image


def image_bytes(width: int, height: int, fmt: str = "PNG", color=(200, 40, 90)) -> bytes:
    """A real image of `width` x `height` pixels in `fmt` (PNG, JPEG, GIF, WEBP)."""
    buffer = io.BytesIO()
    mode = "RGB" if fmt in ("JPEG", "WEBP", "GIF") else "RGBA"
    Image.new(mode, (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _mvhd(timescale: int, duration: int) -> bytes:
    payload = (
        struct.pack(">I", 0)  # version 0, no flags
        + struct.pack(">IIII", 0, 0, timescale, duration)
        + struct.pack(">IH", 0x10000, 0x100)  # rate 1.0, volume 1.0
        + bytes(10)
        + _MATRIX
        + bytes(24)
        + struct.pack(">I", 2)  # next track id
    )
    return _box(b"mvhd", payload)


def _tkhd(width: int, height: int, duration: int) -> bytes:
    payload = (
        struct.pack(">I", 0x3)  # version 0, enabled + in movie
        + struct.pack(">IIIII", 0, 0, 1, 0, duration)
        + bytes(8)
        + struct.pack(">HHHH", 0, 0, 0, 0)
        + _MATRIX
        + struct.pack(">II", width << 16, height << 16)  # 16.16 fixed point
    )
    return _box(b"tkhd", payload)


def mp4_bytes(
    width: int, height: int, seconds: float, brand: bytes = b"isom", padding: int = 0
) -> bytes:
    """A minimal valid ISO media file: ftyp, moov (mvhd + one video track), mdat.

    `brand` b"qt  " makes a QuickTime (.mov) file. `padding` adds that many bytes of media
    data, to make a file of a given size.
    """
    timescale = 1000
    duration = round(seconds * timescale)
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 0x200) + brand + b"mp41")
    trak = _box(b"trak", _tkhd(width, height, duration))
    moov = _box(b"moov", _mvhd(timescale, duration) + trak)
    return ftyp + moov + _box(b"mdat", bytes(padding))

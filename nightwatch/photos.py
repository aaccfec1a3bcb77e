"""Photos people attach: checked by content, turned upright, shrunk and stripped of EXIF (GPS). Pure."""
from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_MB = 5
MAX_BYTES = MAX_MB * 1024 * 1024
MAX_SIDE = 1600
# Decompression bombs: a tiny file that opens as a huge canvas.
MAX_PIXELS = 40_000_000
ACCEPTED = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
FILE_TYPES = (*ACCEPTED.values(), "jpeg")  # what a file field offers to pick: our extensions, and JPEG's other


class PhotoRefused(ValueError):
    """The photo cannot be kept; ``key`` is a catalog key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _open_checked(data: bytes) -> str:
    """The image format read from the content, after a full integrity check."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                if probe.width * probe.height > MAX_PIXELS:
                    raise PhotoRefused("photos.too_many_pixels")
                probe.verify()
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise PhotoRefused("photos.not_an_image") from None
    if kind not in ACCEPTED:
        raise PhotoRefused("photos.wrong_type")
    return kind


def clean_photo(data: bytes) -> tuple[bytes, str]:
    """The photo re-encoded upright, at most MAX_SIDE px, with no metadata; and its file extension."""
    if not data:
        raise PhotoRefused("photos.empty")
    if len(data) > MAX_BYTES:
        raise PhotoRefused("photos.too_big")
    kind = _open_checked(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            return _encode(upright, kind), ACCEPTED[kind]
    except (OSError, ValueError, SyntaxError):
        raise PhotoRefused("photos.not_an_image") from None


def _encode(image: Image.Image, kind: str) -> bytes:
    """The pixels alone in the same format: no EXIF, no XMP, no ICC text chunks."""
    # A fresh image carries only pixels, so nothing from the original's info dict leaks through.
    mode = "RGB" if kind == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
    pixels = image.convert(mode)
    bare = Image.new(mode, pixels.size)
    bare.paste(pixels)
    out = io.BytesIO()
    if kind == "JPEG":
        bare.save(out, "JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        bare.save(out, "PNG", optimize=True)
    else:
        bare.save(out, "WEBP", quality=85)
    return out.getvalue()

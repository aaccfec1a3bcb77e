"""QR codes for links people open on their phones (personal sign-in links, checkpoint posters)."""
from __future__ import annotations

import io

import segno


def qr_png(url: str, scale: int = 6) -> bytes:
    """A PNG QR code of a URL, with a quiet zone, medium error correction."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()

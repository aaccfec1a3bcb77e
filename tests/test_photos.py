"""Photos: type by content, EXIF (GPS) stripped, upright, size limits."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from nightwatch.photos import MAX_BYTES, MAX_SIDE, PhotoRefused, clean_photo

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _jpeg_with_gps(size=(64, 32), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (25.0, 16.0, 48.0), 3: "E", 4: (110.0, 17.0, 45.6)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_gps_exif_is_stripped():
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    cleaned, extension = clean_photo(original)
    assert extension == "jpg"
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG" and len(image.getexif()) == 0
        assert "exif" not in image.info
    assert b"Exif" not in cleaned and b"PhoneMaker" not in cleaned


def test_the_photo_is_turned_upright_first():
    cleaned, _ = clean_photo(_jpeg_with_gps(size=(64, 32), orientation=6))
    assert Image.open(io.BytesIO(cleaned)).size == (32, 64)


def test_a_text_file_named_jpg_is_refused(tmp_path):
    fake = tmp_path / "photo.jpg"
    fake.write_text("这不是照片 just text")
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(fake.read_bytes())
    assert refused.value.key == "photos.not_an_image"


def test_a_truncated_jpeg_is_refused():
    with pytest.raises(PhotoRefused):
        clean_photo(_jpeg_with_gps()[:200])


def test_too_big_is_refused():
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(b"\xff\xd8" + b"0" * MAX_BYTES)
    assert refused.value.key == "photos.too_big"


def test_empty_is_refused():
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(b"")
    assert refused.value.key == "photos.empty"


def test_other_image_types_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")
    with pytest.raises(PhotoRefused) as refused:
        clean_photo(out.getvalue())
    assert refused.value.key == "photos.wrong_type"


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_are_kept_in_their_format(kind):
    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (255, 0, 0, 128)).save(out, kind)
    cleaned, extension = clean_photo(out.getvalue())
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == kind and image.size == (20, 10) and extension == kind.lower()


def test_the_long_side_is_capped():
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), "green").save(out, "JPEG")
    cleaned, _ = clean_photo(out.getvalue())
    assert max(Image.open(io.BytesIO(cleaned)).size) == MAX_SIDE

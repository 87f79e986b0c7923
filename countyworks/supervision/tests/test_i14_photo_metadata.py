"""Issue 14, point 8: a re-encoded photo keeps nothing of its source but the pixels."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from countyworks.supervision.uploads import check_upload


def _photo_with_metadata() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = "SECRET-EXIF-DESCRIPTION"  # ImageDescription
    exif[0x013B] = "SECRET-AUTHOR"  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", comment=b"SECRET-MINUTES", exif=exif.tobytes())
    return out.getvalue()


def test_a_jpeg_leaves_without_its_comment_or_exif():
    source = _photo_with_metadata()
    assert b"SECRET-MINUTES" in source and b"SECRET-AUTHOR" in source  # the test's own premise
    checked = check_upload(SimpleUploadedFile("现场.jpg", source, content_type="image/jpeg"))
    assert b"SECRET" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert "comment" not in image.info and "exif" not in image.info
        assert image.size == (64, 48)

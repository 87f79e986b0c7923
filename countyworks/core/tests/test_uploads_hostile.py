"""Hostile evidence files get a clear message naming the file, and nothing is stored.

Each file goes through the report screen as unit A's reporter would send it, beside a valid
report: the report must not be saved either (report and files are one unit), and no file may
land under MEDIA_ROOT.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from countyworks.core.tests.matrix import PNG_1X1, row_counts
from countyworks.supervision.models import Evidence, ProgressReport


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def huge_dimension_png() -> bytes:
    """A valid PNG header announcing 100 000 × 100 000 pixels (a decompression bomb's opening)."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()[:200]


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"PE\x00\x00"
    + b"\x00" * 200
)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<html><body><script>alert(1)</script></body></html>"

HOSTILE_FILES = [
    ("broken image", "site.jpg", truncated_jpeg(), "is not a readable picture"),
    ("garbage named .png", "site.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20, ""),
    ("ELF executable named .jpg", "photo.jpg", ELF, "is not an accepted file"),
    ("PE executable named .jpg", "photo.jpg", PE, "is not an accepted file"),
    ("SVG with script", "drawing.svg", SVG, "is not an accepted file"),
    ("SVG with script named .png", "drawing.png", SVG, "is not an accepted file"),
    ("HTML page named .pdf", "report.pdf", HTML, "is not an accepted file"),
    ("huge PNG dimensions", "big.png", huge_dimension_png(), ""),
    ("empty file", "empty.jpg", b"", ""),
]


@pytest.fixture
def reporter(cast, settings, tmp_path) -> Client:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client()
    client.force_login(cast.reporter_a)
    return client


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("case", "name", "content", "message"), HOSTILE_FILES, ids=[case[0] for case in HOSTILE_FILES]
)
def test_it_refuses_a_hostile_upload_with_a_message_and_stores_nothing(
    reporter, cast, settings, case, name, content, message
):
    before = row_counts()
    good = SimpleUploadedFile("good.png", PNG_1X1, content_type="image/png")
    bad = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = reporter.post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {"period": "2023-10", "progress": "70", "text": "现场照片见附件", "evidence": [good, bad]},
        HTTP_ACCEPT_LANGUAGE="en",  # the messages below are the English msgids
    )
    assert response.status_code == 200, f"{case}: the form should come back with the error"
    page = response.content.decode()
    if content:
        assert name in page, f"{case}: the message does not name the file"
    if message:
        assert message in page or message in str(response.context["form"].errors), case
    assert response.context["form"].errors, f"{case}: no error shown"
    assert row_counts() == before, f"{case}: something was saved"
    assert ProgressReport.objects.count() == 0 and Evidence.objects.count() == 0
    assert _stored_files(settings) == [], f"{case}: a file was written"


def test_it_refuses_an_oversize_file_naming_it(reporter, cast, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    before = row_counts()
    big = SimpleUploadedFile("large.png", PNG_1X1 + b"\x00" * 4096, content_type="image/png")
    response = reporter.post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {"period": "2023-10", "progress": "70", "text": "附件过大", "evidence": [big]},
    )
    assert response.status_code == 200
    errors = str(response.context["form"].errors)
    assert "large.png" in errors and "MB" in errors
    assert row_counts() == before
    assert _stored_files(settings) == []


def test_it_stores_a_good_photo_re_encoded_under_a_generated_name(reporter, cast, settings):
    response = reporter.post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {
            "period": "2023-10",
            "progress": "70",
            "text": "现场照片",
            "evidence": [SimpleUploadedFile("../../etc/passwd.png", PNG_1X1, content_type="image/png")],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/jpeg"
    assert evidence.file.name.startswith("evidence/") and "passwd" not in evidence.file.name
    stored = Path(settings.MEDIA_ROOT) / evidence.file.name
    assert stored.read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG, whatever the upload was

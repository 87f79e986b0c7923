"""Issue 14, point 3: the lowest write role cannot exhaust the server with uploads.

Bounded: files per report, pixels of a PNG/WebP (decoded at full size), pixels per request —
all refused before any picture is decoded; a large JPEG decodes at reduced scale."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from countyworks.core.services import ServiceError
from countyworks.supervision import uploads
from countyworks.supervision.models import Evidence, ProgressReport


def _picture(size: tuple[int, int], fmt: str, name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 10)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue())


def test_too_many_files_are_refused_before_any_is_read(monkeypatch):
    decoded = []
    monkeypatch.setattr(uploads, "check_upload", lambda upload: decoded.append(upload))
    files = [_picture((8, 8), "JPEG", f"{n}.jpg") for n in range(uploads.MAX_FILES_PER_REPORT + 1)]
    with pytest.raises(ServiceError) as caught:
        uploads.check_uploads(files)
    assert caught.value.field == "evidence" and str(uploads.MAX_FILES_PER_REPORT) in caught.value.message
    with pytest.raises(ServiceError):  # a resubmission counts the files the report already holds
        uploads.check_uploads(files[:2], already_attached=uploads.MAX_FILES_PER_REPORT - 1)
    assert decoded == []


def test_a_huge_lossless_picture_is_refused_without_decoding_it():
    # The probe's picture: tiny on disk (one colour), 6300 × 6300 pixels when decoded.
    bomb = _picture((6300, 6300), "PNG", "单色.png")
    assert bomb.size < 200_000
    with pytest.raises(ServiceError) as caught:
        uploads.check_uploads([bomb])
    assert "单色.png" in caught.value.message and "JPEG" in caught.value.message


def test_pictures_that_together_are_too_large_are_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_REQUEST_PIXELS", 1_000_000)
    reencoded = []
    monkeypatch.setattr(uploads, "_reencode_photo", lambda data, name: reencoded.append(name))
    with pytest.raises(ServiceError) as caught:
        uploads.check_uploads([_picture((800, 800), "JPEG", "a.jpg"), _picture((800, 800), "JPEG", "b.jpg")])
    assert caught.value.field == "evidence" and reencoded == []


def test_a_large_jpeg_is_decoded_at_reduced_scale(monkeypatch):
    from PIL.JpegImagePlugin import JpegImageFile

    drafts = []
    real_draft = JpegImageFile.draft

    def spy(self, mode, size):
        drafts.append(size)
        return real_draft(self, mode, size)

    monkeypatch.setattr(JpegImageFile, "draft", spy)
    (checked,) = uploads.check_uploads([_picture((6000, 4000), "JPEG", "工地.jpg")])
    assert drafts == [(uploads.PHOTO_LONG_SIDE, uploads.PHOTO_LONG_SIDE)]
    with Image.open(io.BytesIO(checked.content)) as image:
        assert max(image.size) <= uploads.PHOTO_LONG_SIDE


def test_the_report_screen_refuses_too_many_files_and_stores_nothing(cast, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.reporter_a)
    files = [_picture((8, 8), "JPEG", f"{n}.jpg") for n in range(uploads.MAX_FILES_PER_REPORT + 1)]
    response = client.post(
        reverse("supervision:report_new", args=[cast.item_a.pk]),
        {"period": "2023-10", "progress": "30", "text": "照片很多", "photos": files},
    )
    assert response.status_code == 200
    assert "至多" in response.text or "at most" in response.text
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()

"""Evidence uploads: decide from the bytes (never the name or the browser's word) what a file is.

Photos (JPEG, PNG, WebP) are decoded and re-encoded as JPEG with Pillow, which drops EXIF
metadata (GPS positions of a site photo) and anything hidden after the image data. PDF, DOCX
and XLSX files are kept as sent. Everything else, and anything over settings.UPLOAD_MAX_BYTES,
is refused with a message naming the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from countyworks.core.services import ServiceError
from countyworks.supervision.models import Evidence, EvidenceKind, ProgressReport

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
# A site photo never needs more; a bigger frame is more likely a decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000
PHOTO_LONG_SIDE = 2560
ACCEPT_ATTRIBUTE = ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx"


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content: bytes
    content_type: str
    original_name: str
    suffix: str


def _read_limited(upload: UploadedFile, limit: int) -> bytes:
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": round(limit / 1024 / 1024, 1)},
            field="evidence",
        )
    return data


def _reencode_photo(data: bytes, name: str) -> bytes:
    refused = ServiceError(_("%(name)s is not a readable picture.") % {"name": name}, field="evidence")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ServiceError(
                    _("%(name)s has too many pixels for a photo.") % {"name": name}, field="evidence"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flattened = Image.new("RGB", image.size, (255, 255, 255))
                flattened.paste(image, mask=image.split()[-1])
                image = flattened
            else:
                image = image.convert("RGB")
            image.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue()
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise refused from exc


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Validate one uploaded file; raises ServiceError(field="evidence") naming the file."""
    name = (upload.name or "file")[-200:]
    data = _read_limited(upload, settings.UPLOAD_MAX_BYTES)
    if not data:
        raise ServiceError(_("%(name)s is empty.") % {"name": name}, field="evidence")
    guessed = filetype.guess(data[:8192])
    mime = guessed.mime if guessed else ""
    if mime in IMAGE_TYPES:
        return CheckedUpload(EvidenceKind.PHOTO, _reencode_photo(data, name), "image/jpeg", name, ".jpg")
    if mime in DOCUMENT_TYPES:
        return CheckedUpload(EvidenceKind.FILE, data, mime, name, DOCUMENT_TYPES[mime])
    raise ServiceError(
        _("%(name)s is not an accepted file: send a JPEG, PNG or WebP photo, or a PDF, DOCX or XLSX file.")
        % {"name": name},
        field="evidence",
    )


def check_uploads(uploads: Iterable[UploadedFile]) -> list[CheckedUpload]:
    """Check every file before anything is stored, so one bad file stores nothing."""
    return [check_upload(upload) for upload in uploads]


@transaction.atomic
def attach_evidence(
    report: ProgressReport, checked: Iterable[CheckedUpload], *, public: bool = False
) -> list[Evidence]:
    """Store the checked files on the report; private unless the unit said these may be shown publicly."""
    created = []
    for upload in checked:
        evidence = Evidence(
            report=report,
            kind=upload.kind,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=len(upload.content),
            public=public,
        )
        # The storage name comes from evidence_upload_to (a random name); only the suffix is ours.
        evidence.file.save("upload" + upload.suffix, ContentFile(upload.content), save=False)
        evidence.save()
        created.append(evidence)
    return created

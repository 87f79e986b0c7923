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
# PNG and WebP decode at full size (JPEG decodes straight to a reduced size, see _reencode_photo):
# a 37 KB single-colour PNG of 6300×6300 cost 0.8 s and 270 MB. A phone's screenshot is under 5 M.
MAX_LOSSLESS_PIXELS = 16_000_000
# What one request may make the server decode, and how many files one report holds (a phone
# picker offers nine photos at a time).
MAX_REQUEST_PIXELS = 120_000_000
MAX_FILES_PER_REPORT = 12
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
            if image.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale straight from the DCT: the full frame never sits in memory.
                image.draft("RGB", (PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
            elif width * height > MAX_LOSSLESS_PIXELS:
                raise ServiceError(
                    _("%(name)s has too many pixels for a PNG or WebP picture; send it as a JPEG photo.")
                    % {"name": name},
                    field="evidence",
                )
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flattened = Image.new("RGB", image.size, (255, 255, 255))
                flattened.paste(image, mask=image.split()[-1])
                image = flattened
            else:
                image = image.convert("RGB")
            image.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
            # Pillow writes the source's JPEG comment (and would keep other info) back on save: a
            # photo leaves with its pixels only — no comment, EXIF, GPS or colour-profile text.
            image.info = {}
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True, comment=b"", exif=b"")
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


def _pixels(upload: UploadedFile) -> int:
    """The frame size a picture declares in its header (nothing is decoded); 0 for other files."""
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return 0
    finally:
        upload.seek(0)
    return width * height


def check_uploads(uploads: Iterable[UploadedFile], *, already_attached: int = 0) -> list[CheckedUpload]:
    """Check every file before anything is stored, so one bad file stores nothing.

    Refused before any picture is decoded: more files than a report holds (with those
    `already_attached`), or pictures that together declare more than MAX_REQUEST_PIXELS.
    """
    uploads = list(uploads)
    if already_attached + len(uploads) > MAX_FILES_PER_REPORT:
        raise ServiceError(
            _("A report holds at most %(limit)s files; this one would hold %(count)s.")
            % {"limit": MAX_FILES_PER_REPORT, "count": already_attached + len(uploads)},
            field="evidence",
        )
    if sum(_pixels(upload) for upload in uploads) > MAX_REQUEST_PIXELS:
        raise ServiceError(
            _("These pictures are too large to send at once; send fewer, or smaller, photos."),
            field="evidence",
        )
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

"""Uploaded workbooks waiting for a person to confirm their import (preview first, then confirm).

The preview screen stores the upload under MEDIA_ROOT/imports/ with a random token as its name —
not in the session, so any app server behind the load balancer can finish the import — and the
confirmation finds it again by that token. A token is exactly 32 hex digits, so a forged one
(../../etc/passwd) can never name a file outside the folder. The importer deletes the file once
the import succeeds; previews nobody confirmed are dropped after `PENDING_MAX_AGE_SECONDS`, each
time a new upload is stored, so the folder does not grow forever.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

PENDING_MAX_AGE_SECONDS = 24 * 3600
SUFFIX = ".xlsx"
_TOKEN = re.compile(r"[0-9a-f]{32}")

# What a confirmation screen says when `pending_path()` finds nothing for its token.
EXPIRED_MESSAGE = gettext_lazy("The uploaded file has expired or was already imported. Upload it again.")


@dataclass(frozen=True, slots=True)
class PendingUpload:
    """A stored upload: the token the preview page hands back on confirmation, and its file."""

    token: str
    path: Path


def pending_dir() -> Path:
    """MEDIA_ROOT/imports/, created on first use."""
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def forget_abandoned_uploads(max_age_seconds: int = PENDING_MAX_AGE_SECONDS) -> None:
    """Delete the pending uploads older than `max_age_seconds`: previews nobody confirmed."""
    cutoff = time.time() - max_age_seconds
    for old in pending_dir().glob(f"*{SUFFIX}"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except FileNotFoundError:  # another worker removed it first
            pass


def store_pending_upload(upload: UploadedFile) -> PendingUpload:
    """Save `upload` under a new random token (dropping abandoned uploads first)."""
    forget_abandoned_uploads()
    token = secrets.token_hex(16)
    path = pending_dir() / f"{token}{SUFFIX}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return PendingUpload(token=token, path=path)


def pending_path(token: str) -> Path | None:
    """The stored upload of `token`; None when the token is malformed, expired or already used."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    path = pending_dir() / f"{token}{SUFFIX}"
    return path if path.is_file() else None

"""Uploaded workbooks waiting for a person to confirm their import (preview first, then confirm).

The preview screen stores the upload under MEDIA_ROOT/imports/ with a random token as its name —
not in the session, so any app server behind the load balancer can finish the import — and the
confirmation finds it again by that token. A token is exactly 32 hex digits, so a forged one
(../../etc/passwd) can never name a file outside the folder.

A confirmation *claims* the upload with `claim_pending_upload()` before importing it: the file is
renamed from `<token>.xlsx` to `<token>.claimed.xlsx`, and a rename is atomic, so of two confirmations of
the same upload (a double click, two tabs, two app servers sharing MEDIA_ROOT) exactly one imports and
the other is told the file is already imported or being imported — checking for duplicates in the
database is not enough, since on PostgreSQL two transactions can both pass that check and both write.
Files nobody confirmed, and the markers of finished imports, are dropped after
`PENDING_MAX_AGE_SECONDS`, each time a new upload is stored, so the folder does not grow forever.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

PENDING_MAX_AGE_SECONDS = 24 * 3600
SUFFIX = ".xlsx"
# Still ending in .xlsx: openpyxl refuses any other name, and the clean-up finds both kinds by it.
CLAIMED_SUFFIX = ".claimed.xlsx"
_TOKEN = re.compile(r"[0-9a-f]{32}")

# What a confirmation screen says when `pending_path()` finds nothing for its token.
EXPIRED_MESSAGE = gettext_lazy("The uploaded file has expired or was already imported. Upload it again.")
# What it says when another confirmation of the same upload claimed it first.
CLAIMED_MESSAGE = gettext_lazy("This file has already been imported or is being imported.")


class UploadUnavailable(Exception):
    """`claim_pending_upload()` found nothing to claim; `message` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


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


@contextmanager
def claim_pending_upload(token: str) -> Iterator[Path]:
    """Take the upload of `token` for this import alone; yields the path of the claimed workbook.

    Raises `UploadUnavailable` when there is nothing to claim: `CLAIMED_MESSAGE` when another
    confirmation has claimed it (still importing, or done), `EXPIRED_MESSAGE` when the token is
    malformed or its file is gone.

    What is left afterwards:
    - the import succeeded (the block ended normally): the claimed file is emptied and kept as a
      zero-byte marker, so a late second confirmation is told "already imported" rather than invited
      to upload the file again; the marker goes with the other old files after `PENDING_MAX_AGE_SECONDS`.
    - the import failed (the block raised): the claimed file is removed, not restored. Imports are
      all-or-nothing, so nothing was written; a failure means the rows are wrong for the ledger as it
      is now (or the person lost the right), so the same file would fail again, and putting it back
      would reopen it to a concurrent confirmation. The person uploads a corrected file.
    """
    if not _TOKEN.fullmatch(token or ""):
        raise UploadUnavailable(EXPIRED_MESSAGE)
    folder = pending_dir()
    claimed = folder / f"{token}{CLAIMED_SUFFIX}"
    try:
        # Atomic within one file system: when two confirmations race, one rename finds the source gone.
        os.rename(folder / f"{token}{SUFFIX}", claimed)
    except FileNotFoundError:
        raise UploadUnavailable(CLAIMED_MESSAGE if claimed.exists() else EXPIRED_MESSAGE) from None
    # The rename keeps the upload's time; count the age from the claim, so that cleaning up old
    # previews never removes a workbook that an import is reading right now.
    os.utime(claimed)
    try:
        yield claimed
    except BaseException:
        claimed.unlink(missing_ok=True)
        raise
    claimed.write_bytes(b"")

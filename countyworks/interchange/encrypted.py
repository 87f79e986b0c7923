"""Encrypted backup archives: the .tar.gz sealed with a Fernet key, in chunks, streamed.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) authenticates each token but holds a
token in memory, so the archive is sealed in 4 MiB chunks. Each chunk's plaintext starts with its
index and a last-chunk flag, so chunks cannot be reordered, dropped or the file cut short without
the decryption noticing.

    file  := MAGIC  chunk*
    chunk := length (4 bytes, big-endian)  Fernet(index (8 bytes) || last (1 byte) || data)
"""

from __future__ import annotations

import struct
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

MAGIC = b"COUNTYWORKS-BACKUP-FERNET-1\n"
CHUNK = 4 * 1024 * 1024


class DecryptionError(ValueError):
    pass


def is_encrypted(path: Path) -> bool:
    """Whether `path` starts as a sealed archive does; False for a missing or unreadable file, which
    the archive reader then refuses in its own words."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def encrypt_file(source: Path, target: Path, key: str) -> None:
    fernet = Fernet(key)
    with source.open("rb") as plain, _owner_only(target) as sealed:
        sealed.write(MAGIC)
        index = 0
        block = plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            last = not following
            token = fernet.encrypt(struct.pack(">Q?", index, last) + block)
            sealed.write(struct.pack(">I", len(token)) + token)
            if last:
                return
            block, index = following, index + 1


def decrypt_file(source: Path, target: Path, key: str) -> None:
    try:
        fernet = Fernet(key)
    except ValueError as exc:
        raise DecryptionError("BACKUP_ENCRYPTION_KEY is not a Fernet key") from exc
    with source.open("rb") as sealed, _owner_only(target) as plain:
        if sealed.read(len(MAGIC)) != MAGIC:
            raise DecryptionError("not an encrypted CountyWorks backup")
        index = 0
        while True:
            head = sealed.read(4)
            if len(head) < 4:
                raise DecryptionError("the encrypted backup is cut short")
            token = sealed.read(struct.unpack(">I", head)[0])
            try:
                body = fernet.decrypt(token)
            except InvalidToken as exc:
                raise DecryptionError("wrong BACKUP_ENCRYPTION_KEY, or the backup is damaged") from exc
            number, last = struct.unpack(">Q?", body[:9])
            if number != index:
                raise DecryptionError("the encrypted backup's chunks are out of order")
            plain.write(body[9:])
            if last:
                if sealed.read(1):
                    raise DecryptionError("the encrypted backup has data after its last chunk")
                return
            index += 1


def _owner_only(path: Path):  # noqa: ANN202 — a file object
    import os

    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")

"""Issue 14, point 10: backups are owner-only, can be encrypted, and a restore checks every row
before it writes any, copying no media file when it refuses."""

from __future__ import annotations

import io
import json
import os
import stat
import tarfile

import pytest
from cryptography.fernet import Fernet

from countyworks.interchange import backups, encrypted
from countyworks.interchange.tests.factories import build_region_year, wipe_database
from countyworks.plans.models import WorkItem


@pytest.fixture
def filled(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_region_year(cast)
    return settings.MEDIA_ROOT


def test_a_backup_is_readable_by_its_owner_only_whatever_the_umask(filled, tmp_path):
    previous = os.umask(0o022)
    try:
        summary = backups.create_backup(tmp_path / "b.tar.gz")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(summary.path.stat().st_mode) == 0o600


def test_an_encrypted_backup_restores_with_its_key_only(filled, tmp_path, settings):
    key = Fernet.generate_key().decode()
    settings.BACKUP_ENCRYPTION_KEY = key
    archive = backups.create_backup(tmp_path / "sealed.tar.gz").path
    body = archive.read_bytes()
    assert body.startswith(encrypted.MAGIC) and b"manifest.json" not in body and "测试".encode() not in body
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    count = WorkItem.all_objects.count()
    wipe_database()

    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(backups.BackupError, match="encrypted; set BACKUP_ENCRYPTION_KEY"):
        backups.restore_backup(archive)
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(backups.BackupError, match="wrong BACKUP_ENCRYPTION_KEY"):
        backups.restore_backup(archive)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(body[: len(body) - 10])
    settings.BACKUP_ENCRYPTION_KEY = key
    with pytest.raises(backups.BackupError):
        backups.restore_backup(cut)
    assert WorkItem.all_objects.count() == 0

    backups.restore_backup(archive)
    assert WorkItem.all_objects.count() == count


def test_chunks_cannot_be_dropped_or_reordered(tmp_path, monkeypatch):
    monkeypatch.setattr(encrypted, "CHUNK", 16)
    key = Fernet.generate_key().decode()
    plain = tmp_path / "plain"
    plain.write_bytes(bytes(range(100)))
    sealed = tmp_path / "sealed"
    encrypted.encrypt_file(plain, sealed, key)
    back = tmp_path / "back"
    encrypted.decrypt_file(sealed, back, key)
    assert back.read_bytes() == plain.read_bytes()

    body = sealed.read_bytes()[len(encrypted.MAGIC) :]
    chunks = []
    while body:
        length = int.from_bytes(body[:4], "big")
        chunks.append(body[: 4 + length])
        body = body[4 + length :]
    for altered in (chunks[1:], [chunks[1], chunks[0], *chunks[2:]], chunks[:-1]):
        sealed.write_bytes(encrypted.MAGIC + b"".join(altered))
        with pytest.raises(encrypted.DecryptionError):
            encrypted.decrypt_file(sealed, back, key)


def test_a_row_holding_a_nul_is_refused_before_anything_is_written(filled, tmp_path):
    archive = backups.create_backup(tmp_path / "b.tar.gz").path
    # A backup taken on SQLite, which stores NUL, restored on PostgreSQL, which cannot.
    tampered = tmp_path / "nul.tar.gz"
    with tarfile.open(archive, "r:gz") as source:
        members = {m.name: (m, source.extractfile(m).read()) for m in source.getmembers() if m.isfile()}
    rows = json.loads(members["data.json"][1])
    item_row = next(row for row in rows if row["model"] == "plans.workitem")
    item_row["fields"]["title"] = "含有\x00的标题"
    data = json.dumps(rows, ensure_ascii=False).encode()
    manifest = json.loads(members["manifest.json"][1])
    import hashlib

    manifest["checksums"]["data.json"] = hashlib.sha256(data).hexdigest()
    members["data.json"] = (members["data.json"][0], data)
    members["manifest.json"] = (members["manifest.json"][0], json.dumps(manifest).encode())
    with tarfile.open(tampered, "w:gz") as target:
        for member, body in members.values():
            member.size = len(body)
            target.addfile(member, io.BytesIO(body))

    wipe_database()
    for path in sorted(filled.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    with pytest.raises(
        backups.BackupError, match=f"plans.workitem {item_row['pk']}: field title holds a NUL"
    ):
        backups.restore_backup(tampered)
    assert WorkItem.all_objects.count() == 0
    assert not any(path.is_file() for path in filled.rglob("*"))  # no media file was copied

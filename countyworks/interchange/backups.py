"""Backup and restore of the whole installation: every table and every uploaded file, together.

A backup is one .tar.gz holding
  manifest.json   format, creation time, rows per model, SHA-256 of every other member
  data.json       `dumpdata` of all apps (foreign keys to content types and permissions as natural
                  keys, because `migrate` recreates those tables with other ids)
  media/…         the files under MEDIA_ROOT (evidence photos and files)
A restore checks every checksum before it touches anything, refuses a database that
already holds data unless told to replace it, and loads the rows in one transaction;
`loaddata` resets PostgreSQL's sequences so new rows get fresh ids.

The archive holds password and token hashes and every internal record, so it is written readable
by its owner only (0600), whatever the umask. With BACKUP_ENCRYPTION_KEY (a Fernet key) in the
environment it is also encrypted (see `encrypted.py`); a restore needs the same key. A restore checks
every row before it writes anything (a NUL character, which PostgreSQL cannot store, names its row)
and copies the media files only once the rows are in.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings

from countyworks.core.services import ServiceError
from countyworks.interchange import encrypted

BACKUP_FORMAT = "countyworks.backup"
BACKUP_VERSION = 1
# Recreated by `migrate` (content types, permissions) or worthless after a restore (sessions).
EXCLUDED = ("contenttypes", "auth.permission", "sessions")


class BackupError(ServiceError):
    pass


@dataclass
class BackupSummary:
    path: Path
    rows: int
    files: int
    bytes: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _counted_models() -> list:
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    tables = set(connection.introspection.table_names())
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in excluded_apps
        and m._meta.label_lower not in excluded_models
        and m._meta.db_table in tables
        and m._meta.managed
        and not m._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    """Rows per model (every row, soft-deleted ones too) of the tables a backup holds."""
    return {m._meta.label: m._base_manager.count() for m in _counted_models()}


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def dump_data(target: Path) -> None:
    call_command(
        "dumpdata",
        exclude=list(EXCLUDED),
        # Times to the microsecond: Django's plain JSON keeps milliseconds only (see exact_json).
        format="exactjson",
        natural_foreign=True,
        # The base manager: soft-deleted items and reports are part of the ledger too.
        use_base_manager=True,
        output=str(target),
        verbosity=0,
    )


def create_backup(target: str | Path) -> BackupSummary:
    """Write a backup archive to `target` (written beside it first, then renamed)."""
    target = Path(target)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        data_path = Path(work) / "data.json"
        # One read transaction: on PostgreSQL the dump and the counts see the same snapshot.
        first_statement = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and first_statement:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            counts = row_counts()
            dump_data(data_path)
        files = _media_files(media_root)
        manifest = {
            "format": BACKUP_FORMAT,
            "format_version": BACKUP_VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "django": django.get_version(),
            "database_vendor": connection.vendor,
            "counts": counts,
            "checksums": {"data.json": _sha256_file(data_path)},
        }
        for path in files:
            manifest["checksums"]["media/" + path.relative_to(media_root).as_posix()] = _sha256_file(path)
        partial = target.with_name(target.name + ".partial")
        # Owner-only from the first byte: the archive holds password hashes and internal records.
        descriptor = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # O_CREAT's mode is masked by the umask; this is not
        with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
            archive.add(data_path, arcname="data.json")
            for path in files:
                archive.add(path, arcname="media/" + path.relative_to(media_root).as_posix())
        key = getattr(settings, "BACKUP_ENCRYPTION_KEY", "")
        if key:
            sealed = target.with_name(target.name + ".sealed")
            encrypted.encrypt_file(partial, sealed, key)
            partial.unlink()
            partial = sealed
        partial.replace(target)
    return BackupSummary(target, sum(counts.values()), len(files), target.stat().st_size)


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _unpack_and_verify(source: Path, into: Path) -> dict:
    """Unpack `source` into `into` (an empty directory inside a private temporary one) and check it."""
    if encrypted.is_encrypted(source):
        key = getattr(settings, "BACKUP_ENCRYPTION_KEY", "")
        if not key:
            raise BackupError(f"{source}: the backup is encrypted; set BACKUP_ENCRYPTION_KEY to restore it")
        plain = into.parent / "decrypted.tar.gz"
        try:
            encrypted.decrypt_file(source, plain, key)
        except encrypted.DecryptionError as exc:
            raise BackupError(f"{source}: {exc}") from exc
        source = plain
    try:
        with tarfile.open(source, "r:gz") as archive:
            members = archive.getmembers()
            bad = [m.name for m in members if not (m.isfile() or m.isdir()) or not _safe_member(m.name)]
            if bad:
                raise BackupError(f"{source}: refusing unsafe member {bad[0]}")
            archive.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{source}: not a readable backup archive ({exc})") from exc
    manifest_path = into / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{source}: no manifest.json; not a CountyWorks backup")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != BACKUP_FORMAT or manifest.get("format_version") != BACKUP_VERSION:
        raise BackupError(f"{source}: unsupported backup format {manifest.get('format_version')!r}")
    present = {
        p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file() and p.name != "manifest.json"
    }
    expected = set(manifest["checksums"])
    if present != expected:
        extra = sorted(present ^ expected)[0]
        raise BackupError(f"{source}: {extra} is missing from the archive or not in its manifest")
    for name, checksum in sorted(manifest["checksums"].items()):
        if _sha256_file(into / name) != checksum:
            raise BackupError(f"{source}: checksum mismatch for {name}; the backup is damaged")
    return manifest


def _check_rows(data_path: Path) -> None:
    """Every row of the dump, before any is written: a NUL character in a value (SQLite stores one,
    PostgreSQL cannot) is refused naming the row, so a restore never stops half-way."""
    try:
        rows = json.loads(data_path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise BackupError(f"data.json is not readable JSON ({exc}); nothing was restored") from exc
    for row in rows:
        for name, value in (row.get("fields") or {}).items():
            if isinstance(value, str) and "\x00" in value:
                raise BackupError(
                    f"{row.get('model')} {row.get('pk')}: field {name} holds a NUL character, which "
                    "PostgreSQL cannot store; nothing was restored"
                )


def flush_database() -> None:
    """Empty every table, also inside a transaction that has already written rows.

    PostgreSQL refuses TRUNCATE while deferred foreign-key checks are pending in the
    transaction; running the checks now clears them, and the deferral is restored afterwards
    because `loaddata` relies on it to load rows in any order.
    """
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--noinput", verbosity=0)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def restore_backup(source: str | Path, *, force: bool = False) -> BackupSummary:
    """Restore a backup; refuses a database holding rows unless `force` (which flushes it first)."""
    source = Path(source)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        unpacked = Path(work) / "archive"  # beside it, in the same private directory: a decrypted copy
        unpacked.mkdir()
        manifest = _unpack_and_verify(source, unpacked)
        holding = {label: n for label, n in row_counts().items() if n}
        if holding and not force:
            label, n = sorted(holding.items())[0]
            raise BackupError(
                f"the database is not empty ({label} has {n} rows); restore with --force to replace it"
            )
        _check_rows(unpacked / "data.json")
        media_source = unpacked / "media"
        files = _media_files(media_source)
        with transaction.atomic():
            if holding:
                flush_database()
            # The archive holds the history tables already; loading many-to-many rows must not
            # add history of its own (simple_history records m2m changes even in raw loads).
            with override_settings(SIMPLE_HISTORY_ENABLED=False):
                call_command("loaddata", str(unpacked / "data.json"), verbosity=0)
            counts = row_counts()
            wanted = {label: n for label, n in manifest["counts"].items() if n or label in counts}
            got = {label: counts.get(label, 0) for label in wanted}
            if got != wanted:
                differing = sorted(label for label in wanted if got[label] != wanted[label])[0]
                raise BackupError(
                    f"{differing}: restored {got[differing]} rows, the manifest says {wanted[differing]}; "
                    "nothing was restored"
                )
            # The files last, once every row is in: a refused restore leaves MEDIA_ROOT untouched.
            for path in files:
                destination = media_root / path.relative_to(media_source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
    return BackupSummary(source, sum(counts.values()), len(files), source.stat().st_size)

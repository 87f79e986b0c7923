"""Back up, wipe, restore, and compare every row and every uploaded file's bytes."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from countyworks.interchange import backups
from countyworks.interchange.tests.factories import build_region_year, wipe_database
from countyworks.plans.models import WorkItem
from countyworks.supervision.models import Evidence


def everything(media_root: Path) -> tuple[str, dict[str, bytes]]:
    data = io.StringIO()
    call_command(
        "dumpdata",
        exclude=list(backups.EXCLUDED),
        natural_foreign=True,
        use_base_manager=True,
        indent=1,
        stdout=data,
        verbosity=0,
    )
    files = {
        p.relative_to(media_root).as_posix(): p.read_bytes() for p in media_root.rglob("*") if p.is_file()
    }
    return data.getvalue(), files


@pytest.fixture
def filled(cast, settings, tmp_path) -> Path:
    media_root = tmp_path / "media"
    settings.MEDIA_ROOT = media_root
    build_region_year(cast)
    WorkItem.objects.get(pk=cast.item_b.pk).soft_delete()
    return media_root


def test_it_restores_every_row_and_file_after_a_wipe(filled, tmp_path):
    before = everything(filled)
    counts = backups.row_counts()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    wipe_database()
    shutil.rmtree(filled)
    assert WorkItem.all_objects.count() == 0 and not filled.exists()

    call_command("restore", str(archive))
    assert everything(filled) == before
    assert backups.row_counts() == counts
    assert WorkItem.all_objects.filter(deleted_at__isnull=False).count() == 1
    evidence = Evidence.objects.get()
    assert evidence.file.read() == b"\xff\xd8photo-bytes"


def test_it_gives_new_rows_fresh_ids_after_a_restore(filled, tmp_path, cast):
    archive = tmp_path / "backup.tar.gz"
    backups.create_backup(archive)
    wipe_database()
    backups.restore_backup(archive)
    highest = WorkItem.all_objects.order_by("-pk").first().pk
    # On PostgreSQL this fails unless the sequences were reset after loading.
    new = WorkItem.objects.create(plan_id=cast.plan.pk, title="恢复后新增")
    assert new.pk > highest


def test_it_refuses_a_database_that_holds_data_unless_forced(filled, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backups.create_backup(archive)
    before = everything(filled)
    WorkItem.objects.filter(title="测试重点项目甲").update(title="备份后改动")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    assert WorkItem.all_objects.filter(title="备份后改动").exists()

    call_command("restore", str(archive), "--force")
    assert everything(filled) == before


def test_it_refuses_a_damaged_archive_and_changes_nothing(filled, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backups.create_backup(archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name.startswith("media/"):
                body = body + b"tampered"
                member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    wipe_database()
    with pytest.raises(backups.BackupError, match="checksum mismatch for media/evidence/"):
        backups.restore_backup(damaged)
    assert backups.row_counts() == {label: 0 for label in backups.row_counts()}


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(junk))


def test_it_keeps_times_to_the_microsecond(filled, tmp_path, cast):
    """Django's JSON keeps milliseconds only; a restored ledger must hold exactly what was saved."""
    from datetime import UTC, datetime

    exact = datetime(2023, 6, 1, 8, 20, 27, 456, tzinfo=UTC)
    WorkItem.all_objects.filter(pk=cast.item_a.pk).update(updated_at=exact)
    archive = tmp_path / "backup.tar.gz"
    backups.create_backup(archive)
    wipe_database()
    backups.restore_backup(archive)
    assert WorkItem.all_objects.get(pk=cast.item_a.pk).updated_at == exact

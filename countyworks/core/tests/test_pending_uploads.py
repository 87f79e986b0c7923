"""core.pending_uploads.claim_pending_upload: one confirmation of an upload imports, any other is refused."""

import os
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from countyworks.core import pending_uploads
from countyworks.core.pending_uploads import CLAIMED_MESSAGE, EXPIRED_MESSAGE, UploadUnavailable


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _store(content: bytes = b"workbook bytes") -> pending_uploads.PendingUpload:
    return pending_uploads.store_pending_upload(SimpleUploadedFile("t.xlsx", content))


def test_it_claims_an_upload_once_and_refuses_the_second_claim(media):
    pending = _store()
    with pending_uploads.claim_pending_upload(pending.token) as path:
        assert path.read_bytes() == b"workbook bytes"
        assert pending_uploads.pending_path(pending.token) is None  # no longer waiting
        # A second confirmation arriving while the first is importing.
        with pytest.raises(UploadUnavailable) as caught:
            with pending_uploads.claim_pending_upload(pending.token):
                pytest.fail("the second claim must not run")
        assert caught.value.message == CLAIMED_MESSAGE
    # And one arriving after the first finished.
    with pytest.raises(UploadUnavailable) as caught:
        with pending_uploads.claim_pending_upload(pending.token):
            pytest.fail("a claim after the import must not run")
    assert caught.value.message == CLAIMED_MESSAGE


def test_of_many_simultaneous_claims_exactly_one_wins(media):
    pending = _store()
    start = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def confirm() -> None:
        start.wait()
        try:
            with pending_uploads.claim_pending_upload(pending.token):
                outcome = "imported"
        except UploadUnavailable:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=confirm) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["imported"] + ["refused"] * 7


def test_a_successful_import_leaves_only_an_empty_marker(media):
    pending = _store()
    with pending_uploads.claim_pending_upload(pending.token) as path:
        pass
    assert [p.name for p in pending_uploads.pending_dir().iterdir()] == [f"{pending.token}.claimed.xlsx"]
    assert path.read_bytes() == b""


def test_a_failed_import_removes_the_claimed_file_and_cannot_be_confirmed_again(media):
    pending = _store()
    with pytest.raises(RuntimeError):
        with pending_uploads.claim_pending_upload(pending.token):
            raise RuntimeError("the importer refused a row")
    assert list(pending_uploads.pending_dir().iterdir()) == []
    with pytest.raises(UploadUnavailable) as caught:
        with pending_uploads.claim_pending_upload(pending.token):
            pytest.fail("nothing is left to claim")
    assert caught.value.message == EXPIRED_MESSAGE


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "a" * 32 + "\n", "0" * 32])
def test_a_malformed_or_unknown_token_is_told_the_upload_expired(media, token):
    with pytest.raises(UploadUnavailable) as caught:
        with pending_uploads.claim_pending_upload(token):
            pytest.fail("nothing to claim")
    assert caught.value.message == EXPIRED_MESSAGE


def test_old_markers_are_cleaned_up_but_a_file_being_imported_is_not(media):
    old, current = _store(), _store()
    os.utime(old.path, (0, 0))
    os.utime(current.path, (0, 0))  # uploaded long ago, confirmed only now
    with pending_uploads.claim_pending_upload(old.token) as old_marker:
        pass
    os.utime(old_marker, (0, 0))
    with pending_uploads.claim_pending_upload(current.token) as importing:
        _store()  # someone else's upload triggers the clean-up while the import reads its file
        assert importing.read_bytes() == b"workbook bytes"
    assert not old_marker.exists()


def test_the_claimed_message_is_translated():
    with translation.override("zh-hans"):
        assert str(CLAIMED_MESSAGE) == "该文件已导入或正在导入。"

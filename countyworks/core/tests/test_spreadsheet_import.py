"""core.spreadsheet_import and core.pending_uploads: what every Excel import shares on the Django side."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from countyworks.core import pending_uploads
from countyworks.core.services import ServiceError
from countyworks.core.spreadsheet_import import (
    RowProblem,
    SpreadsheetImportError,
    read_workbook,
    validate_xlsx_upload,
)


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["名称", 3])
    book.active["C1"] = "=B1*2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# Problems and the all-or-nothing error -----------------------------------------------------------


def test_a_row_problem_names_its_row_and_a_file_problem_does_not():
    with translation.override("en"):
        assert str(RowProblem(7, "column 进度 is empty.")) == "Row 7: column 进度 is empty."
        assert str(RowProblem(0, "No header row found.")) == "No header row found."
    with translation.override("zh-hans"):
        assert str(RowProblem(7, "x")) == "第7行：x"


def test_the_import_error_is_a_service_error_on_the_file_listing_every_problem():
    with translation.override("en"):
        error = SpreadsheetImportError([RowProblem(3, "a"), RowProblem(9, "b")])
    assert isinstance(error, ServiceError) and error.field == "file"
    assert error.message == "Row 3: a\nRow 9: b"
    assert [p.row for p in error.problems] == [3, 9]


# Reading a workbook safely -----------------------------------------------------------------------


def test_it_reads_cached_values_not_formulas():
    book = read_workbook(BytesIO(xlsx_bytes()))
    assert [c.value for c in book.active[1]][:2] == ["名称", 3]
    assert book.active["C1"].value is None  # never calculated by Excel: no cached value, not "=B1*2"


class OwnImportError(SpreadsheetImportError):
    pass


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04" + b"\x00" * 40, xlsx_bytes()[:300]])
def test_it_turns_anything_unreadable_into_the_importers_own_error(data):
    with translation.override("en"), pytest.raises(OwnImportError) as caught:
        read_workbook(BytesIO(data), OwnImportError)
    assert caught.value.message == "The file is not an Excel workbook (.xlsx)."
    assert caught.value.problems[0].row == 0


def test_a_missing_file_is_the_generic_import_error_by_default(tmp_path):
    with pytest.raises(SpreadsheetImportError):
        read_workbook(str(tmp_path / "gone.xlsx"))


# The upload check ---------------------------------------------------------------------------------


def test_it_accepts_an_xlsx_upload_whatever_the_case_of_its_suffix():
    upload = SimpleUploadedFile("表.XLSX", xlsx_bytes())
    assert validate_xlsx_upload(upload) is upload


def test_it_refuses_another_kind_of_file_and_a_file_over_the_limit(settings):
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as caught:
            validate_xlsx_upload(SimpleUploadedFile("tasks.csv", b"a,b"))
        assert caught.value.messages == ["Upload an Excel workbook (.xlsx)."]
        settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
        with pytest.raises(forms.ValidationError) as caught:
            validate_xlsx_upload(SimpleUploadedFile("big.xlsx", b"x" * (2 * 1024 * 1024 + 1)))
        assert caught.value.messages == ["The file is larger than 2 MB."]


# Uploads waiting for confirmation -----------------------------------------------------------------


def test_a_stored_upload_is_found_again_by_its_token(media):
    pending = pending_uploads.store_pending_upload(SimpleUploadedFile("t.xlsx", b"workbook bytes"))
    assert pending.path.parent == media / "imports"
    assert pending_uploads.pending_path(pending.token) == pending.path
    assert pending.path.read_bytes() == b"workbook bytes"


def test_each_upload_gets_its_own_token(media):
    first = pending_uploads.store_pending_upload(SimpleUploadedFile("a.xlsx", b"a"))
    second = pending_uploads.store_pending_upload(SimpleUploadedFile("b.xlsx", b"b"))
    assert first.token != second.token and first.path.read_bytes() == b"a"


def test_a_stale_pending_upload_is_removed_when_a_new_one_arrives(media):
    folder = pending_uploads.pending_dir()
    stale, fresh, other = folder / ("a" * 32 + ".xlsx"), folder / ("b" * 32 + ".xlsx"), folder / "keep.txt"
    for path in (stale, fresh, other):
        path.write_bytes(b"x")
    os.utime(stale, (0, 0))
    os.utime(other, (0, 0))
    pending_uploads.store_pending_upload(SimpleUploadedFile("new.xlsx", b"y"))
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # only old workbooks go
    assert pending_uploads.pending_path("a" * 32) is None


def test_forgetting_uploads_honours_the_age_it_is_given(media):
    path = pending_uploads.pending_dir() / ("c" * 32 + ".xlsx")
    path.write_bytes(b"x")
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime - 120))
    pending_uploads.forget_abandoned_uploads(max_age_seconds=3600)
    assert path.exists()
    pending_uploads.forget_abandoned_uploads(max_age_seconds=60)
    assert not path.exists()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "../../etc/passwd",
        "../" + "a" * 29,
        "A" * 32,
        "a" * 31,
        "a" * 33,
        "g" * 32,
        "a" * 32 + ".xlsx",
        "a" * 32 + "\n",
    ],
)
def test_a_token_that_is_not_ours_is_refused(media, token):
    # Even a file that exists under the name the token would make is not reachable through a bad token.
    (pending_uploads.pending_dir() / f"{token.replace('/', '_')}.xlsx").write_bytes(b"x")
    assert pending_uploads.pending_path(token) is None


def test_a_well_formed_token_without_a_file_is_refused(media):
    assert pending_uploads.pending_path("0" * 32) is None


def test_the_expired_message_is_translated():
    with translation.override("zh-hans"):
        assert str(pending_uploads.EXPIRED_MESSAGE) == "上传的文件已过期或已导入，请重新上传。"

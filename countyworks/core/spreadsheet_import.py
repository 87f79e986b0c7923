"""The Django side of importing an Excel table, shared by every importer of workbooks.

- `validate_xlsx_upload()`: an upload form's check of the file (an .xlsx name, the size limit);
- `read_workbook()`: open a workbook without trusting it; anything unreadable becomes the importer's
  own error rather than a 500;
- `RowProblem` and `SpreadsheetImportError`: the problems a person must fix, each with its Excel line
  number, carried by one error so that an import is all-or-nothing and names every bad row.

Each importer subclasses `SpreadsheetImportError` (plans' `TaskImportError`, indicators'
`FigureImportError`) and passes its class to `read_workbook()`, so its callers catch one error.
The pure reading of a sheet is in `core/sheet_reader.py`; the uploads that wait for a person to
confirm them are in `core/pending_uploads.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from countyworks.core.services import ServiceError
from countyworks.core.xlsx_bounds import WorkbookTooLarge, check_workbook_size


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A problem the user must fix, with the Excel line number (0 for the whole file)."""

    row: int
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class SpreadsheetImportError(ServiceError):
    """The table cannot be imported as it is; `problems` names each bad row."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems), field="file")


def read_workbook(
    source: str | IO[bytes], error: type[SpreadsheetImportError] = SpreadsheetImportError
) -> Workbook:
    """The workbook at `source` with cached values instead of formulas; `error` if it is not one, or
    if it asks for more cells than an import reads (checked before openpyxl builds any)."""
    refuse_oversized_workbook(source, error)
    try:
        return load_workbook(source, data_only=True)
    # Not only InvalidFileException: a damaged package raises BadZipFile, KeyError, ValueError,
    # XML errors and more from deep inside openpyxl, and every one of them means the same thing.
    except Exception as exc:
        raise error([RowProblem(0, _("The file is not an Excel workbook (.xlsx)."))]) from exc


def refuse_oversized_workbook(
    source: str | IO[bytes], error: type[SpreadsheetImportError] = SpreadsheetImportError
) -> None:
    """`error` naming the bound when the workbook holds too many cells or merged cells to import."""
    try:
        check_workbook_size(source)
    except WorkbookTooLarge as exc:
        messages = {
            "cells": _("The workbook holds more than %(limit)s cells; split it into smaller tables."),
            "merged": _(
                "The workbook's merged cells cover more than %(limit)s cells; unmerge the ranges "
                "that run past the table."
            ),
            "unpacked": _("The workbook unpacks to more than %(limit)s MB; it cannot be an import table."),
        }
        limit = exc.limit // (1024 * 1024) if exc.reason == "unpacked" else exc.limit
        raise error([RowProblem(0, messages[exc.reason] % {"limit": f"{limit:,}"})]) from exc


def validate_xlsx_upload(upload: UploadedFile) -> UploadedFile:
    """An upload form's `clean_file`: an .xlsx name within UPLOAD_MAX_BYTES, else a ValidationError."""
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    return upload

"""Issue 14, point 4: a small workbook that asks openpyxl for millions of cells is refused first.

The probe's file: 5 KB, one merged range J3:Z60000 (1 M cells), 38 s and 343 MB to open. Each import
(task table, figure table, ledger round trip) now reads the package's XML before openpyxl does."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from countyworks.core import xlsx_bounds
from countyworks.core.spreadsheet_import import SpreadsheetImportError, read_workbook


def _with_merged_range(ref: str) -> bytes:
    """A workbook whose sheet declares the merged range `ref` (written into the XML, so that the test
    itself never builds the million cells)."""
    book = Workbook()
    book.active.append(["任务", "责任单位"])
    book.active.merge_cells("J3:K4")
    buffer = io.BytesIO()
    book.save(buffer)
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(patched, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b'ref="J3:K4"', f'ref="{ref}"'.encode())
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return patched.getvalue()


def test_the_probes_merged_range_is_refused_before_openpyxl_reads_it():
    bomb = _with_merged_range("J3:Z60000")
    assert len(bomb) < 10_000
    with pytest.raises(xlsx_bounds.WorkbookTooLarge) as caught:
        xlsx_bounds.check_workbook_size(io.BytesIO(bomb))
    assert caught.value.reason == "merged" and caught.value.count == 17 * 59998
    with pytest.raises(SpreadsheetImportError) as caught:
        read_workbook(io.BytesIO(bomb))
    assert "合并" in str(caught.value) or "merged" in str(caught.value)


def test_an_ordinary_table_passes_and_the_file_is_rewound():
    source = io.BytesIO(_with_merged_range("A1:D1"))
    xlsx_bounds.check_workbook_size(source)
    assert source.tell() == 0
    assert read_workbook(source).active["A1"].value == "任务"


def test_too_many_cells_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx_bounds, "MAX_CELLS", 1)
    with pytest.raises(xlsx_bounds.WorkbookTooLarge) as caught:
        xlsx_bounds.check_workbook_size(io.BytesIO(_with_merged_range("A1:B1")))
    assert caught.value.reason == "cells"


def test_a_file_that_is_not_a_package_is_left_to_openpyxl():
    xlsx_bounds.check_workbook_size(io.BytesIO(b"not a zip"))
    with pytest.raises(SpreadsheetImportError):
        read_workbook(io.BytesIO(b"not a zip"))


def test_every_import_refuses_the_probes_file(cast):
    from countyworks.indicators import importer as figures
    from countyworks.plans import importer as tasks
    from countyworks.supervision import roundtrip

    bomb = _with_merged_range("J3:Z60000")
    with pytest.raises(tasks.TaskImportError):
        tasks.preview_import(cast.plan, io.BytesIO(bomb))
    with pytest.raises(figures.FigureImportError):
        figures.preview_import(cast.supervisor, cast.county, io.BytesIO(bomb))
    with pytest.raises(roundtrip.RoundTripError) as caught:
        roundtrip.preview_round_trip(cast.supervisor, cast.plan, io.BytesIO(bomb))
    assert "合并" in str(caught.value) or "merged" in str(caught.value)

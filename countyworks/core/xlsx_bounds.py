"""How much work a workbook asks for, read from its package before openpyxl parses it (no Django).

openpyxl builds one object per cell, and one per cell of every merged range: a 5 KB file holding
the single merged range J3:Z60000 took 38 s and 343 MB to open. So an import first streams each
worksheet's XML, counting cells and merged cells, and refuses the file when either passes its bound
(or when the package unpacks to more than a workbook of that size could hold).
"""

from __future__ import annotations

import zipfile
from typing import IO
from xml.etree.ElementTree import iterparse

from openpyxl.utils.cell import range_boundaries

MAX_CELLS = 1_000_000  # a 10,000-row ledger of 14 columns is 140,000
MAX_MERGED_CELLS = 100_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class WorkbookTooLarge(Exception):
    """`reason` is "cells", "merged" or "unpacked"; `count` what was found, `limit` the bound."""

    def __init__(self, reason: str, count: int, limit: int) -> None:
        super().__init__(reason, count, limit)
        self.reason, self.count, self.limit = reason, count, limit


def check_workbook_size(source: str | IO[bytes]) -> None:
    """Raise WorkbookTooLarge when the workbook at `source` asks for too much; a file that is not a
    zip package is left for openpyxl to refuse in its own words. A file object is rewound."""
    try:
        package = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    try:
        sheets = [
            info
            for info in package.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        ]
        unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise WorkbookTooLarge("unpacked", unpacked, MAX_UNPACKED_BYTES)
        cells = merged = 0
        for info in sheets:
            with package.open(info) as xml:
                for _event, element in iterparse(xml):
                    if element.tag == f"{_MAIN}c":
                        cells += 1
                        if cells > MAX_CELLS:
                            raise WorkbookTooLarge("cells", cells, MAX_CELLS)
                    elif element.tag == f"{_MAIN}mergeCell":
                        merged += _area(element.get("ref", ""))
                        if merged > MAX_MERGED_CELLS:
                            raise WorkbookTooLarge("merged", merged, MAX_MERGED_CELLS)
                    element.clear()
    except WorkbookTooLarge:
        raise
    except Exception:  # noqa: BLE001 — a damaged package: openpyxl refuses it in its own words
        return
    finally:
        package.close()
        if hasattr(source, "seek"):
            source.seek(0)


def _area(ref: str) -> int:
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0
    if None in (min_col, min_row, max_col, max_row):
        return 0
    return (max_col - min_col + 1) * (max_row - min_row + 1)

"""Figure tables pasted as text: one mention per cell, with the unit the column's header gives.

A table is a run of lines whose cells are separated by `|` (as a markdown table or a PDF copied out)
or by tabs. The first row is the header; a header cell names its column and its unit in brackets
(产量(万吨), 增速（%）), and a line 单位：亿元 just above the table gives the unit of columns without one.
Separator rows (| --- |) are skipped. In every other row the first cell names the row (蔬 菜 → 蔬菜)
and each cell holding a bare number (31.2, -2.6) is a mention: the header's scale applies (31.2 in a
万吨 column is 312000 吨), a column of changes (增速, 增长, 比上年±) is a growth, and the subject is the
row's name with the column's (蔬菜产量). A cell without a number, or in a column whose header gives no
unit, is not read here; a cell with its own unit written (356.2亿元) is left to the ordinary reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import units as U
from .numerals import SCALES

_SCALES_LONGEST_FIRST = sorted(SCALES.items(), key=lambda kv: len(kv[0]), reverse=True)

_ROW_RE = re.compile(r"^[ \t\u3000]*(?:\|.*\|[ \t\u3000]*|[^\t\n]+(?:\t[^\t\n]*)+)$", re.M)
_SEPARATOR_CELL_RE = re.compile(r"^:?-{2,}:?$")
_NUMBER_CELL_RE = re.compile(r"^(?P<num>[-−－+]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)$")
_HEADER_RE = re.compile(r"^(?P<name>.*?)[（(](?P<unit>[^（）()]{1,12})[）)]$")
_UNIT_LINE_RE = re.compile(r"单位[:：]\s*(?P<unit>[^\s，。；]{1,12})\s*$")
_CHANGE_HEADER_RE = re.compile(r"增速|增长|增幅|涨幅|比上年|同比|比去年|较上年|增减|[±]")
_FALL_HEADER_RE = re.compile(r"^(?:比上年|同比)?(?:下降|减少)")
# Column names that say only how a figure is given, not what it measures.
_GENERIC_RE = re.compile(r"^(?:比上年|同比|较上年|比去年)?(?:增速|增长|增幅|涨幅|增减|±)?(?:率)?$")
_SPACE_RE = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    unit: str
    kind: str
    scale: float


@dataclass(frozen=True, slots=True)
class Cell:
    """A figure read from a table cell; offsets are in the text the table was found in."""

    start: int
    end: int
    value: float
    unit: str
    kind: str
    subject: str


@dataclass(frozen=True, slots=True)
class Table:
    start: int
    end: int
    cells: list[Cell]
    # every cell of the data rows, read or not: at most one mention may fall in each
    spans: list[tuple[int, int]]


def unit_of(written: str) -> tuple[str, str, float] | None:
    """(unit, kind, scale) of a unit as a header writes it: 万吨 → (吨, measure, 1e4); None if unknown."""
    written = written.strip().replace("％", "%")
    if written in U.UNITS:
        unit, kind = U.unit_kind(written)
        return unit, kind, 1.0
    for scale, factor in _SCALES_LONGEST_FIRST:
        rest = written[len(scale) :]
        if written.startswith(scale) and rest in U.UNITS:
            unit, kind = U.unit_kind(rest)
            return unit, kind, factor
    return None


def _column(header: str, default: tuple[str, str, float] | None) -> Column | None:
    header = _SPACE_RE.sub("", header)
    m = _HEADER_RE.match(header)
    name, written = (m.group("name"), m.group("unit")) if m else (header, "")
    read = unit_of(written) if written else default
    if read is None:
        return None
    unit, kind, scale = read
    if kind == U.PERCENT and _CHANGE_HEADER_RE.search(name):
        kind = U.GROWTH
    return Column(name, unit, kind, scale)


def _cells(line: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of each cell of a row."""
    sep = "|" if line.lstrip().startswith("|") else "\t"
    out = []
    pos = 0
    parts = line.split(sep)
    if sep == "|":
        # | a | b |: the text before the first bar and after the last one is not a cell
        first = line.index("|")
        pos = first + 1
        parts = line[first + 1 :].rstrip().removesuffix("|").split("|")
    for part in parts:
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        out.append((offset + pos + lead, offset + pos + lead + len(text), text))
        pos += len(part) + 1
    return out


def find_tables(text: str) -> list[Table]:
    tables: list[Table] = []
    rows: list[re.Match[str]] = []

    def flush() -> None:
        if len(rows) >= 2:
            table = _read_table(text, rows)
            if table is not None:
                tables.append(table)
        rows.clear()

    for m in _ROW_RE.finditer(text):
        if rows and text[rows[-1].end() : m.start()].strip():
            flush()
        if rows and text.count("\n", rows[-1].end(), m.start()) > 1:
            flush()  # a blank line ends a table
        rows.append(m)
    flush()
    return tables


def _read_table(text: str, rows: list[re.Match[str]]) -> Table | None:
    header = _cells(rows[0].group(), rows[0].start())
    before = text[max(0, text.rfind("\n", 0, max(0, rows[0].start() - 1)) + 1) : rows[0].start()]
    unit_line = _UNIT_LINE_RE.search(before.strip())
    default = unit_of(unit_line.group("unit")) if unit_line else None
    columns = [_column(h[2], default) for h in header]
    if not any(columns[1:]):
        return None  # no column gives a unit: prose that happens to hold tabs or bars, not a figure table
    cells: list[Cell] = []
    spans: list[tuple[int, int]] = []
    for row in rows[1:]:
        parts = _cells(row.group(), row.start())
        if all(_SEPARATOR_CELL_RE.match(p[2]) or not p[2] for p in parts):
            continue
        label = _SPACE_RE.sub("", parts[0][2]) if parts else ""
        spans.extend((s, e) for s, e, _ in parts)
        named = ""  # the nearest column to the left that names a measure (产量), for a change column
        for i, (start, end, cell) in enumerate(parts):
            column = columns[i] if i < len(columns) else None
            if column is not None and not _GENERIC_RE.match(column.name):
                named = column.name
            if i == 0 or column is None:
                continue
            m = _NUMBER_CELL_RE.match(cell)
            if m is None:
                continue
            value = float(m.group("num").replace(",", "").replace("−", "-").replace("－", "-"))
            if column.kind == U.GROWTH and _FALL_HEADER_RE.match(column.name):
                value = -value
            own = "" if _GENERIC_RE.match(column.name) else column.name
            subject = label + (own or named)
            scaled = round(value * column.scale, 6)
            cells.append(Cell(start, end, scaled, column.unit, column.kind, subject or label))
    if not spans:
        return None
    return Table(rows[0].start(), rows[-1].end(), cells, spans)

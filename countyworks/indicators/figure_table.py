"""The indicator figure table (指标数据表): reading a clerk's workbook and writing its blank template.

Pure Python on openpyxl (no Django), the counterpart of `plans/task_table.py`; both read their
sheet through `core/sheet_reader.py` (merged cells, title rows above the header, blank lines).
`read_figure_table()` turns a workbook into `FigureRow`s and `CellProblem`s; `indicators/importer.py`
matches indicators and regions and writes through `indicators.services`. Problems carry a code,
so the Django side says them in the user's language.

Also here: the words a clerk writes for a qualifier (近, 超, 突破, 余 …) and a value kind (增速, 倍数),
shared by the services, the forms and the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from countyworks.core.sheet_reader import (
    CellProblem,
    FoundTable,
    cell_value,
    find_table,
    normalise_header,
)
from countyworks.core.xlsx import blank_import_workbook, keep_row_literal
from countyworks.textread.numerals import normalize_digits

# Qualifier words → Qualifier codes (indicators.models.Qualifier). 超/突破/余/多 are one qualifier,
# "over"; the screens write it back as 超 unless a cited quote says otherwise.
QUALIFIER_WORDS: dict[str, str] = {
    "精确": "exact",
    "准确": "exact",
    "约": "approx",
    "大约": "approx",
    "近": "nearly",
    "接近": "nearly",
    "将近": "nearly",
    "超": "over",
    "超过": "over",
    "突破": "over",
    "余": "over",
    "多": "over",
    "以上": "at_least",
    "不低于": "at_least",
    "至少": "at_least",
    "不足": "under",
    "以下": "under",
    "不到": "under",
}
QUALIFIER_CODES = frozenset(("exact", "approx", "nearly", "over", "at_least", "under"))
KIND_WORDS: dict[str, str] = {
    "水平": "level",
    "总量": "level",
    "数值": "level",
    "增速": "growth",
    "增长": "growth",
    "增长率": "growth",
    "倍数": "multiple",
    "倍": "multiple",
}
KIND_CODES = frozenset(("level", "growth", "multiple"))
YES_WORDS = frozenset(("是", "公开", "已公开", "y", "yes", "true", "1", "√", "✓"))
NO_WORDS = frozenset(("否", "不公开", "n", "no", "false", "0", "×", ""))

# Written in front of a number (近25) or after it (28余, 1.2以上), when the qualifier column is blank.
_LEADING_WORDS = ("突破", "超过", "接近", "将近", "大约", "不足", "不到", "至少", "不低于", "近", "超", "约")
_TRAILING_WORDS = ("以上", "以下", "余", "多")

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("指标", "指标名称", "指标代码", "指标名称或代码"),
    "region": ("地区代码", "地区", "区划代码", "行政区划代码"),
    "year": ("年份", "年度", "年"),
    "quarter": ("季度",),
    "month": ("月份", "月"),
    "kind": ("数值类型", "类型"),
    "value": ("数值", "值", "数据", "指标值"),
    "unit": ("单位", "计量单位"),
    "qualifier": ("限定词", "修饰词", "约数词"),
    "base_year": ("基期年份", "基期", "比较基期"),
    "published": ("公开", "是否公开"),
    "note": ("备注", "说明"),
}
COLUMNS = (
    "指标",
    "地区代码",
    "年份",
    "季度",
    "月份",
    "数值类型",
    "数值",
    "单位",
    "限定词",
    "基期年份",
    "公开",
    "备注",
)
EXAMPLE_MARK = "（示例）"


def qualifier_code(value: Any) -> str | None:
    """A Qualifier code from a code or a Chinese word; None when neither."""
    text = re.sub(r"\s+", "", str(value or "")).lower()
    if not text:
        return "exact"
    if text in QUALIFIER_CODES:
        return text
    return QUALIFIER_WORDS.get(text)


def kind_code(value: Any) -> str | None:
    text = re.sub(r"\s+", "", str(value or "")).lower()
    if not text:
        return "level"
    if text in KIND_CODES:
        return text
    return KIND_WORDS.get(text)


def split_qualified(value: Any) -> tuple[Any, str]:
    """(number part, qualifier word) of a cell such as 近25 or 28余; numbers pass through untouched."""
    if not isinstance(value, str):
        return value, ""
    text = normalize_digits(value).strip()
    for word in _LEADING_WORDS:
        if text.startswith(word):
            return text[len(word) :].strip(), word
    for word in _TRAILING_WORDS:
        if text.endswith(word):
            return text[: -len(word)].strip(), word
    return text, ""


def parse_number(value: Any) -> Decimal:
    """A cell's number; ValueError when it is none. Excel floats go through their shortest text."""
    if value is None or isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = normalize_digits(str(value)).strip().replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(str(value))
    # Far beyond any figure (and beyond the decimal context: 1e1000000 * 100 overflows).
    if not number.is_zero() and abs(number.adjusted()) > 30:
        raise ValueError(str(value))
    return number


def parse_whole(value: Any) -> int | None:
    """A year, quarter or month: None when blank; ValueError when not a whole number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = normalize_digits(value).strip().removesuffix("年").removesuffix("月").removesuffix("季度")
        value = value.removeprefix("第").upper().removeprefix("Q")
    number = parse_number(value)
    if number != number.to_integral_value():
        raise ValueError(str(value))
    return int(number)


def parse_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = re.sub(r"\s+", "", str(value if value is not None else "")).lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ValueError(text)


@dataclass(slots=True)
class FigureRow:
    row: int  # the Excel line number, as the user sees it
    indicator: str
    region: str
    year: int | None
    quarter: int | None
    month: int | None
    kind: str
    value: Decimal
    unit: str
    qualifier: str
    base_year: int | None
    published: bool
    note: str


@dataclass(slots=True)
class ParsedFigures:
    sheet: str = ""
    header_row: int = 0
    rows: list[FigureRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def read_figure_table(workbook: Workbook) -> ParsedFigures:
    """Read the first sheet whose header names both 指标 and 数值 (the active sheet first)."""
    found = find_table(workbook, HEADER_ALIASES, required=("indicator", "value"))
    if found is None:
        return ParsedFigures(problems=[CellProblem(0, "", "no_header")])
    return _read_rows(found)


def _read_rows(found: FoundTable) -> ParsedFigures:
    values, skipped, columns = found.grid.values, found.grid.skipped, found.columns
    formats = found.grid.formats
    table = ParsedFigures(sheet=found.sheet, header_row=found.header_row)
    for index in range(found.header_index + 1, len(values)):
        line = index + 1
        cells = values[index]
        if line in skipped:
            continue
        indicator = str(cell_value(cells, columns, "indicator") or "").strip()
        if normalise_header(indicator) in HEADER_ALIASES["indicator"]:
            continue  # the header repeated on a later printed page
        if indicator.startswith(EXAMPLE_MARK):
            continue  # the template's example rows, left in by the user
        if not indicator:
            table.problems.append(CellProblem(line, "指标", "no_indicator"))
            continue
        before = len(table.problems)

        def problem(column: str, code: str, value: Any, line: int = line) -> None:
            table.problems.append(CellProblem(line, column, code, str(value)[:40]))

        raw_value, word = split_qualified(cell_value(cells, columns, "value"))
        value = Decimal(0)
        if raw_value in (None, ""):
            problem("数值", "no_value", "")
        else:
            try:
                value = parse_number(raw_value)
            except ValueError:
                problem("数值", "bad_number", cell_value(cells, columns, "value"))
            else:
                # Typing 5.2% in Excel stores 0.052 with a percent format: the clerk means 5.2 (%).
                number_format = cell_value(formats[index], columns, "value")
                if not isinstance(raw_value, str) and "%" in str(number_format or ""):
                    value = value * 100
        whole: dict[str, int | None] = {}
        for name, column in (
            ("year", "年份"),
            ("quarter", "季度"),
            ("month", "月份"),
            ("base_year", "基期年份"),
        ):
            try:
                whole[name] = parse_whole(cell_value(cells, columns, name))
                if name == "year" and whole[name] is None:
                    problem(column, "no_year", "")
            except ValueError:
                whole[name] = None
                problem(column, "bad_whole", cell_value(cells, columns, name))
        kind = kind_code(cell_value(cells, columns, "kind"))
        if kind is None:
            problem("数值类型", "bad_kind", cell_value(cells, columns, "kind"))
        written = cell_value(cells, columns, "qualifier")
        qualifier = qualifier_code(written if written not in (None, "") else word)
        if qualifier is None:
            problem("限定词", "bad_qualifier", written)
        try:
            published = parse_flag(cell_value(cells, columns, "published"))
        except ValueError:
            published = False
            problem("公开", "bad_flag", cell_value(cells, columns, "published"))
        note = str(cell_value(cells, columns, "note") or "")
        if len(note) > 300:
            problem("备注", "too_long", note[:20])
        if len(table.problems) > before:
            continue
        region = cell_value(cells, columns, "region")
        table.rows.append(
            FigureRow(
                row=line,
                indicator=indicator,
                region=str(int(region) if isinstance(region, float) else region or "").strip(),
                year=whole["year"],
                quarter=whole["quarter"],
                month=whole["month"],
                kind=kind or "level",
                value=value,
                unit=str(cell_value(cells, columns, "unit") or "").strip(),
                qualifier=qualifier or "exact",
                base_year=whole["base_year"],
                published=published,
                note=note,
            )
        )
    return table


# The blank template ---------------------------------------------------------------------------

TEMPLATE_EXAMPLES = (
    ("（示例）地区生产总值", "", 2023, "", "", "水平", 98.6, "亿元", "近", "", "否", ""),
    ("（示例）地区生产总值", "", 2023, "", "", "增速", 5.2, "%", "", 2022, "否", "较上年"),
    ("（示例）接待游客", "", 2023, 3, "", "水平", 120, "万人次", "超", "", "是", ""),
)
TEMPLATE_NOTES = (
    ("用途", "本表用于批量录入指标数值，每行一个数值。"),
    ("表头", "表头须包含“指标”和“数值”；表头上方可保留标题行，表头不必在第一行。"),
    ("指标", "填写指标名称或指标代码，须为系统中已有的指标（见“指标清单”工作表）。"),
    ("地区代码", "六位或更长的行政区划代码；留空时为上传时选择的地区。"),
    ("年份、季度、月份", "年份必填；季度填 1—4，月份填 1—12，年度数值两者都留空。不能填写尚未开始的期间。"),
    (
        "数值类型",
        "水平（留空即为水平）、增速（单位为 %）、倍数（单位为 倍）。增速和倍数为材料中写明的比较，系统自行计算的增速不必填写。",
    ),
    ("数值", "只填数字，如 98.6；可在数字前写“近”“超”“约”“突破”，或在数字后写“余”“以上”。"),
    ("单位", "须与指标的单位一致；同一单位的万、亿可以换算（如指标为 万元 时可填 亿元）。留空为指标的单位。"),
    ("限定词", "精确、约、近、超、突破、余、以上、不足；留空为精确。"),
    ("基期年份", "增速或倍数所比较的年份，须早于数值的年份；水平数值不填。"),
    ("公开", "是 或 否；留空为否。公开的数值显示在公开门户上。"),
    ("重复", "同一指标、地区、期间和数值类型已有数值的，不会重复导入，请在页面上修改原数值。"),
    ("全部或不导入", "任何一行有错误时，整张表都不会导入，并提示出错的行号和原因。"),
)


def build_template(indicators: list[tuple[str, str, str]], year: int) -> Workbook:
    """The blank figure table: a title row, the header, examples, 说明, and the indicators to choose from.

    `indicators` are (code, name, unit) triples, listed on their own sheet so a clerk copies a name.
    """
    workbook = blank_import_workbook(
        sheet_title="指标数据表",
        title=f"××县{year}年指标数据表",
        headers=COLUMNS,
        examples=TEMPLATE_EXAMPLES,
        widths=(30, 12, 8, 6, 6, 10, 14, 10, 8, 10, 6, 24),
        notes=TEMPLATE_NOTES,
        notes_key_width=16,
    )
    listing = workbook.create_sheet("指标清单")
    listing.append(["指标代码", "指标名称", "单位"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for row in indicators:
        # Indicator names come from read documents: literal text, never a formula.
        listing.append(list(row))
        keep_row_literal(listing, listing.max_row)
    for letter, width in zip("ABC", (28, 40, 10), strict=True):
        listing.column_dimensions[letter].width = width
    return workbook

"""The county task table (任务分解表): reading it tolerantly and writing the blank template.

Pure Python on openpyxl (no Django): `read_task_table()` turns a workbook into `TableRow`s and
`CellProblem`s; `plans/importer.py` matches names to records and writes through the services.
Problems carry a code rather than a sentence so the Django side can say them in the user's language.
The grid reading shared with the indicator figure table is in `core/sheet_reader.py`.

What the reader tolerates, because county tables are typed by hand:
- title rows above the header and a header that is not on line 1 (the first row naming both the
  task and the responsible unit is the header; a repeated header further down is skipped);
- merged cells: a value merged over several rows (a group's 牵头县领导 or 责任单位) applies to
  every row it spans; a row merged across the table is a section title or a note and is skipped;
- blank lines, and section rows (一、产业转型 with nothing else filled in);
- several leaders or units in one cell, separated by 、，, ；; / or line breaks;
- dates as 2023年12月底, 2023.12.31, 2023-12, 12月底 (the plan's year), 年底, 上半年, 三季度末 and
  real Excel dates; 长期 / 持续推进 mean no due date;
- progress as 60%, 0.6, a cell formatted as a percentage, 60, 六成, 百分之六十 or 已完成.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils.datetime import from_excel

from countyworks.core.sheet_reader import CellProblem, FoundTable, cell_value, find_table, normalise_header
from countyworks.core.xlsx import blank_import_workbook
from countyworks.plans.cadence import month_end, parse_cadence
from countyworks.textread.numerals import normalize_digits, parse_number

# The columns of the usual layout, in order; 类型 is optional and comes last in our template.
COLUMNS = ("序号", "任务内容", "牵头县领导", "责任单位", "配合单位", "完成时限", "进度", "状态")
OPTIONAL_COLUMNS = ("类型", "报送频次")

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号"),
    "title": ("任务内容", "工作任务", "重点任务", "工作内容", "任务名称", "项目名称", "任务"),
    "leaders": ("牵头县领导", "牵头领导", "责任县领导", "责任领导", "包联县领导", "分管县领导"),
    "units": ("责任单位", "牵头单位", "责任部门", "牵头部门"),
    "co_units": ("配合单位", "协办单位", "配合部门"),
    "due": ("完成时限", "时限", "完成时间", "时间节点"),
    "progress": ("进度", "完成进度", "完成比例"),
    "status": ("状态", "进展状态", "完成状态"),
    "kind": ("类型", "任务类型", "类别"),
    "cadence": ("报送频次", "报送周期", "报送频率", "调度频次"),
}
EXAMPLE_MARK = "（示例）"

STATUS_WORDS: dict[str, str] = {
    "未开始": "not_started",
    "未启动": "not_started",
    "待启动": "not_started",
    "推进中": "in_progress",
    "进行中": "in_progress",
    "正在推进": "in_progress",
    "正在进行": "in_progress",
    "在建": "in_progress",
    "已启动": "in_progress",
    "序时推进": "in_progress",
    "已完成": "completed",
    "完成": "completed",
    "已销号": "completed",
    "已竣工": "completed",
    "暂停": "suspended",
    "暂缓": "suspended",
    "缓建": "suspended",
    "已取消": "cancelled",
    "取消": "cancelled",
}
KIND_WORDS: dict[str, str] = {
    "重点项目": "key_project",
    "项目": "key_project",
    "民生实事": "livelihood",
    "民生": "livelihood",
    "整改事项": "rectification",
    "问题整改": "rectification",
    "整改": "rectification",
    "调研课题": "research",
    "课题": "research",
    "专项行动": "campaign",
    "攻坚行动": "campaign",
    "重点工作": "routine",
    "常规工作": "routine",
    "日常工作": "routine",
}
KIND_CODES = frozenset(KIND_WORDS.values())
STATUS_CODES = frozenset(STATUS_WORDS.values())

NO_DUE_WORDS = ("长期", "持续", "常态", "经常性", "全年持续")
_NAME_SEPARATORS = re.compile(r"[、，,；;/／\n\r\t ]+|\s+")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_SECTION = re.compile(
    r"^[一二三四五六七八九十]+[、.．]|^[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+$"
)
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_MONTH |= {"十一": 11, "十二": 12, "正": 1, "元": 1}
_QUARTER = re.compile(r"^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?(?:前)?$")
_YEAR_ONLY = re.compile(r"^(\d{4})年?(?:度)?$")
_HALF = re.compile(r"^(?:(\d{4})年)?([上下])半年(?:末|底)?(?:前)?$")
_YEAR_END = re.compile(r"^(?:(\d{4})年?)?(?:年)?(?:底|末|内|前|全年|年底|年末|年内)(?:前|以前|之前)?$")
_FULL = re.compile(
    r"(?:(\d{4})\s*[年.\-/])?\s*(\d{1,2}|十[一二]?|[一二三四五六七八九正元])\s*(?:月|[.\-/])?\s*"
    r"(?:(\d{1,2})\s*[日号]?)?\s*(底|末|中旬|上旬|下旬|初)?(?:前|以前|之前)?"
)


@dataclass(slots=True)
class TableRow:
    row: int  # the Excel line number, as the user sees it
    number: str
    title: str
    leaders: list[str]
    units: list[str]
    co_units: list[str]
    due_date: date | None
    progress: Decimal | None
    status: str | None
    kind: str | None
    cadence: str | None = None  # 报送频次 (plans/cadence.py); None: the plan's cycle decides


@dataclass(slots=True)
class ParsedTable:
    sheet: str = ""
    header_row: int = 0
    rows: list[TableRow] = field(default_factory=list)
    # Codes: no_header, no_title, bad_date, bad_progress, bad_status, bad_kind, bad_cadence, too_long.
    problems: list[CellProblem] = field(default_factory=list)


def split_names(text: Any) -> list[str]:
    """Names in one cell, in order, without duplicates, brackets (职务) or a trailing 等."""
    names: list[str] = []
    for part in _NAME_SEPARATORS.split(str(text or "")):
        name = _BRACKETS.sub("", part).strip().removesuffix("等")
        if name and name not in names:
            names.append(name)
    return names


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_MONTH[text]


def _date_from_match(m: re.Match[str], plan_year: int) -> date:
    year = int(m.group(1)) if m.group(1) else plan_year
    month = _month_number(m.group(2))
    if not 1 <= month <= 12:
        raise ValueError(m.group(0))
    if m.group(3):
        return date(year, month, int(m.group(3)))
    if m.group(4) == "上旬":
        return date(year, month, 10)
    if m.group(4) == "中旬":
        return date(year, month, 20)
    if m.group(4) == "初":
        return date(year, month, 5)
    return month_end(year, month)


def parse_due(value: Any, plan_year: int) -> date | None:
    """A due date from whatever a county wrote; None for blank or open-ended; ValueError if unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial date in a cell not formatted as a date
            return from_excel(value).date()
        raise ValueError(str(value))
    text = normalize_digits(str(value)).strip().replace(" ", "")
    text = text.removeprefix("截至").removeprefix("截止").removeprefix("于")
    if not text or text in ("-", "—", "/", "无"):
        return None
    if any(word in text for word in NO_DUE_WORDS):
        return None
    if m := _YEAR_ONLY.match(text):
        return date(int(m.group(1)), 12, 31)
    if m := _YEAR_END.match(text):
        return date(int(m.group(1)) if m.group(1) else plan_year, 12, 31)
    if m := _QUARTER.match(text):
        quarter = int(m.group(2)) if m.group(2).isdigit() else _CN_MONTH[m.group(2)]
        return month_end(int(m.group(1)) if m.group(1) else plan_year, quarter * 3)
    if m := _HALF.match(text):
        year = int(m.group(1)) if m.group(1) else plan_year
        return date(year, 6, 30) if m.group(2) == "上" else date(year, 12, 31)
    if m := _FULL.fullmatch(text):
        return _date_from_match(m, plan_year)
    # "6月底前开工，12月底前完工": several dates; the item is due at the last one.
    found = []
    for m in _FULL.finditer(text):
        if m.group(0) and ("月" in m.group(0) or m.group(1)):
            found.append(_date_from_match(m, plan_year))
    if found:
        return max(found)
    raise ValueError(text)


def parse_progress(value: Any, number_format: str = "General") -> Decimal | None:
    """Progress in percentage points (0-100); None when blank; ValueError if unreadable or out of range."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        points = Decimal(str(value))
        # A percentage-formatted cell stores 0.6 for 60%; so does anyone who types a fraction.
        if "%" in (number_format or "") or (isinstance(value, float) and 0 < value < 1):
            points *= 100
    else:
        text = normalize_digits(str(value)).strip().replace(" ", "").replace("％", "%")
        if text in ("已完成", "完成", "全部完成", "已竣工"):
            points = Decimal(100)
        elif text in ("未开始", "未启动"):
            points = Decimal(0)
        elif m := re.fullmatch(r"(.+)成", text):
            tenths = parse_number(m.group(1))
            if tenths is None:
                raise ValueError(text)
            points = Decimal(str(tenths)) * 10
        elif text.startswith("百分之"):
            number = parse_number(text.removeprefix("百分之"))
            if number is None:
                raise ValueError(text)
            points = Decimal(str(number))
        else:
            percent = text.endswith("%")
            try:
                points = Decimal(text.rstrip("%"))
            except InvalidOperation as exc:
                raise ValueError(text) from exc
            if not percent and 0 < points < 1:
                points *= 100
    if not points.is_finite() or points < 0 or points > 100:
        raise ValueError(str(value))
    return points.quantize(Decimal("0.01"))


def parse_status(value: Any) -> str | None:
    text = re.sub(r"\s+", "", str(value or ""))
    if not text:
        return None
    if text in STATUS_CODES:
        return text
    if text in STATUS_WORDS:
        return STATUS_WORDS[text]
    raise ValueError(text)


def parse_kind(value: Any) -> str | None:
    text = re.sub(r"\s+", "", str(value or ""))
    if not text:
        return None
    if text in KIND_CODES:
        return text
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    raise ValueError(text)


def read_task_table(workbook: Workbook, plan_year: int) -> ParsedTable:
    """Read the first sheet that has a task-table header (the active sheet first)."""
    found = find_table(workbook, HEADER_ALIASES, required=("title", "units"))
    if found is None:
        return ParsedTable(problems=[CellProblem(0, "", "no_header")])
    return _read_rows(found, plan_year)


def _read_rows(found: FoundTable, plan_year: int) -> ParsedTable:
    values, formats, skipped = found.grid
    columns = found.columns
    table = ParsedTable(sheet=found.sheet, header_row=found.header_row)
    for index in range(found.header_index + 1, len(values)):
        line = index + 1
        cells = values[index]
        if line in skipped:
            continue
        if normalise_header(cell_value(cells, columns, "title")) in HEADER_ALIASES["title"]:
            continue  # the header repeated on a later printed page
        number = str(cell_value(cells, columns, "number") or "").strip()
        title = str(cell_value(cells, columns, "title") or "").strip()
        units = split_names(cell_value(cells, columns, "units"))
        leaders = split_names(cell_value(cells, columns, "leaders"))
        due_value = cell_value(cells, columns, "due")
        if (
            not units
            and not leaders
            and due_value in (None, "")
            and (_SECTION.match(title) or _SECTION.match(number))
        ):
            continue  # a section heading such as 一、产业转型
        if title.startswith(EXAMPLE_MARK):
            continue  # the template's example rows, left in by the user
        if not title:
            table.problems.append(CellProblem(line, "任务内容", "no_title"))
            continue
        if len(title) > 300:
            table.problems.append(CellProblem(line, "任务内容", "too_long", title[:20]))
            continue
        problems_before = len(table.problems)
        due = progress = status = kind = None
        try:
            due = parse_due(due_value, plan_year)
        except (ValueError, KeyError):
            table.problems.append(CellProblem(line, "完成时限", "bad_date", str(due_value)))
        progress_index = columns.get("progress")
        try:
            progress = parse_progress(
                cell_value(cells, columns, "progress"),
                formats[index][progress_index] if progress_index is not None else "General",
            )
        except ValueError:
            table.problems.append(
                CellProblem(line, "进度", "bad_progress", str(cell_value(cells, columns, "progress")))
            )
        try:
            status = parse_status(cell_value(cells, columns, "status"))
        except ValueError:
            table.problems.append(
                CellProblem(line, "状态", "bad_status", str(cell_value(cells, columns, "status")))
            )
        try:
            kind = parse_kind(cell_value(cells, columns, "kind"))
        except ValueError:
            table.problems.append(
                CellProblem(line, "类型", "bad_kind", str(cell_value(cells, columns, "kind")))
            )
        report_cadence = None
        try:
            report_cadence = parse_cadence(cell_value(cells, columns, "cadence"))
        except ValueError:
            table.problems.append(
                CellProblem(line, "报送频次", "bad_cadence", str(cell_value(cells, columns, "cadence")))
            )
        if len(table.problems) > problems_before:
            continue
        table.rows.append(
            TableRow(
                row=line,
                number=number[:20],
                title=title,
                leaders=leaders,
                units=units,
                co_units=[
                    name for name in split_names(cell_value(cells, columns, "co_units")) if name not in units
                ],
                due_date=due,
                progress=progress,
                status=status,
                kind=kind,
                cadence=report_cadence,
            )
        )
    return table


# The blank template ---------------------------------------------------------------------------

TEMPLATE_EXAMPLES = (
    (
        "1",
        "（示例）完成某某道路提质改造工程",
        "某某",
        "县交通运输局",
        "县财政局、某某镇",
        "2023年12月底",
        "60%",
        "推进中",
        "重点项目",
        "每月",
    ),
    (
        "2",
        "（示例）新建改造城乡公厕若干座",
        "某某",
        "县住房和城乡建设局",
        "各乡镇",
        "2023.10.31",
        "0%",
        "未开始",
        "民生实事",
        "每季度",
    ),
)
TEMPLATE_NOTES = (
    ("用途", "本表用于导入年度重点工作任务分解表，每行一项任务。"),
    ("表头", "表头须包含“任务内容”和“责任单位”；表头上方可保留标题行，表头不必在第一行。"),
    ("列", "序号、任务内容、牵头县领导、责任单位、配合单位、完成时限、进度、状态；“类型”“报送频次”列可选。"),
    (
        "多个名称",
        "多位领导或多个单位用顿号“、”、逗号或分号隔开；责任单位第一个为牵头单位，其余作为配合单位。",
    ),
    ("合并单元格", "同一组任务的牵头县领导或责任单位可以合并单元格，合并值适用于所跨的每一行。"),
    (
        "完成时限",
        "可写 2023年12月底、2023.12.31、12月底（按计划年度）、年底、上半年、三季度末或日期单元格；长期性工作写“长期”。",
    ),
    ("进度", "可写 60%、0.6、60、六成或“已完成”；须在 0 到 100 之间。"),
    ("状态", "未开始、推进中、已完成、暂缓、已取消；留空时按进度判断。"),
    ("类型", "重点项目、民生实事、整改事项、调研课题、专项行动、重点工作；留空为重点工作。"),
    ("报送频次", "每周、每半月、每月、每季度或一次性；留空时按督查室为该类事项设定的报送周期（默认每月）。"),
    ("名称匹配", "领导和单位按本县已有记录的全称或简称匹配；找不到的会在预览中列出，确认后新建。"),
    ("全部或不导入", "任何一行有错误时，整张表都不会导入，并提示出错的行号和原因。"),
)


def build_template() -> Workbook:
    """The blank task-table workbook users download: a title row, the header, two examples, 说明."""
    return blank_import_workbook(
        sheet_title="任务分解表",
        title="××县2023年重点工作任务分解表",
        headers=(*COLUMNS, *OPTIONAL_COLUMNS),
        examples=TEMPLATE_EXAMPLES,
        widths=(6, 48, 12, 20, 24, 16, 8, 10, 12, 10),
        notes=TEMPLATE_NOTES,
        notes_key_width=14,
    )


def write_template(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_template().save(path)
    return path

"""Import a figure table (指标数据表) into a region: preview, then create every figure or none.

`figure_table.read_figure_table()` reads the workbook; this module matches indicators (by code,
then by name) and regions (by code, inside the region chosen on upload) and creates each row
through `indicators.services.create_observation`, so the import obeys exactly the rules of the
screens and the API. The preview runs the same writes inside a transaction that is always rolled
back, so it lists every row's problem, duplicates included, and writes nothing. The import
itself commits only when no row has a problem.

The workbook loader, `RowProblem` and the error that carries them come from
`core/spreadsheet_import.py`, shared with the task-table import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.core.sheet_reader import CellProblem
from countyworks.core.spreadsheet_import import RowProblem, SpreadsheetImportError, read_workbook
from countyworks.indicators import services
from countyworks.indicators.figure_table import FigureRow, read_figure_table
from countyworks.indicators.formatting import figure
from countyworks.indicators.models import Indicator, Observation
from countyworks.regions.models import Region

# The workbook column each service field is typed in, to say where a refused value sits.
COLUMN_OF_FIELD = {
    "indicator": "指标",
    "region": "地区代码",
    "year": "年份",
    "quarter": "季度",
    "month": "月份",
    "value_kind": "数值类型",
    "value": "数值",
    "unit": "单位",
    "qualifier": "限定词",
    "base_year": "基期年份",
    "base_label": "基期年份",
    "published": "公开",
    "note": "备注",
}


class FigureImportError(SpreadsheetImportError):
    """The figure table cannot be imported as it is; `problems` names each bad row."""


@dataclass(slots=True)
class PlannedFigure:
    source: FigureRow
    observation: Observation  # as it would be stored (value in the indicator's unit)

    @property
    def figure(self) -> str:
        o = self.observation
        return figure(o.value, o.unit, o.qualifier, o.value_kind)

    @property
    def period(self) -> str:
        return self.observation.period_label()


@dataclass(slots=True)
class FigurePreview:
    region: Region
    sheet: str = ""
    header_row: int = 0
    rows: list[PlannedFigure] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem_text(problem: CellProblem) -> str:
    messages = {
        "no_header": _(
            "No header row found: the sheet needs a row with the columns 指标 and 数值 (within its first 30 rows)."
        ),
        "no_indicator": _("column %(column)s is empty."),
        "no_value": _("column %(column)s is empty."),
        "no_year": _("column %(column)s is empty."),
        "bad_number": _("column %(column)s: “%(value)s” is not a number."),
        "bad_whole": _("column %(column)s: “%(value)s” is not a whole number."),
        "bad_kind": _("column %(column)s: unknown value kind “%(value)s” (use 水平, 增速 or 倍数)."),
        "bad_qualifier": _(
            "column %(column)s: unknown qualifier “%(value)s” (use 精确, 约, 近, 超, 突破, 余, 以上 or 不足)."
        ),
        "bad_flag": _("column %(column)s: write 是 or 否, not “%(value)s”."),
        "too_long": _("column %(column)s is longer than 300 characters."),
    }
    return messages[problem.code] % {"column": problem.column, "value": problem.value}


def _column_message(error: ServiceError) -> str:
    column = COLUMN_OF_FIELD.get(error.field or "")
    if column is None:
        return error.message
    return _("column %(column)s: %(message)s") % {"column": column, "message": error.message}


class _Indicators:
    """The indicators the table names, by code and by name."""

    def __init__(self, names: set[str]) -> None:
        found = list(Indicator.objects.filter(Q(code__in=names) | Q(name__in=names)))
        self.by_code = {i.code: i for i in found}
        self.by_name: dict[str, list[Indicator]] = {}
        for indicator in found:
            self.by_name.setdefault(indicator.name, []).append(indicator)

    def find(self, written: str, unit: str) -> Indicator | str:
        """The indicator, or the reason there is none."""
        if written in self.by_code:
            return self.by_code[written]
        candidates = self.by_name.get(written, [])
        if len(candidates) > 1 and unit:
            candidates = [i for i in candidates if i.unit == unit] or candidates
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            return _(
                "the indicator “%(name)s” exists in several units (%(units)s): write its code instead."
            ) % {
                "name": written,
                "units": "、".join(i.unit or "—" for i in candidates),
            }
        return _("no indicator named or coded “%(name)s” (see the sheet 指标清单 of the template).") % {
            "name": written[:40]
        }


class _Rollback(Exception):
    pass


def _apply(user: Any, region: Region, source: str | IO[bytes]) -> FigurePreview:
    """Create every row inside the caller's transaction, collecting each row's problem."""
    table = read_figure_table(read_workbook(source, FigureImportError))
    preview = FigurePreview(region=region, sheet=table.sheet, header_row=table.header_row)
    preview.problems = [RowProblem(p.row, _problem_text(p)) for p in table.problems]
    if not table.rows and not table.problems:
        preview.problems.append(RowProblem(0, _("The table has no figure rows.")))
    indicators = _Indicators({row.indicator for row in table.rows})
    prefix = policy.region_prefix(region)
    regions = {
        r.code: r for r in Region.objects.filter(code__in={row.region for row in table.rows if row.region})
    }
    seen: dict[tuple, int] = {}
    for row in table.rows:
        indicator = indicators.find(row.indicator, row.unit)
        if isinstance(indicator, str):
            preview.problems.append(RowProblem(row.row, indicator))
            continue
        subject = region
        if row.region:
            subject = regions.get(row.region)
            if subject is None or not subject.code.startswith(prefix):
                preview.problems.append(
                    RowProblem(
                        row.row,
                        _("column 地区代码: “%(code)s” is not a region of %(region)s.")
                        % {"code": row.region[:20], "region": region.name},
                    )
                )
                continue
        key = (indicator.pk, subject.pk, row.year, row.quarter, row.month, row.kind, row.base_year)
        if key in seen:
            preview.problems.append(
                RowProblem(row.row, _("the same figure already appears on row %(row)s.") % {"row": seen[key]})
            )
            continue
        seen[key] = row.row
        try:
            # A savepoint per row: a refused row leaves the others as they were, so every problem is listed.
            with transaction.atomic():
                observation = services.create_observation(
                    user,
                    indicator=indicator,
                    region=subject,
                    year=row.year,
                    quarter=row.quarter,
                    month=row.month,
                    value_kind=row.kind,
                    value=row.value,
                    unit=row.unit,
                    qualifier=row.qualifier,
                    base_year=row.base_year,
                    published=row.published,
                    note=row.note,
                )
        except PermissionDenied:
            raise
        except ServiceError as exc:
            preview.problems.append(RowProblem(row.row, _column_message(exc)))
            continue
        preview.rows.append(PlannedFigure(source=row, observation=observation))
    preview.problems.sort(key=lambda p: p.row)
    return preview


def _check_permission(user: Any, region: Region) -> None:
    if not policy.can_edit_indicators(user, region):
        raise PermissionDenied(_("Only the supervision office of the region imports indicator figures."))


def preview_import(user: Any, region: Region, source: str | IO[bytes]) -> FigurePreview:
    """What the import would store, and every problem; nothing is written."""
    _check_permission(user, region)
    try:
        with transaction.atomic():
            preview = _apply(user, region, source)
            raise _Rollback
    except _Rollback:
        pass
    return preview


def run_import(user: Any, region: Region, source: str | IO[bytes]) -> list[Observation]:
    """Create every row's figure, or nothing: raises FigureImportError naming each bad row."""
    _check_permission(user, region)
    with transaction.atomic():
        preview = _apply(user, region, source)
        if preview.problems:
            raise FigureImportError(preview.problems)
    return [planned.observation for planned in preview.rows]

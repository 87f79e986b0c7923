"""The Excel round trip of the ledger: export, edit cells, preview every change, confirm all or nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from countyworks.core.services import PermissionDenied
from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision import roundtrip, status
from countyworks.supervision.ledger_export import ID_COLUMN, VERSION_COLUMN, build_ledger_workbook
from countyworks.supervision.models import ProgressReport, ReviewState


def exported(cast):
    """The ledger workbook of the cast's plan, opened for editing, with the row of each item."""
    items = (
        status.annotate(WorkItem.objects.filter(plan=cast.plan))
        .select_related("lead_leader", "lead_unit")
        .prefetch_related("co_units")
        .order_by("id")
    )
    book = build_ledger_workbook(items, "台账")
    buffer = io.BytesIO()
    book.save(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    rows = {book.active.cell(row, ID_COLUMN).value: row for row in range(3, book.active.max_row + 1)}
    return book, rows


def saved(book) -> io.BytesIO:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_it_hides_the_id_and_version_columns(cast):
    book, rows = exported(cast)
    sheet = book.active
    # After the visible columns (the procedure's 签收/延期/办结 columns included), the id and version.
    assert (ID_COLUMN, VERSION_COLUMN) == (13, 14)
    assert sheet.column_dimensions["M"].hidden and sheet.column_dimensions["N"].hidden
    assert not sheet.column_dimensions["L"].hidden
    assert sheet.cell(rows[cast.item_a.pk], VERSION_COLUMN).value == cast.item_a.version


def test_an_untouched_workbook_changes_nothing(cast):
    book, _rows = exported(cast)
    preview = roundtrip.preview_round_trip(cast.supervisor, cast.plan, saved(book))
    assert preview.ok and preview.rows == [] and preview.unchanged == 2


def test_it_previews_each_changed_cell_and_writes_nothing(cast):
    book, rows = exported(cast)
    sheet = book.active
    sheet.cell(rows[cast.item_a.pk], 7).value = 0.6
    sheet.cell(rows[cast.item_b.pk], 6).value = datetime(2023, 10, 31)
    sheet.cell(rows[cast.item_b.pk], 8).value = "暂缓"
    preview = roundtrip.preview_round_trip(cast.supervisor, cast.plan, saved(book))
    assert preview.ok
    cells = [
        (row.row, change.column, change.old, change.new) for row in preview.rows for change in row.changes
    ]
    assert cells == [
        (rows[cast.item_a.pk], "进度", "0%", "60%"),
        (rows[cast.item_b.pk], "完成时限", "2023-12-31", "2023-10-31"),
        (rows[cast.item_b.pk], "状态", "未开始", "暂缓"),
    ]
    assert ProgressReport.objects.count() == 0
    assert WorkItem.objects.get(pk=cast.item_b.pk).due_date == date(2023, 12, 31)


def test_confirm_enters_progress_for_the_unit_and_changes_fields(cast):
    book, rows = exported(cast)
    sheet = book.active
    sheet.cell(rows[cast.item_a.pk], 7).value = "60%"
    sheet.cell(rows[cast.item_b.pk], 6).value = "2023-10-31"
    result = roundtrip.apply_round_trip(cast.supervisor, cast.plan, saved(book), today=date(2023, 9, 20))
    assert (result.items_updated, result.reports_entered, result.items_created) == (1, 1, 0)
    report = ProgressReport.objects.get()
    assert (report.item_id, report.unit, report.period) == (cast.item_a.pk, cast.unit_a, "2023-09")
    assert report.entered_by_office and report.state == ReviewState.APPROVED
    assert report.progress == Decimal("60")
    item_a = WorkItem.objects.get(pk=cast.item_a.pk)
    assert item_a.progress == Decimal("60") and item_a.status == ItemStatus.IN_PROGRESS
    assert WorkItem.objects.get(pk=cast.item_b.pk).due_date == date(2023, 10, 31)


def test_a_new_row_becomes_a_new_item(cast):
    book, _rows = exported(cast)
    sheet = book.active
    line = sheet.max_row + 1
    sheet.cell(line, 2).value = "新增任务丙\n年底前完成"
    sheet.cell(line, 4).value = cast.unit_b.name
    sheet.cell(line, 6).value = datetime(2023, 11, 30)
    roundtrip.apply_round_trip(cast.supervisor, cast.plan, saved(book))
    item = WorkItem.objects.get(title="新增任务丙")
    assert (item.target, item.lead_unit, item.due_date) == ("年底前完成", cast.unit_b, date(2023, 11, 30))


def test_a_row_changed_since_the_export_is_refused_and_nothing_is_written(cast):
    book, rows = exported(cast)
    sheet = book.active
    sheet.cell(rows[cast.item_a.pk], 7).value = 0.6
    sheet.cell(rows[cast.item_b.pk], 6).value = datetime(2023, 10, 31)
    # Someone saves item B after the export.
    WorkItem.objects.filter(pk=cast.item_b.pk).update(version=cast.item_b.version + 1)
    with pytest.raises(roundtrip.RoundTripError) as caught:
        roundtrip.apply_round_trip(cast.supervisor, cast.plan, saved(book))
    assert [problem.row for problem in caught.value.problems] == [rows[cast.item_b.pk]]
    assert "导出" in caught.value.problems[0].message
    assert ProgressReport.objects.count() == 0
    assert WorkItem.objects.get(pk=cast.item_a.pk).progress == 0


def test_bad_cells_are_named_by_row(cast):
    book, rows = exported(cast)
    sheet = book.active
    sheet.cell(rows[cast.item_a.pk], 7).value = "很多"
    sheet.cell(rows[cast.item_b.pk], 8).value = "差不多"
    sheet.cell(rows[cast.item_b.pk], 4).value = "不存在的局"
    preview = roundtrip.preview_round_trip(cast.supervisor, cast.plan, saved(book))
    assert sorted(problem.row for problem in preview.problems) == sorted(
        [rows[cast.item_a.pk], rows[cast.item_b.pk], rows[cast.item_b.pk]]
    )
    with pytest.raises(roundtrip.RoundTripError):
        roundtrip.apply_round_trip(cast.supervisor, cast.plan, saved(book))
    assert WorkItem.objects.get(pk=cast.item_b.pk).lead_unit == cast.unit_b


def test_a_workbook_that_is_not_an_export_is_refused(cast):
    from openpyxl import Workbook

    other = Workbook()
    other.active.append(["序号", "任务内容"])
    with pytest.raises(roundtrip.RoundTripError):
        roundtrip.preview_round_trip(cast.supervisor, cast.plan, saved(other))
    with pytest.raises(roundtrip.RoundTripError):
        roundtrip.preview_round_trip(cast.supervisor, cast.plan, io.BytesIO(b"not a zip"))


@pytest.mark.parametrize("actor", ["reporter_a", "viewer", "leader", "outsider_supervisor"])
def test_only_the_office_of_the_plan_may_round_trip(cast, actor):
    book, _rows = exported(cast)
    with pytest.raises(PermissionDenied):
        roundtrip.preview_round_trip(getattr(cast, actor), cast.plan, saved(book))


@pytest.mark.parametrize(
    ("written", "percent"),
    [
        (0.45, Decimal("45")),
        (1, Decimal("100")),
        (60, Decimal("60")),
        ("37.5%", Decimal("37.5")),
        (None, None),
    ],
)
def test_it_reads_progress_as_clerks_write_it(written, percent):
    assert roundtrip.read_progress(written) == percent


@pytest.mark.parametrize("written", [101, -1, "abc", True])
def test_it_refuses_progress_outside_0_to_100(written):
    with pytest.raises(ValueError):
        roundtrip.read_progress(written)

"""The ledger screen's Excel export and the columns it shares with the ledger workbook report."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook

from countyworks.plans.models import Light, WorkItem
from countyworks.reports.builders.ledger import build_ledger, ledger_headers
from countyworks.reports.render_xlsx import render_xlsx
from countyworks.supervision import ledger_export as exports
from countyworks.supervision import status


def _items():
    return (
        status.annotate(WorkItem.objects.all())
        .select_related("lead_leader", "lead_unit")
        .prefetch_related("co_units")
    )


def _export(items, title="测试台账"):
    buffer = io.BytesIO()
    exports.build_ledger_workbook(items, title).save(buffer)
    return load_workbook(buffer).active


def test_it_writes_the_same_task_columns_as_the_ledger_report(cast):
    cast.item_a.co_units.set([cast.unit_b])
    WorkItem.objects.filter(pk=cast.item_a.pk).update(progress=Decimal("45"))
    with translation.override("zh-hans"):
        screen = _export(_items().filter(pk=cast.item_a.pk))
    report = load_workbook(io.BytesIO(render_xlsx(build_ledger(cast.county, 2023))))["重点项目"]
    shared = len(exports.ITEM_COLUMNS)
    assert [c.value for c in screen[2]][:shared] == [c.value for c in report[1]][:shared]
    assert [c.value for c in screen[3]][:shared] == [c.value for c in report[2]][:shared]
    assert [c.number_format for c in screen[3]][5:shared] == ["yyyy-mm-dd", "0%"]
    assert [c.number_format for c in report[2]][5:shared] == ["yyyy-mm-dd", "0%"]


def test_it_keeps_the_report_in_chinese_while_the_export_follows_the_reader(cast):
    with translation.override("en"):
        assert exports.headers()[:3] == ["No.", "Task", "Lead county leader"]
        assert ledger_headers()[:3] == ["序号", "任务内容", "牵头县领导"]
        assert ledger_headers()[-3:] == ["状态", "红黄绿灯", "是否逾期"]


def test_it_puts_the_target_under_the_task_and_keeps_every_title_literal(cast):
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        title='=HYPERLINK("http://x","点击")', target="=1+1", due_date=None
    )
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=date(2020, 1, 1))  # red on any day now
    sheet = _export(_items().order_by("id"), title="=SUM(A1:A9)")
    title, task = sheet.cell(1, 1), sheet.cell(3, 2)
    assert (title.value, title.data_type) == ("=SUM(A1:A9)", "s")
    assert (task.value, task.data_type) == ('=HYPERLINK("http://x","点击")\n=1+1', "s")
    assert task.alignment.wrap_text
    assert {sheet.cell(3, column).border.left.style for column in range(1, 11)} == {"thin"}
    # An empty deadline is still a date cell, for the clerk who fills it in.
    assert sheet.cell(3, 6).value is None and sheet.cell(3, 6).number_format == "yyyy-mm-dd"
    assert sheet.cell(3, 8).fill.fill_type is None  # no deadline, no light
    assert sheet.cell(4, 8).fill.start_color.rgb == exports.LIGHT_FILLS[Light.RED]
    assert [sheet.column_dimensions[c].width for c in "ABCDEFGHIJKL"] == list(exports.COLUMN_WIDTHS)
    assert sheet.freeze_panes == "A3"


def test_it_numbers_the_rows_it_is_given_in_their_order(cast):
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=date(2023, 9, 30))
    sheet = _export(_items().order_by("-id"))
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[1]) for row in rows] == [(1, "测试民生实事乙"), (2, "测试重点项目甲")]
    assert rows[0][5].date() == date(2023, 9, 30)


def test_the_export_reads_sign_offs_in_one_query_however_many_rows(cast):
    from countyworks.supervision.procedure_services import assign_item

    def queries_for_export() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            _export(_items().order_by("id"))
        return len(captured.captured_queries)

    for item in WorkItem.objects.all():
        assign_item(item)
    few = queries_for_export()
    for n in range(6):
        assign_item(WorkItem.objects.create(plan=cast.plan, title=f"更多事项{n}", lead_unit=cast.unit_a))
    assert queries_for_export() == few


def test_the_workbook_has_the_procedure_columns_filled_from_sign_off_extension_and_closure(cast):
    """签收 (who and when), 延期 (the original deadline and the approved extension) and 办结 (state and
    date) are columns of the exported workbook, filled through the services that record them."""
    from datetime import timedelta

    from django.utils import timezone

    from countyworks.supervision import procedure_services

    today = timezone.localdate()
    WorkItem.objects.filter(pk=cast.item_a.pk).update(due_date=today + timedelta(days=5))
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    (signoff,) = [row for row in procedure_services.assign_item(item) if row.unit_id == cast.unit_a.pk]
    procedure_services.sign_assignment(cast.reporter_a, signoff, expected_version=signoff.version)
    extension = procedure_services.apply_for_extension(
        cast.reporter_a, item, requested_due_date=today + timedelta(days=40), reason="征地延后"
    )
    procedure_services.decide_extension(cast.supervisor, extension, approve=True, expected_version=1)
    closure = procedure_services.apply_for_closure(cast.reporter_a, item, summary="已完工")
    procedure_services.decide_closure(cast.supervisor, closure, approve=True, expected_version=1)
    with translation.override("zh-hans"):
        sheet = _export(_items().filter(pk=cast.item_a.pk))
    header = [c.value for c in sheet[2]][: len(exports.LEDGER_COLUMNS)]
    assert header[-4:] == ["原定期限", "批准延期", "签收情况", "办结"]
    values = dict(zip(header, [c.value for c in sheet[3]], strict=False))
    assert values["原定期限"].date() == today + timedelta(days=5)
    assert values["完成时限"].date() == today + timedelta(days=40)
    assert values["批准延期"] == f"{today + timedelta(days=40)}（{today}批准）"
    assert values["签收情况"] == f"{cast.unit_a.name} {today} reporter_a"
    assert values["办结"] == f"已办结 {today}"

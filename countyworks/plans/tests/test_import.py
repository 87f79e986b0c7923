"""The task-table import: the tolerant reader, name matching, all-or-nothing writes and the command."""

import json
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from countyworks.core.services import PermissionDenied
from countyworks.plans import importer, services
from countyworks.plans.importer import TaskImportError, preview_import, run_import
from countyworks.plans.models import ItemKind, ItemStatus, WorkItem
from countyworks.plans.task_table import (
    build_template,
    parse_due,
    parse_progress,
    read_task_table,
    split_names,
)
from countyworks.regions.models import Organisation, Person

HEADER = ["序号", "任务内容", "牵头县领导", "责任单位", "配合单位", "完成时限", "进度", "状态"]


def workbook(rows, title_rows=(("壶关县2023年重点工作任务分解表",),), header=HEADER, merges=()) -> Workbook:
    book = Workbook()
    sheet = book.active
    for title in title_rows:
        sheet.append(list(title))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for merged in merges:
        sheet.merge_cells(merged)
    return book


def as_file(book: Workbook) -> BytesIO:
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def counts():
    return (
        WorkItem.all_objects.count(),
        WorkItem.history.count(),
        Organisation.objects.count(),
        Person.objects.count(),
    )


# The pure reader ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "due"),
    [
        ("2023年12月底", date(2023, 12, 31)),
        ("2023.12.31", date(2023, 12, 31)),
        ("2023-06", date(2023, 6, 30)),
        ("12月底", date(2023, 12, 31)),
        ("十一月底前", date(2023, 11, 30)),
        ("6月30日前", date(2023, 6, 30)),
        ("年底", date(2023, 12, 31)),
        ("上半年", date(2023, 6, 30)),
        ("三季度末", date(2023, 9, 30)),
        ("6月底前开工，10月底前完工", date(2023, 10, 31)),
        ("长期坚持", None),
        ("", None),
        (date(2023, 5, 20), date(2023, 5, 20)),
        (45260, date(2023, 11, 30)),
    ],
)
def test_it_reads_the_ways_counties_write_a_due_date(written, due):
    assert parse_due(written, 2023) == due


@pytest.mark.parametrize("written", ["明年", "2023年13月", "2月30日", 12.5])
def test_it_refuses_a_date_it_cannot_read(written):
    with pytest.raises((ValueError, KeyError)):
        parse_due(written, 2023)


@pytest.mark.parametrize(
    ("written", "number_format", "points"),
    [
        ("60%", "General", Decimal("60")),
        ("60％", "General", Decimal("60")),
        (0.6, "General", Decimal("60")),
        (0.6, "0%", Decimal("60")),
        (1, "0%", Decimal("100")),
        (60, "General", Decimal("60")),
        ("六成", "General", Decimal("60")),
        ("百分之三十五", "General", Decimal("35")),
        ("已完成", "General", Decimal("100")),
        (None, "General", None),
    ],
)
def test_it_reads_progress_as_points(written, number_format, points):
    assert parse_progress(written, number_format) == points


@pytest.mark.parametrize("written", ["120%", "-5", "过半", "很好"])
def test_it_refuses_progress_outside_0_to_100_or_unreadable(written):
    with pytest.raises(ValueError):
        parse_progress(written)


def test_it_splits_names_on_chinese_and_western_separators():
    assert split_names("县发改局、县财政局，县住建局; 县交通局/县水利局\n县审计局 县发改局等") == [
        "县发改局",
        "县财政局",
        "县住建局",
        "县交通局",
        "县水利局",
        "县审计局",
    ]
    assert split_names("张三（副县长）、李四") == ["张三", "李四"]


def test_it_finds_a_header_below_title_rows_and_fills_merged_cells():
    book = workbook(
        [
            ["一、产业转型"],  # a banner merged across the table
            [1, "任务甲", "张三", "县发展和改革局", "", "2023年6月底", "50%", "推进中"],
            [2, "任务乙", None, None, "", "2023年9月底", "", ""],
            [],
            [3, "任务丙", None, None, "", "12月底", "0.3", ""],
            ["序号", "任务内容"],  # the header repeated on a printed page
            [4, "任务丁", "李四", "县文化和旅游局", "", "长期", "", "未开始"],
        ],
        title_rows=[["壶关县2023年重点工作任务分解表"], ["（2023年3月）"]],
        merges=["A4:H4", "C5:C8", "D5:D8"],
    )
    table = read_task_table(book, 2023)
    assert table.header_row == 3 and table.problems == []
    assert [(r.row, r.title, r.leaders, r.units) for r in table.rows] == [
        (5, "任务甲", ["张三"], ["县发展和改革局"]),
        (6, "任务乙", ["张三"], ["县发展和改革局"]),
        (8, "任务丙", ["张三"], ["县发展和改革局"]),
        (10, "任务丁", ["李四"], ["县文化和旅游局"]),
    ]
    assert table.rows[2].progress == Decimal("30") and table.rows[3].due_date is None


def test_it_skips_unmerged_section_rows_and_template_examples():
    book = workbook(
        [
            ["一", "产业转型"],
            [1, "（示例）完成某某道路提质改造工程", "某某", "县交通运输局", "", "2023年12月底", "60%", ""],
            [2, "任务甲", "", "县发展和改革局", "", "", "", ""],
        ]
    )
    assert [r.title for r in read_task_table(book, 2023).rows] == ["任务甲"]


def test_it_reports_every_bad_cell_with_its_row():
    book = workbook(
        [
            [1, "任务甲", "", "县发展和改革局", "", "明年", "60%", ""],
            [2, "", "", "县发展和改革局", "", "", "", ""],
            [3, "任务丙", "", "县发展和改革局", "", "", "两成半多", "干得好"],
        ]
    )
    problems = [(p.row, p.column, p.code) for p in read_task_table(book, 2023).problems]
    assert problems == [
        (3, "完成时限", "bad_date"),
        (4, "任务内容", "no_title"),
        (5, "进度", "bad_progress"),
        (5, "状态", "bad_status"),
    ]


def test_it_reports_a_sheet_without_a_header():
    book = Workbook()
    book.active.append(["名称", "备注"])
    assert [p.code for p in read_task_table(book, 2023).problems] == ["no_header"]


def test_the_shipped_template_is_what_the_code_generates_and_imports_as_empty():
    shipped = load_workbook(Path(importer.__file__).parent / "data" / "task-table-template.xlsx")
    generated = build_template()
    assert shipped.sheetnames == generated.sheetnames == ["任务分解表", "说明"]
    for name in shipped.sheetnames:
        assert [[c.value for c in row] for row in shipped[name].iter_rows()] == [
            [c.value for c in row] for row in generated[name].iter_rows()
        ]
    table = read_task_table(shipped, 2023)
    assert table.header_row == 2 and table.rows == [] and table.problems == []


# Matching and writing -----------------------------------------------------------------------


def test_it_imports_a_table_with_merged_groups_matching_leaders_and_units(cast):
    Organisation.objects.create(name="县财政局", short_name="财政局", region=cast.county)
    book = workbook(
        [
            [
                1,
                "推进重点项目建设",
                "测试县长",
                "县发展和改革局",
                "财政局、各乡镇",
                "2023年12月底",
                "60%",
                "推进中",
            ],
            [2, "办好民生实事", None, "县文化和旅游局", "", "10月底", "已完成", ""],
        ],
        merges=["C3:C4"],
    )
    before = WorkItem.objects.count()
    result = run_import(cast.supervisor, cast.plan, as_file(book))
    assert result.items_created == 2 and WorkItem.objects.count() == before + 2
    first, second = WorkItem.objects.filter(pk__in=result.item_ids).order_by("pk")
    assert (first.number, first.lead_leader, first.lead_unit) == ("1", cast.leader_person, cast.unit_a)
    assert [u.name for u in first.co_units.all()] == ["县财政局"]
    assert "各乡镇" in first.description
    assert (first.due_date, first.progress, first.status, first.kind) == (
        date(2023, 12, 31),
        Decimal("60.00"),
        ItemStatus.IN_PROGRESS,
        ItemKind.ROUTINE,
    )
    assert (second.lead_leader, second.lead_unit) == (cast.leader_person, cast.unit_b)  # merged leader cell
    assert (second.due_date, second.progress, second.status) == (
        date(2023, 10, 31),
        100,
        ItemStatus.COMPLETED,
    )
    assert first.history.filter(history_type="+").count() == 1  # created through the service, with history


def test_it_matches_units_by_short_name_without_the_county_prefix(cast):
    Organisation.objects.create(name="壶关县住房和城乡建设局", short_name="县住建局", region=cast.county)
    book = workbook(
        [
            [1, "改造老旧小区", "", "住建局", "", "", "", "", "民生实事"],
            [2, "建设文旅项目", "", "壶关县文化和旅游局", "", "", "", "", "重点项目"],
        ],
        header=[*HEADER, "类型"],
    )
    result = run_import(cast.supervisor, cast.plan, as_file(book))
    items = WorkItem.objects.filter(pk__in=result.item_ids).order_by("pk")
    assert [(i.lead_unit.name, i.kind) for i in items] == [
        ("壶关县住房和城乡建设局", ItemKind.LIVELIHOOD),
        ("县文化和旅游局", ItemKind.KEY_PROJECT),
    ]


def test_the_preview_proposes_new_units_and_leaders_and_writes_nothing(cast):
    book = workbook([[1, "新建污水处理厂", "王新", "县水务局", "县环保局", "", "", ""]])
    before = counts()
    preview = preview_import(cast.plan, as_file(book))
    assert preview.ok and preview.new_units == ["县水务局", "县环保局"] and preview.new_leaders == ["王新"]
    assert counts() == before


def test_without_create_missing_it_names_the_row_of_an_unknown_unit_and_writes_nothing(cast):
    book = workbook(
        [
            [1, "任务甲", "", "县发展和改革局", "", "", "", ""],
            [2, "任务乙", "", "县水务局", "", "", "", ""],
        ]
    )
    before = counts()
    with pytest.raises(TaskImportError) as caught:
        run_import(cast.supervisor, cast.plan, as_file(book))
    assert [p.row for p in caught.value.problems] == [4]
    assert "县水务局" in str(caught.value.problems[0])
    assert counts() == before


def test_with_create_missing_it_creates_the_units_and_leaders_in_the_plans_region(cast):
    book = workbook([[1, "新建污水处理厂", "王新", "县水务局", "龙泉镇", "", "", ""]])
    result = run_import(cast.supervisor, cast.plan, as_file(book), create_missing=True)
    item = WorkItem.objects.get(pk=result.item_ids[0])
    assert (item.lead_unit.name, item.lead_unit.region) == ("县水务局", cast.county)
    assert [(u.name, u.kind) for u in item.co_units.all()] == [("龙泉镇", "town")]
    assert (item.lead_leader.name, item.lead_leader.is_county_leader) == ("王新", True)


def test_a_bad_row_anywhere_means_nothing_is_written(cast):
    book = workbook(
        [
            [1, "任务甲", "", "县发展和改革局", "", "", "", ""],
            [2, "任务乙", "", "县发展和改革局", "", "2023年2月30日", "", ""],
        ]
    )
    before = counts()
    with pytest.raises(TaskImportError) as caught:
        run_import(cast.supervisor, cast.plan, as_file(book), create_missing=True)
    assert [p.row for p in caught.value.problems] == [4]
    assert counts() == before


def test_it_refuses_a_task_already_in_the_plan_or_twice_in_the_table(cast):
    book = workbook(
        [
            [1, cast.item_a.title, "", "县发展和改革局", "", "", "", ""],
            [2, "任务乙", "", "县发展和改革局", "", "", "", ""],
            [3, "任务乙", "", "县发展和改革局", "", "", "", ""],
        ]
    )
    with pytest.raises(TaskImportError) as caught:
        run_import(cast.supervisor, cast.plan, as_file(book))
    assert [p.row for p in caught.value.problems] == [3, 5]


def test_an_exception_at_row_n_leaves_the_database_exactly_as_before(cast, monkeypatch):
    book = workbook([[n, f"任务{n}", "", "新建单位", "", "", "", ""] for n in range(1, 6)])
    real_create_item = services.create_item
    calls = []

    def failing_create_item(user, plan, **fields):
        calls.append(fields["title"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_create_item(user, plan, **fields)

    monkeypatch.setattr(services, "create_item", failing_create_item)
    before = counts()
    items_before = list(WorkItem.all_objects.order_by("pk").values())
    with pytest.raises(RuntimeError):
        run_import(cast.supervisor, cast.plan, as_file(book), create_missing=True)
    assert calls == ["任务1", "任务2", "任务3"]
    assert counts() == before
    assert list(WorkItem.all_objects.order_by("pk").values()) == items_before
    assert not Organisation.objects.filter(name="新建单位").exists()


def test_a_service_refusal_names_its_row(cast, monkeypatch):
    book = workbook(
        [[1, "任务甲", "", "县发展和改革局", "", "", "", ""], [2, "任务乙", "", "", "", "", "", ""]]
    )
    real_create_item = services.create_item

    def refusing_create_item(user, plan, **fields):
        if fields["title"] == "任务乙":
            raise services.ServiceError("title: bad", field="title")
        return real_create_item(user, plan, **fields)

    monkeypatch.setattr(services, "create_item", refusing_create_item)
    before = counts()
    with pytest.raises(TaskImportError) as caught:
        run_import(cast.supervisor, cast.plan, as_file(book))
    assert [(p.row, p.message) for p in caught.value.problems] == [(4, "title: bad")]
    assert counts() == before


def test_a_dry_run_checks_everything_and_writes_nothing(cast):
    book = workbook([[1, "新建污水处理厂", "王新", "县水务局", "", "", "", ""]])
    before = counts()
    result = run_import(cast.supervisor, cast.plan, as_file(book), create_missing=True, dry_run=True)
    assert (result.items_created, result.units_created, result.dry_run) == (1, ["县水务局"], True)
    assert counts() == before


@pytest.mark.parametrize("actor", ["reporter_a", "leader", "viewer", "outsider_supervisor"])
def test_only_the_plans_supervisors_may_import(cast, actor):
    book = workbook([[1, "任务甲", "", "县发展和改革局", "", "", "", ""]])
    before = counts()
    with pytest.raises(PermissionDenied):
        run_import(getattr(cast, actor), cast.plan, as_file(book))
    assert counts() == before


def test_it_refuses_a_file_that_is_not_a_workbook(cast):
    with pytest.raises(TaskImportError) as caught:
        run_import(cast.supervisor, cast.plan, BytesIO(b"not a zip"))
    assert caught.value.problems[0].row == 0


# The command ----------------------------------------------------------------------------------


def saved(book: Workbook, tmp_path: Path) -> str:
    path = tmp_path / "tasks.xlsx"
    book.save(path)
    return str(path)


def test_the_command_imports_and_prints_json(cast, tmp_path):
    path = saved(
        workbook([[1, "任务甲", "测试县长", "县发展和改革局", "", "2023.12.31", "20%", ""]]), tmp_path
    )
    out = StringIO()
    call_command(
        "import_tasks", path, "--plan", str(cast.plan.pk), "--user", "supervisor", "--json", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result["items_created"] == 1 and result["dry_run"] is False
    assert WorkItem.objects.get(pk=result["item_ids"][0]).title == "任务甲"


def test_the_hyphenated_command_name_works_too(cast, tmp_path):
    path = saved(workbook([[1, "任务甲", "", "县水务局", "", "", "", ""]]), tmp_path)
    out = StringIO()
    call_command(
        "import-tasks",
        path,
        "--plan",
        str(cast.plan.pk),
        "--user",
        "supervisor",
        "--dry-run",
        "--create-missing",
        stdout=out,
    )
    assert "would create 1 items" in out.getvalue() and "would create unit 县水务局" in out.getvalue()
    assert not WorkItem.objects.filter(title="任务甲").exists()
    call_command(
        "import-tasks", path, f"--plan={cast.plan.pk}", "--user=supervisor", "--create-missing", stdout=out
    )
    assert WorkItem.objects.filter(title="任务甲", lead_unit__name="县水务局").count() == 1


def test_the_command_fails_naming_the_row_and_writes_nothing(cast, tmp_path):
    path = saved(workbook([[1, "任务甲", "", "县水务局", "", "", "", ""]]), tmp_path)
    before = counts()
    with pytest.raises(CommandError, match="3") as caught:
        call_command("import_tasks", path, "--plan", str(cast.plan.pk), "--user", "supervisor")
    assert "县水务局" in str(caught.value)
    assert counts() == before


def test_the_command_refuses_an_unknown_plan_or_user(cast, tmp_path):
    path = saved(workbook([]), tmp_path)
    with pytest.raises(CommandError, match="plan"):
        call_command("import_tasks", path, "--plan", "999999", "--user", "supervisor")
    with pytest.raises(CommandError, match="nobody"):
        call_command("import_tasks", path, "--plan", str(cast.plan.pk), "--user", "nobody")
    with pytest.raises(CommandError, match="--user"):
        call_command("import_tasks", path, "--plan", str(cast.plan.pk))


def test_it_refuses_a_unit_name_that_matches_several_units(cast):
    Organisation.objects.create(name="壶关县水务局", region=cast.county)
    Organisation.objects.create(name="县水务局", region=cast.county)  # both shorten to 水务局
    book = workbook([[1, "任务甲", "", "水务局", "", "", "", ""]])
    with pytest.raises(TaskImportError) as caught:
        run_import(cast.supervisor, cast.plan, as_file(book), create_missing=True)
    assert caught.value.problems[0].row == 3 and "壶关县水务局" in caught.value.problems[0].message


def test_it_matches_a_leader_written_with_the_title_in_front(cast):
    book = workbook([[1, "任务甲", "县长测试县长、副县长某某", "县发展和改革局", "", "", "", ""]])
    result = run_import(cast.supervisor, cast.plan, as_file(book))
    item = WorkItem.objects.get(pk=result.item_ids[0])
    assert item.lead_leader == cast.leader_person and "副县长某某" in item.description
    assert not Person.objects.filter(name__contains="某某").exists()  # only the first leader is linked


def test_it_reads_a_real_excel_date_cell(cast):
    book = workbook([[1, "任务甲", "", "县发展和改革局", "", date(2023, 8, 15), 0.25, ""]])
    book.active["G3"].number_format = "0%"
    result = run_import(cast.supervisor, cast.plan, as_file(book))
    item = WorkItem.objects.get(pk=result.item_ids[0])
    assert (item.due_date, item.progress, item.status) == (
        date(2023, 8, 15),
        Decimal("25.00"),
        ItemStatus.IN_PROGRESS,
    )


def test_it_names_the_row_of_a_leader_or_unit_name_too_long_to_create(cast):
    long_leader, long_unit = "县" * 61, "局" * 201
    book = workbook(
        [
            [1, "名字过长的领导", long_leader, "县发展和改革局", "", "2023年12月底", "", ""],
            [2, "名字过长的单位", "测试县长", long_unit, "", "2023年12月底", "", ""],
        ]
    )
    before = counts()
    with pytest.raises(TaskImportError) as caught:
        run_import(cast.supervisor, cast.plan, as_file(book), create_missing=True)
    assert [problem.row for problem in caught.value.problems] == [3, 4]
    assert counts() == before


def test_a_frequency_column_sets_each_items_reporting_cycle(cast):
    header = [*HEADER, "类型", "报送频次"]
    book = workbook(
        [
            [1, "项目周调度", "", "县发展和改革局", "", "年底", "", "", "重点项目", "每周"],
            [2, "课题季度报送", "", "县发展和改革局", "", "年底", "", "", "调研课题", "季报"],
            [3, "按计划默认", "", "县发展和改革局", "", "年底", "", "", "", ""],
        ],
        header=header,
    )
    result = run_import(cast.supervisor, cast.plan, as_file(book))
    cadences = list(
        WorkItem.objects.filter(pk__in=result.item_ids)
        .order_by("pk")
        .values_list("report_cadence", flat=True)
    )
    assert cadences == ["weekly", "quarterly", ""]


def test_an_unknown_frequency_names_its_row_and_nothing_is_written(cast):
    book = workbook(
        [
            [1, "任务甲", "", "县发展和改革局", "", "年底", "", "", "", "每月"],
            [2, "任务乙", "", "县发展和改革局", "", "年底", "", "", "", "每两年"],
        ],
        header=[*HEADER, "类型", "报送频次"],
    )
    before = counts()
    with pytest.raises(TaskImportError) as refused:
        run_import(cast.supervisor, cast.plan, as_file(book))
    assert "4" in str(refused.value) and "每两年" in str(refused.value)
    assert counts() == before

"""The ledger, its export, the item page and the plan tree (supervision's ledger screens) for every role."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from countyworks.plans import services
from countyworks.plans.models import ItemKind, ItemStatus, Light, PlanNode, WorkItem


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_it_lists_only_a_reporters_own_items(client_as, cast):
    response = client_as(cast.reporter_a).get(reverse("ledger:list"))
    assert response.status_code == 200
    assert cast.item_a.title in response.content.decode()
    assert cast.item_b.title not in response.content.decode()


def test_it_hides_another_units_item_from_a_reporter(client_as, cast):
    response = client_as(cast.reporter_b).get(reverse("ledger:item", args=[cast.item_a.pk]))
    assert response.status_code == 404


def test_it_hides_the_county_from_a_supervisor_of_another_county(client_as, cast):
    client = client_as(cast.outsider_supervisor)
    assert client.get(reverse("ledger:item", args=[cast.item_a.pk])).status_code == 404
    assert cast.item_a.title not in client.get(reverse("ledger:list")).content.decode()


def test_it_filters_the_ledger(client_as, cast):
    # The cast's items are due end of 2023, which is past by now: move one into the future.
    # item_a: nearly done and due in 100 days (green); item_b: due in 2020 (red and overdue today).
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        due_date=date.today() + timedelta(days=100), progress=Decimal("99"), status=ItemStatus.IN_PROGRESS
    )
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=date(2020, 1, 1))
    client = client_as(cast.supervisor)
    ledger = reverse("ledger:list")

    def titles(params):
        return {item.title for item in client.get(ledger, params).context["page"]}

    assert titles({}) == {cast.item_a.title, cast.item_b.title}
    assert titles({"kind": ItemKind.KEY_PROJECT}) == {cast.item_a.title}
    assert titles({"light": Light.RED}) == {cast.item_b.title}
    assert titles({"overdue": "on"}) == {cast.item_b.title}
    assert titles({"unit": cast.unit_b.pk}) == {cast.item_b.title}
    assert titles({"leader": cast.leader_person.pk}) == {cast.item_a.title}
    assert titles({"q": "民生"}) == {cast.item_b.title}
    assert [i.title for i in client.get(ledger, {"sort": "-due"}).context["page"]] == [
        cast.item_a.title,
        cast.item_b.title,
    ]


def test_it_filters_by_a_node_and_the_nodes_under_it(client_as, cast):
    direction = PlanNode.objects.create(plan=cast.plan, title="方向一")
    group = PlanNode.objects.create(plan=cast.plan, parent=direction, title="任务组")
    WorkItem.objects.filter(pk=cast.item_a.pk).update(node=group)
    response = client_as(cast.leader).get(reverse("ledger:list"), {"node": direction.pk})
    assert [item.pk for item in response.context["page"]] == [cast.item_a.pk]


def test_it_answers_htmx_with_the_table_only(client_as, cast):
    response = client_as(cast.supervisor).get(reverse("ledger:list"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<html" not in page and cast.item_a.title in page


def make_items(cast, count: int) -> None:
    for n in range(count):
        item = WorkItem.objects.create(
            plan=cast.plan,
            title=f"批量任务{n}",
            lead_unit=cast.unit_a,
            lead_leader=cast.leader_person,
            due_date=date(2023, 6, 30),
        )
        item.co_units.set([cast.unit_b])


def test_it_runs_the_same_number_of_queries_for_few_or_many_rows(
    client_as, cast, django_assert_max_num_queries
):
    client = client_as(cast.supervisor)
    make_items(cast, 3)
    # 14: the page also reads the thresholds in force, for the lights it derives, and whether a
    # replayed (demo) year opens it on its mid-year day (supervision.replay, one query).
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("ledger:list"))
    make_items(cast, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("ledger:list"))
    assert len(response.context["page"]) == 45


def test_it_exports_exactly_the_filtered_rows_to_excel(client_as, cast):
    cast.item_a.co_units.set([cast.unit_b])
    # Due at the end of 2023 and at 45 %: red and overdue on any day after it.
    WorkItem.objects.filter(pk=cast.item_a.pk).update(status=ItemStatus.IN_PROGRESS, progress=Decimal("45"))
    response = client_as(cast.supervisor).get(
        reverse("ledger:list"), {"kind": ItemKind.KEY_PROJECT, "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    assert header[:8] == [
        "序号",
        "任务内容",
        "牵头县领导",
        "责任单位",
        "配合单位",
        "完成时限",
        "进度",
        "状态",
    ]
    # The procedure's columns (issue 13), then the two hidden columns the Excel round trip reads
    # back (roundtrip.py): the item and its version.
    assert header[8:] == [
        "原定期限",
        "批准延期",
        "签收情况",
        "办结",
        "countyworks:item",
        "countyworks:version",
    ]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    number, task, leader, unit, co_units, due, progress, status = rows[0][:8]
    # No extension (原定期限, 批准延期 empty), no sign-off rows (the item was made directly, not
    # assigned) and no closing application.
    assert rows[0][8:12] == (None, None, None, None)
    assert rows[0][12:] == (cast.item_a.pk, WorkItem.objects.get(pk=cast.item_a.pk).version)
    assert (number, task, leader, unit, co_units) == (
        1,
        "测试重点项目甲",
        "测试县长",
        "县发展和改革局",
        "县文化和旅游局",
    )
    assert due.date() == date(2023, 12, 31)
    assert progress == pytest.approx(0.45)
    assert status == "推进中（红灯，逾期）"
    assert sheet.cell(3, 8).fill.start_color.rgb == "FFFF0000"


def test_it_exports_only_what_a_reporter_may_read(client_as, cast):
    response = client_as(cast.reporter_b).get(reverse("ledger:list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["测试民生实事乙"]


def test_it_shows_the_item_page_with_its_path_and_marks(client_as, cast):
    direction = PlanNode.objects.create(plan=cast.plan, title="建设文旅强县")
    WorkItem.objects.filter(pk=cast.item_a.pk).update(node=direction, illustrative=True)
    page = client_as(cast.viewer).get(reverse("ledger:item", args=[cast.item_a.pk])).content.decode()
    assert "建设文旅强县" in page
    assert 'class="illustrative block"' in page
    assert reverse("plans:item_edit", args=[cast.item_a.pk]) not in page  # a viewer gets no edit button


def test_it_rolls_progress_up_the_plan_tree(client_as, cast):
    direction = PlanNode.objects.create(plan=cast.plan, title="方向一", weight=Decimal("1"))
    WorkItem.objects.filter(pk=cast.item_a.pk).update(node=direction, progress=Decimal("80"))
    WorkItem.objects.filter(pk=cast.item_b.pk).update(
        node=direction, progress=Decimal("20"), weight=Decimal("3")
    )
    response = client_as(cast.leader).get(reverse("ledger:tree"))
    assert response.context["tree"][0]["rolled"].progress == Decimal("35.00")
    assert response.context["total"].progress == Decimal("35.00")


def test_it_reads_in_chinese_by_default(client_as, cast):
    page = client_as(cast.supervisor).get(reverse("ledger:list")).content.decode()
    assert "工作台账" in page and "导出" in page


def test_it_keeps_the_overdue_filter_for_items_past_their_date(client_as, cast):
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=date.today() + timedelta(days=30))
    two_days_ago = date.today() - timedelta(days=2)
    services.update_item(cast.supervisor, cast.item_a, expected_version=1, due_date=two_days_ago)
    response = client_as(cast.supervisor).get(reverse("ledger:list"), {"overdue": "on"})
    assert [i.pk for i in response.context["page"]] == [cast.item_a.pk]


def test_it_updates_the_export_link_with_the_htmx_filter(client_as, cast):
    response = client_as(cast.supervisor).get(
        reverse("ledger:list"), {"kind": ItemKind.LIVELIHOOD}, HTTP_HX_REQUEST="true"
    )
    assert 'id="export-xlsx"' in response.content.decode()
    assert "kind=livelihood&amp;format=xlsx" in response.content.decode()


def test_it_shows_changed_flags_in_words_in_the_history(client, cast):
    from countyworks.plans.services import update_item

    item = type(cast.item_a).objects.get(pk=cast.item_a.pk)
    update_item(cast.supervisor, item, expected_version=item.version, published=False)
    client.force_login(cast.supervisor)
    html = client.get(reverse("ledger:item", args=[item.pk])).content.decode()
    assert "True" not in html.split("修改记录")[-1] and "False" not in html.split("修改记录")[-1]
    assert "是" in html.split("修改记录")[-1] and "否" in html.split("修改记录")[-1]


def test_ledger_rows_name_kind_status_and_light_in_the_readers_language(client_as, cast):
    # Due in 2020 and still under way: red, whatever the day the test runs.
    WorkItem.objects.filter(pk=cast.item_b.pk).update(
        status=ItemStatus.IN_PROGRESS, due_date=date(2020, 1, 1)
    )
    client = client_as(cast.supervisor)
    row = _ledger_row(client.get(reverse("ledger:list"), HTTP_ACCEPT_LANGUAGE="zh-hans"), cast.item_b)
    for label in (ItemKind.LIVELIHOOD.label, ItemStatus.IN_PROGRESS.label, Light.RED.label):
        with translation.override("zh-hans"):
            assert str(label) in row
    row = _ledger_row(client.get(reverse("ledger:list"), HTTP_ACCEPT_LANGUAGE="en"), cast.item_b)
    for label in (ItemKind.LIVELIHOOD.label, ItemStatus.IN_PROGRESS.label, Light.RED.label):
        with translation.override("en"):
            assert str(label) in row


def _ledger_row(response, item: WorkItem) -> str:
    page = response.content.decode()
    start = page.index(f'data-item="{item.pk}"')
    return page[start : page.index("</tr>", start)]


def test_ledger_filter_options_name_plans_nodes_units_and_leaders_and_keep_the_choice(client_as, cast):
    node = PlanNode.objects.create(plan=cast.plan, number="一、", title="<b>方向</b>")
    client = client_as(cast.supervisor)
    page = client.get(reverse("ledger:list"), {"node": node.pk}).content.decode()
    assert (
        f'<option value="{node.pk}" selected>{cast.plan.year} · 一、&lt;b&gt;方向&lt;/b&gt;</option>' in page
    )
    assert f'<option value="{cast.plan.pk}">{cast.plan}</option>' in page
    assert f'<option value="{cast.unit_a.pk}">{cast.unit_a}</option>' in page
    assert f'<option value="{cast.leader_person.pk}">{cast.leader_person}</option>' in page
    assert '<option value="">' in page


@pytest.mark.parametrize("progress", ["0", "0.05", "0.15", "12.50", "37.25", "37.35", "62.45", "100.00"])
def test_ledger_rows_write_progress_as_floatformat_did(progress):
    from django.template.defaultfilters import floatformat

    from countyworks.supervision.ledger_views import prepare_rows

    item = WorkItem(progress=Decimal(progress), due_date=date(2023, 12, 31))
    item.light = "red"
    prepare_rows([item])
    assert item.progress_text == floatformat(Decimal(progress), "-1")
    assert item.progress_bar == floatformat(Decimal(progress), 0)
    assert item.due_text == "2023-12-31"
    undated = WorkItem(progress=Decimal(progress))
    undated.light = "none"
    prepare_rows([undated])
    assert undated.due_text == "—"


def test_a_progress_that_rounds_up_to_a_whole_number_loses_its_decimal():
    from countyworks.supervision.ledger_views import prepare_rows

    item = WorkItem(progress=Decimal("99.95"))
    item.light = "green"
    prepare_rows([item])
    # floatformat wrote "100.0" here (it looks at the digits before rounding); a whole number reads better.
    assert (item.progress_text, item.progress_bar) == ("100", "100")


def test_ledger_rows_show_progress_and_deadline(client_as, cast):
    WorkItem.objects.filter(pk=cast.item_b.pk).update(progress=Decimal("37.25"), due_date=date(2024, 3, 31))
    row = _ledger_row(client_as(cast.supervisor).get(reverse("ledger:list")), cast.item_b)
    assert 'style="width: 37%"' in row and "37.3%" in row and "2024-03-31" in row


def test_the_item_page_writes_each_report_in_local_time_with_its_state(client_as, cast):
    from datetime import UTC, datetime

    from countyworks.supervision.models import ProgressReport, ReviewState

    ProgressReport.objects.create(
        item=cast.item_a,
        period="2023-04",
        text="进展顺利",
        progress=Decimal("37.25"),
        unit=cast.unit_a,
        submitted_at=datetime(2023, 3, 31, 20, 0, tzinfo=UTC),
    )
    page = client_as(cast.supervisor).get(
        reverse("ledger:item", args=[cast.item_a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    report = page.content.decode().split('class="report-head"')[1].split("</div>")[0]
    assert "37.3%" in report and "2023-04-01 04:00" in report
    with translation.override("zh-hans"):
        assert str(ReviewState.SUBMITTED.label) in report


def test_the_ledger_filter_offers_only_what_the_users_items_use(client_as, cast):
    from countyworks.regions.models import Organisation, Person

    idle_unit = Organisation.objects.create(name="未牵头任何事项的单位", region=cast.county)
    idle_leader = Person.objects.create(name="未分管事项的领导", region=cast.county)

    def offered(user) -> tuple[set, set]:
        form = client_as(user).get(reverse("ledger:list")).context["form"]
        units = {key for key, _label in form.fields["unit"].widget.choices if key != ""}
        leaders = {key for key, _label in form.fields["leader"].widget.choices if key != ""}
        return units, leaders

    units, leaders = offered(cast.supervisor)
    assert units == {cast.unit_a.pk, cast.unit_b.pk} and idle_unit.pk not in units
    assert cast.leader_person.pk in leaders and idle_leader.pk not in leaders
    # A reporter of unit A sees only item A: unit B leads nothing the reporter can read.
    units, _leaders = offered(cast.reporter_a)
    assert units == {cast.unit_a.pk}
    assert offered(cast.outsider_supervisor) == (set(), set())

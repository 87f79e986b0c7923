"""The plans screens for every role: ledger, export, item page, editor and plan tree."""

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


def edit_data(item: WorkItem, **changes) -> dict:
    data = {
        "kind": item.kind,
        "number": item.number,
        "title": item.title,
        "lead_unit": item.lead_unit_id or "",
        "lead_leader": item.lead_leader_id or "",
        "start_date": item.start_date.isoformat() if item.start_date else "",
        "due_date": item.due_date.isoformat() if item.due_date else "",
        "progress": str(item.progress),
        "weight": str(item.weight),
        "status": item.status,
        "version": item.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", ["plans:ledger", "plans:tree", "plans:item_new"])
def test_it_sends_anonymous_users_to_the_login_page(client, cast, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_sends_anonymous_users_away_from_an_item(client, cast):
    for url in (
        reverse("plans:item", args=[cast.item_a.pk]),
        reverse("plans:item_edit", args=[cast.item_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_it_lists_only_a_reporters_own_items(client_as, cast):
    response = client_as(cast.reporter_a).get(reverse("plans:ledger"))
    assert response.status_code == 200
    assert cast.item_a.title in response.content.decode()
    assert cast.item_b.title not in response.content.decode()


def test_it_hides_another_units_item_from_a_reporter(client_as, cast):
    response = client_as(cast.reporter_b).get(reverse("plans:item", args=[cast.item_a.pk]))
    assert response.status_code == 404


def test_it_hides_the_county_from_a_supervisor_of_another_county(client_as, cast):
    client = client_as(cast.outsider_supervisor)
    assert client.get(reverse("plans:item", args=[cast.item_a.pk])).status_code == 404
    assert cast.item_a.title not in client.get(reverse("plans:ledger")).content.decode()


def test_it_refuses_a_leader_who_tries_to_edit(client_as, cast):
    client = client_as(cast.leader)
    url = reverse("plans:item_edit", args=[cast.item_a.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, edit_data(cast.item_a, title="被领导改过的标题"))
    assert response.status_code == 403
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "测试重点项目甲" and cast.item_a.version == 1


def test_it_refuses_a_reporter_who_tries_to_add_an_item(client_as, cast):
    response = client_as(cast.reporter_a).get(reverse("plans:item_new"))
    assert response.status_code == 403


def test_it_saves_a_supervisors_edit_and_keeps_its_history(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("plans:item_edit", args=[cast.item_a.pk])
    response = client.post(url, edit_data(cast.item_a, title="重点项目甲（调整）", progress="35"))
    assert response.status_code == 302
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "重点项目甲（调整）"
    assert cast.item_a.progress == Decimal("35")
    assert cast.item_a.version == 2
    page = client.get(reverse("plans:item", args=[cast.item_a.pk])).content.decode()
    assert "测试重点项目甲 → 重点项目甲（调整）" in page
    assert "supervisor" in page  # who changed it


def test_it_shows_a_conflict_and_keeps_what_the_second_editor_typed(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("plans:item_edit", args=[cast.item_a.pk])
    stale = edit_data(cast.item_a, title="第二人填写的标题")
    assert client.post(url, edit_data(cast.item_a, title="第一人保存的标题")).status_code == 302

    response = client.post(url, stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by someone else" in page or "他人" in page
    assert 'value="第二人填写的标题"' in page  # nothing typed is lost
    assert "第一人保存的标题" in page  # and the saved value is shown beside it
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "第一人保存的标题" and cast.item_a.version == 2
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["form"]["version"].value() == "2"
    assert client.post(url, response.context["form"].data).status_code == 302
    cast.item_a.refresh_from_db()
    assert cast.item_a.title == "第二人填写的标题" and cast.item_a.version == 3


def test_it_creates_an_item_for_a_supervisor(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("plans:item_new") + f"?plan={cast.plan.pk}"
    assert client.get(url).status_code == 200
    data = {
        "kind": ItemKind.ROUTINE,
        "title": "新增的常规任务",
        "progress": "0",
        "weight": "1",
        "status": ItemStatus.NOT_STARTED,
        "lead_unit": cast.unit_b.pk,
        "co_units": [cast.unit_a.pk],
    }
    response = client.post(url, data)
    item = WorkItem.objects.get(title="新增的常规任务")
    assert response.status_code == 302 and response["Location"] == reverse("plans:item", args=[item.pk])
    assert list(item.co_units.all()) == [cast.unit_a]


def test_it_names_the_bad_field_when_dates_are_reversed(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("plans:item_edit", args=[cast.item_a.pk])
    response = client.post(url, edit_data(cast.item_a, start_date="2023-12-01", due_date="2023-01-01"))
    assert response.status_code == 200
    assert "due_date" in response.context["form"].errors
    cast.item_a.refresh_from_db()
    assert cast.item_a.due_date == date(2023, 12, 31)


def test_it_filters_the_ledger(client_as, cast):
    # The cast's items are due end of 2023, which is past by now: move one into the future.
    WorkItem.objects.filter(pk=cast.item_a.pk).update(due_date=date.today() + timedelta(days=100))
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=date(2020, 1, 1), light=Light.RED)
    client = client_as(cast.supervisor)
    ledger = reverse("plans:ledger")

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
    response = client_as(cast.leader).get(reverse("plans:ledger"), {"node": direction.pk})
    assert [item.pk for item in response.context["page"]] == [cast.item_a.pk]


def test_it_answers_htmx_with_the_table_only(client_as, cast):
    response = client_as(cast.supervisor).get(reverse("plans:ledger"), HTTP_HX_REQUEST="true")
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
            light=Light.GREEN,
        )
        item.co_units.set([cast.unit_b])


def test_it_runs_the_same_number_of_queries_for_few_or_many_rows(
    client_as, cast, django_assert_max_num_queries
):
    client = client_as(cast.supervisor)
    make_items(cast, 3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("plans:ledger"))
    make_items(cast, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("plans:ledger"))
    assert len(response.context["page"]) == 45


def test_it_exports_exactly_the_filtered_rows_to_excel(client_as, cast):
    cast.item_a.co_units.set([cast.unit_b])
    WorkItem.objects.filter(pk=cast.item_a.pk).update(light=Light.YELLOW, progress=Decimal("45"))
    response = client_as(cast.supervisor).get(
        reverse("plans:ledger"), {"kind": ItemKind.KEY_PROJECT, "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    assert header == ["序号", "任务内容", "牵头县领导", "责任单位", "配合单位", "完成时限", "进度", "状态"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    number, task, leader, unit, co_units, due, progress, status = rows[0]
    assert (number, task, leader, unit, co_units) == (
        1,
        "测试重点项目甲",
        "测试县长",
        "县发展和改革局",
        "县文化和旅游局",
    )
    assert due.date() == date(2023, 12, 31)
    assert progress == pytest.approx(0.45)
    assert status.startswith("未开始") and "黄" in status
    assert sheet.cell(3, 8).fill.start_color.rgb == "FFFFFF00"


def test_it_exports_only_what_a_reporter_may_read(client_as, cast):
    response = client_as(cast.reporter_b).get(reverse("plans:ledger"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["测试民生实事乙"]


def test_it_shows_the_item_page_with_its_path_and_marks(client_as, cast):
    direction = PlanNode.objects.create(plan=cast.plan, title="建设文旅强县")
    WorkItem.objects.filter(pk=cast.item_a.pk).update(node=direction, illustrative=True)
    page = client_as(cast.viewer).get(reverse("plans:item", args=[cast.item_a.pk])).content.decode()
    assert "建设文旅强县" in page
    assert 'class="illustrative block"' in page
    assert reverse("plans:item_edit", args=[cast.item_a.pk]) not in page  # a viewer gets no edit button


def test_it_rolls_progress_up_the_plan_tree(client_as, cast):
    direction = PlanNode.objects.create(plan=cast.plan, title="方向一", weight=Decimal("1"))
    WorkItem.objects.filter(pk=cast.item_a.pk).update(node=direction, progress=Decimal("80"))
    WorkItem.objects.filter(pk=cast.item_b.pk).update(
        node=direction, progress=Decimal("20"), weight=Decimal("3")
    )
    response = client_as(cast.leader).get(reverse("plans:tree"))
    assert response.context["tree"][0]["progress"] == Decimal("35.00")
    assert response.context["total"] == Decimal("35.00")


def test_it_reads_in_chinese_by_default(client_as, cast):
    page = client_as(cast.supervisor).get(reverse("plans:ledger")).content.decode()
    assert "工作台账" in page and "导出" in page


def test_it_keeps_the_overdue_filter_for_items_past_their_date(client_as, cast):
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=date.today() + timedelta(days=30))
    two_days_ago = date.today() - timedelta(days=2)
    services.update_item(cast.supervisor, cast.item_a, expected_version=1, due_date=two_days_ago)
    response = client_as(cast.supervisor).get(reverse("plans:ledger"), {"overdue": "on"})
    assert [i.pk for i in response.context["page"]] == [cast.item_a.pk]


def test_it_updates_the_export_link_with_the_htmx_filter(client_as, cast):
    response = client_as(cast.supervisor).get(
        reverse("plans:ledger"), {"kind": ItemKind.LIVELIHOOD}, HTTP_HX_REQUEST="true"
    )
    assert 'id="export-xlsx"' in response.content.decode()
    assert "kind=livelihood&amp;format=xlsx" in response.content.decode()


def test_it_shows_changed_flags_in_words_in_the_history(client, cast):
    from countyworks.plans.services import update_item

    item = type(cast.item_a).objects.get(pk=cast.item_a.pk)
    update_item(cast.supervisor, item, expected_version=item.version, published=False)
    client.force_login(cast.supervisor)
    html = client.get(reverse("plans:item", args=[item.pk])).content.decode()
    assert "True" not in html.split("修改记录")[-1] and "False" not in html.split("修改记录")[-1]
    assert "是" in html.split("修改记录")[-1] and "否" in html.split("修改记录")[-1]


def test_ledger_rows_name_kind_status_and_light_in_the_readers_language(client_as, cast):
    WorkItem.objects.filter(pk=cast.item_b.pk).update(status=ItemStatus.IN_PROGRESS, light=Light.RED)
    client = client_as(cast.supervisor)
    row = _ledger_row(client.get(reverse("plans:ledger"), HTTP_ACCEPT_LANGUAGE="zh-hans"), cast.item_b)
    for label in (ItemKind.LIVELIHOOD.label, ItemStatus.IN_PROGRESS.label, Light.RED.label):
        with translation.override("zh-hans"):
            assert str(label) in row
    row = _ledger_row(client.get(reverse("plans:ledger"), HTTP_ACCEPT_LANGUAGE="en"), cast.item_b)
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
    page = client.get(reverse("plans:ledger"), {"node": node.pk}).content.decode()
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

    from countyworks.plans.views import prepare_rows

    item = WorkItem(progress=Decimal(progress), due_date=date(2023, 12, 31))
    prepare_rows([item])
    assert item.progress_text == floatformat(Decimal(progress), "-1")
    assert item.progress_bar == floatformat(Decimal(progress), 0)
    assert item.due_text == "2023-12-31"
    undated = WorkItem(progress=Decimal(progress))
    prepare_rows([undated])
    assert undated.due_text == "—"


def test_a_progress_that_rounds_up_to_a_whole_number_loses_its_decimal():
    from countyworks.plans.views import prepare_rows

    item = WorkItem(progress=Decimal("99.95"))
    prepare_rows([item])
    # floatformat wrote "100.0" here (it looks at the digits before rounding); a whole number reads better.
    assert (item.progress_text, item.progress_bar) == ("100", "100")


def test_ledger_rows_show_progress_and_deadline(client_as, cast):
    WorkItem.objects.filter(pk=cast.item_b.pk).update(progress=Decimal("37.25"), due_date=date(2024, 3, 31))
    row = _ledger_row(client_as(cast.supervisor).get(reverse("plans:ledger")), cast.item_b)
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
        reverse("plans:item", args=[cast.item_a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
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
        form = client_as(user).get(reverse("plans:ledger")).context["form"]
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

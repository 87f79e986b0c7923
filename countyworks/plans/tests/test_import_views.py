"""The upload screen at /plans/import/: who gets in, the preview, the confirmation."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from countyworks.core.spreadsheet_import import RowProblem
from countyworks.plans import import_views
from countyworks.plans.importer import TaskImportError
from countyworks.plans.models import WorkItem
from countyworks.regions.models import Organisation

HEADER = ["序号", "任务内容", "牵头县领导", "责任单位", "配合单位", "完成时限", "进度", "状态"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def xlsx(rows, name="tasks.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["壶关县重点工作任务分解表"])
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/plans/import/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("actor", ["reporter_a", "leader", "viewer", "admin"])
def test_it_refuses_everyone_but_supervisors(client, cast, actor):
    client.force_login(getattr(cast, actor))
    assert client.get("/plans/import/").status_code == 403
    response = client.post(
        "/plans/import/", {"plan": cast.plan.pk, "file": xlsx([[1, "任务甲", "", "县发展和改革局"]])}
    )
    assert response.status_code == 403
    assert client.get("/plans/import/template.xlsx").status_code == 403
    assert not WorkItem.objects.filter(title="任务甲").exists()


def test_a_supervisor_of_another_county_cannot_choose_this_plan(client, cast):
    cast.other_county.plans.create(year=2023, title="长子县台账")
    client.force_login(cast.outsider_supervisor)
    response = client.post(
        "/plans/import/", {"plan": cast.plan.pk, "file": xlsx([[1, "任务甲", "", "县发展和改革局"]])}
    )
    assert response.status_code == 200 and "plan" in response.context["form"].errors
    assert not WorkItem.objects.filter(title="任务甲").exists()


def test_the_preview_shows_new_units_and_writes_nothing_until_confirmed(client, cast):
    client.force_login(cast.supervisor)
    page = client.get("/plans/import/")
    assert page.status_code == 200 and cast.plan.title in page.content.decode()
    assert list(page.context["form"].fields["plan"].queryset) == [cast.plan]
    before = (WorkItem.objects.count(), Organisation.objects.count())
    response = client.post(
        "/plans/import/",
        {
            "plan": cast.plan.pk,
            "file": xlsx([[1, "新建污水处理厂", "测试县长", "县水务局", "", "2023年12月底", "10%"]]),
        },
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.ok and preview.new_units == ["县水务局"] and len(preview.rows) == 1
    assert "县水务局" in response.content.decode() and "新建污水处理厂" in response.content.decode()
    assert (WorkItem.objects.count(), Organisation.objects.count()) == before

    confirm = client.post(
        "/plans/import/confirm/", {"plan": cast.plan.pk, "token": response.context["token"]}
    )
    assert confirm.status_code == 302 and f"plan={cast.plan.pk}" in confirm["Location"]
    item = WorkItem.objects.get(title="新建污水处理厂")
    assert (item.lead_unit.name, item.lead_leader, str(item.due_date)) == (
        "县水务局",
        cast.leader_person,
        "2023-12-31",
    )
    # The pending file is gone: confirming twice cannot import twice.
    again = client.post("/plans/import/confirm/", {"plan": cast.plan.pk, "token": response.context["token"]})
    assert again.status_code == 302 and WorkItem.objects.filter(title="新建污水处理厂").count() == 1


def test_a_bad_row_is_shown_with_its_number_and_offers_no_confirmation(client, cast):
    client.force_login(cast.supervisor)
    response = client.post(
        "/plans/import/",
        {
            "plan": cast.plan.pk,
            "file": xlsx(
                [[1, "任务甲", "", "县发展和改革局", "", "下辈子"], [2, "任务乙", "", "县发展和改革局"]]
            ),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and response.context["token"] == ""
    assert [p.row for p in response.context["preview"].problems] == [3]
    assert "下辈子" in body and "/plans/import/confirm/" not in body
    assert not WorkItem.objects.filter(title__in=["任务甲", "任务乙"]).exists()


def test_it_rejects_a_file_that_is_not_xlsx_with_a_message(client, cast):
    client.force_login(cast.supervisor)
    response = client.post(
        "/plans/import/", {"plan": cast.plan.pk, "file": SimpleUploadedFile("tasks.csv", b"a,b")}
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors
    broken = client.post(
        "/plans/import/", {"plan": cast.plan.pk, "file": SimpleUploadedFile("tasks.xlsx", b"not a zip")}
    )
    assert "file" in broken.context["form"].errors


def test_a_forged_token_imports_nothing(client, cast):
    client.force_login(cast.supervisor)
    before = WorkItem.objects.count()
    response = client.post("/plans/import/confirm/", {"plan": cast.plan.pk, "token": "../../etc/passwd"})
    assert response.status_code == 302 and response["Location"].endswith("/plans/import/")
    assert WorkItem.objects.count() == before


def test_a_supervisor_downloads_the_template(client, cast):
    client.force_login(cast.supervisor)
    response = client.get("/plans/import/template.xlsx")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # an xlsx is a zip package


def test_it_drops_previews_nobody_confirmed_after_a_day(client, cast, tmp_path):
    import os

    pending = tmp_path / "imports"
    pending.mkdir()
    stale, fresh = pending / ("a" * 32 + ".xlsx"), pending / ("b" * 32 + ".xlsx")
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(stale, (0, 0))
    client.force_login(cast.supervisor)
    client.post("/plans/import/", {"plan": cast.plan.pk, "file": xlsx([[1, "任务甲", "", "县发展和改革局"]])})
    assert not stale.exists() and fresh.exists()


def test_a_malformed_plan_id_on_confirmation_is_a_404_not_a_crash(client, cast):
    client.force_login(cast.supervisor)
    response = client.post("/plans/import/confirm/", {"plan": "abc", "token": "0" * 32})
    assert response.status_code == 404
    assert WorkItem.objects.filter(plan=cast.plan).count() == 2


def test_a_second_confirmation_during_the_first_imports_nothing_and_says_why(client, cast, monkeypatch):
    """A double click or a second tab: the second confirmation arrives while the first is importing."""
    client.force_login(cast.supervisor)
    preview = client.post(
        "/plans/import/", {"plan": cast.plan.pk, "file": xlsx([[1, "新建污水处理厂", "", "县水务局"]])}
    )
    token = preview.context["token"]
    real_import, seconds = import_views.run_import, []

    def import_then_a_second_click_arrives(*args, **kwargs):
        result = real_import(*args, **kwargs)
        if not seconds:  # the first import has written, and its request has not finished yet
            second = client.post(
                "/plans/import/confirm/", {"plan": cast.plan.pk, "token": token}, follow=True
            )
            seconds.append(second)
        return result

    monkeypatch.setattr(import_views, "run_import", import_then_a_second_click_arrives)
    first = client.post("/plans/import/confirm/", {"plan": cast.plan.pk, "token": token}, follow=True)
    assert first.status_code == 200
    assert WorkItem.objects.filter(title="新建污水处理厂").count() == 1
    second = seconds[0]
    assert second.redirect_chain[-1][0].endswith("/plans/import/")
    assert [str(m) for m in second.context["messages"]] == ["该文件已导入或正在导入。"]
    # A third, after both finished, is refused the same way.
    third = client.post("/plans/import/confirm/", {"plan": cast.plan.pk, "token": token}, follow=True)
    assert [str(m) for m in third.context["messages"]] == ["该文件已导入或正在导入。"]
    assert WorkItem.objects.filter(title="新建污水处理厂").count() == 1


def test_a_failed_confirmation_leaves_no_file_behind(client, cast, tmp_path, monkeypatch):
    client.force_login(cast.supervisor)
    preview = client.post(
        "/plans/import/", {"plan": cast.plan.pk, "file": xlsx([[1, "新建污水处理厂", "", "县水务局"]])}
    )

    def refuse(*args, **kwargs):
        # As when another supervisor added the same item between the preview and the confirmation.
        raise TaskImportError([RowProblem(3, "计划中已有同名事项。")])

    monkeypatch.setattr(import_views, "run_import", refuse)
    response = client.post(
        "/plans/import/confirm/", {"plan": cast.plan.pk, "token": preview.context["token"]}
    )
    assert response.status_code == 200 and "计划中已有同名事项。" in response.content.decode()
    assert list((tmp_path / "imports").iterdir()) == []
    assert not WorkItem.objects.filter(title="新建污水处理厂").exists()

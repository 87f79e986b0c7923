"""Writes through the API go through the same services as the screens."""

from __future__ import annotations

from countyworks.api.tests.conftest import bearer
from countyworks.plans.models import WorkItem
from countyworks.supervision.models import Notice, NoticeState, ProgressReport, ReviewState


def _json(client, method, path, payload, key):
    return getattr(client, method)(path, payload, content_type="application/json", **bearer(key))


def test_it_creates_an_item_with_a_write_token(client, cast, tokens):
    payload = {
        "plan_id": cast.plan.pk,
        "title": "新建污水处理厂",
        "kind": "key_project",
        "lead_unit_id": cast.unit_a.pk,
        "co_unit_ids": [cast.unit_b.pk],
        "total_investment": "120000000.00",
        "stage": "planning",
    }
    response = _json(client, "post", "/api/v1/items", payload, tokens["supervisor_write"])
    assert response.status_code == 201, response.content
    item = WorkItem.objects.get(pk=response.json()["id"])
    assert (item.title, item.lead_unit, item.stage) == ("新建污水处理厂", cast.unit_a, "planning")
    assert list(item.co_units.all()) == [cast.unit_b]
    assert response.json()["co_unit_ids"] == [cast.unit_b.pk]


def test_it_names_the_field_when_the_service_refuses_the_input(client, cast, tokens):
    payload = {
        "plan_id": cast.plan.pk,
        "title": "日期颠倒",
        "start_date": "2023-06-01",
        "due_date": "2023-01-01",
    }
    response = _json(client, "post", "/api/v1/items", payload, tokens["supervisor_write"])
    assert response.status_code == 400
    assert response.json()["field"] == "due_date"
    assert not WorkItem.objects.filter(title="日期颠倒").exists()


def test_it_names_the_field_of_a_malformed_value(client, cast, tokens):
    payload = {"plan_id": cast.plan.pk, "title": "进度超百", "progress": "150"}
    response = _json(client, "post", "/api/v1/items", payload, tokens["supervisor_write"])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "progress"
    assert not WorkItem.objects.filter(title="进度超百").exists()


def test_it_refuses_a_unit_of_another_region_by_field(client, cast, tokens):
    from countyworks.regions.models import Organisation

    foreign = Organisation.objects.create(name="长子县发改局", region=cast.other_county)
    payload = {"plan_id": cast.plan.pk, "title": "跨县", "lead_unit_id": foreign.pk}
    response = _json(client, "post", "/api/v1/items", payload, tokens["supervisor_write"])
    assert response.status_code == 400
    assert response.json()["field"] == "lead_unit_id"


def test_it_refuses_a_write_token_of_another_county(client, cast, tokens):
    response = _json(
        client, "post", "/api/v1/items", {"plan_id": cast.plan.pk, "title": "外县"}, tokens["outsider_write"]
    )
    assert response.status_code == 400
    assert response.json()["field"] == "plan_id"
    response = _json(
        client, "patch", f"/api/v1/items/{cast.item_a.pk}", {"expected_version": 1, "title": "外县改"},
        tokens["outsider_write"],
    )  # fmt: skip
    assert response.status_code == 404
    assert not WorkItem.objects.filter(title__startswith="外县").exists()


def test_it_refuses_item_edits_from_a_reporter(client, cast, tokens):
    response = _json(
        client, "patch", f"/api/v1/items/{cast.item_b.pk}", {"expected_version": 1, "title": "改"},
        tokens["reporter_b_write"],
    )  # fmt: skip
    assert response.status_code == 403
    cast.item_b.refresh_from_db()
    assert cast.item_b.title == "测试民生实事乙"


def test_it_updates_with_the_expected_version_and_answers_409_when_stale(client, cast, tokens):
    path = f"/api/v1/items/{cast.item_a.pk}"
    first = _json(
        client, "patch", path, {"expected_version": 1, "progress": "40"}, tokens["supervisor_write"]
    )
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = _json(
        client, "patch", path, {"expected_version": 1, "progress": "10"}, tokens["supervisor_write"]
    )
    assert stale.status_code == 409
    assert stale.json()["field"] == "expected_version"
    cast.item_a.refresh_from_db()
    assert (cast.item_a.progress, cast.item_a.version) == (40, 2)


def test_it_soft_deletes_an_item(client, cast, tokens):
    response = client.delete(f"/api/v1/items/{cast.item_a.pk}", **bearer(tokens["supervisor_write"]))
    assert response.status_code == 204
    assert not WorkItem.objects.filter(pk=cast.item_a.pk).exists()
    assert WorkItem.all_objects.get(pk=cast.item_a.pk).deleted_at is not None


def test_it_takes_a_report_from_the_unit_and_refuses_another_unit(client, cast, tokens):
    payload = {"item_id": cast.item_b.pk, "period": "2023-Q3", "text": "完成招标", "progress": "35"}
    response = _json(client, "post", "/api/v1/reports", payload, tokens["reporter_b_write"])
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get(pk=response.json()["id"])
    assert (report.unit, report.state, report.submitted_by) == (
        cast.unit_b,
        ReviewState.SUBMITTED,
        cast.reporter_b,
    )
    # item_a belongs to unit A: reporter B cannot even see it.
    payload["item_id"] = cast.item_a.pk
    response = _json(client, "post", "/api/v1/reports", payload, tokens["reporter_b_write"])
    assert response.status_code == 400
    assert response.json()["field"] == "item_id"


def test_it_names_the_period_field_of_a_bad_report(client, cast, tokens):
    payload = {"item_id": cast.item_b.pk, "period": "Q3", "text": "x", "progress": "35"}
    response = _json(client, "post", "/api/v1/reports", payload, tokens["reporter_b_write"])
    assert response.status_code == 400
    assert response.json()["field"] == "period"
    assert not ProgressReport.objects.exists()


def test_it_lets_the_supervisor_approve_a_report_and_moves_the_item(client, cast, tokens):
    report = ProgressReport.objects.create(
        item=cast.item_b, period="2023-Q3", text="进展", progress=55, unit=cast.unit_b,
        submitted_by=cast.reporter_b, submitted_at="2023-09-30T10:00:00+08:00",
    )  # fmt: skip
    path = f"/api/v1/reports/{report.pk}/review"
    refused = _json(
        client, "post", path, {"approve": True, "expected_version": 1}, tokens["reporter_b_write"]
    )
    assert refused.status_code == 403
    response = _json(
        client, "post", path, {"approve": True, "expected_version": 1}, tokens["supervisor_write"]
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    cast.item_b.refresh_from_db()
    assert cast.item_b.progress == 55
    again = _json(client, "post", path, {"approve": False, "expected_version": 2}, tokens["supervisor_write"])
    assert again.status_code == 400
    assert again.json()["field"] == "state"


def test_it_issues_answers_and_closes_a_notice(client, cast, tokens):
    from countyworks.accounts.models import ApiToken, TokenScope

    _t, reporter_a = ApiToken.issue(cast.reporter_a, "a", cast.county, TokenScope.WRITE)
    payload = {
        "item_id": cast.item_a.pk,
        "unit_id": cast.unit_a.pk,
        "content": "请加快进度",
        "deadline": "2023-12-01",
    }
    response = _json(client, "post", "/api/v1/notices", payload, tokens["supervisor_write"])
    assert response.status_code == 201, response.content
    notice_id = response.json()["id"]
    wrong_unit = _json(
        client, "post", f"/api/v1/notices/{notice_id}/answer", {"answer": "x"}, tokens["reporter_b_write"]
    )
    assert wrong_unit.status_code == 404  # unit B cannot see unit A's item, so not its notice either
    answered = _json(client, "post", f"/api/v1/notices/{notice_id}/answer", {"answer": "已整改"}, reporter_a)
    assert answered.status_code == 200, answered.content
    closed = _json(client, "post", f"/api/v1/notices/{notice_id}/close", {}, tokens["supervisor_write"])
    assert closed.status_code == 200
    notice = Notice.objects.get(pk=notice_id)
    assert (notice.state, notice.answer, notice.closed_by) == (NoticeState.CLOSED, "已整改", cast.supervisor)


def test_it_never_answers_500_to_a_nul_byte(client, cast, tokens):
    payload = {"plan_id": cast.plan.pk, "title": "a\u0000b"}
    response = _json(client, "post", "/api/v1/items", payload, tokens["supervisor_write"])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "title"

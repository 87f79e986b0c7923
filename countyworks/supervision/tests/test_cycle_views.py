"""Reporting cycles on screen and through the API (issue 19): the plan's cycles, the missing-reports
view, the item page's cycle and reopening, the reminders, and bad input."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from countyworks.accounts.models import ApiToken, TokenScope
from countyworks.plans.models import WorkItem
from countyworks.supervision import engine, services
from countyworks.supervision.models import (
    PeriodReopening,
    ProgressReport,
    Reminder,
    ReminderKind,
    ReportingCycle,
    ReviewState,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def sent(cast, item, unit, period, day, state=ReviewState.SUBMITTED, late=False):
    report = ProgressReport(
        item=item,
        period=period,
        text="进展",
        progress=10,
        unit=unit,
        submitted_at=datetime(day.year, day.month, day.day, 2, tzinfo=UTC),
        state=state,
        late=late,
    )
    report._history_date = report.submitted_at  # its history starts when it was sent
    report.save()
    return report


def test_the_office_sets_the_plans_cycles_and_the_ranking_counts_by_them(client_as, cast):
    client = client_as(cast.supervisor)
    url = reverse("supervision:plan_cycles") + f"?plan={cast.plan.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "报送频次" in page.content.decode()
    response = client.post(
        url,
        {"all-cadence": "quarterly", "all-closes_after_end": "5", "livelihood-cadence": "weekly"},
    )
    assert response.status_code == 302
    cycles = {c.kind: (c.cadence, c.closes_after_end) for c in ReportingCycle.objects.filter(plan=cast.plan)}
    assert cycles == {"": ("quarterly", 5), "livelihood": ("weekly", 0)}
    # A blank frequency removes the kind's row again.
    client.post(url, {"all-cadence": "quarterly", "all-closes_after_end": "5"})
    assert set(ReportingCycle.objects.filter(plan=cast.plan).values_list("kind", flat=True)) == {""}
    # A window edge beyond 31 days is refused on the form, naming the field, and nothing changes.
    refused = client.post(url, {"all-cadence": "monthly", "all-closes_after_end": "40"})
    assert refused.status_code == 200
    assert ReportingCycle.objects.get(plan=cast.plan, kind="").cadence == "quarterly"


def test_a_reporter_may_not_set_the_cycles(client_as, cast):
    assert client_as(cast.reporter_a).get(reverse("supervision:plan_cycles")).status_code == 403


def test_the_missing_reports_view_lists_each_units_missing_late_and_returned_periods(client_as, cast):
    cast.item_a.co_units.add(cast.unit_b)
    sent(cast, cast.item_a, cast.unit_a, "2023-01", date(2023, 1, 20))
    sent(cast, cast.item_a, cast.unit_a, "2023-02", date(2023, 3, 3), late=True)
    sent(cast, cast.item_a, cast.unit_a, "2023-03", date(2023, 3, 10), state=ReviewState.RETURNED)
    page = client_as(cast.supervisor).get(
        reverse("supervision:missing_reports") + f"?plan={cast.plan.pk}&as_of=2023-04-10"
    )
    html = page.content.decode()
    groups = page.context["rows"]
    by_unit = {row["unit"].unit_name: row for row in groups}
    # Unit A, lead of item A: Jan on time, Feb late, Mar returned, Apr window open.
    counts_a = by_unit[cast.unit_a.name]["counts"]
    assert (
        counts_a["owed"],
        counts_a["on_time"],
        counts_a["late"],
        counts_a["returned"],
        counts_a["open"],
    ) == (
        4,
        1,
        1,
        1,
        1,
    )
    # Unit B leads item B and sent nothing: Jan–Mar missing, Apr open. It also co-operates on item
    # A, but the lead unit gathers and sends that item's report, so B owes none for it.
    counts_b = by_unit[cast.unit_b.name]["counts"]
    assert (counts_b["owed"], counts_b["missing"], counts_b["open"]) == (4, 3, 1)
    assert groups[0]["unit"].unit_name == cast.unit_b.name  # most outstanding first
    assert "2023年3月" in html or "3/2023" in html
    # The outstanding list leaves out what came, unless asked.
    assert all(d["state"] in ("missing", "open", "returned") for d in by_unit[cast.unit_a.name]["duties"])
    everything = client_as(cast.supervisor).get(
        reverse("supervision:missing_reports") + f"?plan={cast.plan.pk}&as_of=2023-04-10&show=all"
    )
    assert len(everything.context["rows"][1]["duties"]) == 4


def test_the_missing_reports_of_a_past_day_count_what_had_come_by_then_in_its_state_then(client_as, cast):
    march = sent(cast, cast.item_a, cast.unit_a, "2023-03", date(2023, 3, 20))
    sent(cast, cast.item_a, cast.unit_a, "2023-04", date(2023, 4, 28))
    # The March report was returned in May: on 10 April it still counted as sent.
    march.state, march._history_date = ReviewState.RETURNED, datetime(2023, 5, 5, 2, tzinfo=UTC)
    march.save()
    url = reverse("supervision:missing_reports") + f"?plan={cast.plan.pk}&as_of=2023-04-10&show=all"
    duties = {
        d["item"].pk: d
        for row in client_as(cast.supervisor).get(url).context["rows"]
        for d in row["duties"]
        if d["item"].pk == cast.item_a.pk and d["period"] in ("2023年3月", "3/2023")
    }
    assert duties[cast.item_a.pk]["state"] == "on_time"
    states = [
        d["state"]
        for row in client_as(cast.supervisor).get(url).context["rows"]
        for d in row["duties"]
        if d["item"].pk == cast.item_a.pk
    ]
    assert states == ["missing", "missing", "on_time", "open"]  # the April report came later
    today = client_as(cast.supervisor).get(
        reverse("supervision:missing_reports") + f"?plan={cast.plan.pk}&as_of=2023-05-10&show=all"
    )
    march_now = [
        d["state"] for row in today.context["rows"] for d in row["duties"] if d["item"].pk == cast.item_a.pk
    ][2]
    assert march_now == "returned"


def test_a_reporter_sees_only_its_own_units_duties_and_the_excel_holds_the_same(client_as, cast):
    client = client_as(cast.reporter_a)
    page = client.get(reverse("supervision:missing_reports") + f"?plan={cast.plan.pk}&as_of=2023-02-10")
    assert [row["unit"].unit_name for row in page.context["rows"]] == [cast.unit_a.name]
    book = client.get(
        reverse("supervision:missing_reports") + f"?plan={cast.plan.pk}&as_of=2023-02-10&format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(book.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[0], r[2]) for r in rows] == [(cast.unit_a.name, cast.item_a.title)] * 2


def test_a_bad_as_of_date_is_a_clear_400(client_as, cast):
    response = client_as(cast.supervisor).get(reverse("supervision:missing_reports") + "?as_of=2023-13-01")
    assert response.status_code == 400 and "as_of" in response.content.decode()


def test_the_item_page_shows_the_cycle_and_the_office_reopens_a_period_there(client_as, cast):
    ReportingCycle.objects.create(plan=cast.plan, kind="key_project", cadence="weekly")
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-06", text="六月", progress=40)
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    client = client_as(cast.supervisor)
    page = client.get(reverse("ledger:item", args=[cast.item_a.pk]))
    html = page.content.decode()
    assert page.context["cycle"]["label"] == "每周"
    assert 'action="' + reverse("supervision:period_reopen", args=[cast.item_a.pk]) in html
    response = client.post(
        reverse("supervision:period_reopen", args=[cast.item_a.pk]),
        {"unit": cast.unit_a.pk, "period": "2023-06", "reason": "投资额填错"},
    )
    assert response.status_code == 302
    reopening = PeriodReopening.objects.get(item=cast.item_a)
    assert (reopening.reason, reopening.reopened_by) == ("投资额填错", cast.supervisor)
    page = client.get(reverse("ledger:item", args=[cast.item_a.pk]))
    assert "投资额填错" in page.content.decode()
    assert page.context["reports"][0].reopen_form is None  # reopened once, awaiting the correction
    # A reporter's item page offers no reopening.
    reporter_page = client_as(cast.reporter_a).get(reverse("ledger:item", args=[cast.item_a.pk]))
    assert all(r.reopen_form is None for r in reporter_page.context["reports"])


def test_a_reopening_without_a_reason_changes_nothing(client_as, cast):
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-06", text="六月", progress=40)
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    client = client_as(cast.supervisor)
    response = client.post(
        reverse("supervision:period_reopen", args=[cast.item_a.pk]),
        {"unit": cast.unit_a.pk, "period": "2023-06", "reason": ""},
        follow=True,
    )
    assert response.status_code == 200 and not PeriodReopening.objects.exists()


def test_the_report_form_offers_the_period_its_cycle_owes(client_as, cast):
    ReportingCycle.objects.create(plan=cast.plan, kind="key_project", cadence="semimonthly")
    with time_machine.travel(datetime(2023, 6, 20, 9, tzinfo=SHANGHAI), tick=False):
        page = client_as(cast.reporter_a).get(reverse("supervision:report_new", args=[cast.item_a.pk]))
        assert page.context["form"].initial["period"] == "2023年6月下半月"
        asked = client_as(cast.reporter_a).get(
            reverse("supervision:report_new", args=[cast.item_a.pk]) + "?period=2023-06-H1"
        )
        assert asked.context["form"].initial["period"] == "2023年6月上半月"


def test_reminders_follow_the_items_cycle(cast):
    ReportingCycle.objects.create(plan=cast.plan, kind="key_project", cadence="weekly")
    WorkItem.objects.filter(pk__in=[cast.item_a.pk, cast.item_b.pk]).update(status="in_progress")
    # A Monday early in the month: the weekly item is chased at once, the monthly one not before the
    # reminder day (25th by default), as before cycles existed.
    engine.supervise(date(2023, 6, 5))
    kinds = set(Reminder.objects.filter(kind=ReminderKind.REPORT_DUE).values_list("item_id", "period_key"))
    assert kinds == {(cast.item_a.pk, "2023-W23")}
    services.submit_report(cast.reporter_b, cast.item_b, period="2023-06", text="已报", progress=10)
    engine.supervise(date(2023, 6, 26))
    kinds = set(Reminder.objects.filter(kind=ReminderKind.REPORT_DUE).values_list("item_id", "period_key"))
    assert kinds == {(cast.item_a.pk, "2023-W23"), (cast.item_a.pk, "2023-W26")}


def _token(user, scope=TokenScope.WRITE) -> str:
    _token_row, key = ApiToken.issue(user, name="测试", region=user.region, scope=scope)
    return key


def test_the_api_sets_cycles_and_names_the_bad_field(client, cast):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(cast.supervisor)}"}
    url = reverse("api:set_reporting_cycle", args=[cast.plan.pk, "research"])
    ok = client.put(
        url, {"cadence": "quarterly", "opens_before_end": 10}, content_type="application/json", **headers
    )
    assert ok.status_code == 200 and ok.json()["kind"] == "research"
    bad = client.put(url, {"cadence": "yearly"}, content_type="application/json", **headers)
    assert bad.status_code in (400, 422) and "cadence" in bad.content.decode()
    wide = client.put(
        url, {"cadence": "monthly", "closes_after_end": 99}, content_type="application/json", **headers
    )
    assert wide.status_code in (400, 422) and "closes_after_end" in wide.content.decode()
    listed = client.get(reverse("api:list_reporting_cycles", args=[cast.plan.pk]), **headers).json()
    assert listed == [
        {"kind": "research", "cadence": "quarterly", "opens_before_end": 10, "closes_after_end": 0}
    ]
    gone = client.put(url, {"cadence": None}, content_type="application/json", **headers)
    assert gone.status_code == 200 and not ReportingCycle.objects.exists()


def test_the_api_reopens_a_period_and_a_locked_period_is_a_400_naming_it(client, cast):
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-06", text="六月", progress=40)
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    reporter = {"HTTP_AUTHORIZATION": f"Bearer {_token(cast.reporter_a)}"}
    locked = client.post(
        reverse("api:submit_report"),
        {"item_id": cast.item_a.pk, "period": "2023-06", "text": "更正", "progress": 45},
        content_type="application/json",
        **reporter,
    )
    assert locked.status_code == 400 and locked.json()["field"] == "period"
    office = {"HTTP_AUTHORIZATION": f"Bearer {_token(cast.supervisor)}"}
    reopened = client.post(
        reverse("api:reopen_period", args=[cast.item_a.pk]),
        {"unit_id": cast.unit_a.pk, "period": "2023-06", "reason": "更正"},
        content_type="application/json",
        **office,
    )
    assert reopened.status_code == 200 and reopened.json()["period"] == "2023-06"
    corrected = client.post(
        reverse("api:submit_report"),
        {"item_id": cast.item_a.pk, "period": "2023年6月", "text": "更正", "progress": 45},
        content_type="application/json",
        **reporter,
    )
    assert corrected.status_code in (200, 201) and corrected.json()["late"] is False


def test_the_api_lists_missing_reports(client, cast):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(cast.reporter_a, TokenScope.READ)}"}
    rows = client.get(
        reverse("api:missing_reports") + f"?plan={cast.plan.pk}&as_of=2023-02-10", **headers
    ).json()
    assert [(r["item_id"], r["period"], r["state"]) for r in rows] == [
        (cast.item_a.pk, "2023-01", "missing"),
        (cast.item_a.pk, "2023-02", "open"),
    ]


def test_the_item_editor_sets_the_items_own_frequency_and_the_api_reads_it(client_as, cast, client):
    editor = client_as(cast.supervisor)
    form_page = editor.get(reverse("plans:item_edit", args=[cast.item_a.pk]))
    assert 'name="report_cadence"' in form_page.content.decode()
    data = {
        key: value
        for key, value in form_page.context["form"].initial.items()
        if value is not None and key not in ("co_units", "node", "lead_leader", "lead_unit", "citation")
    }
    data |= {
        "lead_unit": cast.unit_a.pk,
        "lead_leader": cast.leader_person.pk,
        "report_cadence": "semimonthly",
        "version": cast.item_a.version,
    }
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = editor.post(reverse("plans:item_edit", args=[cast.item_a.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cast.item_a.refresh_from_db()
    assert cast.item_a.report_cadence == "semimonthly"
    api = client.get(
        reverse("api:get_item", args=[cast.item_a.pk]), HTTP_AUTHORIZATION=f"Bearer {_token(cast.supervisor)}"
    )
    assert api.json()["report_cadence"] == "semimonthly"


def test_a_reopening_is_read_by_the_office_and_its_unit_not_by_a_co_operating_unit(client_as, cast):
    cast.item_a.co_units.add(cast.unit_b)
    report = services.submit_report(cast.reporter_a, cast.item_a, period="2023-06", text="六月", progress=40)
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    from countyworks.supervision import procedure_services

    procedure_services.reopen_period(
        cast.supervisor, cast.item_a, unit=cast.unit_a, period="2023-06", reason="甲单位更正"
    )
    page = reverse("ledger:item", args=[cast.item_a.pk])
    assert "甲单位更正" in client_as(cast.supervisor).get(page).content.decode()
    assert "甲单位更正" in client_as(cast.reporter_a).get(page).content.decode()
    assert "甲单位更正" not in client_as(cast.reporter_b).get(page).content.decode()

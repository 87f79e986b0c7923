"""Reporting cycles in Chromium at 390×844 (issue 19): the office sets a weekly cycle for key
projects, the reporter's 我的事项 asks for this week's report, the office reads who is missing and
reopens a reviewed period for a correction, which the reporter then sends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from countyworks.plans import cadence
from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision import services
from countyworks.supervision.models import PeriodReopening, ReportingCycle
from countyworks.supervision.tests.test_phone_browser import browser, check, phone_page  # noqa: F401

pytestmark = pytest.mark.browser


def test_weekly_cycle_missing_reports_and_a_reopened_period_on_the_phone(
    transactional_db,
    cast,
    live_server,
    browser,  # noqa: F811
):
    today = timezone.localdate()
    WorkItem.objects.filter(pk__in=[cast.item_a.pk, cast.item_b.pk]).update(
        status=ItemStatus.IN_PROGRESS,
        start_date=today - timedelta(days=60),
        due_date=today + timedelta(days=60),
    )
    this_week = cadence.period_of(cadence.WEEKLY, today).key
    this_month = f"{today.year}-{today.month:02d}"

    office = phone_page(browser, live_server, "supervisor")
    office.goto(live_server.url + reverse("supervision:plan_cycles") + f"?plan={cast.plan.pk}")
    check(office, "cycles-01-settings")
    office.select_option("select[name=key_project-cadence]", "weekly")
    office.click("form.cycles button[type=submit]")
    office.wait_for_selector(".messages, .message, [role=status]")
    assert ReportingCycle.objects.get(plan=cast.plan, kind="key_project").cadence == "weekly"
    check(office, "cycles-02-saved")

    reporter = phone_page(browser, live_server, "reporter_a")
    reporter.goto(live_server.url + reverse("supervision:my_work"))
    week_number = int(this_week.split("-W")[1])
    assert f"第{week_number}周" in reporter.inner_text("main")
    check(reporter, "cycles-03-my-work-weekly")
    # The link opens the report form on the period it lists.
    reporter.click(f"a[href*='period={this_week}']")
    assert reporter.input_value("input[name=period]") == f"{today.year}年第{week_number}周"
    check(reporter, "cycles-04-report-form")

    office.goto(live_server.url + reverse("supervision:missing_reports") + f"?plan={cast.plan.pk}")
    assert cast.unit_a.name in office.inner_text("#missing-summary")
    check(office, "cycles-05-missing")

    # A month's report of unit B, approved: its period is locked until the office reopens it.
    report = services.submit_report(
        cast.reporter_b, cast.item_b, period=this_month, text="本月进展", progress=30
    )
    services.review_report(cast.supervisor, report, approve=True, expected_version=report.version)
    office.goto(live_server.url + reverse("ledger:item", args=[cast.item_b.pk]))
    office.click("details.reopen-period summary")
    office.fill("details.reopen-period input[name=reason]", "投资额填写有误")
    office.click("details.reopen-period button[type=submit]")
    office.wait_for_selector("ul.reopenings")
    assert "投资额填写有误" in office.inner_text("ul.reopenings")
    check(office, "cycles-06-reopened")
    assert PeriodReopening.objects.filter(item=cast.item_b, used_by__isnull=True).count() == 1

    unit_b = phone_page(browser, live_server, "reporter_b")
    unit_b.goto(
        live_server.url + reverse("supervision:report_new", args=[cast.item_b.pk]) + f"?period={this_month}"
    )
    unit_b.fill("textarea[name=text]", "更正后的投资额")
    unit_b.fill("input[name=progress]", "35")
    unit_b.click("#submit-report")
    unit_b.wait_for_url(lambda url: "/report/" not in url)
    assert PeriodReopening.objects.get(item=cast.item_b).used_by is not None

"""End to end in Debian's Chromium: report with a photo, return, resubmit, approve, see it on the dashboard."""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS
from countyworks.plans.models import Light, WorkItem
from countyworks.supervision import status
from countyworks.supervision.models import Evidence, ProgressReport, ReviewState

# Playwright's sync API runs an event loop in this thread; Django's ORM calls here are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "pass-for-tests-only"


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def logged_in_page(browser, live_server, username: str):
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return page


@pytest.mark.browser
def test_it_takes_a_report_through_return_resubmit_and_approval(
    transactional_db, cast, live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    # Half-way through its period with nothing done: the rules light it red.
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        start_date=today - timedelta(days=100), due_date=today + timedelta(days=100)
    )
    WorkItem.objects.filter(pk=cast.item_b.pk).update(due_date=today + timedelta(days=200))
    # No supervise run needed: the light is derived when the page is read.
    assert status.annotate(WorkItem.objects.filter(pk=cast.item_a.pk)).get().light == Light.RED
    photo = tmp_path / "工地.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())
    item_url = live_server.url + reverse("ledger:item", args=[cast.item_a.pk])

    reporter = logged_in_page(browser, live_server, "reporter_a")
    reporter.goto(item_url)
    reporter.click(f"a[href='{reverse('supervision:report_new', args=[cast.item_a.pk])}']")
    reporter.fill("#id_progress", "55")
    reporter.fill("#id_text", "主体结构施工过半")
    reporter.set_input_files("#id_evidence", str(photo))
    reporter.click("#submit-report")
    reporter.wait_for_url(item_url)
    report = ProgressReport.objects.get()
    assert report.state == ReviewState.SUBMITTED and Evidence.objects.filter(report=report).count() == 1
    # The photo is served through the checked view and actually decodes in the browser.
    reporter.wait_for_function(
        "() => { const i = document.querySelector('.evidence img'); return i && i.naturalWidth > 0; }"
    )

    supervisor = logged_in_page(browser, live_server, "supervisor")
    supervisor.goto(live_server.url + reverse("supervision:reviews"))
    supervisor.click(f"tr[data-report='{report.pk}'] a.button")
    supervisor.check("input[name=decision][value=return]")
    supervisor.fill("#id_comment", "请补充本月产值数据")
    supervisor.click("#submit-review")
    supervisor.wait_for_url(live_server.url + reverse("supervision:reviews"))
    report.refresh_from_db()
    assert report.state == ReviewState.RETURNED

    reporter.reload()
    assert "请补充本月产值数据" in reporter.inner_text(f"li[data-report='{report.pk}']")
    reporter.click(f"a[href='{reverse('supervision:report_resubmit', args=[report.pk])}']")
    reporter.fill("#id_progress", "60")
    reporter.fill("#id_text", "主体结构施工过半，本月完成产值已补充")
    reporter.click("#submit-report")
    reporter.wait_for_url(item_url)
    report.refresh_from_db()
    assert (report.state, report.progress) == (ReviewState.SUBMITTED, 60)

    supervisor.goto(live_server.url + reverse("supervision:review", args=[report.pk]))
    supervisor.check("input[name=decision][value=approve]")
    supervisor.click("#submit-review")
    supervisor.wait_for_url(live_server.url + reverse("supervision:reviews"))
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    assert item.progress == 60

    # At once, with no cron run: 60% against ~50% expected is green.
    supervisor.goto(live_server.url + reverse("supervision:dashboard"))
    assert supervisor.inner_text("[data-light=green]") == "1"  # item_a; item_b, far behind, stays red
    assert supervisor.inner_text("#total-progress") == "30%"  # weights 1 and 1: (60 + 0) / 2
    supervisor.wait_for_selector("#chart-lights svg")  # ECharts drew from our static files under the CSP
    supervisor.goto(live_server.url + reverse("ledger:list") + "?light=green")
    row = supervisor.inner_text(f"tr[data-item='{cast.item_a.pk}']")
    assert "60%" in row and "绿灯" in row

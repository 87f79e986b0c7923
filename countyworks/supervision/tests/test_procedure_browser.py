"""End to end in Chromium (issue 13): assign → sign → apply for an extension → approve → report →
head approves (单位审签) → office approves → apply to close → close, with the light and the ranking
asserted against the one derivation at each step."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from countyworks.accounts.models import Role
from countyworks.conftest import make_user
from countyworks.plans.models import ItemStatus, Light, WorkItem
from countyworks.supervision import procedure_services, status
from countyworks.supervision.models import (
    ClosureRequest,
    ClosureState,
    ExtensionRequest,
    ExtensionState,
    ProgressReport,
    ReviewState,
    SignOff,
)
from countyworks.supervision.rankings import unit_rankings
from countyworks.supervision.tests.test_browser import browser, logged_in_page  # noqa: F401

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _light(cast, today) -> str:
    item = status.annotate(WorkItem.objects.filter(pk=cast.item_a.pk), today).get()
    assert status.assess(item, today).light == item.light  # the SQL and the rule agree
    return item.light


def _rank(cast, today) -> tuple[int, int]:
    rows = unit_rankings(cast.plan, today - timedelta(days=365), today + timedelta(days=365), today=today)
    row = next(r for r in rows if r.unit_id == cast.unit_a.pk)
    return row.overdue, row.extended


@pytest.mark.browser
def test_the_procedure_chain_on_one_item(transactional_db, cast, live_server, browser, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    # Five days late at 80 %: red and overdue, though the work is nearly done.
    WorkItem.objects.filter(pk=cast.item_a.pk).update(
        start_date=today - timedelta(days=200), due_date=today - timedelta(days=5), progress=80
    )
    cast.item_a.refresh_from_db()
    # Unit A's reports are approved by its head before the office sees them (单位审签).
    cast.unit_a.reports_need_head_approval = True
    cast.unit_a.save()
    make_user("head_a", Role.UNIT_HEAD, cast.county, cast.unit_a)
    assert _light(cast, today) == Light.RED and _rank(cast, today) == (1, 0)
    item_url = live_server.url + reverse("ledger:item", args=[cast.item_a.pk])

    # Assign: the lead unit must sign.
    (row,) = procedure_services.assign_item(cast.item_a)
    reporter = logged_in_page(browser, live_server, "reporter_a")
    reporter.set_viewport_size({"width": 390, "height": 844})
    reporter.goto(item_url)
    reporter.click(f"form[action='{reverse('supervision:signoff_sign', args=[row.pk])}'] button")
    reporter.wait_for_url(item_url)
    row.refresh_from_db()
    assert row.signed_by == cast.reporter_a
    assert "reporter_a" in reporter.inner_text(f"p.signoff[data-unit='{cast.unit_a.pk}']")
    assert _light(cast, today) == Light.RED and _rank(cast, today) == (1, 0)

    # Apply for an extension: nothing changes until the office decides.
    new_due = today + timedelta(days=60)
    reporter.click(f"a[href='{reverse('supervision:extension_apply', args=[cast.item_a.pk])}']")
    reporter.fill("#id_requested_due_date", new_due.isoformat())
    reporter.fill("#id_reason", "设备到货延迟，已有厂家说明")
    reporter.click("button[type=submit].primary")
    reporter.wait_for_url(item_url)
    extension = ExtensionRequest.objects.get()
    assert extension.state == ExtensionState.PENDING
    assert _light(cast, today) == Light.RED and _rank(cast, today) == (1, 0)
    # The procedure's section fits a phone (the rest of the item page is the phone issue's).
    assert reporter.evaluate(
        "(() => { const s = document.querySelector('#procedure'); return s.scrollWidth <= s.clientWidth; })()"
    )

    # The office approves from its queue: the deadline moves, the original is kept, red goes away.
    supervisor = logged_in_page(browser, live_server, "supervisor")
    supervisor.set_viewport_size({"width": 390, "height": 844})
    supervisor.goto(live_server.url + reverse("supervision:procedure_queue"))
    widths = supervisor.evaluate("[document.querySelector('main, body').scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]  # no horizontal scroll on a phone
    card = f"article[data-extension='{extension.pk}']"
    supervisor.check(f"{card} input[name='e{extension.pk}-decision'][value=approve]")
    supervisor.click(f"{card} button[type=submit]")
    supervisor.wait_for_url(live_server.url + reverse("supervision:procedure_queue"))
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    assert item.due_date == new_due and item.original_due_date == today - timedelta(days=5)
    assert _light(cast, today) == Light.GREEN and _rank(cast, today) == (0, 1)
    reporter.goto(item_url)
    assert (today - timedelta(days=5)).isoformat() in reporter.inner_text("#procedure")

    # Report progress: it waits for the unit head; the office's queue does not have it, and the item
    # keeps its progress, light and ranking, as for any report not yet approved.
    reporter.click(f"a[href='{reverse('supervision:report_new', args=[cast.item_a.pk])}']")
    reporter.fill("#id_progress", "90")
    reporter.fill("#id_text", "设备已到货并完成安装")
    reporter.click("#submit-report")
    reporter.wait_for_url(item_url)
    report = ProgressReport.objects.get()
    assert report.state == ReviewState.WITH_HEAD
    assert "待单位审签" in reporter.inner_text(f"li[data-report='{report.pk}']")
    supervisor.goto(live_server.url + reverse("supervision:reviews"))
    assert "设备已到货并完成安装" not in supervisor.inner_text("main")
    assert WorkItem.objects.get(pk=cast.item_a.pk).progress == 80
    assert _light(cast, today) == Light.GREEN and _rank(cast, today) == (0, 1)

    # The unit head finds it on 我的事项 and approves it on the item page: on to the office.
    head = logged_in_page(browser, live_server, "head_a")
    head.set_viewport_size({"width": 390, "height": 844})
    head.goto(live_server.url + reverse("supervision:my_work"))
    head.click(f"a[href='{reverse('ledger:item', args=[cast.item_a.pk])}#report-{report.pk}']")
    head.check(f"form.head-review input[name='h{report.pk}-decision'][value=approve]")
    head.click("form.head-review button[type=submit]")
    head.wait_for_url(item_url)
    report.refresh_from_db()
    assert report.state == ReviewState.SUBMITTED and report.head_decided_by.username == "head_a"
    assert WorkItem.objects.get(pk=cast.item_a.pk).progress == 80
    assert _light(cast, today) == Light.GREEN and _rank(cast, today) == (0, 1)

    # The office approves it: still green, still an extension, not an overdue.
    supervisor.goto(live_server.url + reverse("supervision:review", args=[report.pk]))
    supervisor.check("input[name=decision][value=approve]")
    supervisor.click("#submit-review")
    supervisor.wait_for_url(live_server.url + reverse("supervision:reviews"))
    assert WorkItem.objects.get(pk=cast.item_a.pk).progress == 90
    assert _light(cast, today) == Light.GREEN and _rank(cast, today) == (0, 1)
    assert SignOff.objects.filter(signed_at__isnull=True).count() == 0

    # Apply to close (办结): the item stays open until the office decides.
    reporter.goto(item_url)
    reporter.click("#apply-closure")
    reporter.fill("#id_summary", "设备调试完成，项目竣工投产")
    reporter.click("button[type=submit].primary")
    reporter.wait_for_url(item_url)
    closure = ClosureRequest.objects.get()
    assert closure.state == ClosureState.PENDING
    assert _light(cast, today) == Light.GREEN and _rank(cast, today) == (0, 1)

    # The office closes it from the queue: done on every surface, the ranking counts no overdue.
    supervisor.goto(live_server.url + reverse("supervision:procedure_queue"))
    card = f"article[data-closure='{closure.pk}']"
    supervisor.check(f"{card} input[name='c{closure.pk}-decision'][value=approve]")
    supervisor.click(f"{card} button[type=submit]")
    supervisor.wait_for_url(live_server.url + reverse("supervision:procedure_queue"))
    item = WorkItem.objects.get(pk=cast.item_a.pk)
    assert (item.status, item.progress) == (ItemStatus.COMPLETED, 100)
    assert _light(cast, today) == Light.DONE and _rank(cast, today) == (0, 1)
    reporter.goto(item_url)
    assert "设备调试完成" in reporter.inner_text("#procedure")
    assert reporter.locator("#apply-closure").count() == 0

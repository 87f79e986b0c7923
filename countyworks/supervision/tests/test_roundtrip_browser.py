"""End to end in Debian's Chromium: export the ledger, edit three cells, preview exactly those, confirm."""

from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision.ledger_export import ID_COLUMN
from countyworks.supervision.models import ProgressReport
from countyworks.supervision.tests.test_browser import browser, logged_in_page  # noqa: F401 (fixture)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
def test_export_edit_three_cells_preview_them_and_confirm(
    transactional_db,
    cast,
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = logged_in_page(browser, live_server, "supervisor")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("ledger:roundtrip"))
    with page.expect_download() as download_info:
        page.click(f"a[href*='plan={cast.plan.pk}'][href*='format=xlsx']")
    exported = tmp_path / "ledger.xlsx"
    download_info.value.save_as(exported)

    book = load_workbook(exported)
    sheet = book.active
    rows = {sheet.cell(r, ID_COLUMN).value: r for r in range(3, sheet.max_row + 1)}
    sheet.cell(rows[cast.item_a.pk], 7).value = 0.7  # 进度 70 %
    sheet.cell(rows[cast.item_a.pk], 8).value = "推进中"  # 状态
    sheet.cell(rows[cast.item_b.pk], 6).value = datetime(2023, 11, 15)  # 完成时限
    book.save(exported)

    page.select_option("#id_plan", str(cast.plan.pk))
    page.set_input_files("#id_file", str(exported))
    page.click("#roundtrip-preview")
    changes = page.locator("#roundtrip-changes tbody tr")
    changes.first.wait_for()
    assert changes.count() == 3
    texts = [" | ".join(changes.nth(i).locator("td").all_inner_texts()) for i in range(3)]
    assert "进度" in texts[0] and "70%" in texts[0]
    assert "状态" in texts[1] and "推进中" in texts[1]
    assert "完成时限" in texts[2] and "2023-11-15" in texts[2]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert ProgressReport.objects.count() == 0  # the preview writes nothing

    page.click("#roundtrip-confirm")
    page.wait_for_url(lambda url: reverse("ledger:list") in url)
    item_a, item_b = WorkItem.objects.get(pk=cast.item_a.pk), WorkItem.objects.get(pk=cast.item_b.pk)
    assert item_a.progress == Decimal("70") and item_a.status == ItemStatus.IN_PROGRESS
    assert item_b.due_date == date(2023, 11, 15)
    report = ProgressReport.objects.get()
    assert report.entered_by_office and report.unit == cast.unit_a

"""The county page at desktop and phone width in Debian's chromium: an amount stored in 元 reads in
亿元 in its chart and table, and the page never scrolls sideways. Screenshots go to the pytest
temp directory (not committed) for a person to look at."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest

from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS
from countyworks.indicators.models import Indicator, Observation, Qualifier
from countyworks.portal.tests.world import build_world

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_county_page_shows_yi_yuan_and_fits_the_width(
    live_server, transactional_db, cast, tmp_path, viewport
):
    from playwright.sync_api import sync_playwright

    build_world(cast)
    income = Indicator.objects.create(code="tourism-income", name="旅游收入", unit="元")
    for year, value in [(2021, "1800000000"), (2022, "2500000000")]:
        Observation.objects.create(
            indicator=income, region=cast.county, year=year, value=Decimal(value), unit="元",
            qualifier=Qualifier.EXACT, published=True,
        )  # fmt: skip
    width, height = viewport
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/portal/140427/")
        chart = page.locator("#chart-tourism-income")
        chart.wait_for()
        page.wait_for_function("document.querySelector('#chart-tourism-income svg') !== null")
        chart_text = chart.inner_text() or ""
        svg = page.evaluate("document.querySelector('#chart-tourism-income svg').textContent")
        body = page.locator("body").inner_text()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        page.screenshot(path=str(tmp_path / f"portal-{width}x{height}.png"), full_page=True)
        context.close()
        browser.close()
    # The chart's title names 亿元 and its axis reads 25, not 2500000000.
    assert "亿元" in (svg + chart_text)
    assert "2500000000" not in svg and "2,500,000,000" not in svg
    assert "25亿元" in body
    assert overflow <= 0, f"{overflow}px of horizontal scroll at {width}px"


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_an_item_page_and_the_livelihood_page_fit_the_width(
    live_server, transactional_db, cast, tmp_path, viewport
):
    from playwright.sync_api import sync_playwright

    world = build_world(cast)
    width, height = viewport
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/portal/140427/livelihood/?year={cast.plan.year}")
        page.click(f"li[data-item='{world.livelihood.pk}'] a")
        page.wait_for_url(f"**/portal/items/{world.livelihood.pk}/")
        timeline = page.locator(".timeline").inner_text()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        page.screenshot(path=str(tmp_path / f"portal-item-{width}x{height}.png"), full_page=True)
        context.close()
        browser.close()
    assert "主体完工" in timeline
    assert overflow <= 0, f"{overflow}px of horizontal scroll at {width}px"

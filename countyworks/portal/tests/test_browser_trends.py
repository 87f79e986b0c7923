"""The Huguan county page's trends at desktop and phone width in Debian's chromium: the emerging
industries' output across 2020 (derived from 是十三五末的5倍) and 2023, in 亿元 with its qualifiers,
the growth computed, and no sideways scroll. Screenshots go to the pytest temp directory."""

from __future__ import annotations

import os

import pytest

from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS
from countyworks.demo.services import load_demo

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser
CHART = "#chart-emerging-industry-output"


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_demo_county_page_shows_the_trend_in_yi_yuan_and_fits_the_width(
    live_server, transactional_db, tmp_path, viewport
):
    from playwright.sync_api import sync_playwright

    load_demo(with_activity=False)
    width, height = viewport
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/portal/140427/")
        page.wait_for_function(f"document.querySelector('{CHART} svg') !== null")
        trend = page.locator("figure.trend[data-indicator='emerging-industry-output']")
        trend.scroll_into_view_if_needed()
        rows = trend.locator("tbody tr")
        cells = [
            [rows.nth(i).locator("th, td").nth(j).inner_text() for j in range(3)] for i in range(rows.count())
        ]
        mean = trend.locator(".trend-mean").inner_text()
        svg = page.evaluate(f"document.querySelector('{CHART} svg').textContent")
        chart_box = page.locator(CHART).bounding_box()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        trend.screenshot(path=str(tmp_path / f"trend-{width}x{height}.png"))
        page.screenshot(path=str(tmp_path / f"portal-trends-{width}x{height}.png"), full_page=True)
        context.close()
        browser.close()
    assert cells == [["2020", "约5亿元 （推算）", "—"], ["2023", "近25亿元", "增长400%"]]
    assert mean == "2020—2023年年均增长71%"
    # The chart is titled in 亿元 and its axis reads 5 and 25, never 2500000000.
    assert "亿元" in svg and "2500000000" not in svg and "2,500,000,000" not in svg
    assert "2020" in svg and "2023" in svg
    assert chart_box["width"] <= width
    assert overflow <= 0, f"{overflow}px of horizontal scroll at {width}px"

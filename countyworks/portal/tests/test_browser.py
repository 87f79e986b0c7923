"""The county page in Debian's chromium: axe-core finds no serious problem, the keyboard reaches
every link, and the charts draw under the strict CSP."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS
from countyworks.portal.tests.world import build_world

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that unless told.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make system-deps)"
    ),
]


@pytest.fixture
def page(live_server, transactional_db, cast):
    from playwright.sync_api import sync_playwright

    build_world(cast)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Only axe is injected past the CSP; the page's own scripts still run under it.
        context = browser.new_context(bypass_csp=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.csp_errors = []
        page.on("console", lambda msg: msg.type == "error" and page.csp_errors.append(msg.text))
        yield page
        context.close()
        browser.close()


def test_it_has_no_serious_accessibility_violations_on_the_county_page(page, live_server):
    page.goto(f"{live_server.url}/portal/140427/")
    assert page.locator("h1").count() == 1
    # evaluate() runs through the DevTools protocol, which the page's CSP does not govern.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_it_draws_the_charts_under_the_strict_csp_and_reaches_links_by_keyboard(page, live_server):
    page.goto(f"{live_server.url}/portal/140427/")
    page.wait_for_selector("#chart-gdp svg")
    # Only refusals count: a warning about the policy's own wording is the settings' business.
    assert not [e for e in page.csp_errors if "Refused to" in e]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    focused = []
    for _ in range(6):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.tagName"))
    assert "A" in focused

"""The interactive API docs draw in Debian's chromium under our strict CSP, with no CDN."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make system-deps)"
    ),
]


def test_it_draws_the_swagger_docs_from_our_own_static_files(live_server, transactional_db):
    from playwright.sync_api import sync_playwright

    requested_hosts: set[str] = set()
    refused: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))
        page.on("console", lambda msg: "Refused to" in msg.text and refused.append(msg.text))
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector("#swagger-ui .opblock", timeout=20_000)
        operations = page.locator("#swagger-ui .opblock").count()
        browser.close()
    assert operations >= 26
    assert requested_hosts == {live_server.url.split("/")[2]}
    assert refused == []

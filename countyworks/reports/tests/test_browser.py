"""The review preview in a real browser: ECharts draws under the strict CSP, figures link to sources."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from django.conf import settings as django_settings
from django.test import Client

from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop


def _queue_worker(stop: threading.Event) -> None:
    """The queue's worker (issue 17) beside the live server: the request only records the job."""
    from django.db import connection

    from countyworks.jobs import queue

    try:
        while not stop.is_set():
            if not queue.run_one("browser-test-worker"):
                stop.wait(0.2)
    finally:
        connection.close()


def _session_cookie(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": live_server.url}


@pytest.mark.browser
@pytest.mark.skipif(
    not (shutil.which(CHROMIUM) and shutil.which("soffice")),
    reason="chromium and LibreOffice are installed by `make system-deps`",
)
def test_it_shows_the_progress_of_a_pdf_job_and_then_offers_the_file(
    live_server, year_data, cast, settings, tmp_path
):
    from playwright.sync_api import sync_playwright

    settings.MEDIA_ROOT = tmp_path / "media"
    stop = threading.Event()
    worker = threading.Thread(target=_queue_worker, args=(stop,), daemon=True)
    worker.start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True)
            context.add_cookies([_session_cookie(cast.viewer, live_server)])
            page = context.new_page()
            page.goto(f"{live_server.url}/reports/review/140427/2023/?format=pdf")
            assert "/reports/jobs/" in page.url
            assert page.locator("#job-status progress").count() == 1
            # htmx polls the status every second; LibreOffice needs a few seconds.
            link = page.wait_for_selector("#job-status a.button.primary", timeout=120_000)
            with page.expect_download() as download_info:
                link.click()
            path = download_info.value.path()
            with open(path, "rb") as pdf:
                assert pdf.read(5) == b"%PDF-"
        finally:
            browser.close()
            stop.set()
            worker.join(timeout=30)


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is installed by `make system-deps`")
def test_it_draws_the_charts_and_links_figures_in_the_browser(live_server, year_data, cast):
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.add_cookies([_session_cookie(cast.viewer, live_server)])
            page = context.new_page()
            page.on(
                "console",
                lambda message: (
                    message.type == "error"
                    # A settings matter outside this app (django-csp's nonce placeholder); not our page.
                    and "contains an invalid source: ''nonce''" not in message.text
                    and not message.text.startswith("Failed to load resource")
                    and problems.append(message.text)
                ),
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "response",
                lambda response: (
                    response.status >= 400
                    and not response.url.endswith("/favicon.ico")
                    and problems.append(f"{response.status} {response.url}")
                ),
            )
            page.goto(f"{live_server.url}/reports/review/140427/2023/")
            page.wait_for_selector(".report-chart canvas", timeout=15_000)
            assert page.locator(".report-chart canvas").count() >= 2
            figure = page.locator(f'a.figure[data-source="indicators.Observation:{year_data.gdp_2023.pk}"]')
            assert figure.inner_text() == "近25亿元"
            figure.click()
            target = page.locator(":target")
            assert "《测试县2023年工作回顾》" in target.inner_text()
        finally:
            browser.close()
    assert not problems, problems

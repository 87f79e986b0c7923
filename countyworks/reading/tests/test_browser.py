"""End to end in Debian's Chromium: read a pasted text in, accept one proposal and reject another
in place (htmx under the strict CSP), and find the accepted figure on the indicator list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS
from countyworks.indicators.models import Observation
from countyworks.reading.models import DraftState
from countyworks.reading.tests.helpers import draft
from countyworks.reading.tests.texts import REVIEW_2023
from countyworks.sources.models import Document


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls here are still
    # synchronous. Set for this test only: a module-level setting leaks into every later subprocess
    # (the deploy check warns about it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_it_reads_a_text_and_decides_proposals_in_place(transactional_db, cast, live_server, browser):
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", "pass-for-tests-only")
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    page.goto(live_server.url + reverse("reading:documents"))
    page.fill("#id_title", "浏览器测试报告")
    page.fill("#id_year", "2023")
    page.fill("#id_text", REVIEW_2023)
    page.click("form.import-form button[type=submit]")
    page.wait_for_url("**/review/")
    document = Document.objects.get()
    assert page.locator("article.source-text mark").count() >= 8

    accepted, rejected = draft(document, "超2000人"), draft(document, "2.1倍")
    page.click(f"#draft-{accepted.pk} button[value=accept]")
    page.locator(f"#draft-{accepted.pk}.draft-accepted").wait_for()
    page.click(f"#draft-{rejected.pk} button[value=reject]")
    page.locator(f"#draft-{rejected.pk}.draft-rejected").wait_for()
    assert page.url.endswith("/review/")  # decided in place, no reload
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert (accepted.state, rejected.state) == (DraftState.ACCEPTED, DraftState.REJECTED)
    assert Observation.objects.get().citation.quote == "超2000人"

    page.goto(live_server.url + reverse("indicators:list"))
    assert "超2000人" in page.locator("main").inner_text()
    page.click("section.indicator h2 a")
    page.locator("#trend-chart svg").wait_for()  # ECharts drew the trend from the JSON block
    assert not [e for e in errors if "Refused to" in e]  # nothing the pages need is blocked by the CSP
    context.close()


@pytest.mark.browser
def test_it_turns_a_progress_text_into_progress_on_the_ledger(transactional_db, cast, live_server, browser):
    from countyworks.reading.models import ProposalKind
    from countyworks.reading.tests.progress_texts import PROGRESS_2023, make_ledger

    items = make_ledger(cast)
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", "pass-for-tests-only")
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    page.goto(live_server.url + reverse("reading:documents"))
    page.fill("#id_title", "民生实事进展")
    page.fill("#id_year", "2023")
    page.fill("#id_text", PROGRESS_2023)
    page.click("form.import-form button[type=submit]")
    page.wait_for_url("**/review/")
    cards = page.locator("li.draft-kind-progress_report")
    # one draft per ledger item the text names with a share (not 城乡公交一体化: no share stated)
    assert sorted(cards.locator(".draft-item").all_inner_texts()) == [
        "乡镇卫生院提质扩容",
        "农村饮水安全巩固提升",
        "城区雨污管网改造",
    ]
    document = Document.objects.get()
    drafts = {d.fields["item_title"]: d for d in document.drafts.filter(kind=ProposalKind.PROGRESS_REPORT)}
    for title in ("城区雨污管网改造", "农村饮水安全巩固提升"):
        page.click(f"#draft-{drafts[title].pk} button[value=accept]")
        page.locator(f"#draft-{drafts[title].pk}.draft-accepted").wait_for()

    page.goto(live_server.url + reverse("ledger:list"))

    def progress_of(title: str) -> str:
        return page.locator(f"tr[data-item='{items[title].pk}'] .progress-cell .num").inner_text()

    assert progress_of("城区雨污管网改造") == "75%"
    assert progress_of("农村饮水安全巩固提升") == "80%"
    assert progress_of("乡镇卫生院提质扩容") == "0%"  # proposed, not confirmed
    page.goto(live_server.url + reverse("ledger:item", args=[items["城区雨污管网改造"].pk]))
    assert "督查室代填" in page.locator("main").inner_text()
    context.close()

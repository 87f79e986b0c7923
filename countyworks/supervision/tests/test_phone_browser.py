"""The unit reporter's and the leader's phone (issue 12), at 390×844 in Debian's Chromium.

On every page visited: no horizontal scroll (scrollWidth <= innerWidth), no axe-core violation of
impact serious or critical, and a screenshot under tmp/artifacts/phone (not committed)."""

from __future__ import annotations

import io
import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS
from countyworks.plans.models import ItemStatus, WorkItem
from countyworks.supervision import services
from countyworks.supervision.models import Evidence, Notice, NoticeState, ProgressReport, ReviewState

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "pass-for-tests-only"
PHONE = {"width": 390, "height": 844}
ARTIFACTS = (
    Path(os.environ.get("CW_ARTIFACTS", Path(__file__).resolve().parents[3] / "tmp" / "artifacts")) / "phone"
)
AXE = (django_settings.NODE_MODULES / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def phone_page(browser, live_server, username: str | None):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=1, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    if username:
        page.goto(live_server.url + reverse("accounts:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(lambda url: "/accounts/login" not in url)
    return page


def serious_violations(page) -> list[dict]:
    # Runtime.evaluate is not subject to the page's CSP, so axe runs without a nonce.
    page.evaluate(AXE)
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in json.loads(result)
        if v["impact"] in ("serious", "critical")
    ]


# The elements that reach past the screen's right edge, to name them when a page is too wide.
WIDEST = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(-5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


# Labels squeezed to one character a line (a row of checkboxes that cannot wrap did this to 消息渠道).
SQUEEZED_LABELS = """() => Array.from(document.querySelectorAll('label, legend, button, th'))
  .filter(e => e.offsetParent !== null && e.innerText.trim().length > 1)
  .filter(e => { const width = e.getBoundingClientRect().width;  // 1 px: hidden for screen readers only
    return width > 1 && width < 1.6 * parseFloat(getComputedStyle(e).fontSize); })
  .slice(0, 5).map(e => e.tagName + ' ' + e.innerText.trim())"""


def check(page, name: str, axe: bool = True) -> None:
    page.wait_for_load_state("load")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    wide = page.evaluate(WIDEST) if widths[0] > widths[1] else []
    assert widths[0] <= widths[1], (
        f"{name} ({page.url}) is {widths[0]} px wide in a {widths[1]} px screen: {wide}"
    )
    assert page.evaluate(SQUEEZED_LABELS) == [], f"{name} ({page.url}) breaks its labels a character a line"
    if axe:
        assert serious_violations(page) == [], f"{name} ({page.url})"


def write_photo(path: Path, colour: tuple[int, int, int]) -> str:
    buffer = io.BytesIO()
    # Larger than the 1600 px the page shrinks photos to, as a phone camera's would be.
    Image.new("RGB", (2400, 1800), colour).save(buffer, format="JPEG", quality=95)
    path.write_bytes(buffer.getvalue())
    return str(path)


def journey_world(cast):
    today = timezone.localdate()
    WorkItem.objects.filter(pk__in=[cast.item_a.pk, cast.item_b.pk]).update(
        status=ItemStatus.IN_PROGRESS,
        start_date=today - timedelta(days=100),
        due_date=today + timedelta(days=100),
    )
    cast.item_b.co_units.add(cast.unit_a)
    returned = services.submit_report(
        cast.reporter_a, cast.item_b, period=f"{today.year}", text="配合推进", progress=10
    )
    services.review_report(cast.supervisor, returned, approve=False, comment="请补充照片", expected_version=1)
    notice = services.issue_notice(
        cast.supervisor,
        cast.item_a,
        unit=cast.unit_a,
        content="请说明进度滞后原因",
        deadline=today + timedelta(days=5),
    )
    services.add_instruction(cast.leader, cast.item_a, text="加快推进")
    cast.leader.person = cast.leader_person
    cast.leader.save()
    return returned, notice


@pytest.mark.browser
def test_the_reporters_journey_on_a_phone(transactional_db, cast, live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    returned, notice = journey_world(cast)
    page = phone_page(browser, live_server, None)
    page.goto(live_server.url + reverse("accounts:login"))
    check(page, "01-login")
    page.fill("#id_username", "reporter_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(live_server.url + reverse("supervision:my_work"))
    check(page, "02-my-work")
    # Item A, and item B (co-led), whose only report was returned.
    assert page.get_attribute("#todo-due", "data-count") == "2"
    assert page.get_attribute("#todo-returned", "data-count") == "1"
    assert page.get_attribute("#todo-notices", "data-count") == "1"
    assert page.get_attribute("#todo-instructions", "data-count") == "1"
    # The menu is folded on a phone and opens with a tap.
    assert not page.is_visible("nav[aria-label] a[href='/plans/']")
    page.click("#site-menu summary")
    check(page, "03-menu-open")
    page.click("#site-menu summary")

    page.click(f"#todo-due a[href^='{reverse('supervision:report_new', args=[cast.item_a.pk])}']")
    check(page, "04-report-form")
    assert page.input_value("#id_period").startswith(str(timezone.localdate().year))
    page.fill(
        "#id_period",
        f"{timezone.localdate().year}年第{'一二三四'[(timezone.localdate().month - 1) // 3]}季度",
    )
    page.fill("#id_progress", "35")
    page.fill("#id_text", "主体结构施工过半")
    page.set_input_files(
        "#id_photos",
        [write_photo(tmp_path / "甲.jpg", (200, 30, 30)), write_photo(tmp_path / "乙.jpg", (30, 30, 200))],
    )
    page.wait_for_selector("#id_photos[data-resized='2']")
    page.click("#submit-report")
    page.wait_for_url(live_server.url + reverse("ledger:item", args=[cast.item_a.pk]))
    assert "已提交，待审核" in page.inner_text(".messages")
    check(page, "05-item-pending")
    report = ProgressReport.objects.exclude(pk=returned.pk).get()
    assert report.state == ReviewState.SUBMITTED and report.period.endswith(
        f"Q{(timezone.localdate().month - 1) // 3 + 1}"
    )
    photos = list(Evidence.objects.filter(report=report))
    assert len(photos) == 2
    for evidence in photos:
        with Image.open(evidence.file.path) as image:
            assert max(image.size) <= 1600, "the browser shrinks photos before upload"

    page.goto(live_server.url + reverse("supervision:my_work"))
    assert page.get_attribute("#todo-due", "data-count") == "1"
    page.click(f"#todo-returned a[href='{reverse('supervision:report_resubmit', args=[returned.pk])}']")
    check(page, "06-resubmit")
    page.fill("#id_text", "配合推进，已补充照片")
    page.set_input_files("#id_photos", [write_photo(tmp_path / "丙.jpg", (30, 160, 30))])
    page.wait_for_selector("#id_photos[data-resized='1']")
    page.click("#submit-report")
    page.wait_for_url(live_server.url + reverse("ledger:item", args=[cast.item_b.pk]))
    returned.refresh_from_db()
    assert returned.state == ReviewState.SUBMITTED

    page.goto(live_server.url + reverse("supervision:my_work"))
    page.click(f"#todo-notices a[href='{reverse('supervision:notice', args=[notice.pk])}']")
    check(page, "07-notice")
    page.click("input[value=acknowledge] + button")
    page.wait_for_load_state("load")
    page.fill("textarea[name=answer]", "已制定整改措施")
    page.click("input[value=answer] ~ button.primary")
    page.wait_for_load_state("load")
    check(page, "08-notice-answered")
    assert Notice.objects.get(pk=notice.pk).state == NoticeState.ANSWERED
    page.goto(live_server.url + reverse("supervision:my_work"))
    assert page.get_attribute("#todo-notices", "data-count") == "0"

    page.goto(live_server.url + reverse("ledger:list"))
    check(page, "09-ledger")
    numbers = page.locator("td.row-number").all_inner_texts()
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


@pytest.mark.browser
def test_the_leaders_view_on_a_phone(transactional_db, cast, live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    journey_world(cast)
    WorkItem.objects.filter(pk=cast.item_a.pk).update(progress=1)
    page = phone_page(browser, live_server, "leader")
    assert page.url == live_server.url + reverse("supervision:leader")
    check(page, "20-leader")
    assert page.get_attribute("#todo-red", "data-count") == "1"
    assert page.get_attribute("#todo-instructed", "data-count") == "1"
    page.click(f"#todo-red a[href='{reverse('ledger:item', args=[cast.item_a.pk])}']")
    check(page, "21-leader-item")
    page.goto(live_server.url + reverse("ledger:list"))
    check(page, "22-leader-ledger")
    # An item nobody can open: the Chinese 404 in the site's frame, phone-sized, with a way back.
    page.goto(live_server.url + reverse("ledger:item", args=[999999]))
    assert "页面不存在" in page.inner_text("h1")
    check(page, "23-not-found")


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


# Routes that answer with no page to draw (files, JSON, the API, forms that only take a POST).
NOT_PAGES = re.compile(
    r"^(api|admin|i18n|healthz|accounts/logout|media)|evidence/|download|export|\.json|\.xlsx|\.pdf|\.docx"
)


@pytest.mark.browser
def test_every_route_a_reporter_can_open_fits_the_phone(
    transactional_db, cast, live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    returned, notice = journey_world(cast)
    # A `pk` means the object of the route: the notice of the notice page, the report of the resubmit form.
    pk_by_route = {
        "supervision:notice": notice.pk,
        "supervision:report_resubmit": returned.pk,
        "supervision:review": returned.pk,
    }
    samples = {
        "item_pk": cast.item_a.pk,
        "pk": cast.item_a.pk,
        "report_pk": returned.pk,
        "notice_pk": notice.pk,
        "year": cast.plan.year,
        "plan_pk": cast.plan.pk,
        "code": cast.county.code,
    }
    page = phone_page(browser, live_server, "reporter_a")
    from django.test import Client

    client = Client()
    client.force_login(cast.reporter_a)
    visited = []
    skipped = []
    for name, pattern in sorted(set(_routes(get_resolver()))):
        if NOT_PAGES.search(pattern):
            continue
        values = {**samples, "pk": pk_by_route.get(name, cast.item_a.pk)}
        path = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m, v=values: str(v.get(m[1], cast.item_a.pk)), pattern
        )
        if "(" in path or "^" in path:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            skipped.append((name, path, response.status_code))
            continue
        page.goto(live_server.url + path)
        check(page, "route-" + re.sub(r"\W+", "-", name), axe=False)
        visited.append(name)
    (ARTIFACTS / "routes.json").write_text(
        json.dumps({"visited": visited, "skipped": skipped}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    assert {"supervision:my_work", "ledger:list", "ledger:item", "supervision:report_new"} <= set(visited)
    assert {"supervision:notice", "supervision:report_resubmit", "notify:channels"} <= set(visited)

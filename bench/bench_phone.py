"""The unit reporter's pages on a phone over slow 3G (prints figures; asserts nothing).

Builds a throwaway SQLite site (DEBUG=0, static files collected and compressed as in production,
served by WhiteNoise through `runserver`), with one county, a unit with BENCH_PHONE_ITEMS items and a
notice, logs in as the unit's reporter in Debian's Chromium at 390×844, then loads each page with a
cold cache under Chromium's network throttling (CDP Network.emulateNetworkConditions: 400 kbit/s
down and up, 400 ms round trip) and prints the bytes transferred (encoded, headers included) and
the first-contentful-paint. Goal for 我的事项: under 150 KB and under 2 s.

    .venv/bin/python bench/bench_phone.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ITEMS = int(os.environ.get("BENCH_PHONE_ITEMS", "12"))
KBPS = 400
RTT_MS = 400
PASSWORD = "bench-phone-password"


def seed() -> dict[str, str]:
    """Runs in a child process with the throwaway site's environment; returns the pages to load."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countyworks.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from countyworks.accounts.models import Role, User
    from countyworks.plans.models import ItemKind, ItemStatus, Plan, WorkItem
    from countyworks.regions.models import Organisation, OrganisationKind
    from countyworks.regions.services import ensure_region
    from countyworks.supervision import services

    today = timezone.localdate()
    county = ensure_region("140427")
    unit = Organisation.objects.create(
        name="县住房和城乡建设局", region=county, kind=OrganisationKind.DEPARTMENT
    )
    User.objects.create_user("office", password=PASSWORD, role=Role.SUPERVISOR, region=county)
    office = User.objects.get(username="office")
    User.objects.create_user(
        "reporter", password=PASSWORD, role=Role.REPORTER, region=county, organisation=unit
    )
    plan = Plan.objects.create(
        region=county, year=today.year, title=f"{today.year}年重点工作台账", published=True
    )
    items = [
        WorkItem.objects.create(
            plan=plan,
            kind=ItemKind.KEY_PROJECT,
            number=str(n + 1),
            title=f"城区老旧小区改造第{n + 1}批",
            lead_unit=unit,
            status=ItemStatus.IN_PROGRESS,
            start_date=today - timedelta(days=120),
            due_date=today + timedelta(days=60 + n),
            progress=20 + n,
        )
        for n in range(ITEMS)
    ]
    notice = services.issue_notice(
        office,
        items[0],
        unit=unit,
        content="请说明进度滞后原因及整改措施",
        deadline=today + timedelta(days=5),
    )
    return {
        "我的事项 my work": reverse("supervision:my_work"),
        "填报 report form": reverse("supervision:report_new", args=[items[0].pk]),
        "事项 item page": reverse("ledger:item", args=[items[0].pk]),
        "督办单 notice": reverse("supervision:notice", args=[notice.pk]),
        "台账 ledger": reverse("ledger:list"),
        "工作台 dashboard": reverse("supervision:dashboard"),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(base: str, pages: dict[str, str]) -> list[tuple[str, int, float, int]]:
    sys.path.insert(0, str(REPO))
    from playwright.sync_api import sync_playwright

    from countyworks.core.tests.browser import CHROMIUM, CHROMIUM_ARGS

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        login = browser.new_context(viewport={"width": 390, "height": 844})
        page = login.new_page()
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", "reporter")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(lambda url: "/accounts/login" not in url)
        cookies = login.cookies()
        login.close()
        for name, path in pages.items():
            # A fresh context per page: a cold cache, as on a first visit from a phone.
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            context.add_cookies(cookies)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": RTT_MS,
                    "downloadThroughput": KBPS * 1000 / 8,
                    "uploadThroughput": KBPS * 1000 / 8,
                },
            )
            transferred: dict[str, float] = {}
            statuses: list[str] = []
            page.on("response", lambda r, seen=statuses: seen.append(f"{r.status} {r.url}"))
            cdp.on(
                "Network.loadingFinished",
                lambda e, sizes=transferred: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
            )
            started = time.perf_counter()
            page.goto(base + path, wait_until="load", timeout=120_000)
            page.wait_for_function(
                "() => performance.getEntriesByName('first-contentful-paint').length > 0", timeout=60_000
            )
            fcp = page.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0].startTime")
            page.wait_for_load_state("networkidle", timeout=120_000)
            load = time.perf_counter() - started
            results.append((name, int(sum(transferred.values())), fcp / 1000, len(transferred), load))
            if os.environ.get("BENCH_PHONE_VERBOSE"):
                print("   ", name, statuses)
            context.close()
        browser.close()
    return results


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-phone-") as tmp:
        env = {
            **os.environ,
            "COUNTYWORKS_VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": "bench-phone-not-secret-" + "x" * 40,
            "STATIC_ROOT": f"{tmp}/static",
            "DJANGO_SETTINGS_MODULE": "countyworks.settings",
        }
        cw = [sys.executable, "-m", "countyworks"]
        subprocess.run([*cw, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=REPO)
        subprocess.run([*cw, "collectstatic", "--noinput", "-v", "0"], env=env, check=True, cwd=REPO)
        code = "import json, bench.bench_phone as b; print(json.dumps(b.seed()))"
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, check=True, cwd=REPO, capture_output=True, text=True
        ).stdout
        import json

        pages = json.loads(out.strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(
            [*cw, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            results = measure(base, pages)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"  slow 3G: {KBPS} kbit/s down and up, {RTT_MS} ms RTT; 390x844; cold cache; {ITEMS} items")
    print(f"  {'page':<22} {'KB':>8} {'FCP s':>7} {'requests':>9} {'idle s':>7}")
    for name, size, fcp, requests, load in results:
        print(f"  {name:<22} {size / 1024:8.1f} {fcp:7.2f} {requests:9d} {load:7.2f}")
    mine = next(r for r in results if r[0].startswith("我的事项"))
    verdict = "meets" if mine[1] < 150 * 1024 and mine[2] < 2 else "misses"
    print(f"  我的事项 {verdict} the goal (< 150 KB and < 2 s first render)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

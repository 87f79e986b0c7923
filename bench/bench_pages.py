"""Page timings and SQL query counts over a synthetic province (prints figures; asserts nothing).

For each database (a throwaway SQLite file, and a throwaway PostgreSQL database when
BENCH_DATABASE_URL is set or PostgreSQL answers on 127.0.0.1:5432) it builds two datasets
with `countyworks synth` — a small one (2 counties × 20 items × 2 reports) and the large one
(BENCH_COUNTIES × BENCH_ITEMS × BENCH_REPORTS) — logs in with Django's test Client as a county
supervisor and as a province supervisor, and prints p50/p95 of the dashboard, the ledger
(filtered page 1 and a deep page) and an item page, with the SQL queries each page ran at
both sizes (the count should not grow with the rows).

    .venv/bin/python bench/bench_pages.py
    BENCH_COUNTIES=120 BENCH_ITEMS=300 BENCH_REPORTS=24 .venv/bin/python bench/bench_pages.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COUNTIES = int(os.environ.get("BENCH_COUNTIES", "20"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "300"))
REPORTS = int(os.environ.get("BENCH_REPORTS", "24"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
SMALL = (2, 20, 2)
SMALL_PROVINCE = "46"  # 海南: a province the large dataset never uses


def postgres_url() -> str | None:
    """A server URL (without database) to create the throwaway database on, if one answers."""
    configured = os.environ.get("BENCH_DATABASE_URL")
    if configured:
        return configured.rsplit("/", 1)[0]
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception:
        return None
    return "postgres://postgres@127.0.0.1:5432"


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def child() -> None:
    """Runs inside the environment the parent prepared (DATABASE_URL, COUNTYWORKS_VAR_DIR)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countyworks.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse

    from countyworks.accounts import policy
    from countyworks.accounts.models import Role, User
    from countyworks.interchange.synth import build_province
    from countyworks.plans.models import WorkItem
    from countyworks.regions.models import Region

    setup_test_environment()  # lets the test Client capture templates and accept "testserver"
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=0 serves hashed names
    started = time.perf_counter()
    small = build_province(*SMALL, seed=1, province=SMALL_PROVINCE)
    large = build_province(COUNTIES, ITEMS, REPORTS, seed=2)
    print(f"  built in {time.perf_counter() - started:.0f} s: small {small.as_text()}")
    print(f"  large {large.as_text()}")
    province = Region.objects.get(name=large.province, level="province")
    User.objects.create_user("bench_province", password="x", role=Role.SUPERVISOR, region=province)

    def pages_for(username: str) -> list[tuple[str, str | None]]:
        user = User.objects.get(username=username)
        items = WorkItem.objects.filter(plan__region__code__startswith=policy.region_prefix(user.region))
        item = items.order_by("id").first()
        count = items.count()
        deep = max(1, count // 50)

        def url(name: str, *args: object, query: str = "") -> str | None:
            try:
                return reverse(name, args=args) + query
            except NoReverseMatch:
                return None

        return [
            ("dashboard", url("supervision:dashboard")),
            ("ledger, filtered, page 1", url("ledger:list", query="?kind=key_project")),
            (f"ledger, page {deep} of {deep}", url("ledger:list", query=f"?page={deep}")),
            ("item page", url("ledger:item", item.pk) if item else None),
        ]

    def measure(username: str, label: str, with_timing: bool) -> dict[str, int]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        queries: dict[str, int] = {}
        for page, url in pages_for(username):
            if url is None:
                print(f"  {label:34} {page:26} skipped: view missing")
                continue
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                print(f"  {label:34} {page:26} HTTP {response.status_code} at {url}")
                continue
            queries[page.split(",")[0]] = len(captured)
            line = f"  {label:34} {page:26} {len(captured):4} queries"
            if with_timing:
                samples = []
                for _ in range(REPEAT):
                    begin = time.perf_counter()
                    client.get(url)
                    samples.append((time.perf_counter() - begin) * 1000)
                line += (
                    f"   p50 {statistics.median(samples):7.1f} ms   p95 {percentile(samples, 0.95):7.1f} ms"
                )
            print(line)
        return queries

    small_county = Region.objects.filter(code__startswith=SMALL_PROVINCE, level="county").order_by("code")[0]
    large_county = Region.objects.filter(code__startswith=province.code[:2], level="county").order_by("code")[
        0
    ]
    print(f"  timings: {REPEAT} requests a page after one warm-up request; queries of that request")
    q_small = measure(f"sup_{small_county.code}", f"county supervisor, {SMALL[1]} items", False)
    q_large = measure(f"sup_{large_county.code}", f"county supervisor, {ITEMS} items", True)
    measure("bench_province", f"province supervisor, {COUNTIES * ITEMS} items", True)
    growing = {page: (q_small[page], q_large[page]) for page in q_small if q_large.get(page) != q_small[page]}
    print(
        "  query counts identical at both sizes"
        if not growing
        else f"  query counts differ between sizes (small, large): {growing}"
    )


def run(label: str, env: dict[str, str]) -> None:
    print(f"== {label}: {COUNTIES} counties × {ITEMS} items × {REPORTS} reports (small: {SMALL})", flush=True)
    result = subprocess.run([sys.executable, __file__, "--child"], env=env, check=False)
    if result.returncode:
        print(f"  failed with exit code {result.returncode}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cw-bench-pages-") as work:
        base = {**os.environ, "COUNTYWORKS_VAR_DIR": work, "DEBUG": "0", "HTTPS": "0", "LOG_LEVEL": "ERROR"}
        base["MEDIA_ROOT"] = str(Path(work) / "media")
        run("SQLite", {**base, "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3"})
        server = postgres_url()
        if server is None:
            print("== PostgreSQL: skipped (no BENCH_DATABASE_URL and nothing on 127.0.0.1:5432)")
            return
        name = f"cw_bench_pages_{uuid.uuid4().hex[:8]}"
        import psycopg

        admin = f"{server.replace('postgres://', 'postgresql://')}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            run("PostgreSQL", {**base, "DATABASE_URL": f"{server}/{name}"})
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    child() if "--child" in sys.argv else main()

"""Load test: gunicorn with several workers on PostgreSQL, 20 concurrent users (prints figures).

Creates a throwaway PostgreSQL database (on BENCH_DATABASE_URL's server, else 127.0.0.1:5432),
fills it with `countyworks synth` (BENCH_COUNTIES × BENCH_ITEMS × BENCH_REPORTS), starts
gunicorn on a free loopback port, and lets BENCH_USERS threads (default 20) work for
BENCH_SECONDS (default 30) over the dashboard, the ledger (filtered page 1 and a deep page),
item pages, progress submission (the real form, CSRF included) and `/api/v1/items` with a
bearer token. Prints requests per second, p50/p95/p99 and errors per kind of request, and for
each page the ratio of its time under load to the time of the raw SQL it runs (the same
statements, executed directly). Stops gunicorn and drops the database when done.

BENCH_REUSE_DATABASE=NAME runs against an existing database already filled by `countyworks synth`
(on the same server) and leaves it in place: for measuring change after change without
rebuilding the province each time.

    .venv/bin/python bench/bench_load.py
    BENCH_COUNTIES=120 BENCH_SECONDS=60 .venv/bin/python bench/bench_load.py
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
COUNTIES = int(os.environ.get("BENCH_COUNTIES", "20"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "300"))
REPORTS = int(os.environ.get("BENCH_REPORTS", "24"))
USERS = int(os.environ.get("BENCH_USERS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
# Unset: as many workers as countyworks/gunicorn_conf.py starts (WEB_CONCURRENCY, else CPUs + 1).
WORKERS = int(
    os.environ.get("BENCH_WORKERS", os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) + 1)))
)
# A clerk reads a page before the next click. With no pause at all (BENCH_THINK_SECONDS=0) 20 users
# saturate a 2-core machine and the percentiles measure the queue, not the pages.
THINK_SECONDS = float(os.environ.get("BENCH_THINK_SECONDS", "1.0"))
REUSE_DATABASE = os.environ.get("BENCH_REUSE_DATABASE", "")
GOAL_P95_MS = 100.0  # issue 7: zero errors and p95 ≤ 100 ms
# How often each kind of request is made, like a working day: mostly reading.
MIX = [
    ("dashboard", 20),
    ("ledger page 1", 20),
    ("ledger deep page", 10),
    ("item page", 25),
    ("submit progress", 10),
    ("api items", 15),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def cache_url() -> str:
    """The shared cache the servers use, as a province deployment would: BENCH_CACHE_URL, else the
    local Redis if one answers (database 14, emptied first), else each worker's own memory."""
    configured = os.environ.get("BENCH_CACHE_URL")
    if configured is not None:
        return configured
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as probe:
            probe.sendall(b"SELECT 14\r\nFLUSHDB\r\n")
            if b"+OK" not in probe.recv(64):
                return ""
    except OSError:
        return ""
    return "redis://127.0.0.1:6379/14"


def server_url() -> str | None:
    configured = os.environ.get("BENCH_DATABASE_URL")
    if configured:
        return configured.rsplit("/", 1)[0]
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception:
        return None
    return "postgres://postgres@127.0.0.1:5432"


class VirtualUser:
    """One person at a browser: a supervisor's session for reading, a reporter's for reporting."""

    def __init__(self, port: int, plan: dict, rng: random.Random) -> None:
        self.port = port
        self.plan = plan
        self.rng = rng
        self.conn = self.connect()

    def connect(self) -> http.client.HTTPConnection:
        """The connection requests go through (scripts/cluster_test.py: TLS to the balancer)."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def base_headers(self, method: str) -> dict[str, str]:
        return {"Host": "127.0.0.1"}

    def request(self, method: str, path: str, cookie: str, body: str | None = None, **headers: str) -> int:
        headers = {"Cookie": cookie, **self.base_headers(method), **headers}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = self.connect()
            return 0

    def do(self, kind: str) -> bool:
        p = self.plan
        if kind == "dashboard":
            return self.request("GET", "/supervision/", p["supervisor_cookie"]) == 200
        if kind == "ledger page 1":
            return self.request("GET", "/plans/ledger/?kind=key_project", p["supervisor_cookie"]) == 200
        if kind == "ledger deep page":
            return self.request("GET", f"/plans/ledger/?page={p['deep_page']}", p["supervisor_cookie"]) == 200
        if kind == "item page":
            item = self.rng.choice(p["items"])
            return self.request("GET", f"/plans/items/{item}/", p["supervisor_cookie"]) == 200
        if kind == "submit progress":
            item = self.rng.choice(p["reporter_items"])
            body = urlencode(
                {
                    "csrfmiddlewaretoken": p["csrf"],
                    "period": p["period"],
                    "progress": f"{self.rng.uniform(10, 90):.2f}",
                    "text": "负载测试：本月完成既定节点。",
                }
            )
            status = self.request(
                "POST", f"/supervision/items/{item}/report/", p["reporter_cookie"], body=body
            )
            return status == 302  # redirected to the item page after a successful submission
        if kind == "api items":
            status = self.request("GET", "/api/v1/items?limit=50", "", Authorization=f"Bearer {p['token']}")
            return status == 200
        raise ValueError(kind)


def prepare(port: int) -> tuple[list[dict], dict[str, float]]:
    """Data, sessions and tokens for the virtual users, and the raw SQL time of each page."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from countyworks.accounts.models import ApiToken, TokenScope, User
    from countyworks.interchange.synth import build_province
    from countyworks.plans.models import WorkItem
    from countyworks.regions.models import Region

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if REUSE_DATABASE:
        print(f"  reusing database {REUSE_DATABASE}: {WorkItem.objects.count()} items", flush=True)
    else:
        started = time.perf_counter()
        summary = build_province(COUNTIES, ITEMS, REPORTS, seed=5)
        print(f"  built in {time.perf_counter() - started:.0f} s: {summary.as_text()}", flush=True)

    def session_cookie(user: User, csrf: str) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"

    period = f"{WorkItem.objects.values_list('plan__year', flat=True).first()}-12"
    counties = list(Region.objects.filter(plans__title__contains="合成数据").distinct().order_by("code"))
    plans = []
    for n in range(USERS):
        county = counties[n % len(counties)]
        supervisor = User.objects.get(username=f"sup_{county.code}")
        reporter = User.objects.get(username=f"rep_{county.code}_0")
        csrf = secrets.token_hex(16)  # 32 characters: Django accepts an unmasked secret
        items = list(WorkItem.objects.filter(plan__region=county).values_list("id", flat=True))
        _, key = ApiToken.issue(supervisor, f"bench {n}", county, TokenScope.READ)
        plans.append(
            {
                "supervisor_cookie": session_cookie(supervisor, csrf),
                "reporter_cookie": session_cookie(reporter, csrf),
                "csrf": csrf,
                "items": items,
                "reporter_items": list(
                    WorkItem.objects.filter(plan__region=county, lead_unit=reporter.organisation).values_list(
                        "id", flat=True
                    )
                ),
                "deep_page": max(1, len(items) // 50),
                "token": key,
                "period": period,
            }
        )

    # Raw SQL time: the statements a page runs, captured once and executed again directly.
    county = counties[0]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=f"sup_{county.code}"))
    first_item = plans[0]["items"][0]
    pages = {
        "dashboard": "/supervision/",
        "ledger page 1": "/plans/ledger/?kind=key_project",
        "ledger deep page": f"/plans/ledger/?page={plans[0]['deep_page']}",
        "item page": f"/plans/items/{first_item}/",
    }
    raw: dict[str, float] = {}
    for kind, path in pages.items():
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        statements = [
            q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
        ]
        if status != 200:
            print(f"  {kind}: HTTP {status} in-process; no raw SQL figure")
            continue
        with connection.cursor() as cursor:
            begin = time.perf_counter()
            for _ in range(5):
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()
            raw[kind] = (time.perf_counter() - begin) / 5 * 1000
    connection.close()
    return plans, raw


def drive(port: int, plans: list[dict]) -> tuple[dict[str, list[float]], dict[str, int], float]:
    kinds, weights = zip(*MIX, strict=True)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.perf_counter() + SECONDS

    def work(n: int) -> None:
        rng = random.Random(n)
        user = VirtualUser(port, plans[n], rng)
        while time.perf_counter() < deadline:
            kind = rng.choices(kinds, weights)[0]
            begin = time.perf_counter()
            ok = user.do(kind)
            elapsed = (time.perf_counter() - begin) * 1000
            with lock:
                timings[kind].append(elapsed)
                if not ok:
                    errors[kind] += 1
            if THINK_SECONDS:
                time.sleep(rng.uniform(0.5, 1.5) * THINK_SECONDS)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(USERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started


def baseline(port: int, plan: dict, repeat: int = 5) -> dict[str, float]:
    """p50 of each kind of request made by one user alone, before the load starts."""
    user = VirtualUser(port, plan, random.Random(0))
    result = {}
    for kind, _weight in MIX:
        samples = []
        for _ in range(repeat):
            begin = time.perf_counter()
            user.do(kind)
            samples.append((time.perf_counter() - begin) * 1000)
        result[kind] = percentile(samples, 0.5)
    return result


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    limit = time.perf_counter() + seconds
    while time.perf_counter() < limit:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def main() -> None:
    print(
        f"== load: {USERS} users (think time ~{THINK_SECONDS:g} s) for {SECONDS:.0f} s, gunicorn × {WORKERS} workers, "
        f"{COUNTIES} counties × {ITEMS} items × {REPORTS} reports",
        flush=True,
    )
    server = server_url()
    if server is None:
        print("  skipped: no PostgreSQL (set BENCH_DATABASE_URL or run one on 127.0.0.1:5432)")
        return
    import psycopg

    name = REUSE_DATABASE or f"cw_bench_load_{uuid.uuid4().hex[:8]}"
    admin = f"{server.replace('postgres://', 'postgresql://')}/postgres"
    if not REUSE_DATABASE:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    gunicorn = None
    with tempfile.TemporaryDirectory(prefix="cw-bench-load-") as work:
        port = free_port()
        env = {
            "DATABASE_URL": f"{server}/{name}",
            "COUNTYWORKS_VAR_DIR": work,
            "MEDIA_ROOT": str(Path(work) / "media"),
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "countyworks.settings",
            "CACHE_URL": cache_url(),
        }
        print(f"  cache: {env['CACHE_URL'] or 'per-process memory'}", flush=True)
        os.environ.update(env)
        sys.path.insert(0, str(REPO))
        try:
            plans, raw = prepare(port)
            log = Path(work) / "gunicorn.log"
            gunicorn = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "-c",
                    "python:countyworks.gunicorn_conf",
                    "countyworks.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    str(WORKERS),
                    "--error-logfile",
                    str(log),
                ],
                env={**os.environ, **env},
                cwd=REPO,
            )
            wait_for(port, gunicorn)
            alone = baseline(port, plans[0])
            timings, errors, elapsed = drive(port, plans)
            total = sum(len(t) for t in timings.values())
            failed = sum(errors.values())
            print(f"  {total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s, {failed} errors")
            print(
                f"  {'request':18} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'raw SQL ms':>10} {'ratio':>6} {'alone p50':>9}"
            )
            everything: list[float] = []
            for kind, _weight in MIX:
                samples = timings.get(kind, [])
                everything += samples
                sql = raw.get(kind)
                ratio = f"{percentile(samples, 0.5) / sql:6.1f}" if sql else "     -"
                sql_text = f"{sql:10.1f}" if sql else "         -"
                print(
                    f"  {kind:18} {len(samples):6} {errors.get(kind, 0):6} {percentile(samples, 0.5):8.1f} "
                    f"{percentile(samples, 0.95):8.1f} {percentile(samples, 0.99):8.1f} {sql_text} {ratio} "
                    f"{alone[kind]:9.1f}"
                )
            print(
                f"  {'all':18} {len(everything):6} {failed:6} {percentile(everything, 0.5):8.1f} "
                f"{percentile(everything, 0.95):8.1f} {percentile(everything, 0.99):8.1f}"
            )
            overall_p95 = percentile(everything, 0.95)
            verdict = "met" if overall_p95 <= GOAL_P95_MS and not failed else "missed"
            print(f"  goal (0 errors, p95 ≤ {GOAL_P95_MS:g} ms over all requests): {verdict}")
            print(
                "  ratio = p50 under load ÷ the page's SELECT statements run directly (one client, no load)"
            )
            print("  alone p50 = one user, no load, 5 requests of each kind before the test")
            print(f"  machine load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            if failed and log.exists():
                print("  last gunicorn log lines:", *log.read_text().splitlines()[-5:], sep="\n    ")
        finally:
            if gunicorn is not None:
                gunicorn.terminate()
                try:
                    gunicorn.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    gunicorn.kill()
            if not REUSE_DATABASE:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

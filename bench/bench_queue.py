"""The task queue: jobs per second through it, and the latency from an event to the webhook request.

In a throwaway SQLite database (or the database DATABASE_URL names), with real worker processes
(`countyworks worker`):
1. throughput: BENCH_JOBS no-op jobs drained by 1 and by 2 workers (claim, run, record: the queue's
   own cost per job);
2. end to end: BENCH_EVENTS overdue events published (as the supervision run does) to 企业微信
   robot channels served by a local HTTP server; latency from `publish` to the request reaching
   the server, p50/p95, with the worker's default poll interval (1 s) and with --poll 0.1.

    .venv/bin/python bench/bench_queue.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
JOBS = int(os.environ.get("BENCH_JOBS", "1000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "40"))

WORKER = r"""
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countyworks.settings")
import django
django.setup()
from countyworks.jobs.registry import task

@task("bench.noop")
def noop(payload, run):
    pass

start = os.environ["BENCH_START_FILE"]
while not os.path.exists(start):
    time.sleep(0.005)
from django.core.management import call_command
call_command("worker", "--no-schedule", *sys.argv[1:])
"""


def _setup(workdir: str) -> None:
    os.environ["COUNTYWORKS_VAR_DIR"] = workdir
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countyworks.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _workers(n: int, start: Path, *args: str, env: dict | None = None) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, *args],
            env=dict(os.environ) | {"BENCH_START_FILE": str(start)} | (env or {}),
            stdout=subprocess.DEVNULL,
        )
        for _ in range(n)
    ]


def throughput(workdir: Path, n_workers: int) -> float:
    from countyworks.jobs import queue
    from countyworks.jobs.models import Job
    from countyworks.jobs.registry import task

    task("bench.noop")(lambda payload, run: None)
    Job.objects.all().delete()
    for i in range(JOBS):
        queue.enqueue("bench.noop", {"i": i})
    start = workdir / f"go-{n_workers}"
    procs = _workers(n_workers, start, "--until-empty")
    time.sleep(3)  # let them import Django; they wait for the start file
    began = time.perf_counter()
    start.touch()
    for proc in procs:
        proc.wait(600)
    took = time.perf_counter() - began
    done = Job.objects.filter(name="bench.noop", state="done").count()
    assert done == JOBS, f"only {done} of {JOBS} jobs done"
    return JOBS / took


def end_to_end(workdir: Path, poll: str) -> tuple[float, float]:
    from countyworks.notify import crypto
    from countyworks.notify.models import Channel, Delivery
    from countyworks.notify.services import publish
    from countyworks.regions.models import Organisation, OrganisationKind
    from countyworks.regions.services import ensure_region

    arrivals: dict[str, float] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            arrivals[body["text"]["content"].split("\n")[0]] = time.perf_counter()
            data = b'{"errcode": 0, "errmsg": "ok"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    region = ensure_region("140427")
    Delivery.objects.all().delete()
    Channel.objects.all().delete()
    # One robot per ten events keeps every robot under its 20 messages a minute.
    channels = []
    for i in range(max(EVENTS // 10, 1)):
        unit = Organisation.objects.create(
            name=f"单位{poll}-{i}", region=region, kind=OrganisationKind.DEPARTMENT
        )
        channels.append(
            Channel.objects.create(
                unit=unit,
                name=f"robot {i}",
                platform="wecom",
                token_encrypted=crypto.encrypt(f"k{i}"),
                events=["overdue"],
            )
        )
    start = workdir / f"go-e2e-{poll}"
    env = {"WECOM_WEBHOOK_URL": f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send"}
    procs = _workers(1, start, f"--poll={poll}", env=env)
    time.sleep(3)
    start.touch()
    time.sleep(1)
    published: dict[str, float] = {}
    for i in range(EVENTS):
        title = f"e2e-{poll}-{i}"
        published[title] = time.perf_counter()
        publish("overdue", key=title, title=title, unit_id=channels[i % len(channels)].unit_id)
        time.sleep(0.25)
    deadline = time.monotonic() + 60
    while len(arrivals) < EVENTS and time.monotonic() < deadline:
        time.sleep(0.05)
    for proc in procs:
        proc.terminate()
        proc.wait(30)
    server.shutdown()
    latencies = sorted((arrivals[t] - published[t]) * 1000 for t in published if t in arrivals)
    assert len(latencies) == EVENTS, f"{len(latencies)} of {EVENTS} webhook requests arrived"
    p95 = latencies[int(round(0.95 * (len(latencies) - 1)))]
    return statistics.median(latencies), p95


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _setup(tmp)
        from django.db import connection

        print(f"database: {connection.vendor}; {os.cpu_count()} CPUs")
        for n in (1, 2):
            print(f"throughput, {n} worker(s): {throughput(Path(tmp), n):.0f} jobs/s ({JOBS} no-op jobs)")
        for poll in ("1.0", "0.1"):
            p50, p95 = end_to_end(Path(tmp), poll)
            print(
                f"event -> webhook request, worker poll {poll} s: p50 {p50:.0f} ms, p95 {p95:.0f} ms ({EVENTS} events)"
            )


if __name__ == "__main__":
    main()

"""The province on one machine, under faults (issue 18): `make cluster-test`.

Starts real parts, every one private to this test, all on 127.0.0.1 (see docs/deployment.md,
"Cluster test", for why not network namespaces):

- a PostgreSQL primary (port 25432) and a streaming replica (25433), two new clusters made here
  with initdb and pg_basebackup -R in a temporary directory (as the `postgres` OS user when run as
  root); the replica applies WAL 2 s late (recovery_min_apply_delay) so that a read served by it
  really is behind, and read-your-writes has something to prove;
- the machine's Redis (127.0.0.1:6379, database 13, emptied) as the shared cache;
- 3 gunicorn app servers (ports 28001-28003) with BEHIND_PROXY=1 and DATABASE_REPLICA_URL, one
  shared upload directory (it stands for an NFS mount);
- HAProxy from Debian terminating TLS (a throw-away self-signed certificate made with openssl) on
  28443, health checks on /healthz, retrying connection failures (and empty answers to GETs) on
  another server;
- 2 task-queue workers (`countyworks worker`) delivering WeCom robot notifications to a local
  HTTP server that counts what arrives.

Data: a small synthetic province (`countyworks synth`, CLUSTER_COUNTIES × CLUSTER_ITEMS ×
CLUSTER_REPORTS; the 120-county province takes minutes to build). Load: bench/bench_load.py's
virtual users and request mix (CLUSTER_USERS, 20), through the balancer over TLS, for the whole
run. Phases: steady; one app server killed (SIGKILL to its whole process group); restarted; one
worker killed (SIGKILL) in the middle of a job; restarted; a rolling upgrade to a release whose
migration adds a table (migrate first, then each app server drained in HAProxy, SIGTERM, started
from the new release, ready; then the workers); steady again. Meanwhile one notification event a
second, a render-like job every other second, and in each phase two evidence uploads (written
through one server, read back through another) and a read-your-writes check. At the end, login
throttling from two client addresses through the balancer.

Exit status 1 when a goal is missed: a failed request that was not in flight on the killed
server (or more of those than it had workers); a job not done, not taken over after its worker's
kill, a notification not delivered or delivered twice, a result stored twice; an upload not
readable through another server; a write not visible to its author at once; one address's wrong
passwords locking the user out from another address, or not locking out their own.

    .venv/bin/python scripts/cluster_test.py
"""

from __future__ import annotations

import http.client
import io
import json
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
# Debian's PostgreSQL server binaries, the newest installed (CLUSTER_PG_BIN overrides).
PG_BIN = Path(
    os.environ.get("CLUSTER_PG_BIN")
    or max(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), default="/nonexistent"
    )
)
# Below Linux's ephemeral range (32768-60999): polling a port there before its server listens can
# end in a TCP self-connect (the client gets the port as its own source port and hears its own
# request), which also keeps the server from binding it. Seen here while waiting for gunicorn.
PRIMARY_PORT, REPLICA_PORT = 25432, 25433
APP_PORTS = [28001, 28002, 28003]
LB_PORT = 28443
ORIGIN = f"https://127.0.0.1:{LB_PORT}"
REDIS_DB = 13
USERS = int(os.environ.get("CLUSTER_USERS", "20"))
PHASE_SECONDS = float(os.environ.get("CLUSTER_PHASE_SECONDS", "12"))
APP_WORKERS = int(os.environ.get("CLUSTER_APP_WORKERS", "2"))
APPLY_DELAY = "2s"
LEASE_SECONDS = 6  # a killed worker's job is taken again this soon (production: 60)
# bench_load reads these when imported: the same mix, against a small province.
os.environ.setdefault("BENCH_COUNTIES", os.environ.get("CLUSTER_COUNTIES", "4"))
os.environ.setdefault("BENCH_ITEMS", os.environ.get("CLUSTER_ITEMS", "60"))
os.environ.setdefault("BENCH_REPORTS", os.environ.get("CLUSTER_REPORTS", "6"))
os.environ["BENCH_USERS"] = str(USERS)
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import bench_load  # noqa: E402

# A real `countyworks worker`, with one more task: it stands for a report render (slow, its result
# stored only when complete, docs/queue.md), so that a worker can be killed in the middle of a job
# and the job's lease take-over is exercised, not left to chance.
WORKER = r"""
import os, sys, time
from pathlib import Path
import django
django.setup()
from countyworks.jobs.registry import task

@task("cluster.render")
def render(payload, run):
    time.sleep(float(payload["seconds"]))
    with open(Path(os.environ["CLUSTER_RESULTS"]) / str(payload["n"]), "a") as out:
        out.write(f"{run.attempt}\n")

from django.core.management import call_command
call_command("worker", *sys.argv[1:])
"""


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def as_postgres(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def run(argv: list[str], stderr: int | None = None) -> None:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=stderr)


class Proc:
    """One long-running process in its own session, so a kill takes its children too."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logdir: Path) -> None:
        self.name, self.argv, self.env = name, argv, env
        self.cwd = REPO  # the release it runs: the rolling restart moves it to the next one
        self.logfile = logdir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        with self.logfile.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv, env=self.env, cwd=self.cwd, stdout=out, stderr=out, start_new_session=True
            )

    def signal(self, signum: int) -> None:
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signum)

    def stop(self, timeout: float = 30) -> None:
        if self.popen is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(10)
        self.popen = None

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(10)
        self.popen = None


def http_status(port: int, path: str = "/healthz") -> int:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        return conn.getresponse().status
    except (OSError, http.client.HTTPException):
        return 0


def wait_until(what: str, test: Callable[[], bool], seconds: float = 60) -> None:
    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        if test():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


# The next release differs from this checkout by one new table (a migration that only adds, the kind
# docs/deployment.md "Upgrades" says the running version survives).
PROBE_MODEL = """

class ReleaseProbe(models.Model):
    \"\"\"Only in scripts/cluster_test.py's second release: its migration adds a table.\"\"\"

    note = models.CharField(max_length=20, blank=True)
"""


def next_release(workdir: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A copy of this checkout with one more model and its migration; (its directory, the migration)."""
    release = workdir / "release2"
    shutil.copytree(
        REPO, release, ignore=shutil.ignore_patterns(".git", "node_modules", "var", ".venv", "__pycache__")
    )
    (release / "node_modules").symlink_to((REPO / "node_modules").resolve())  # static sources
    models = release / "countyworks" / "plans" / "models.py"
    models.write_text(models.read_text() + PROBE_MODEL)
    name = "cluster_release_probe"
    subprocess.run(
        [sys.executable, "-m", "countyworks", "makemigrations", "plans", "--name", name],
        check=True,
        cwd=release,
        env={**env, "PYTHONPATH": str(release)},
        stdout=subprocess.DEVNULL,
    )
    (migration,) = (release / "countyworks" / "plans" / "migrations").glob(f"*_{name}.py")
    return release, migration.stem


class Postgres:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.primary, self.replica = root / "primary", root / "replica"

    def ctl(self, datadir: Path, *args: str) -> None:
        run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(datadir), *args]))

    def start(self) -> None:
        self.root.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        run(
            as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.primary), "-A", "trust", "-U", "postgres"]
                + ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
            )
        )
        common = f"-k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.ctl(
            self.primary,
            "-w",
            "-l",
            str(self.root / "primary.log"),
            "-o",
            f"-p {PRIMARY_PORT} {common}",
            "start",
        )
        run(
            as_postgres(
                [str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres"]
                + ["-D", str(self.replica), "-R", "-X", "stream"]
            )
        )
        self.ctl(
            self.replica,
            "-w",
            "-l",
            str(self.root / "replica.log"),
            "-o",
            f"-p {REPLICA_PORT} {common} -c recovery_min_apply_delay={APPLY_DELAY} -c hot_standby_feedback=on",
            "start",
        )

    def stop(self) -> None:
        for datadir in (self.replica, self.primary):
            if (datadir / "postmaster.pid").exists():
                subprocess.run(
                    as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"]),
                    check=False,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )

    @staticmethod
    def query(port: int, sql: str) -> str:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "countyworks", "-Atc", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()


def make_certificate(workdir: Path) -> tuple[Path, Path]:
    key, cert, pem = workdir / "lb.key", workdir / "lb.crt", workdir / "lb.pem"
    run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        stderr=subprocess.DEVNULL,
    )
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    return cert, pem


def haproxy_config(workdir: Path, pem: Path) -> Path:
    servers = "\n".join(f"    server app{n} 127.0.0.1:{port}" for n, port in enumerate(APP_PORTS, 1))
    config = f"""global
    stats socket {workdir}/haproxy.sock mode 600 level admin
    maxconn 1000

defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 10s
    option forwardfor
    retries 3
    option redispatch 1
    # A request that never reached a server is retried anywhere; one a server took and then died
    # with is retried only when it is a GET or HEAD (a POST may have been applied already).
    retry-on conn-failure empty-response response-timeout

frontend https
    bind 127.0.0.1:{LB_PORT} ssl crt {pem}
    http-request set-header X-Forwarded-Proto https
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    default_backend app

backend app
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1 hdr X-Forwarded-Proto https
    http-check expect status 200
    # A sync gunicorn worker takes one request at a time: the balancer keeps the queue (to the first
    # free server) instead of a server's listen backlog, where a health check would wait its turn.
    timeout queue 30s
    timeout check 3s
    # leastconn would pick a dead server (no connections) again and again until its checks fail:
    # one refused connection marks it down at once, and the retry goes to a live one.
    default-server check inter 1s fall 2 rise 2 maxconn {APP_WORKERS} observe layer4 error-limit 1 on-error mark-down
{servers}
"""
    path = workdir / "haproxy.cfg"
    path.write_text(config)
    return path


def haproxy_command(workdir: Path, command: str) -> str:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.connect(str(workdir / "haproxy.sock"))
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def haproxy_server_up(workdir: Path, name: str) -> bool:
    try:
        stats = haproxy_command(workdir, "show stat")
    except OSError:  # not listening yet
        return False
    for line in stats.splitlines():
        parts = line.split(",")
        if len(parts) > 17 and parts[0] == "app" and parts[1] == name:
            return parts[17] == "UP"
    return False


class Webhook:
    """Stands for the WeCom robot API: counts the messages that arrive, by their first line."""

    def __init__(self) -> None:
        self.arrivals: Counter[str] = Counter()
        lock = threading.Lock()
        arrivals = self.arrivals

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with lock:
                    arrivals[body["text"]["content"].split("\n")[0]] += 1
                data = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send"


class BalancerUser(bench_load.VirtualUser):
    """bench_load's virtual user, through the balancer over TLS (trusting the test's certificate)."""

    tls: ssl.SSLContext

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPSConnection("127.0.0.1", LB_PORT, timeout=30, context=self.tls)

    def base_headers(self, method: str) -> dict[str, str]:
        return {"Host": f"127.0.0.1:{LB_PORT}", "Origin": ORIGIN}

    def request(self, method: str, path: str, cookie: str, body: str | None = None, **headers: str) -> int:
        self.last_status = super().request(method, path, cookie, body, **headers)
        return self.last_status


@dataclass
class Record:
    phase: str
    kind: str
    start: float
    end: float
    ok: bool
    status: int


@dataclass
class Load:
    plans: list[dict]
    phase: str = "steady"
    records: list[Record] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> list[threading.Thread]:
        kinds, weights = zip(*bench_load.MIX, strict=True)

        def work(n: int) -> None:
            rng = random.Random(n)
            user = BalancerUser(LB_PORT, self.plans[n], rng)
            while not self.stopping.is_set():
                kind = rng.choices(kinds, weights)[0]
                phase, begin = self.phase, time.time()
                ok = user.do(kind)
                with self.lock:
                    self.records.append(Record(phase, kind, begin, time.time(), ok, user.last_status))
                self.stopping.wait(rng.uniform(0.5, 1.5) * bench_load.THINK_SECONDS)

        threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(USERS)]
        for thread in threads:
            thread.start()
        return threads


def png(seed: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 37 % 256, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def direct(
    port: int, method: str, path: str, cookie: str, body: bytes | None = None, **headers: str
) -> tuple[http.client.HTTPResponse, bytes]:
    """A request straight to one app server, as the balancer would send it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        method,
        path,
        body=body,
        headers={
            "Host": f"127.0.0.1:{LB_PORT}",
            "Origin": ORIGIN,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "192.0.2.10",
            "Cookie": cookie,
            **headers,
        },
    )
    response = conn.getresponse()
    return response, response.read()


def wrote_cookie(response: http.client.HTTPResponse) -> str:
    from countyworks.core.db_router import WROTE_COOKIE

    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{WROTE_COOKIE}="):
            return header.split(";", 1)[0]
    return ""


@dataclass
class Uploads:
    written: int = 0
    read_elsewhere: int = 0
    problems: list[str] = field(default_factory=list)


def upload_and_read(plan: dict, writer: int, reader: int, n: int, uploads: Uploads, media: Path) -> None:
    """A report with a photo through app server `writer`; its file read back through `reader`."""
    from countyworks.supervision.models import Evidence

    marker = f"集群测试上传 {n} {uuid.uuid4().hex[:8]}"
    item = plan["reporter_items"][n % len(plan["reporter_items"])]
    fields = {"csrfmiddlewaretoken": plan["csrf"], "period": plan["period"], "progress": "50", "text": marker}
    body, content_type = multipart(fields, {"photos": (f"现场{n}.png", png(n), "image/png")})
    response, _ = direct(
        APP_PORTS[writer],
        "POST",
        f"/supervision/items/{item}/report/",
        plan["reporter_cookie"],
        body,
        **{"Content-Type": content_type},
    )
    if response.status != 302:
        uploads.problems.append(f"upload {n} via app{writer + 1}: HTTP {response.status}")
        return
    uploads.written += 1
    evidence = Evidence.objects.filter(report__text=marker).first()
    if evidence is None:
        uploads.problems.append(f"upload {n}: no evidence row")
        return
    stored = (media / evidence.file.name).read_bytes()
    # The author reads his own upload at once, through the replica router (the marker cookie).
    cookie = "; ".join(c for c in (plan["reporter_cookie"], wrote_cookie(response)) if c)
    response, data = direct(APP_PORTS[reader], "GET", f"/supervision/evidence/{evidence.pk}/", cookie)
    if response.status == 200 and data == stored:
        uploads.read_elsewhere += 1
    else:
        uploads.problems.append(
            f"upload {n} via app{writer + 1}, read via app{reader + 1}: HTTP {response.status}"
        )


def read_your_writes(plan: dict, tls: ssl.SSLContext, n: int) -> tuple[bool, bool]:
    """A report posted through the balancer; (seen by its author at once, seen without the marker)."""
    marker = f"读己之写 {n} {uuid.uuid4().hex[:8]}"
    item = plan["reporter_items"][0]

    def call(
        method: str, path: str, cookie: str, body: str | None = None
    ) -> tuple[http.client.HTTPResponse, str]:
        conn = http.client.HTTPSConnection("127.0.0.1", LB_PORT, timeout=30, context=tls)
        headers = {"Host": f"127.0.0.1:{LB_PORT}", "Origin": ORIGIN, "Cookie": cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response, response.read().decode()

    body = urlencode(
        {"csrfmiddlewaretoken": plan["csrf"], "period": plan["period"], "progress": "55", "text": marker}
    )
    response, _ = call("POST", f"/supervision/items/{item}/report/", plan["reporter_cookie"], body)
    if response.status != 302:
        log(f"read-your-writes {n}: the report was answered HTTP {response.status}")
        return False, False
    with_marker = f"{plan['reporter_cookie']}; {wrote_cookie(response)}"
    _, page = call("GET", f"/plans/items/{item}/", with_marker)
    _, control = call("GET", f"/plans/items/{item}/", plan["reporter_cookie"])
    return marker in page, marker in control


def login_throttling(tls: ssl.SSLContext, username: str, csrf: str) -> dict[str, int]:
    """Five wrong passwords from one client address, through the balancer; then the same user
    from another address, and the attacker again with a forged X-Forwarded-For.

    Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3): the balancer
    appends each one's real address to X-Forwarded-For, which is what BEHIND_PROXY=1 keys on.
    """

    def login(source: str, password: str, forged: str = "") -> int:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", LB_PORT, timeout=30, context=tls, source_address=(source, 0)
        )
        headers = {
            "Host": f"127.0.0.1:{LB_PORT}",
            "Origin": ORIGIN,
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        if forged:
            headers["X-Forwarded-For"] = forged
        body = urlencode({"csrfmiddlewaretoken": csrf, "username": username, "password": password})
        conn.request("POST", "/accounts/login/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status

    attacker = [login("127.0.0.2", "wrong") for _ in range(5)][-1]
    forged = login("127.0.0.2", "synth-password", forged="127.0.0.9")
    other = login("127.0.0.3", "synth-password")
    return {"attacker's fifth try": attacker, "attacker, forged header": forged, "the user elsewhere": other}


def percentile_ms(records: list[Record], share: float) -> float:
    return bench_load.percentile([(r.end - r.start) * 1000 for r in records], share)


def main() -> int:  # noqa: C901, PLR0915 - one timeline, read top to bottom
    for tool in ("haproxy", "openssl", "psql"):
        if shutil.which(tool) is None:
            print(f"cluster test: {tool} is missing (make system-deps installs it)")
            return 1
    print(
        f"== cluster: HAProxy (TLS) → {len(APP_PORTS)} app servers × {APP_WORKERS} workers, PostgreSQL primary + "
        f"replica, Redis, 2 queue workers; {USERS} users; province {bench_load.COUNTIES} counties × "
        f"{bench_load.ITEMS} items × {bench_load.REPORTS} reports",
        flush=True,
    )
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="cw-cluster-"))
    os.chmod(workdir, 0o755)
    pg = Postgres(workdir / "pg")
    procs: list[Proc] = []
    webhook = Webhook()
    failures: list[str] = []
    try:
        pg.start()
        run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(PRIMARY_PORT),
                "-U",
                "postgres",
                "-qc",
                "CREATE DATABASE countyworks",
            ]
        )
        try:
            redis = socket.create_connection(("127.0.0.1", 6379), timeout=2)
        except OSError as exc:
            raise RuntimeError("no Redis on 127.0.0.1:6379 (the shared cache of the cluster)") from exc
        with redis:
            redis.sendall(f"SELECT {REDIS_DB}\r\nFLUSHDB\r\n".encode())
            redis.recv(64)
        media = workdir / "shared-media"  # stands for the NFS mount every app server has
        media.mkdir()
        cert, pem = make_certificate(workdir)
        base = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "BENCH_", "CLUSTER_"))},
            "DJANGO_SETTINGS_MODULE": "countyworks.settings",
            # This checkout's code, not whichever one the virtualenv was installed from.
            "PYTHONPATH": str(REPO),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/countyworks",
            "COUNTYWORKS_VAR_DIR": str(workdir / "var"),
            "MEDIA_ROOT": str(media),
            "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "SECRET_KEY": "cluster-test-" + uuid.uuid4().hex,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": ORIGIN,
            "LOG_LEVEL": "WARNING",
            "WECOM_WEBHOOK_URL": webhook.url,
            "JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
            "JOBS_BACKOFF_SECONDS": "1",
        }
        # This process fills the database and publishes events: plain HTTP, the primary only.
        os.environ.pop("DATABASE_REPLICA_URL", None)
        os.environ.update({**base, "HTTPS": "0"})
        log("PostgreSQL primary and replica up; building the province")
        plans, _raw = bench_load.prepare(LB_PORT)
        log("data ready")
        app_env = {
            **base,
            "HTTPS": "1",
            "BEHIND_PROXY": "1",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/countyworks",
            "REPLICA_MAX_LAG_SECONDS": "5",
            "REPLICA_LAG_CHECK_SECONDS": "1",
            "REPLICA_STICKY_SECONDS": "10",
        }
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        apps = [
            Proc(
                f"app{n}",
                [
                    gunicorn,
                    "-c",
                    "python:countyworks.gunicorn_conf",
                    "countyworks.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                ]
                + ["-w", str(APP_WORKERS), "--graceful-timeout", "20"],
                app_env,
                workdir,
            )
            for n, port in enumerate(APP_PORTS, 1)
        ]
        results = workdir / "render-results"
        results.mkdir()
        workers = [
            Proc(
                f"worker{n}",
                [sys.executable, "-c", WORKER, "--poll", "0.2", "--no-schedule"],
                {**app_env, "CLUSTER_RESULTS": str(results)},
                workdir,
            )
            for n in (1, 2)
        ]
        balancer = Proc("haproxy", ["haproxy", "-db", "-f", str(haproxy_config(workdir, pem))], base, workdir)
        procs += [*apps, *workers, balancer]
        for proc in apps:
            proc.start()
        for n, port in enumerate(APP_PORTS):
            wait_until(f"app{n + 1}", lambda port=port: http_status(port) == 200, 90)
        balancer.start()
        wait_until("HAProxy", lambda: all(haproxy_server_up(workdir, f"app{n}") for n in (1, 2, 3)), 30)
        for proc in workers:
            proc.start()
        # Everything the load needs must have reached the replica.
        target = Postgres.query(PRIMARY_PORT, "SELECT pg_current_wal_lsn()")
        wait_until(
            "the replica",
            lambda: (
                Postgres.query(REPLICA_PORT, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t"
            ),
        )
        release, migration = next_release(workdir, base)
        log(f"cluster up after {time.monotonic() - began:.0f} s")

        tls = ssl.create_default_context(cafile=str(cert))
        BalancerUser.tls = tls
        from countyworks.jobs.models import Job
        from countyworks.notify import crypto
        from countyworks.notify.models import Channel
        from countyworks.notify.services import publish
        from countyworks.regions.models import Organisation, OrganisationKind, Region

        region = Region.objects.filter(plans__title__contains="合成数据").first()
        channels = [
            Channel.objects.create(
                unit=Organisation.objects.create(
                    name=f"集群测试单位{i}", region=region, kind=OrganisationKind.DEPARTMENT
                ),
                name=f"robot {i}",
                platform="wecom",
                token_encrypted=crypto.encrypt(f"k{i}"),
                events=["overdue"],
            )
            for i in range(12)
        ]
        published: list[str] = []
        from countyworks.jobs import queue
        from countyworks.jobs.registry import task

        task("cluster.render")(lambda payload, run: None)  # enqueue() checks the name; workers run it
        renders: list[int] = []

        def publisher(stop: threading.Event) -> None:
            # One event a second, each robot under its 20 messages a minute; a render every other.
            n = 0
            while not stop.wait(1.0):
                title = f"cluster-event-{n}"
                publish("overdue", key=title, title=title, unit_id=channels[n % len(channels)].unit_id)
                published.append(title)
                if n % 2 == 0:
                    queue.enqueue("cluster.render", {"n": n, "seconds": 1.5})
                    renders.append(n)
                n += 1
            from django.db import connection

            connection.close()

        load = Load(plans)
        threads = load.start()
        stop_publishing = threading.Event()
        publishing = threading.Thread(target=publisher, args=(stop_publishing,), daemon=True)
        publishing.start()
        uploads = Uploads()
        ryw: list[tuple[bool, bool]] = []
        up = {0, 1, 2}
        upload_count = 0
        kill_window: tuple[float, float] | None = None
        killed_job: int | None = None

        def phase(name: str, action: Callable[[], None] | None = None) -> None:
            nonlocal upload_count
            load.phase = name
            started = time.monotonic()
            log(f"phase: {name}")
            if action:
                action()
            for _ in range(2):
                writer = sorted(up)[upload_count % len(up)]
                reader = next(n for n in sorted(up) if n != writer)
                upload_and_read(plans[0], writer, reader, upload_count, uploads, media)
                upload_count += 1
            ryw.append(read_your_writes(plans[1 % len(plans)], tls, len(ryw)))
            time.sleep(max(0.0, PHASE_SECONDS - (time.monotonic() - started)))

        def kill_app() -> None:
            nonlocal kill_window
            began = time.time()
            apps[0].kill()
            kill_window = (began, time.time())
            up.discard(0)

        def kill_worker() -> None:
            # Wait for worker 1 to be in the middle of a render, then kill it.
            nonlocal killed_job
            pid = workers[0].popen.pid if workers[0].popen else 0
            limit = time.monotonic() + 10
            while time.monotonic() < limit and killed_job is None:
                killed_job = (
                    Job.objects.filter(name="cluster.render", state="running", worker__contains=f":{pid}:")
                    .values_list("pk", flat=True)
                    .first()
                )
                time.sleep(0.05)
            time.sleep(0.3)  # well inside its 1.5 s
            workers[0].kill()
            log(
                f"worker 1 killed while running job #{killed_job}"
                if killed_job
                else "worker 1 killed while idle"
            )

        def restart_app() -> None:
            apps[0].start()
            wait_until("app1 again", lambda: http_status(APP_PORTS[0]) == 200, 90)
            wait_until("app1 up in HAProxy", lambda: haproxy_server_up(workdir, "app1"), 30)
            up.add(0)

        def rolling() -> None:
            # Upgrades, step 2: migrate with the new release while the old one serves, then roll.
            subprocess.run(
                [sys.executable, "-m", "countyworks", "migrate", "--noinput"],
                check=True,
                cwd=release,
                env={**base, "PYTHONPATH": str(release)},
                stdout=subprocess.DEVNULL,
            )
            log(f"migration plans.{migration} applied; rolling the servers onto release 2")
            for n, proc in enumerate(apps):
                proc.cwd = release
                proc.env = {**proc.env, "PYTHONPATH": str(release)}
                name = f"app{n + 1}"
                haproxy_command(workdir, f"set server app/{name} state drain")
                haproxy_command(workdir, f"set server app/{name} state maint")
                up.discard(n)
                time.sleep(0.5)  # the balancer sends nothing new; requests under way finish
                proc.stop()
                proc.start()
                wait_until(f"{name} restarted", lambda port=APP_PORTS[n]: http_status(port) == 200, 90)
                haproxy_command(workdir, f"set server app/{name} state ready")
                wait_until(f"{name} up in HAProxy", lambda name=name: haproxy_server_up(workdir, name), 30)
                up.add(n)
            for proc in workers:
                # SIGTERM: the worker finishes the job it runs, then exits.
                proc.stop()
                proc.cwd = release
                proc.env = {**proc.env, "PYTHONPATH": str(release)}
                proc.start()

        phase("steady")
        phase("app server killed", kill_app)
        phase("app server restarted", restart_app)
        phase("worker killed", kill_worker)
        phase("worker restarted", lambda: workers[0].start())
        phase("rolling upgrade", rolling)
        phase("after")
        load.stopping.set()
        stop_publishing.set()
        for thread in threads:
            thread.join(60)
        publishing.join(30)

        # Every notification job must finish: a killed worker's job once its lease has run out.
        def settled() -> bool:
            return not Job.objects.filter(
                name__in=["notify.deliver", "cluster.render"], state__in=["queued", "running"]
            ).exists()

        try:
            wait_until("the queue to drain", settled, 20 + 3 * LEASE_SECONDS)
        except RuntimeError as exc:
            failures.append(str(exc))
        time.sleep(0.5)

        # Figures.
        records = load.records
        failed = [r for r in records if not r.ok]
        # In flight on the killed server: sent before it was dead, answered (or not) after the kill
        # began. The balancer retries GETs; a POST it must not replay fails.
        in_flight = [
            r for r in failed if kill_window and r.start <= kill_window[1] and r.end >= kill_window[0]
        ]
        print(
            f"  requests sent {len(records)}, failed {len(failed)} (in flight on the killed server: {len(in_flight)})"
        )
        print(f"  {'phase':22} {'requests':>8} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7}")
        by_phase: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            by_phase[record.phase].append(record)
        for name, rows in by_phase.items():
            print(
                f"  {name:22} {len(rows):8} {sum(not r.ok for r in rows):6} "
                f"{percentile_ms(rows, 0.5):7.0f} {percentile_ms(rows, 0.95):7.0f}"
            )
        if len(in_flight) > APP_WORKERS:
            failures.append(f"{len(in_flight)} requests failed at the kill, more than the server had workers")
        if len(failed) > len(in_flight):
            kinds = Counter(f"{r.phase}/{r.kind}/HTTP {r.status}" for r in failed if r not in in_flight)
            failures.append(
                f"{len(failed) - len(in_flight)} failed requests not in flight on the killed server: {dict(kinds)}"
            )
        jobs = Job.objects.filter(name__in=["notify.deliver", "cluster.render"])
        done = jobs.filter(state="done").count()
        retaken = list(jobs.filter(attempts__gt=1).values_list("pk", flat=True))
        delivered = sum(1 for t in published if webhook.arrivals[t] >= 1)
        duplicated = sum(1 for t in published if webhook.arrivals[t] > 1)
        outputs = {
            n: (results / str(n)).read_text().split() if (results / str(n)).exists() else [] for n in renders
        }
        rendered = sum(1 for lines in outputs.values() if lines)
        rendered_twice = sum(1 for lines in outputs.values() if len(lines) > 1)
        print(
            f"  jobs submitted {jobs.count()}, done {done}, taken over after the worker's kill {len(retaken)} "
            f"(the killed worker's job: #{killed_job or '-'})"
        )
        print(
            f"  notifications published {len(published)}, delivered {delivered}, duplicated {duplicated}; "
            f"renders {len(renders)}, stored {rendered}, stored twice {rendered_twice}"
        )
        if done != jobs.count() or delivered != len(published) or duplicated:
            failures.append("notification jobs: not all done, delivered once each")
        if rendered != len(renders) or rendered_twice:
            failures.append("render jobs: not all stored once each")
        if killed_job is None or killed_job not in retaken:
            failures.append("the killed worker's job was not taken over by another worker")
        print(
            f"  uploads written via one server {uploads.written}, read through another {uploads.read_elsewhere}"
            + (f"; problems: {uploads.problems}" if uploads.problems else "")
        )
        if uploads.problems or uploads.read_elsewhere != uploads.written or not uploads.written:
            failures.append("uploads: not all written and read through another server")
        seen = sum(1 for own, _control in ryw if own)
        control = sum(1 for _own, other in ryw if other)
        print(
            f"  read-your-writes through the balancer: the author saw his report at once {seen} of {len(ryw)} times; "
            f"the same page without the write marker (the replica, {APPLY_DELAY} behind) showed it {control} times"
        )
        if seen != len(ryw):
            failures.append("a write was not visible to its author at once")
        code = region.code if region else ""
        throttle = login_throttling(tls, f"viewer_{code}", plans[0]["csrf"])
        print(
            "  login throttling through the balancer (HTTP status): "
            + ", ".join(f"{k} {v}" for k, v in throttle.items())
        )
        if throttle["attacker's fifth try"] != 429 or throttle["attacker, forged header"] != 429:
            failures.append("five wrong passwords from one address did not lock that address out")
        if throttle["the user elsewhere"] != 302:
            failures.append("an attacker's failures locked the user out from another address")
        replica_reads = Postgres.query(
            REPLICA_PORT,
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'countyworks'",
        )
        print(f"  transactions served by the replica: {replica_reads}")
        print(
            f"  took {time.monotonic() - began:.0f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
    except Exception as exc:  # noqa: BLE001 - report, clean up, fail
        traceback.print_exc()
        failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        for proc in procs:
            proc.kill()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 - Django may not be set up yet
            pass
        pg.stop()
        webhook.server.shutdown()
        if failures and os.environ.get("CLUSTER_KEEP"):
            print(f"  kept {workdir} for inspection")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    for failure in failures:
        print(f"  GOAL MISSED: {failure}")
    print(f"  cluster test: {'FAILED' if failures else 'passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

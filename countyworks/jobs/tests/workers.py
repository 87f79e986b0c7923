"""Helpers for tests that run real worker processes against the test database.

On PostgreSQL the workers connect to the test database itself (the test is transactional). On
SQLite the test database lives in memory, so the test's data is copied into a file with SQLite's
backup API and the workers (and the test's checks) use that file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection

SCRIPT = r"""
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "countyworks.settings")
import django
django.setup()
from countyworks.reports import services
mode, marker = sys.argv[1], sys.argv[2]

def render(kind, fmt, built, request=None):
    if mode == "hang":
        with open(marker + ".hang", "w") as f:
            f.write(str(os.getpid()))
        time.sleep(600)
    with open(marker, "a") as f:
        f.write("rendered %d\n" % os.getpid())
    return b"%PDF-1.4 once"

services.render = render
from countyworks.supervision import engine
real_supervise = engine.supervise

def supervise(today=None):
    with open(marker + ".supervise", "a") as f:
        f.write("%s %d\n" % (today, os.getpid()))
    return real_supervise(today)

engine.supervise = supervise
start = os.environ.get("WORKER_START_FILE")
while start and not os.path.exists(start):
    time.sleep(0.01)
from django.core.management import call_command
call_command("worker", "--until-empty" if mode == "drain" else "--poll=0.2", *sys.argv[3:])
"""


class WorkerDb:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp / "workers.sqlite3"

    def publish(self) -> None:
        """Make what the test wrote so far visible to worker processes."""
        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        if self.sqlite:
            env["DATABASE_URL"] = f"sqlite:///{self.file}"
        else:
            s = connection.settings_dict
            env["DATABASE_URL"] = (
                f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
            )
        env.update({"MEDIA_ROOT": str(self.tmp / "media"), "JOBS_LEASE_SECONDS": "2"} | extra)
        return env

    def start(self, mode: str, marker: Path, *args: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", SCRIPT, mode, str(marker), *args],
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def rows(self, sql: str, params: tuple = ()) -> list[tuple[Any, ...]]:
        """Read what the workers wrote (raw SQL: the same text reads both databases)."""
        if self.sqlite:
            with sqlite3.connect(self.file) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

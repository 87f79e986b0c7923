"""The task queue on the database: enqueue, claim with a lease, run, retry with back-off.

Works the same on SQLite (`make run`) and PostgreSQL (N workers on N machines): a claim is a
compare-and-set UPDATE on the row (`attempts` is the version), so two workers can never both win
one job; on PostgreSQL candidates are read with SELECT … FOR UPDATE SKIP LOCKED so busy workers
do not contend for the same row. See docs/queue.md for why this, and not a broker.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import traceback
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from countyworks.jobs.models import Job, JobState
from countyworks.jobs.registry import SCHEDULES, TASKS, GiveUp, RetryLater, Run

logger = logging.getLogger(__name__)


def lease_seconds() -> float:
    return float(getattr(settings, "JOBS_LEASE_SECONDS", 60))


def backoff(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: exponential from JOBS_BACKOFF_SECONDS, capped, jittered."""
    base = float(getattr(settings, "JOBS_BACKOFF_SECONDS", 5))
    delay = min(base * 2 ** max(attempt - 1, 0), float(getattr(settings, "JOBS_BACKOFF_MAX_SECONDS", 600)))
    # Jitter spreads retries of many jobs that failed together (a mail server outage) apart.
    return delay * random.uniform(0.8, 1.2)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def enqueue(
    name: str,
    payload: dict[str, Any] | None = None,
    *,
    unique_key: str | None = None,
    run_after: datetime | None = None,
    max_attempts: int | None = None,
) -> Job:
    """Add a job; with `unique_key`, a second enqueue of the same key returns the first job."""
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}")
    fields = {
        "name": name,
        "payload": payload or {},
        "run_after": run_after or timezone.now(),
        "max_attempts": max_attempts or int(getattr(settings, "JOBS_MAX_ATTEMPTS", 5)),
    }
    if unique_key is None:
        job = Job.objects.create(**fields)
    else:
        try:
            # The unique index decides between concurrent callers, on every database.
            with transaction.atomic():
                job = Job.objects.create(unique_key=unique_key, **fields)
        except IntegrityError:
            return Job.objects.get(unique_key=unique_key)
    if getattr(settings, "JOBS_INLINE", False):
        # Tests: run at once, inside the test's transaction (a worker would not see it).
        run_job(job, worker="inline")
        job.refresh_from_db()
    return job


def _claimable(now: datetime) -> Q:
    return Q(state=JobState.QUEUED, run_after__lte=now) | Q(state=JobState.RUNNING, lease_until__lt=now)


def claim(worker: str, names: list[str] | None = None) -> Job | None:
    """Take the next due job (or one whose worker's lease ran out) for `worker`, or None."""
    now = timezone.now()
    candidates = Job.objects.filter(_claimable(now))
    if names:
        candidates = candidates.filter(name__in=names)
    candidates = candidates.order_by("run_after", "id")
    for _ in range(5):
        with transaction.atomic():
            if connection.vendor == "postgresql":
                row = candidates.select_for_update(skip_locked=True).values("pk", "attempts").first()
            else:
                row = candidates.values("pk", "attempts").first()
            if row is None:
                return None
            won = Job.objects.filter(_claimable(now), pk=row["pk"], attempts=row["attempts"]).update(
                state=JobState.RUNNING,
                attempts=F("attempts") + 1,
                worker=worker,
                lease_until=now + timedelta(seconds=lease_seconds()),
            )
        if won:
            return Job.objects.get(pk=row["pk"])
    return None


def _mine(job: Job, worker: str) -> Any:
    """The job's row while this worker still holds it: a worker whose lease was taken over by
    another (it hung, the lease ran out) can neither finish nor fail the job any more."""
    return Job.objects.filter(pk=job.pk, state=JobState.RUNNING, worker=worker, attempts=job.attempts)


def heartbeat(job: Job, worker: str) -> bool:
    """Renew the lease; False if the job was taken over."""
    until = timezone.now() + timedelta(seconds=lease_seconds())
    return bool(_mine(job, worker).update(lease_until=until))


class _Heartbeat(threading.Thread):
    def __init__(self, job: Job, worker: str) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job.pk}")
        self.job, self.worker = job, worker
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.wait(lease_seconds() / 3):
                heartbeat(self.job, self.worker)
        finally:
            connection.close()


def run_job(job: Job, worker: str) -> str:
    """Run a claimed job (or, inline, a fresh one) and record the outcome; returns the new state."""
    if worker == "inline":
        Job.objects.filter(pk=job.pk).update(
            state=JobState.RUNNING, attempts=F("attempts") + 1, worker=worker, lease_until=None
        )
        job.refresh_from_db()
    if job.attempts > job.max_attempts:
        # Claimed once more after its last attempt's worker died: nothing is left to try.
        _mine(job, worker).update(state=JobState.FAILED, finished_at=timezone.now())
        return JobState.FAILED
    fn = TASKS.get(job.name)
    beat = _Heartbeat(job, worker) if worker != "inline" else None
    if beat:
        beat.start()
    try:
        if fn is None:
            raise GiveUp(f"unknown task {job.name!r}")
        fn(job.payload, Run(job.pk, job.attempts, job.max_attempts))
    except Exception as exc:  # every failure is recorded on the job, never lost with the worker
        return _failed(job, worker, exc)
    finally:
        if beat:
            beat.stop.set()
    _mine(job, worker).update(state=JobState.DONE, finished_at=timezone.now(), lease_until=None)
    return JobState.DONE


def _failed(job: Job, worker: str, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if not isinstance(exc, (RetryLater, GiveUp)):
        logger.warning("job %s attempt %s failed\n%s", job.pk, job.attempts, traceback.format_exc())
    now = timezone.now()
    if isinstance(exc, GiveUp) or job.attempts >= job.max_attempts:
        _mine(job, worker).update(state=JobState.FAILED, last_error=error, finished_at=now, lease_until=None)
        return JobState.FAILED
    delay = exc.delay if isinstance(exc, RetryLater) and exc.delay is not None else backoff(job.attempts)
    extra = {}
    if isinstance(exc, RetryLater):
        # Waiting out a rate limit is not a failed attempt: the job keeps all its tries.
        extra["max_attempts"] = F("max_attempts") + 1
    _mine(job, worker).update(
        **extra,
        state=JobState.QUEUED,
        last_error=error,
        run_after=now + timedelta(seconds=delay),
        lease_until=None,
    )
    return JobState.QUEUED


def run_one(worker: str, names: list[str] | None = None) -> bool:
    """Claim and run one job; False when nothing was due."""
    job = claim(worker, names)
    if job is None:
        return False
    run_job(job, worker)
    return True


def schedule_due(now: datetime | None = None) -> list[Job]:
    """The scheduler's tick: enqueue each daily job of today once it is due.

    Safe to run in every worker of every machine at once: the key `name:YYYY-MM-DD` is unique, so
    the day's job is one row whoever enqueues it first.
    """
    local = timezone.localtime(now or timezone.now())
    jobs = []
    for entry in SCHEDULES:
        if local.hour < entry.hour:
            continue
        day = local.date().isoformat()
        jobs.append(enqueue(entry.name, {"day": day}, unique_key=f"{entry.name}:{day}"))
    return jobs

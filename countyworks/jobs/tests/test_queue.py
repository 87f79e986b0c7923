"""The queue itself: idempotent enqueue, retries with back-off, giving up, lease take-over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from countyworks.jobs import queue
from countyworks.jobs.models import Job, JobState
from countyworks.jobs.registry import TASKS, GiveUp, RetryLater

CALLS: list[tuple[dict, int]] = []


@pytest.fixture
def flaky(settings):
    settings.JOBS_BACKOFF_SECONDS = 10
    CALLS.clear()

    def fn(payload, run):
        CALLS.append((payload, run.attempt))
        if payload.get("mode") == "giveup":
            raise GiveUp("bad key")
        if payload.get("mode") == "later":
            raise RetryLater("rate limited", delay=42)
        if run.attempt < payload.get("succeed_on", 1):
            raise RuntimeError("boom")

    TASKS["test.flaky"] = fn
    yield
    TASKS.pop("test.flaky")


def _make_due(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())


@pytest.mark.django_db
def test_a_unique_key_makes_enqueue_idempotent(flaky):
    first = queue.enqueue("test.flaky", {"a": 1}, unique_key="k:1")
    again = queue.enqueue("test.flaky", {"a": 2}, unique_key="k:1")
    assert first.pk == again.pk and Job.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_job_is_retried_with_growing_back_off_until_it_succeeds(flaky):
    job = queue.enqueue("test.flaky", {"succeed_on": 3})
    delays = []
    for _ in range(2):
        before = timezone.now()
        assert queue.run_one("w")
        job.refresh_from_db()
        assert job.state == JobState.QUEUED and "boom" in job.last_error
        delays.append((job.run_after - before).total_seconds())
        assert not queue.run_one("w")  # not due before its back-off ends
        _make_due(job)
    assert 8 <= delays[0] <= 12.5 and 16 <= delays[1] <= 24.5
    assert queue.run_one("w")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 3
    assert [attempt for _, attempt in CALLS] == [1, 2, 3]


@pytest.mark.django_db
def test_it_gives_up_after_the_last_attempt_and_at_once_on_giveup(flaky):
    job = queue.enqueue("test.flaky", {"succeed_on": 99}, max_attempts=2)
    queue.run_one("w")
    _make_due(job)
    queue.run_one("w")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 2 and job.finished_at
    bad = queue.enqueue("test.flaky", {"mode": "giveup"})
    queue.run_one("w")
    bad.refresh_from_db()
    assert bad.state == JobState.FAILED and bad.attempts == 1 and "bad key" in bad.last_error


@pytest.mark.django_db
def test_retry_later_uses_the_delay_the_task_asks_for(flaky):
    job = queue.enqueue("test.flaky", {"mode": "later"})
    before = timezone.now()
    queue.run_one("w")
    job.refresh_from_db()
    assert 41 <= (job.run_after - before).total_seconds() <= 43
    assert job.max_attempts == 6  # waiting out a rate limit does not use up a try


@pytest.mark.django_db
def test_an_expired_lease_is_taken_over_and_the_old_worker_cannot_finish(flaky):
    job = queue.enqueue("test.flaky", {})
    claimed = queue.claim("old")
    assert claimed.pk == job.pk and queue.claim("other") is None  # held while leased
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    taken = queue.claim("new")
    assert taken.pk == job.pk and taken.attempts == 2
    assert not queue.heartbeat(claimed, "old")  # the old worker lost it
    queue.run_job(claimed, "old")  # a hung worker waking up records nothing
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.worker == "new"
    queue.run_job(taken, "new")
    job.refresh_from_db()
    assert job.state == JobState.DONE

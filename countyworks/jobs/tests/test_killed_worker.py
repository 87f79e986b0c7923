"""A worker killed (SIGKILL) in the middle of a report job: another worker finishes it, once."""

from __future__ import annotations

import os
import signal
import time

import pytest

from countyworks.jobs.tests.workers import WorkerDb
from countyworks.plans.models import Plan
from countyworks.reports import services


def _wait(predicate, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_job_taken_by_a_killed_worker_is_run_again_exactly_once(cast, tmp_path):
    Plan.objects.filter(pk=cast.plan.pk).update(published=True)
    job = services.start_job(cast.supervisor, "review", "pdf", cast.county, year=2023)
    db = WorkerDb(tmp_path)
    db.publish()
    marker = tmp_path / "renders.log"

    first = db.start("hang", marker, "--no-schedule")
    try:
        _wait(lambda: (tmp_path / "renders.log.hang").exists())
        # It holds the job, in the middle of rendering.
        assert db.rows("SELECT status FROM reports_reportjob WHERE id = %s", (job.pk,)) == [("running",)]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()

    # The next worker waits out the dead worker's lease (2 s), takes the job over and finishes it.
    second = db.start("serve", marker, "--no-schedule")
    try:
        _wait(lambda: db.rows("SELECT state FROM jobs_job WHERE id = %s", (job.task_id,)) == [("done",)])
    finally:
        second.terminate()
        second.wait(30)
    assert db.rows("SELECT attempts FROM jobs_job WHERE id = %s", (job.task_id,)) == [(2,)]
    assert db.rows("SELECT status, progress FROM reports_reportjob WHERE id = %s", (job.pk,)) == [
        ("done", 100)
    ]
    # Exactly one finished render, by the second worker; a third worker finds nothing to do.
    third = db.start("drain", marker, "--no-schedule")
    third.wait(60)
    renders = marker.read_text().splitlines()
    assert len(renders) == 1 and renders[0] == f"rendered {second.pid}"
    (stored,) = db.rows("SELECT file FROM reports_reportjob WHERE id = %s", (job.pk,))[0]
    assert (tmp_path / "media" / stored).read_bytes() == b"%PDF-1.4 once"

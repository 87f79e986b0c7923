"""The daily supervision run: scheduled by the queue, once a day however many schedulers run."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from countyworks.jobs import queue
from countyworks.jobs.models import Job
from countyworks.jobs.tests.workers import WorkerDb


@pytest.mark.django_db
def test_the_scheduler_enqueues_the_day_once_and_only_from_its_hour(settings):
    from countyworks.jobs.registry import SCHEDULES

    (entry,) = [s for s in SCHEDULES if s.name == "supervision.daily"]
    tz = timezone.get_current_timezone()
    day = datetime(2023, 11, 30, 12, tzinfo=tz)
    first = [j for j in queue.schedule_due(day) if j.name == "supervision.daily"]
    again = [j for j in queue.schedule_due(day.replace(hour=23)) if j.name == "supervision.daily"]
    assert first[0].pk == again[0].pk and first[0].payload == {"day": "2023-11-30"}
    assert first[0].unique_key == "supervision.daily:2023-11-30"
    nxt = [
        j
        for j in queue.schedule_due(day.replace(day=1, month=12, hour=entry.hour))
        if j.name == "supervision.daily"
    ]
    assert nxt[0].pk != first[0].pk
    assert Job.objects.filter(name="supervision.daily").count() == 2


@pytest.mark.django_db
def test_the_daily_job_runs_the_supervision_engine(cast, settings):
    from countyworks.supervision.models import LightSnapshot

    settings.JOBS_INLINE = True
    job = queue.enqueue("supervision.daily", {"day": "2023-06-30"}, unique_key="supervision.daily:2023-06-30")
    job.refresh_from_db()
    assert job.state == "done"
    assert LightSnapshot.objects.filter(on_date="2023-06-30").exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_schedulers_run_the_day_once(cast, tmp_path):
    db = WorkerDb(tmp_path)
    db.publish()
    marker = tmp_path / "runs.log"
    start = tmp_path / "go"
    # Two workers (each with its scheduler) released at the same instant against one database.
    workers = [db.start("drain", marker, WORKER_START_FILE=str(start)) for _ in range(2)]
    start.touch()
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, out
    today = timezone.localdate().isoformat()
    rows = db.rows("SELECT state, attempts FROM jobs_job WHERE name = %s", ("supervision.daily",))
    assert rows == [("done", 1)]
    runs = (tmp_path / "runs.log.supervise").read_text().splitlines()
    assert len(runs) == 1 and runs[0].startswith(today)

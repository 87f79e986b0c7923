"""A job whose worker died (restart, OOM) stops moving: it is recorded as failed, and can be run again."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from countyworks.reports import services
from countyworks.reports.models import JobStatus, ReportJob

STALE_WORDS = "服务器重启或内存不足"


@pytest.fixture
def inline_jobs(settings, tmp_path, monkeypatch):
    settings.REPORTS_JOBS_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        "countyworks.reports.render_pdf.render_pdf", lambda report: b"%PDF-1.4 " + report.title.encode()
    )


def _job(cast, *, status=JobStatus.RUNNING, idle_seconds=0, **fields) -> ReportJob:
    values = {
        "kind": "review",
        "fmt": "pdf",
        "region": cast.county,
        "year": 2023,
        "requested_by": cast.viewer,
        "status": status,
        "progress": 40,
        "filename": "review-140427-2023.pdf",
    }
    job = ReportJob.objects.create(**(values | fields))
    ReportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(seconds=idle_seconds))
    return job


def test_it_shows_and_stores_a_job_that_stopped_moving_as_failed(year_data, cast, client, settings):
    settings.REPORT_JOB_STALE_SECONDS = 300
    job = _job(cast, idle_seconds=301)
    client.force_login(cast.viewer)
    partial = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial  # the page stops polling
    assert STALE_WORDS in partial
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert STALE_WORDS in job.message
    assert job.finished_at is not None


def test_it_leaves_a_job_that_is_still_moving_alone(year_data, cast, client, settings):
    settings.REPORT_JOB_STALE_SECONDS = 300
    job = _job(cast, idle_seconds=299)
    client.force_login(cast.viewer)
    partial = client.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert services.sweep_stale_jobs() == 0
    job.refresh_from_db()
    assert (job.status, job.message, job.finished_at) == (JobStatus.RUNNING, "", None)


def test_it_sweeps_stale_jobs_from_the_command_line_once(year_data, cast, settings):
    settings.REPORT_JOB_STALE_SECONDS = 300
    dead_running = _job(cast, idle_seconds=3600)
    dead_queued = _job(cast, status=JobStatus.QUEUED, progress=0, idle_seconds=3600)
    alive = _job(cast, idle_seconds=10)
    done = _job(cast, status=JobStatus.DONE, progress=100, idle_seconds=3600)
    out = StringIO()
    call_command("sweep_report_jobs", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"failed": 2, "stale_after_seconds": 300}
    statuses = dict(ReportJob.objects.values_list("pk", "status"))
    assert statuses == {
        dead_running.pk: JobStatus.FAILED,
        dead_queued.pk: JobStatus.FAILED,
        alive.pk: JobStatus.RUNNING,
        done.pk: JobStatus.DONE,
    }
    assert STALE_WORDS in ReportJob.objects.get(pk=dead_queued.pk).message
    out = StringIO()
    call_command("sweep_report_jobs", stdout=out)
    assert "failed: 0" in out.getvalue()


def test_it_stores_the_chinese_message_whatever_the_viewers_language(year_data, cast, client, settings):
    settings.REPORT_JOB_STALE_SECONDS = 300
    job = _job(cast, idle_seconds=3600)
    client.force_login(cast.viewer)
    client.get(reverse("reports:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    job.refresh_from_db()
    assert STALE_WORDS in job.message


def test_it_offers_a_new_run_of_a_failed_review_and_the_new_run_finishes(
    year_data, cast, client, settings, inline_jobs
):
    settings.REPORT_JOB_STALE_SECONDS = 300
    dead = _job(cast, idle_seconds=3600)
    client.force_login(cast.viewer)
    page = client.get(reverse("reports:job", args=[dead.pk]))
    retry = page.context["retry_url"]
    assert retry == reverse("reports:review", args=["140427", 2023]) + "?format=pdf"
    assert f'href="{retry}"' in page.content.decode()
    response = client.get(retry)
    again = ReportJob.objects.exclude(pk=dead.pk).get()
    assert response["Location"] == reverse("reports:job", args=[again.pk])
    assert (again.status, again.kind, again.fmt, again.requested_by) == (
        JobStatus.DONE,
        "review",
        "pdf",
        cast.viewer,
    )
    assert ReportJob.objects.get(pk=dead.pk).status == JobStatus.FAILED


def test_it_offers_a_new_run_of_a_failed_bulletin_for_the_same_period(
    year_data, cast, client, settings, inline_jobs
):
    from datetime import date

    settings.REPORT_JOB_STALE_SECONDS = 300
    dead = _job(
        cast,
        kind="bulletin",
        year=None,
        date_from=date(2023, 1, 1),
        date_to=date(2023, 6, 30),
        requested_by=cast.supervisor,
        idle_seconds=3600,
    )
    client.force_login(cast.supervisor)
    retry = client.get(reverse("reports:job", args=[dead.pk])).context["retry_url"]
    response = client.get(retry)
    again = ReportJob.objects.exclude(pk=dead.pk).get()
    assert response["Location"] == reverse("reports:job", args=[again.pk])
    assert (again.kind, again.date_from, again.date_to, again.status) == (
        "bulletin",
        date(2023, 1, 1),
        date(2023, 6, 30),
        JobStatus.DONE,
    )


def test_it_offers_no_new_run_while_a_job_is_running_or_done(year_data, cast, client):
    client.force_login(cast.viewer)
    for status in (JobStatus.RUNNING, JobStatus.DONE):
        job = _job(cast, status=status)
        assert client.get(reverse("reports:job", args=[job.pk])).context["retry_url"] == ""


def test_it_keeps_a_swept_job_failed_when_its_late_worker_finishes(
    year_data, cast, settings, inline_jobs, monkeypatch
):
    settings.REPORT_JOB_STALE_SECONDS = 300

    def slow_render(report):
        # While this worker renders, the heartbeat goes stale and the sweep gives the job up.
        ReportJob.objects.update(updated_at=timezone.now() - timedelta(hours=1))
        assert services.sweep_stale_jobs() == 1
        return b"%PDF-1.4 late"

    monkeypatch.setattr("countyworks.reports.render_pdf.render_pdf", slow_render)
    job = services.start_job(cast.viewer, "review", "pdf", cast.county, year=2023)
    assert job.status == JobStatus.FAILED
    assert STALE_WORDS in job.message
    assert not job.file
    assert not any(settings.MEDIA_ROOT.rglob("*.pdf"))  # the late file is not kept


def test_it_touches_the_heartbeat_at_each_step_of_a_job(year_data, cast, inline_jobs, monkeypatch):
    seen = []

    def watching_render(report):
        job = ReportJob.objects.get()
        seen.append((job.status, job.progress, job.updated_at))
        return b"%PDF-1.4"

    monkeypatch.setattr("countyworks.reports.render_pdf.render_pdf", watching_render)
    before = timezone.now()
    job = services.start_job(cast.viewer, "review", "pdf", cast.county, year=2023)
    status, progress, heartbeat = seen[0]
    assert (status, progress) == (JobStatus.RUNNING, 40)
    assert heartbeat >= before
    assert job.updated_at >= heartbeat

"""Producing report files: one entry point for the CLI, the views and background jobs.

`produce` builds and renders a report synchronously; `start_job` puts it on the task queue
(countyworks.jobs, run by `countyworks worker`; inline when settings.REPORTS_JOBS_INLINE is true,
as tests do) and records progress on a ReportJob the page polls. Each move of a job touches its heartbeat (`updated_at`); a job whose
worker died (restart, OOM) stops moving, and `fail_if_stale` / `sweep_stale_jobs` record it as
failed once its heartbeat is older than settings.REPORT_JOB_STALE_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.core.services import PermissionDenied, ServiceError
from countyworks.jobs import queue
from countyworks.jobs.registry import Run
from countyworks.plans.models import Plan
from countyworks.regions.models import Region
from countyworks.reports.builders import bulletin, ledger, review
from countyworks.reports.document import Report
from countyworks.reports.models import JobStatus, ReportFormat, ReportJob, ReportKind

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = {
    ReportKind.REVIEW: ("html", "docx", "pdf"),
    ReportKind.BULLETIN: ("docx", "pdf"),
    ReportKind.LEDGER: ("xlsx",),
}


BULLETIN_FIRST_YEAR = 1949
BULLETIN_LAST_YEAR = 2100


def may_read_review(user: Any, region: Region, year: int) -> bool:
    """Staff of the region read the review of a published plan; plan managers read drafts too."""
    return policy.can_read_review(user, region, review.find_plan(region, year))


def may_read_internal(user: Any, region: Region) -> bool:
    """Bulletins and ledgers are internal: staff of the region only."""
    return policy.can_read_internal_reports(user, region)


def check_access(user: Any, kind: str, region: Region, year: int | None) -> None:
    allowed = (
        may_read_review(user, region, year or 0)
        if kind == ReportKind.REVIEW
        else may_read_internal(user, region)
    )
    if not allowed:
        raise PermissionDenied(_("You may not read reports of this region."))


def build(
    kind: str,
    region: Region,
    *,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    user: Any = None,
) -> Report | list:
    if kind == ReportKind.REVIEW:
        try:
            return review.build_review(region, year or 0, user=user)
        except review.ReportNotFound as exc:
            raise ServiceError(_("There is no plan of this region for that year."), field="year") from exc
    if kind == ReportKind.BULLETIN:
        if start is None or end is None:
            raise ServiceError(_("Give the first and the last day of the period."), field="from")
        if end < start:
            raise ServiceError(_("The period ends before it starts."), field="to")
        # Year 1 or 9999 breaks date arithmetic (and SQLite's date functions); no plan is that old.
        for value, field in ((start, "from"), (end, "to")):
            if not BULLETIN_FIRST_YEAR <= value.year <= BULLETIN_LAST_YEAR:
                raise ServiceError(
                    _("Give a day between %(first)s and %(last)s.")
                    % {"first": BULLETIN_FIRST_YEAR, "last": BULLETIN_LAST_YEAR},
                    field=field,
                )
        return bulletin.build_bulletin(region, start, end, user=user)
    if kind == ReportKind.LEDGER:
        if not Plan.objects.filter(region=region, year=year or 0).exists():
            raise ServiceError(_("There is no plan of this region for that year."), field="year")
        return ledger.build_ledger(region, year or 0, user=user)
    raise ServiceError(_("Unknown report."), field="kind")


def render(kind: str, fmt: str, built: Report | list, request: Any = None) -> bytes:
    if fmt not in FORMATS.get(kind, ()):
        raise ServiceError(_("This report is not available in that format."), field="format")
    if fmt == "html":
        from countyworks.reports.render_html import render_standalone

        return render_standalone(built, request).encode()
    if fmt == "docx":
        from countyworks.reports.render_docx import render_docx

        return render_docx(built)
    if fmt == "pdf":
        from countyworks.reports.render_pdf import ConversionError, render_pdf

        try:
            return render_pdf(built)
        except ConversionError as exc:
            raise ServiceError(str(exc), field="format") from exc
    from countyworks.reports.render_xlsx import render_xlsx

    return render_xlsx(built)


def file_name(
    kind: str, fmt: str, region: Region, year: int | None, start: date | None, end: date | None
) -> str:
    if kind == ReportKind.BULLETIN:
        return f"bulletin-{region.code}-{start}-{end}.{fmt}"
    return f"{kind}-{region.code}-{year}.{fmt}"


def produce(
    kind: str,
    fmt: str,
    region: Region,
    *,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
    user: Any = None,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """Build and render a report in one go (the CLI and quick downloads use this)."""
    built = build(kind, region, year=year, start=start, end=end, user=user)
    if progress:
        progress(40)
    return render(kind, fmt, built)


def needs_job(kind: str, fmt: str, region: Region) -> bool:
    """PDF conversion and province-wide bulletins take seconds: they run outside the request."""
    return fmt == ReportFormat.PDF or (kind == ReportKind.BULLETIN and region.level != "county")


def start_job(
    user: Any,
    kind: str,
    fmt: str,
    region: Region,
    *,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> ReportJob:
    check_access(user, kind, region, year)
    if fmt not in FORMATS.get(kind, ()):
        raise ServiceError(_("This report is not available in that format."), field="format")
    job = ReportJob.objects.create(
        kind=kind,
        fmt=fmt,
        region=region,
        year=year,
        date_from=start,
        date_to=end,
        requested_by=user if getattr(user, "pk", None) else None,
        filename=file_name(kind, fmt, region, year, start, end),
    )
    # One queue job per report job (the unique key): asking twice never renders twice.
    task = queue.enqueue("reports.render", {"report_job": job.pk}, unique_key=f"report:{job.pk}")
    ReportJob.objects.filter(pk=job.pk).update(task=task)
    # Tests run jobs inline: a worker would not see the test's uncommitted transaction.
    if getattr(settings, "REPORTS_JOBS_INLINE", False) and task.state == "queued":
        queue.run_job(task, worker="inline")
    job.refresh_from_db()
    return job


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


def _running(job_id: int) -> QuerySet[ReportJob]:
    """The job's row while it is still running: a job already swept as dead is never revived."""
    return ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING)


def run_job(job_id: int, run: Run | None = None) -> None:
    """Run one job to the end, recording progress.

    A refusal (ServiceError: no plan, no converter) is recorded as the job's failure at once. Any
    other error is raised to the queue, which runs the job again after a back-off, unless this was
    the last attempt: then it is recorded. A job retaken after its worker was killed is `running`
    and simply starts again; its file is only stored when it finishes.
    """
    job = ReportJob.objects.select_related("region", "requested_by").get(pk=job_id)

    def step(percent: int) -> None:
        _running(job.pk).update(progress=percent, updated_at=timezone.now())

    started = ReportJob.objects.filter(pk=job.pk, status__in=UNFINISHED).update(
        status=JobStatus.RUNNING, progress=10, updated_at=timezone.now()
    )
    if not started:
        return
    try:
        data = produce(
            job.kind,
            job.fmt,
            job.region,
            year=job.year,
            start=job.date_from,
            end=job.date_to,
            user=job.requested_by,
            progress=step,
        )
    except Exception as exc:  # a failed job must say why on the page, not vanish with the worker
        message = exc.message if isinstance(exc, ServiceError) else _("The report could not be produced.")
        now = timezone.now()
        if run is not None and not run.last and not isinstance(exc, ServiceError):
            retry = _("Attempt %(attempt)s of %(max)s failed; it will be tried again.") % {
                "attempt": run.attempt,
                "max": run.max_attempts,
            }
            _running(job.pk).update(status=JobStatus.QUEUED, message=retry, updated_at=now)
            raise
        _running(job.pk).update(
            status=JobStatus.FAILED, message=str(message)[:500], finished_at=now, updated_at=now
        )
        return
    step(90)
    job.file.save(job.filename, ContentFile(data), save=False)
    now = timezone.now()
    finished = _running(job.pk).update(
        file=job.file.name, status=JobStatus.DONE, progress=100, finished_at=now, updated_at=now
    )
    if not finished:
        # Swept as dead while it was still rendering: the user was told it failed and may already
        # have asked again, so the job stays failed and its late file is not kept.
        job.file.delete(save=False)


def stale_before(now: datetime | None = None) -> datetime:
    """Heartbeats older than this belong to jobs whose worker is gone."""
    return (now or timezone.now()) - timedelta(seconds=settings.REPORT_JOB_STALE_SECONDS)


def _stale_message() -> str:
    # Stored in the site's language (Chinese), the same whether a page view or the command found it.
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The report stopped before it was finished: the server was restarted or ran out of "
            "memory while producing it. Please produce it again."
        )


def _fail_stale(jobs: QuerySet[ReportJob], now: datetime) -> int:
    # Status and heartbeat are tested in the UPDATE itself: a worker that moved meanwhile wins.
    return jobs.filter(status__in=UNFINISHED, updated_at__lt=stale_before(now)).update(
        status=JobStatus.FAILED, message=_stale_message(), finished_at=now, updated_at=now
    )


def sweep_stale_jobs(now: datetime | None = None) -> int:
    """Record every queued or running job that has not moved for too long as failed.

    Idempotent, for cron (`countyworks sweep_report_jobs`); returns how many jobs it failed.
    """
    return _fail_stale(ReportJob.objects.all(), now or timezone.now())


def fail_if_stale(job: ReportJob, now: datetime | None = None) -> ReportJob:
    """The progress page's check: a job that stopped moving is shown, and stored, as failed."""
    now = now or timezone.now()
    if job.status not in UNFINISHED or job.updated_at >= stale_before(now):
        return job
    _fail_stale(ReportJob.objects.filter(pk=job.pk), now)
    job.refresh_from_db()
    return job

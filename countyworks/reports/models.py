"""Report jobs: slow renderings (PDF, province bulletins) run outside the web request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ReportKind(models.TextChoices):
    REVIEW = "review", _("year-end review")
    BULLETIN = "bulletin", _("supervision bulletin")
    LEDGER = "ledger", _("ledger workbook")


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"


class ReportJob(models.Model):
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    fmt = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="report_jobs"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_jobs",
    )
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="reports/", max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The heartbeat: touched whenever the job moves (start, each progress step, the end). A queued or
    # running job whose heartbeat is older than settings.REPORT_JOB_STALE_SECONDS lost its worker.
    updated_at = models.DateTimeField(_("last moved at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # issue 17: the queue job that renders it (its attempts and last error show on the job page).
    task = models.ForeignKey(
        "jobs.Job", verbose_name=_("background job"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.fmt} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

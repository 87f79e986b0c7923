"""The job table of the task queue (see docs/queue.md).

One row per piece of background work. A worker claims a row by moving it to `running` with a lease
(`lease_until`) that it renews while the job runs; a row still `running` after its lease ran out
lost its worker (killed, machine gone) and is claimed again by the next worker. `unique_key` makes
enqueueing idempotent: the daily supervision run of one day, or the render of one report job, is
one row however many processes ask for it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("job state", "queued")
    RUNNING = "running", pgettext_lazy("job state", "running")
    DONE = "done", pgettext_lazy("job state", "done")
    FAILED = "failed", pgettext_lazy("job state", "failed")


class Job(models.Model):
    name = models.CharField(_("task"), max_length=100)
    payload = models.JSONField(_("arguments"), default=dict, blank=True)
    unique_key = models.CharField(_("unique key"), max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(_("state"), max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("maximum attempts"), default=5)
    run_after = models.DateTimeField(_("not before"), default=timezone.now)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "run_after"], name="job_claim_idx")]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.state})"

"""Progress reports with evidence and their review, notices (督办单) and instructions (批示)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from countyworks.core.models import Illustrative, SoftDeletable, TimeStamped, Versioned
from countyworks.plans.models import PERCENT_VALIDATORS


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class ProgressReport(TimeStamped, Versioned, SoftDeletable, Illustrative):
    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.CharField(_("period"), max_length=10, help_text=_("YYYY-MM, YYYY-Qn or YYYY"))
    text = models.TextField(_("progress"))
    progress = models.DecimalField(
        _("progress (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    unit = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("reporting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_reports",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    state = models.CharField(
        _("review state"), max_length=10, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_reports",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["item", "state", "submitted_at"]),
            models.Index(fields=["unit", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.period} {self.progress}%"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    FILE = "file", _("file")


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # Generated names only: the uploaded name is kept in `original_name`, never used on disk.
    import uuid

    suffix = {"photo": ".jpg"}.get(instance.kind, "")
    if not suffix and "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:8]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Evidence(TimeStamped):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices, default=EvidenceKind.PHOTO)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    public = models.BooleanField(_("may be shown publicly"), default=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return self.caption or self.original_name


class NoticeState(models.TextChoices):
    ISSUED = "issued", _("issued")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class Notice(TimeStamped, Versioned, Illustrative):
    """A supervision notice (督办单) to a unit about an item, with a deadline for the answer."""

    number = models.CharField(_("notice number"), max_length=40, blank=True)
    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.PROTECT, related_name="notices"
    )
    unit = models.ForeignKey(
        "regions.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="notices"
    )
    content = models.TextField(_("content"))
    deadline = models.DateField(_("answer by"))
    state = models.CharField(
        _("state"), max_length=14, choices=NoticeState.choices, default=NoticeState.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_notices",
    )
    issued_at = models.DateTimeField(_("issued at"))
    automatic = models.BooleanField(_("issued automatically"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_notices",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_notices",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class Instruction(TimeStamped, Illustrative):
    """A leader's written instruction (批示) on an item. Internal: never public."""

    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.PROTECT, related_name="instructions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    text = models.TextField(_("instruction"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]

"""Progress reports with evidence and their review, notices (督办单) and instructions (批示)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from countyworks.core.models import Illustrative, SoftDeletable, TimeStamped, Versioned
from countyworks.plans import cadence as cadence_rules
from countyworks.plans.models import PERCENT_VALIDATORS, ItemKind, ReportCadence


class ReviewState(models.TextChoices):
    # issue 13 (单位审签): waiting for the unit head's approval; the office does not see it yet.
    WITH_HEAD = "with_head", _("awaiting the unit head")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class ProgressReport(TimeStamped, Versioned, SoftDeletable, Illustrative):
    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.CharField(
        _("period"), max_length=10, help_text=_("YYYY-MM, YYYY-Qn, YYYY, YYYY-MM-H1 or YYYY-Www")
    )
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
    # Written in by the supervision office from a document the unit sent (a progress text read in),
    # not submitted by the unit itself: screens say so (督查室代填).
    entered_by_office = models.BooleanField(_("entered by the supervision office"), default=False)
    # issue 19: submitted after its period's reporting window closed (set when it is submitted,
    # by the cycle then in force, so a later change of cycle does not rewrite the record).
    late = models.BooleanField(_("submitted late"), default=False)
    # issue 13 (单位审签): the unit head's decision, kept apart from the office's review.
    head_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or returned by the unit head"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="head_decided_reports",
    )
    head_decided_at = models.DateTimeField(_("unit head decided at"), null=True, blank=True)
    head_comment = models.TextField(_("unit head's comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["item", "state", "submitted_at"]),
            models.Index(fields=["unit", "period"]),
            # Newest first over a whole province (the API's default order) reads the index
            # backwards and stops after a page, instead of sorting 860,000 reports.
            models.Index(fields=["submitted_at", "id"], name="report_submitted_order"),
            models.Index(fields=["reviewed_at", "id"], name="report_reviewed_order"),
            # The review queue: the few reports still waiting, per item, oldest first. Partial and
            # holding every column the queue filters on, so counting a province's queue reads this
            # small index alone (35 ms instead of 350 ms for 18,000 waiting among 860,000).
            models.Index(
                fields=["item", "submitted_at", "id"],
                name="report_waiting_queue",
                condition=models.Q(state=ReviewState.SUBMITTED, deleted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.period} {self.progress}%"

    @property
    def entry_label(self) -> str:
        """督查室代填 for a report the office entered for the unit; empty for the unit's own."""
        return str(_("entered by the supervision office")) if self.entered_by_office else ""


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    FILE = "file", _("file")


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # Generated names only: the uploaded name is kept in `original_name`, never used on disk.
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
    # Private unless the unit (or the office) says otherwise: a file may be internal minutes.
    public = models.BooleanField(_("may be shown publicly"), default=False)
    # The public address uses this random token, never the sequential id, so files cannot be enumerated.
    token = models.UUIDField(_("public token"), default=uuid.uuid4, unique=True, editable=False)

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
    # issue 13: the leader's instruction (批示) this notice carries to the unit, if it came from one.
    instruction = models.ForeignKey(
        "supervision.Instruction",
        verbose_name=_("instruction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
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
        verbose_name=pgettext_lazy("instruction", "author"),
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    text = models.TextField(_("instruction"))
    # issue 13: an instruction addressed to units (交办) has a deadline and one notice per unit
    # (`notices`), which the units sign for and answer and the office or the author closes.
    deadline = models.DateField(_("answer by"), null=True, blank=True)
    created_item = models.ForeignKey(
        "plans.WorkItem",
        verbose_name=_("work item made from it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_instructions",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class SupervisionSettings(models.Model):
    """The one row of rule thresholds an administrator may change; an empty field keeps the setting.

    `settings.SUPERVISION_*` are the defaults; `thresholds.current_thresholds()` merges this row over them.
    """

    yellow_behind_points = models.PositiveSmallIntegerField(
        _("yellow when behind by more than (points)"), null=True, blank=True
    )
    red_behind_points = models.PositiveSmallIntegerField(
        _("red when behind by more than (points)"), null=True, blank=True
    )
    due_soon_days = models.PositiveSmallIntegerField(_("due soon within (days)"), null=True, blank=True)
    escalate_after_red_runs = models.PositiveSmallIntegerField(
        _("automatic notice after this many red runs"), null=True, blank=True
    )
    report_reminder_day = models.PositiveSmallIntegerField(
        _("remind of a missing monthly report from this day of the month"), null=True, blank=True
    )
    # issue 13: a unit that has not signed for an assignment after this many working days is
    # reminded, and after twice as many gets a notice (settings.SUPERVISION_SIGNOFF_WORKING_DAYS).
    signoff_working_days = models.PositiveSmallIntegerField(
        _("remind of an unsigned assignment after (working days)"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")

    def __str__(self) -> str:
        return str(_("supervision settings"))

    def save(self, *args, **kwargs) -> None:
        # A singleton: whatever is saved becomes row 1.
        self.pk = 1
        super().save(*args, **kwargs)


class LightSnapshot(models.Model):
    """An item's light as `countyworks supervise` found it on one day (one row per item and day)."""

    item = models.ForeignKey(
        "plans.WorkItem",
        verbose_name=_("work item"),
        on_delete=models.CASCADE,
        related_name="light_snapshots",
    )
    on_date = models.DateField(_("date"))
    light = models.CharField(_("traffic light"), max_length=8)
    progress = models.DecimalField(_("progress (%)"), max_digits=5, decimal_places=2)
    expected = models.DecimalField(
        _("expected progress (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("light snapshot")
        verbose_name_plural = _("light snapshots")
        ordering = ["item_id", "-on_date"]
        constraints = [
            models.UniqueConstraint(fields=["item", "on_date"], name="light_snapshot_one_per_item_and_day")
        ]
        indexes = [models.Index(fields=["on_date", "light"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.on_date} {self.light}"


class ReminderKind(models.TextChoices):
    REPORT_DUE = "report_due", _("monthly report due")
    DUE_SOON = "due_soon", _("item due soon")
    OVERDUE = "overdue", _("item overdue")


class Reminder(models.Model):
    """A reminder the engine raised; `period_key` makes it once per item, kind and period."""

    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.CASCADE, related_name="reminders"
    )
    unit = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    period_key = models.CharField(_("period"), max_length=20)
    on_date = models.DateField(_("raised on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-on_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "kind", "period_key"], name="reminder_once_per_item_kind_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} {self.period_key}"


class Notification(models.Model):
    """An in-app message to one user; `key` makes each one unique so reruns add nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


# --- issue 13: the supervision procedure (延期申请 …); the pure rules are in procedure.py. ---


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


def extension_upload_to(instance: ExtensionRequest, filename: str) -> str:
    # Generated names only, as for report evidence.
    import uuid

    suffix = "." + filename.rsplit(".", 1)[1].lower()[:8] if "." in filename else ""
    return f"extension/{uuid.uuid4().hex}{suffix}"


class ExtensionRequest(TimeStamped, Versioned):
    """A unit's application (延期申请) for a later deadline of an item, and the office's decision."""

    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.PROTECT, related_name="extensions"
    )
    unit = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("applying unit"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    current_due_date = models.DateField(_("deadline when applied"), null=True, blank=True)
    requested_due_date = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to=extension_upload_to, max_length=200, blank=True)
    evidence_name = models.CharField(_("original file name"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    applied_at = models.DateTimeField(_("applied at"))
    approved_due_date = models.DateField(_("extended to"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extension_decisions",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["item", "state"])]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.requested_due_date}"


class ClosureState(models.TextChoices):
    PENDING = "pending", _("waiting for the office")
    CLOSED = "closed", pgettext_lazy("closure", "closed")
    RETURNED = "returned", _("returned for more")
    REOPENED = "reopened", _("reopened")


def closure_upload_to(instance: ClosureRequest, filename: str) -> str:
    # Generated names only, as for report evidence.
    suffix = "." + filename.rsplit(".", 1)[1].lower()[:8] if "." in filename else ""
    return f"closure/{uuid.uuid4().hex}{suffix}"


class ClosureRequest(TimeStamped, Versioned):
    """The lead unit's application to close an item (办结; 申请销号 for a rectification item), the
    office's decision and, should the item be reopened, who reopened it and why."""

    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.PROTECT, related_name="closures"
    )
    unit = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("applying unit"),
        on_delete=models.PROTECT,
        related_name="closure_requests",
    )
    summary = models.TextField(_("what was done"))
    evidence = models.FileField(_("evidence"), upload_to=closure_upload_to, max_length=200, blank=True)
    evidence_name = models.CharField(_("original file name"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ClosureState.choices, default=ClosureState.PENDING
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        related_name="closure_requests",
    )
    applied_at = models.DateTimeField(_("applied at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closure_decisions",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closure_reopenings",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure request")
        verbose_name_plural = _("closure requests")
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["item", "state"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.state}"


class BlockerTo(models.TextChoices):
    LEADER = "leader", _("the lead county leader")
    OFFICE = "office", _("the supervision office")


class BlockerState(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")


class Blocker(TimeStamped, Versioned):
    """问题协调: a unit raises what blocks an item to its lead county leader (or the office), who answers
    or gives an instruction."""

    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.PROTECT, related_name="blockers"
    )
    unit = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("raising unit"),
        on_delete=models.PROTECT,
        related_name="blockers",
    )
    addressed_to = models.CharField(_("addressed to"), max_length=10, choices=BlockerTo.choices)
    text = models.TextField(_("what blocks the work"))
    state = models.CharField(
        _("state"), max_length=10, choices=BlockerState.choices, default=BlockerState.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="blockers",
    )
    raised_at = models.DateTimeField(_("raised at"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blocker_answers",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["item", "state"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.text[:30]}"


class SignOffRole(models.TextChoices):
    LEAD = "lead", _("lead unit")
    CO = "co", _("co-operating unit")


class SignOff(TimeStamped, Versioned):
    """A unit's signature (签收) for an item assigned to it; one open row per item and unit."""

    item = models.ForeignKey(
        "plans.WorkItem", verbose_name=_("work item"), on_delete=models.CASCADE, related_name="signoffs"
    )
    unit = models.ForeignKey(
        "regions.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="signoffs"
    )
    role = models.CharField(_("as"), max_length=4, choices=SignOffRole.choices, default=SignOffRole.LEAD)
    assigned_at = models.DateTimeField(_("assigned at"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signoffs",
    )
    # The unit no longer takes part (the lead unit changed): the row stays as a record.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("supervision notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["item_id", "role", "id"]
        indexes = [models.Index(fields=["unit", "signed_at"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.unit_id}"


# --- issue 19: configurable assessment (考核细则) ---


class AssessmentScheme(TimeStamped):
    """One version of a plan's assessment rules (考核细则), in force from `valid_from` on.

    A month is always scored with the version in force on its last day (`supervision/assessment.py`),
    so publishing a new version never changes a month already ranked. `rules` is a list of rules as
    `scoring.rule_from_dict` reads them; `kind_weights` maps item kinds to weights (a kind not named
    weighs 1); the administrator edits versions in the admin site.
    """

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assessment_schemes"
    )
    valid_from = models.DateField(_("valid from"))
    rules = models.JSONField(_("rules"), default=list)
    kind_weights = models.JSONField(_("weights by item kind"), default=dict, blank=True)
    floor = models.DecimalField(
        _("lowest total"), max_digits=7, decimal_places=2, null=True, blank=True, default=0
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["plan_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "valid_from"], name="assessment_scheme_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.valid_from}"

    def as_scheme(self) -> Any:
        from countyworks.supervision import scoring

        return scoring.scheme_from_dict(
            {
                "rules": self.rules,
                "kind_weights": self.kind_weights,
                "floor": None if self.floor is None else float(self.floor),
            }
        )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        try:
            self.as_scheme()
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValidationError({"rules": str(exc)}) from exc
        stored = AssessmentScheme.objects.filter(pk=self.pk).first() if self.pk else None
        if stored is not None and stored.reaches_a_finished_month():
            raise ValidationError(
                _(
                    "This version has scored a finished month, so changing it would change a published "
                    "ranking. Add a new version instead."
                )
            )
        if self.valid_from and self.reaches_a_finished_month() and not (self.note or "").strip():
            raise ValidationError(
                {"note": _("A version that reaches back into a finished month needs a note saying why.")}
            )

    def reaches_a_finished_month(self) -> bool:
        """Valid from a day of a month that has ended: that month is scored with it (or, for a new
        version, is rescored by it — hence the note)."""
        from django.utils import timezone

        return self.valid_from < timezone.localdate().replace(day=1)


class AssessmentBonus(TimeStamped):
    """Points the office awards a unit under a bonus rule (领导批示肯定, 经验做法被推广), with the reason."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assessment_bonuses"
    )
    unit = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="assessment_bonuses",
    )
    rule = models.CharField(_("rule"), max_length=40)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300)
    awarded_on = models.DateField(_("awarded on"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment bonus")
        verbose_name_plural = _("assessment bonuses")
        ordering = ["plan_id", "-awarded_on", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.rule} {self.points}"


class ReportingCycle(TimeStamped):
    """A plan's 报送频次 and reporting window, for one kind of item or (kind blank) for all.

    An item's own cadence (WorkItem.report_cadence) overrides the cadence, never the window.
    Without any row a plan's items report monthly, within the month (plans/cadence.py)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reporting_cycles"
    )
    kind = models.CharField(
        _("kind of item"),
        max_length=16,
        choices=ItemKind.choices,
        blank=True,
        help_text=_("blank: every kind"),
    )
    cadence = models.CharField(
        _("reporting frequency"), max_length=12, choices=ReportCadence.choices, default=ReportCadence.MONTHLY
    )
    opens_before_end = models.PositiveSmallIntegerField(
        _("window opens (days before the period ends)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(cadence_rules.LONGEST_WINDOW_DAYS)],
        help_text=_("blank: from the period's first day; 6 opens a monthly window on the 25th"),
    )
    closes_after_end = models.PositiveSmallIntegerField(
        _("window closes (days after the period ends)"),
        default=0,
        validators=[MaxValueValidator(cadence_rules.LONGEST_WINDOW_DAYS)],
        help_text=_("5 closes a monthly window on the 5th of the next month"),
    )
    # A past month's assessment reads the cycle then in force (cycles.cycles_by_plan(as_of=…)).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        ordering = ["plan", "kind"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="one_cycle_per_plan_kind")]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_kind_display() or _('every kind')} {self.get_cadence_display()}"

    @property
    def window(self) -> cadence_rules.Window:
        return cadence_rules.Window(self.opens_before_end, self.closes_after_end)


class PeriodReopening(models.Model):
    """The office reopened an item's reviewed (locked) period so that its unit may correct it.

    A period is locked once the office approved a report for it; the next report for that item, unit
    and period uses up one reopening (`used_by`), so each correction has its recorded reason."""

    item = models.ForeignKey(
        "plans.WorkItem",
        verbose_name=_("work item"),
        on_delete=models.CASCADE,
        related_name="period_reopenings",
    )
    unit = models.ForeignKey(
        "regions.Organisation", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=10)
    reason = models.TextField(_("reason for reopening"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reopened by"), on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened at"))
    used_by = models.OneToOneField(
        ProgressReport,
        verbose_name=_("correction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reopening",
    )

    class Meta:
        verbose_name = _("reopened period")
        verbose_name_plural = _("reopened periods")
        ordering = ["-reopened_at", "-id"]
        indexes = [models.Index(fields=["item", "unit", "period"])]

    def __str__(self) -> str:
        return f"{self.item} {self.period}"

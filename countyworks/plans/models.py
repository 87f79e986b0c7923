"""A region's plan for a year: its goal tree and the work items of every kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from countyworks.core.models import Illustrative, Publishable, SoftDeletable, TimeStamped, Versioned
from countyworks.plans import cadence

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("in force")
    CLOSED = "closed", _("closed")


class Plan(TimeStamped, Publishable):
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    description = models.TextField(_("description"), blank=True)
    citation = models.ForeignKey(
        "sources.Citation",
        verbose_name=_("citation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["region__code", "-year", "title"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "title"], name="plan_unique_title")]

    def __str__(self) -> str:
        return self.label(self.year, self.title)

    @staticmethod
    def label(year: int, title: str) -> str:
        """How a plan is named, from its columns alone (for long choice lists read with values_list)."""
        return f"{year} {title}"


class NodeKind(models.TextChoices):
    GOAL = "goal", _("goal")
    AREA = "area", _("area of work")
    DIRECTION = "direction", _("direction")
    TASK_GROUP = "task_group", _("task group")


class PlanNode(TimeStamped):
    """A node of the goal tree (三地一区 → directions → task groups)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent node"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NodeKind.choices, default=NodeKind.DIRECTION)
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("As numbered in the plan: 一、（一）1.")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    citation = models.ForeignKey(
        "sources.Citation",
        verbose_name=_("citation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal tree node")
        verbose_name_plural = _("goal tree nodes")
        ordering = ["plan_id", "order", "id"]

    def __str__(self) -> str:
        return self.label(self.number, self.title)

    @staticmethod
    def label(number: str, title: str) -> str:
        """How a node is named, from its columns alone (for long choice lists read with values_list)."""
        return f"{number}{title}" if number else title

    def path(self) -> list[PlanNode]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class ItemKind(models.TextChoices):
    KEY_PROJECT = "key_project", _("key project")
    LIVELIHOOD = "livelihood", _("livelihood commitment")
    RECTIFICATION = "rectification", _("rectification item")
    RESEARCH = "research", _("research topic")
    CAMPAIGN = "campaign", _("campaign")
    ROUTINE = "routine", _("routine task")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    SUSPENDED = "suspended", _("suspended")
    CANCELLED = "cancelled", _("cancelled")


class ReportCadence(models.TextChoices):
    """报送频次 (issue 19); the periods each cuts the year into are in plans/cadence.py."""

    WEEKLY = cadence.WEEKLY, _("weekly")
    SEMIMONTHLY = cadence.SEMIMONTHLY, _("twice a month")
    MONTHLY = cadence.MONTHLY, _("monthly")
    QUARTERLY = cadence.QUARTERLY, _("quarterly")
    ONCE = cadence.ONCE, _("once, on completion")


class Light(models.TextChoices):
    NONE = "none", _("not rated")
    GREEN = "green", _("green")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")
    DONE = "done", _("done")


class ProjectStage(models.TextChoices):
    PLANNING = "planning", _("planning")
    SIGNED = "signed", _("signed")
    STARTED = "started", _("construction started")
    UNDER_CONSTRUCTION = "under_construction", _("under construction")
    # In context: an item's "completed" is 已完成, a project's stage is 竣工.
    COMPLETED = "completed", pgettext_lazy("project stage", "completed")
    IN_OPERATION = "in_operation", _("in operation")


class WorkItem(TimeStamped, Versioned, SoftDeletable, Publishable, Illustrative):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="items")
    node = models.ForeignKey(
        PlanNode,
        verbose_name=_("goal tree node"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices, default=ItemKind.ROUTINE)
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    target = models.TextField(_("target"), blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_unit = models.CharField(_("target unit"), max_length=20, blank=True)

    lead_leader = models.ForeignKey(
        "regions.Person",
        verbose_name=_("lead county leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_items",
    )
    lead_unit = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_items",
    )
    co_units = models.ManyToManyField(
        "regions.Organisation", verbose_name=_("co-operating units"), blank=True, related_name="co_items"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # The deadline as first set, kept when an approved extension (延期) moves `due_date`; set once.
    original_due_date = models.DateField(_("original deadline"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Blank: the plan's reporting cycle for the item's kind decides (supervision.ReportingCycle).
    report_cadence = models.CharField(
        _("reporting frequency"), max_length=12, choices=ReportCadence.choices, blank=True
    )
    progress = models.DecimalField(
        _("progress (%)"), max_digits=5, decimal_places=2, default=Decimal("0"), validators=PERCENT_VALIDATORS
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )

    # Key project.
    stage = models.CharField(_("project stage"), max_length=20, choices=ProjectStage.choices, blank=True)
    total_investment = models.DecimalField(
        _("total investment (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    annual_planned_investment = models.DecimalField(
        _("planned investment this year (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    annual_completed_investment = models.DecimalField(
        _("investment completed this year (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    # Livelihood commitment.
    promised_on = models.DateField(_("promised on"), null=True, blank=True)
    beneficiaries = models.CharField(_("beneficiaries"), max_length=200, blank=True)
    beneficiary_count = models.PositiveIntegerField(_("number of beneficiaries"), null=True, blank=True)
    # Rectification item.
    problem = models.TextField(_("problem found"), blank=True)
    measures = models.TextField(_("rectification measures"), blank=True)
    closed_on = models.DateField(_("closed (销号) on"), null=True, blank=True)
    # Research topic.
    research_report = models.TextField(_("research report summary"), blank=True)
    party_lecture_delivered = models.BooleanField(_("party lecture delivered"), default=False)
    party_lecture_on = models.DateField(_("party lecture date"), null=True, blank=True)

    citation = models.ForeignKey(
        "sources.Citation",
        verbose_name=_("citation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[co_units])

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["plan_id", "node_id", "id"]
        indexes = [
            models.Index(fields=["plan", "kind", "status"]),
            models.Index(fields=["lead_unit", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    # The light and the overdue flag are not stored: they depend on the day. A queryset passed
    # through `supervision.status.annotate()` carries them; reading them from an item loaded
    # without it is a programming error, raised loudly (templates would silence an AttributeError).
    @property
    def light(self) -> str:
        return self._derived("light")

    @light.setter
    def light(self, value: str) -> None:
        self.__dict__["_derived_light"] = value

    @property
    def is_overdue(self) -> bool:
        return self._derived("is_overdue")

    @is_overdue.setter
    def is_overdue(self, value: bool) -> None:
        self.__dict__["_derived_is_overdue"] = value

    def _derived(self, name: str) -> Any:
        try:
            return self.__dict__[f"_derived_{name}"]
        except KeyError:
            raise StatusNotDerived(
                f"WorkItem.{name} is derived for a day: read items through supervision.status.annotate()"
            ) from None

    def get_light_display(self) -> str:
        return str(Light(self.light).label)


class StatusNotDerived(RuntimeError):
    """An item's light or overdue flag was read from a row that did not derive them."""


class Milestone(TimeStamped):
    item = models.ForeignKey(
        WorkItem, verbose_name=_("work item"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["item_id", "due_date", "id"]

    def __str__(self) -> str:
        return self.title

"""Indicators, their observed values with qualifiers and provenance, and targets.

Growth, multiples and completion rates are computed (indicators/maths.py), never typed.
A comparison that a source *states* (“是十三五末的5倍”, “较2019年增长216%”) is kept as an
observation of kind MULTIPLE or GROWTH with its base period, so it can be checked against
the stored values.

Observations and targets typed by a clerk are written through indicators.services with optimistic
locking (`version`); an observation is soft-deleted, never destroyed, like everything a county reported.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from countyworks.core.models import Illustrative, Publishable, SoftDeletable, TimeStamped, Versioned


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "up", _("higher is better")
    LOWER_IS_BETTER = "down", _("lower is better")
    NEUTRAL = "neutral", _("neutral")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exact")
    APPROX = "approx", _("approximately (约)")
    NEARLY = "nearly", _("nearly (近)")
    OVER = "over", _("over (超/突破/余)")
    AT_LEAST = "at_least", _("at least (以上)")
    UNDER = "under", _("under (不足/以下)")


class ValueKind(models.TextChoices):
    LEVEL = "level", _("level")
    GROWTH = "growth", _("stated growth (%)")
    MULTIPLE = "multiple", _("stated multiple")


class Indicator(TimeStamped):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    direction = models.CharField(
        pgettext_lazy("indicator", "direction"),
        max_length=8,
        choices=Direction.choices,
        default=Direction.HIGHER_IS_BETTER,
    )
    area = models.CharField(_("area of work"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    headline = models.BooleanField(_("headline indicator"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["area", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Observation(TimeStamped, Versioned, SoftDeletable, Publishable, Illustrative):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="observations"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
    )
    organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    value_kind = models.CharField(
        _("value kind"), max_length=8, choices=ValueKind.choices, default=ValueKind.LEVEL
    )
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=20)
    qualifier = models.CharField(
        _("qualifier"), max_length=8, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    base_year = models.PositiveSmallIntegerField(_("base year"), null=True, blank=True)
    base_label = models.CharField(_("base period as written"), max_length=40, blank=True)
    doubtful = models.BooleanField(_("doubtful"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
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
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator_id", "year", "quarter", "month"]
        indexes = [models.Index(fields=["indicator", "region", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(organisation__isnull=False),
                name="observation_has_subject",
            ),
            # One live figure per indicator, subject, period, kind and base year, enforced by the
            # database so concurrent writers cannot both insert (issue 14). Nullable columns go through
            # Coalesce because NULLs never collide in a unique index. The citation is part of the key:
            # reading documents may keep two cited figures that disagree (allow_disagreement).
            # Partial on deleted_at: a soft-deleted figure does not block its correction.
            models.UniqueConstraint(
                F("indicator"),
                Coalesce(F("region"), Value(0)),
                Coalesce(F("organisation"), Value(0)),
                F("year"),
                Coalesce(F("quarter"), Value(0)),
                Coalesce(F("month"), Value(0)),
                F("value_kind"),
                Coalesce(F("base_year"), Value(0)),
                Coalesce(F("citation"), Value(0)),
                condition=Q(deleted_at__isnull=True),
                name="observation_one_live_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}: {self.value}{self.unit}"

    def period_label(self) -> str:
        """The period as a reader writes it: 2023, 2023年第3季度, 2023年3月 (Chinese screens)."""
        if self.month:
            return gettext("%(year)s-%(month)02d") % {"year": self.year, "month": self.month}
        if self.quarter:
            return gettext("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.quarter}
        return str(self.year)


class Target(TimeStamped, Versioned):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target value"), max_digits=24, decimal_places=6)
    unit = models.CharField(_("unit"), max_length=20)
    qualifier = models.CharField(
        _("qualifier"), max_length=8, choices=Qualifier.choices, default=Qualifier.AT_LEAST
    )
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
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator_id", "year"]
        constraints = [
            # One target per indicator, subject and year, enforced by the database (issue 14).
            models.UniqueConstraint(
                F("indicator"),
                Coalesce(F("region"), Value(0)),
                Coalesce(F("organisation"), Value(0)),
                F("year"),
                name="target_one_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year} ≥ {self.value}{self.unit}"

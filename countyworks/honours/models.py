"""Recognitions a region or organisation received (荣誉)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from countyworks.core.models import Publishable, TimeStamped


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    # In context: the same English words name administrative levels (市, 县), and an honour is 市级 or 县级.
    CITY = "city", pgettext_lazy("honour level", "city")
    COUNTY = "county", pgettext_lazy("honour level", "county")


class Honour(TimeStamped, Publishable):
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=10, choices=HonourLevel.choices)
    holder_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("holder (region)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    holder_organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("holder (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
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
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "level", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(holder_region__isnull=False) | models.Q(holder_organisation__isnull=False),
                name="honour_has_holder",
            )
        ]

    def __str__(self) -> str:
        return self.title

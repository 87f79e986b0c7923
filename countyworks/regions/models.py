"""Administrative divisions (GB/T 2260), organisations and people."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from countyworks.core.models import TimeStamped


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWN = "town", _("town")
    VILLAGE = "village", _("village")


class Region(models.Model):
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def ancestors(self) -> list[Region]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class OrganisationKind(models.TextChoices):
    PARTY = "party", _("party organ")
    GOVERNMENT = "government", _("government")
    DEPARTMENT = "department", _("county department")
    TOWN = "town", _("town or township")
    ENTERPRISE = "enterprise", _("enterprise")
    HOSPITAL = "hospital", _("hospital")
    SCHOOL = "school", _("school")
    MEDIA = "media", _("media centre")
    SCENIC_AREA = "scenic_area", _("scenic area")
    OTHER = "other", _("other")


class Organisation(TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.DEPARTMENT
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    # issue 13 (单位审签): the unit's head approves its reports before the supervision office sees them.
    reports_need_head_approval = models.BooleanField(
        _("reports approved by the unit head first"),
        default=False,
        help_text=_(
            "A report of this unit goes to its unit head (单位负责人) before the supervision office."
        ),
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
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.label(self.name, self.short_name)

    @staticmethod
    def label(name: str, short_name: str) -> str:
        """How a unit is named, from its columns alone (for long choice lists read with values_list)."""
        return short_name or name


class Person(TimeStamped):
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("title"), max_length=120, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="people"
    )
    is_county_leader = models.BooleanField(_("county leader"), default=False)
    # Private: never on the public portal or in anonymous API output.
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.label(self.name, self.title)

    @staticmethod
    def label(name: str, title: str) -> str:
        """How a person is named, from their columns alone (for long choice lists read with values_list)."""
        return f"{name}（{title}）" if title else name

"""What each portal page shows, gathered from the public querysets only (`portal.public`).

A county page: this year's livelihood commitments with progress and the latest approved public
photos, key projects by stage, headline indicators with their series and qualifiers, honours, the
sources and last year's review. A city or province page rolls its children up side by side.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import Substr
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from countyworks.accounts.policy import region_prefix
from countyworks.indicators import maths
from countyworks.indicators.models import ValueKind
from countyworks.plans.models import ItemKind, ItemStatus, ProjectStage
from countyworks.portal import public
from countyworks.regions.models import Region, RegionLevel
from countyworks.supervision.models import EvidenceKind
from countyworks.wording import (
    format_percent,
    format_quantity,
    join_without_overlap,
    plain_number,
    qualifier_style,
    scaled_series,
)

PHOTOS_PER_ITEM = 3


def figure_text(obs: Any) -> str:
    """A published figure as the year-end review writes it (countyworks.wording, see docs/reports.md):
    scaled to 万/亿, four significant digits, the source's own word for "over" (超/突破/余)."""
    quote = obs.citation.quote if obs.citation_id else ""
    return format_quantity(obs.value, obs.unit, obs.qualifier, qualifier_style(quote, obs.qualifier))


def regions_with_data() -> list[Region]:
    """Regions that published a plan, a figure or an honour, with their ancestors for the roll-ups."""
    ids = set(public.plans().values_list("region_id", flat=True))
    ids |= set(public.observations().exclude(region=None).values_list("region_id", flat=True))
    ids |= set(public.honours().exclude(holder_region=None).values_list("holder_region_id", flat=True))
    # A village has four ancestors; joining them all keeps `ancestors()` from querying per region.
    with_ancestors = Region.objects.filter(pk__in=ids).select_related("parent__parent__parent__parent")
    regions = {r.pk: r for r in with_ancestors}
    for region in list(regions.values()):
        for ancestor in region.ancestors():
            regions.setdefault(ancestor.pk, ancestor)
    return sorted(regions.values(), key=lambda r: r.code)


def _asked_year(asked: str | None, years: list[int]) -> int | None:
    """The `?year=` value when it is one of `years`. Only ASCII digits count: "²".isdigit() is
    True, yet int("²") raises, as does int() of a few thousand digits."""
    if asked and len(asked) <= 4 and asked.isascii() and asked.isdigit() and int(asked) in years:
        return int(asked)
    return None


def current_year(region: Region, asked: str | None) -> int | None:
    """The year asked for if it has a published plan, else the latest year with published items
    (a plan for next year is often published before any of its items), else the latest plan's year."""
    years = sorted(set(public.plans().filter(region=region).values_list("year", flat=True)), reverse=True)
    chosen = _asked_year(asked, years)
    if chosen is not None:
        return chosen
    items = public.items().filter(plan__region=region).order_by("-plan__year")
    # Citizens come for the commitments and projects; a year of routine tasks only is a poor landing page.
    for candidates in (items.filter(kind__in=[ItemKind.LIVELIHOOD, ItemKind.KEY_PROJECT]), items):
        latest = candidates.values_list("plan__year", flat=True).first()
        if latest is not None:
            return latest
    return years[0] if years else None


def review_url(region: Region, year: int) -> str | None:
    """The reports app's *public* year-end review of `region`, when that app serves one.

    `reports:review` needs a login, so citizens are only sent to `reports:public_review`.
    """
    try:
        return reverse("reports:public_review", args=(region.code, year))
    except NoReverseMatch:
        return None


def year_summary(region: Region, year: int) -> dict[str, Any] | None:
    """How last year's published plan ended, from public data only: items, completed, average progress."""
    items = public.items().filter(plan__region=region, plan__year=year)
    totals = items.aggregate(count=Count("id"), progress=Avg("progress"))
    if not totals["count"]:
        return None
    return {
        "year": year,
        "count": totals["count"],
        "completed": items.filter(status=ItemStatus.COMPLETED).count(),
        "progress": plain_number(round(totals["progress"] or 0, 1)),
        "url": review_url(region, year),
    }


@dataclass
class IndicatorSeries:
    code: str
    name: str
    unit: str
    latest: str
    latest_year: int
    note: str
    points: list[tuple[int, str, Decimal]] = field(default_factory=list)  # (year, text, value)
    comparisons: list[str] = field(default_factory=list)  # stated growth and multiples, in words
    organisation_id: int | None = None  # set when an organisation, not the region, holds the figures
    # Years whose value is not published but worked out from a stated comparison (是十三五末的5倍
    # gives the 2020 value), with the comparison it comes from.
    derived: dict[int, str] = field(default_factory=dict)

    @property
    def history(self) -> str:
        """The years before the latest, as "2021: 30亿元; 2022: 35亿元"."""
        derived = _("(derived)")
        return "; ".join(
            f"{year}: {text}{derived if year in self.derived else ''}"
            for year, text, _value in self.points[:-1]
        )

    def trend(self) -> dict[str, Any] | None:
        """The series across years as a reader follows it: each year's figure in its display scale
        with its qualifier, the change on the figure before (computed, never typed) and the mean
        yearly growth over the whole span; None for a single year."""
        if len(self.points) < 2:
            return None
        rows = []
        for index, (year, text, value) in enumerate(self.points):
            change = ""
            if index:
                before_year, _text, before = self.points[index - 1]
                change = _growth_words(before, value)
            rows.append({"year": year, "text": text, "change": change, "derived": self.derived.get(year, "")})
        (first_year, _t, first), (last_year, _l, last) = self.points[0], self.points[-1]
        mean = ""
        if last_year - first_year > 1 and first > 0:
            rate = maths.cagr_percent(first, last, last_year - first_year)
            mean = _("%(change)s a year on average, %(first)s–%(last)s") % {
                "change": _signed_percent(rate),
                "first": first_year,
                "last": last_year,
            }
        return {"rows": rows, "mean": mean, "has_derived": bool(self.derived)}

    def chart(self) -> dict[str, Any]:
        # In the scale a reader expects (25亿元, never 2500000000元): wording.scaled_series.
        values, unit = scaled_series([value for _year, _text, value in self.points], self.unit)
        return {
            # The region and its organisations may publish the same indicator: one element each.
            "id": f"chart-{self.code}-{self.organisation_id}"
            if self.organisation_id
            else f"chart-{self.code}",
            "name": self.name,
            "unit": unit,
            "years": [str(year) for year, _text, _value in self.points],
            "values": values,
        }


def _comparison(obs: Any) -> str:
    """A comparison a source states, in words: 较2019年增长216% / 是十三五末的5倍."""
    base = obs.base_label or (str(obs.base_year) if obs.base_year else _("the base period"))
    value = format_quantity(obs.value, "", obs.qualifier)
    if obs.value_kind == ValueKind.GROWTH:
        return _("up %(value)s%% on %(base)s") % {"value": value, "base": base}
    return _("%(value)s times %(base)s") % {"value": value, "base": base}


def _signed_percent(rate: Decimal) -> str:
    if rate < 0:
        return _("down %(percent)s") % {"percent": format_percent(rate)}
    return _("up %(percent)s") % {"percent": format_percent(rate)}


def _growth_words(before: Decimal, after: Decimal) -> str:
    try:
        return _signed_percent(maths.growth_percent(after, before))
    except maths.MathsError:
        return ""


def _derive_base_points(entry: IndicatorSeries, stated: list[tuple[Any, str]]) -> None:
    """A stated comparison with a published level of the same year implies the base year's value
    (25亿元 at 是2020年的5倍 → about 5亿元); it is added as a derived point (约, marked 推算) when
    the base year has no published value of its own."""
    levels = {year: value for year, _text, value in entry.points}
    for obs, _name in stated:
        if not obs.base_year or obs.base_year in levels or obs.year not in levels:
            continue
        try:
            if obs.value_kind == ValueKind.MULTIPLE:
                base = maths.implied_base_from_multiple(levels[obs.year], obs.value)
            else:
                base = maths.implied_base_from_growth(levels[obs.year], obs.value)
        except maths.MathsError:
            continue
        text = format_quantity(base, entry.unit, "approx")
        entry.points = sorted([*entry.points, (obs.base_year, text, base)])
        entry.derived[obs.base_year] = _comparison(obs)
        levels[obs.base_year] = base


def headline_series(region: Region) -> list[IndicatorSeries]:
    """Yearly published figures of the region and its organisations, qualifier kept in the text.

    Headline indicators come first. A figure held by an organisation (a scenic area's income) is
    named with its holder; a comparison published without its level (旅游营收较2019年增长216%)
    still gets its row.
    """
    published = public.observations().filter(
        Q(region=region) | Q(organisation__region=region), quarter=None, month=None
    )
    observations = published.select_related("indicator", "organisation", "citation").order_by(
        "-indicator__headline", "indicator__area", "indicator__name", "organisation__name", "year", "id"
    )
    series: OrderedDict[tuple, IndicatorSeries] = OrderedDict()
    comparisons: OrderedDict[tuple, list[tuple[Any, str]]] = OrderedDict()
    for obs in observations:
        key = (obs.indicator_id, obs.organisation_id)
        # 八泉峡景区 + 景区收入 reads 八泉峡景区收入, never 景区景区 (wording.join_without_overlap).
        name = (
            join_without_overlap(obs.organisation.name, obs.indicator.name)
            if obs.organisation_id
            else obs.indicator.name
        )
        if obs.value_kind != ValueKind.LEVEL:
            comparisons.setdefault(key, []).append((obs, name))
            continue
        text = figure_text(obs)
        entry = series.get(key)
        if entry is None:
            entry = series[key] = IndicatorSeries(
                code=obs.indicator.code, name=name, unit=obs.unit, latest=text, latest_year=obs.year, note=obs.note,
                organisation_id=obs.organisation_id,
            )  # fmt: skip
        # One point a year: a later row for the same year (a corrected figure) replaces the earlier.
        entry.points = [p for p in entry.points if p[0] != obs.year] + [(obs.year, text, obs.value)]
        entry.latest, entry.latest_year, entry.note = text, obs.year, obs.note
    for key, stated in comparisons.items():
        entry = series.get(key)
        if entry is None:
            first, name = stated[0]
            entry = series[key] = IndicatorSeries(
                code=first.indicator.code, name=name, unit=first.unit, latest="", latest_year=first.year,
                note=first.note, organisation_id=first.organisation_id,
            )  # fmt: skip
        entry.comparisons = [_comparison(obs) for obs, _name in stated]
        _derive_base_points(entry, stated)
    return list(series.values())


def county_page(region: Region, year: int | None) -> dict[str, Any]:
    items = public.items().filter(plan__region=region)
    if year is not None:
        items = items.filter(plan__year=year)
    items = items.select_related("lead_unit").order_by("number", "id")
    livelihood = list(items.filter(kind=ItemKind.LIVELIHOOD))
    photos: dict[int, list[Any]] = defaultdict(list)
    evidence = (
        public.evidence()
        .filter(kind=EvidenceKind.PHOTO, report__item__in=livelihood)
        .select_related("report")
        .order_by("-report__submitted_at", "-id")
    )
    for photo in evidence:
        if len(photos[photo.report.item_id]) < PHOTOS_PER_ITEM:
            photos[photo.report.item_id].append(photo)
    for item in livelihood:
        item.public_photos = photos.get(item.pk, [])
    stages = []
    projects = list(items.filter(kind=ItemKind.KEY_PROJECT))
    for value, label in [*ProjectStage.choices, ("", None)]:
        in_stage = [p for p in projects if p.stage == value]
        if in_stage:
            stages.append({"value": value or "unset", "label": label, "items": in_stage})
    series = headline_series(region)
    honours = public.honours().filter(Q(holder_region=region) | Q(holder_organisation__region=region))
    return {
        "region": region,
        "year": year,
        "livelihood": livelihood,
        "stages": stages,
        "project_count": len(projects),
        "indicators": series,
        "charts": [s.chart() for s in series if len(s.points) > 1],
        "trends": [(s, s.chart()["id"], s.trend()) for s in series if len(s.points) > 1],
        "honours": honours.select_related("holder_organisation"),
        "documents": public.documents().filter(region=region).order_by("-published_on", "title")[:20],
        "last_year": year_summary(region, year - 1) if year else None,
        "years": sorted(
            set(public.plans().filter(region=region).values_list("year", flat=True)), reverse=True
        ),
    }


def _item_totals_by_child(region: Region, children: list[Region], year: int | None) -> dict[str, dict]:
    """Published items under each child ({"count", "progress"} by the child's code prefix), in one
    query per prefix length (children share a level, so one query) rather than one per child."""
    items = public.items().filter(plan__region__code__startswith=region_prefix(region))
    if year is not None:
        items = items.filter(plan__year=year)
    totals: dict[str, dict] = {}
    for length in {len(region_prefix(child)) for child in children}:
        rows = (
            items.annotate(child_prefix=Substr("plan__region__code", 1, length))
            .values("child_prefix")
            .annotate(count=Count("id"), progress=Avg("progress"))
            .order_by()
        )
        totals.update({row["child_prefix"]: row for row in rows})
    return totals


def rollup_page(region: Region, year: int | None) -> dict[str, Any]:
    """Children side by side: their latest figures on the headline indicators they share."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    child_ids = [c.pk for c in children]
    latest: dict[tuple[int, int], Any] = {}
    names: dict[int, Any] = {}
    for obs in (
        public.observations()
        .filter(
            region_id__in=child_ids,
            indicator__headline=True,
            value_kind=ValueKind.LEVEL,
            quarter=None,
            month=None,
        )
        .select_related("indicator", "citation")
        .order_by("year", "id")
    ):
        latest[(obs.indicator_id, obs.region_id)] = obs
        names[obs.indicator_id] = obs.indicator
    holders: dict[int, set[int]] = defaultdict(set)
    for indicator_id, region_id in latest:
        holders[indicator_id].add(region_id)
    # "Shared" means at least two children report it (or the only child with figures does).
    reporting = {rid for _iid, rid in latest}
    needed = 2 if len(reporting) > 1 else 1
    shown = [c for c in children if c.pk in reporting]
    rows, charts = [], []
    for indicator_id in sorted(holders, key=lambda i: (names[i].area, names[i].name)):
        if len(holders[indicator_id]) < needed:
            continue
        indicator = names[indicator_id]
        cells = []
        for child in shown:
            obs = latest.get((indicator_id, child.pk))
            cells.append({"text": figure_text(obs), "year": obs.year} if obs else None)
        rows.append({"indicator": indicator, "cells": cells})
        values, unit = scaled_series(
            [latest[(indicator_id, c.pk)].value if (indicator_id, c.pk) in latest else None for c in shown],
            indicator.unit,
        )
        charts.append(
            {
                "id": f"chart-{indicator.code}",
                "name": indicator.name,
                "unit": unit,
                "kind": "bar",
                "years": [c.name for c in shown],
                "values": values,
            }
        )
    summaries = []
    totals_by_child = _item_totals_by_child(region, children, year)
    for child in children:
        totals = totals_by_child.get(region_prefix(child), {"count": 0, "progress": None})
        if totals["count"] or child in shown:
            summaries.append(
                {
                    "region": child,
                    "count": totals["count"],
                    "progress": plain_number(round(totals["progress"] or 0, 1)),
                    "has_page": child.level in (RegionLevel.COUNTY, RegionLevel.CITY),
                }
            )
    return {
        "region": region,
        "year": year,
        "children": shown,
        "rows": rows,
        "charts": charts,
        "summaries": summaries,
    }


def rollup_year(region: Region, asked: str | None) -> int | None:
    years = sorted(
        set(
            public.plans()
            .filter(region__code__startswith=region_prefix(region))
            .values_list("year", flat=True)
        ),
        reverse=True,
    )
    return _asked_year(asked, years) or (years[0] if years else None)


# A published item's own page, and the page of a year's livelihood commitments ---------------------

ITEM_PAGE_PHOTOS = 12


def item_page(pk: int) -> dict[str, Any] | None:
    """A published item as a citizen reads it: its target, who answers for it, its deadline, the
    approved progress reports as a timeline, the photos the unit made public, and when it was
    completed. None when the item is not public."""
    item = public.items().select_related("plan__region", "lead_unit").filter(pk=pk).first()
    if item is None:
        return None
    reports = list(public.reports().filter(item=item).order_by("-submitted_at", "-id"))
    photos = list(
        public.evidence()
        .filter(kind=EvidenceKind.PHOTO, report__item=item)
        .select_related("report")
        .order_by("-report__submitted_at", "-id")[:ITEM_PAGE_PHOTOS]
    )
    return {"item": item, "region": item.plan.region, "reports": reports, "photos": photos}


def livelihood_page(region: Region, year: int | None) -> dict[str, Any]:
    """What was promised to the people of `region` for `year`, what is done, and who answers for each."""
    items = (
        list(
            public.items()
            .filter(plan__region=region, plan__year=year, kind=ItemKind.LIVELIHOOD)
            .select_related("lead_unit")
            .order_by("number", "id")
        )
        if year is not None
        else []
    )
    done = [item for item in items if item.status == ItemStatus.COMPLETED]
    return {"region": region, "year": year, "items": items, "done": len(done), "promised": len(items)}

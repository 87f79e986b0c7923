"""Indicator screens: every indicator of a region with its figures, comparisons and targets, and one
indicator's trend.

Comparisons, completion rates and consistency marks are computed by indicators.services on each
request; nothing derived is stored. Anyone working on the ledger may read the indicators of the
regions in their scope (policy.in_scope).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from countyworks.accounts import policy
from countyworks.indicators import services
from countyworks.indicators.formatting import figure, percent
from countyworks.indicators.forms import RegionYearForm
from countyworks.indicators.models import Indicator, Observation, Target, ValueKind
from countyworks.regions.models import Region


def _region_for(request: HttpRequest) -> Region:
    """The region asked for (?region=code) if the user may read it, else the user's own region."""
    user = request.user
    if not policy.is_internal_user(user):
        raise PermissionDenied
    code = request.GET.get("region")
    region = Region.objects.filter(code=code).first() if code else user.region
    if region is None and user.is_superuser:
        region = Region.objects.filter(level="county").order_by("code").first()
    if region is None or not policy.in_scope(user, region):
        raise PermissionDenied
    return region


def _observations(region: Region) -> QuerySet[Observation]:
    return (
        Observation.objects.filter(Q(region=region) | Q(organisation__region=region))
        .select_related("indicator", "organisation", "citation__document")
        .order_by("indicator__name", "year", "quarter", "month", "id")
    )


def citation_link(citation: Any) -> str:
    """The document page with the cited span marked, when the citation has a span and a text."""
    if citation is None or citation.start is None or citation.end is None:
        return ""
    try:
        base = reverse("reading:document", args=[citation.document_id])
    except NoReverseMatch:
        return ""
    return f"{base}?start={citation.start}&end={citation.end}#cited"


def _doubtful_ids(region: Region, years: set[int]) -> set[int]:
    """Observations that a consistency check puts in question (two sources disagree, a misfit)."""
    ids: set[int] = set()
    for year in years:
        for issue in services.consistency_issues(region, year):
            ids.update(o.pk for o in issue.observations if o is not None)
    return ids


def _comparison_text(kind: str, value: Any) -> str:
    return (
        figure(value, "%", "exact", "growth")
        if kind == "growth"
        else figure(value, "倍", value_kind="multiple")
    )


def _row(observation: Observation, doubtful_ids: set[int]) -> dict[str, Any]:
    citation = observation.citation
    # Stated comparisons are rows of their own; a level row shows the computed ones and the stated
    # ones of its year, a stated row shows the base value it implies.
    comparisons = [
        {"comparison": c, "text": _comparison_text(c.kind, c.value)}
        for c in services.comparisons(observation)
    ]
    implied = None
    if observation.value_kind != ValueKind.LEVEL:
        base = services.implied_base(observation)
        if base is not None:
            implied = figure(base, observation.indicator.unit)
    return {
        "observation": observation,
        "figure": figure(
            observation.value,
            observation.unit,
            observation.qualifier,
            observation.value_kind,
            citation.quote if citation else "",
        ),
        "period": _period(observation),
        "citation": citation,
        "link": citation_link(citation),
        "comparisons": comparisons,
        "implied_base": implied,
        "doubtful": observation.doubtful or observation.pk in doubtful_ids,
    }


def _period(observation: Observation) -> str:
    period = str(observation.year)
    if observation.quarter:
        period += f" Q{observation.quarter}"
    if observation.month:
        period += f"-{observation.month:02d}"
    return period


def _target_rows(targets: QuerySet[Target]) -> list[dict[str, Any]]:
    rows = []
    for target in targets:
        rows.append(
            {
                "target": target,
                "figure": figure(target.value, target.unit, target.qualifier),
                "completion": percent(services.target_completion(target)),
                "link": citation_link(target.citation),
            }
        )
    return rows


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Every indicator with figures for the region: values, computed comparisons, targets, doubts."""
    region = _region_for(request)
    form = RegionYearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    observations = list(_observations(region))
    if year:
        observations = [o for o in observations if o.year in (year, year - 1) or o.base_year == year]
    doubtful = _doubtful_ids(region, {o.year for o in observations})
    targets = Target.objects.filter(Q(region=region) | Q(organisation__region=region)).select_related(
        "citation"
    )
    if year:
        targets = targets.filter(year=year)
    by_indicator: dict[int, dict[str, Any]] = {}
    for observation in observations:
        entry = by_indicator.setdefault(
            observation.indicator_id, {"indicator": observation.indicator, "rows": [], "targets": []}
        )
        entry["rows"].append(_row(observation, doubtful))
    for target in targets.select_related("indicator"):
        entry = by_indicator.setdefault(
            target.indicator_id, {"indicator": target.indicator, "rows": [], "targets": []}
        )
        entry["targets"].extend(_target_rows([target]))
    entries = sorted(by_indicator.values(), key=lambda e: (e["indicator"].area, e["indicator"].name))
    return render(
        request,
        "indicators/list.html",
        {"region": region, "entries": entries, "form": form, "year": year, "doubtful_count": len(doubtful)},
    )


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator in a region: its figures with citations and a trend chart of the annual levels."""
    region = _region_for(request)
    indicator = get_object_or_404(Indicator, pk=pk)
    observations = list(_observations(region).filter(indicator=indicator))
    doubtful = _doubtful_ids(region, {o.year for o in observations})
    levels = [o for o in observations if o.value_kind == ValueKind.LEVEL and not o.quarter and not o.month]
    latest_by_year = {o.year: o for o in levels}  # the last one read wins, as in indicators.services
    chart = {
        "name": indicator.name,
        "unit": indicator.unit,
        "years": [str(y) for y in sorted(latest_by_year)],
        "values": [float(latest_by_year[y].value) for y in sorted(latest_by_year)],
    }
    targets = Target.objects.filter(indicator=indicator).filter(
        Q(region=region) | Q(organisation__region=region)
    )
    return render(
        request,
        "indicators/detail.html",
        {
            "region": region,
            "indicator": indicator,
            "rows": [_row(o, doubtful) for o in observations],
            "targets": _target_rows(targets.select_related("citation")),
            "chart": chart,
        },
    )

"""Indicator screens: every indicator of a region with its figures, comparisons and targets, one
indicator's trend, and — for those who keep the figures — adding and correcting figures and targets
and importing a figure table from Excel.

Comparisons, completion rates and consistency marks are computed by indicators.services on each
request; nothing derived is stored. Anyone working on the ledger may read the indicators of the
regions in their scope (policy.in_scope).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from countyworks.accounts import policy
from countyworks.core.pending_uploads import UploadUnavailable, claim_pending_upload, store_pending_upload
from countyworks.core.services import ConflictError, ServiceError
from countyworks.indicators import figure_table, importer, services
from countyworks.indicators.formatting import figure, percent
from countyworks.indicators.forms import FigureUploadForm, ObservationForm, RegionYearForm, TargetForm
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


def _observations(user: Any, region: Region) -> QuerySet[Observation]:
    return (
        policy.visible_observations(user)
        .filter(Q(region=region) | Q(organisation__region=region))
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
        "period": observation.period_label(),
        "citation": citation,
        "link": citation_link(citation),
        "comparisons": comparisons,
        "implied_base": implied,
        "doubtful": observation.doubtful or observation.pk in doubtful_ids,
    }


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
    observations = list(_observations(request.user, region))
    if year:
        observations = [o for o in observations if o.year in (year, year - 1) or o.base_year == year]
    doubtful = _doubtful_ids(region, {o.year for o in observations})
    targets = (
        policy.visible_targets(request.user)
        .filter(Q(region=region) | Q(organisation__region=region))
        .select_related("citation")
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
        {
            "region": region,
            "entries": entries,
            "form": form,
            "year": year,
            "doubtful_count": len(doubtful),
            "can_edit": policy.can_edit_indicators(request.user, region),
        },
    )


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator in a region: its figures with citations and a trend chart of the annual levels."""
    region = _region_for(request)
    indicator = get_object_or_404(Indicator, pk=pk)
    observations = list(_observations(request.user, region).filter(indicator=indicator))
    doubtful = _doubtful_ids(region, {o.year for o in observations})
    levels = [o for o in observations if o.value_kind == ValueKind.LEVEL and not o.quarter and not o.month]
    latest_by_year = {o.year: o for o in levels}  # the last one read wins, as in indicators.services
    chart = {
        "name": indicator.name,
        "unit": indicator.unit,
        "years": [str(y) for y in sorted(latest_by_year)],
        "values": [float(latest_by_year[y].value) for y in sorted(latest_by_year)],
    }
    targets = policy.visible_targets(request.user).filter(
        Q(indicator=indicator), Q(region=region) | Q(organisation__region=region)
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
            "can_edit": policy.can_edit_indicators(request.user, region),
        },
    )


# Entering and correcting figures and targets ---------------------------------------------------
#
# Only those policy.can_edit_indicators allows reach these screens; every write goes through
# indicators.services, whose messages are shown next to the field they name.


def _editable_region(request: HttpRequest) -> Region:
    region = _region_for(request)
    if not policy.can_edit_indicators(request.user, region):
        raise PermissionDenied
    return region


def _back(indicator_id: int, region: Region) -> HttpResponse:
    return redirect(reverse("indicators:detail", args=[indicator_id]) + f"?region={region.code}")


def _apply_error(form: Any, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _readable_observation(request: HttpRequest, pk: int) -> Observation:
    """An observation in the user's regions (404 beyond them, as for items); 403 if they may not edit it."""
    if not policy.is_internal_user(request.user):
        raise PermissionDenied
    observation = get_object_or_404(
        policy.visible_observations(request.user).select_related(
            "indicator", "region", "organisation__region"
        ),
        pk=pk,
    )
    region = observation.region or observation.organisation.region
    if not policy.can_edit_indicators(request.user, region):
        raise PermissionDenied
    return observation


def _readable_target(request: HttpRequest, pk: int) -> Target:
    if not policy.is_internal_user(request.user):
        raise PermissionDenied
    target = get_object_or_404(
        policy.visible_targets(request.user).select_related("indicator", "region", "organisation__region"),
        pk=pk,
    )
    if not policy.can_edit_indicators(request.user, target.region or target.organisation.region):
        raise PermissionDenied
    return target


def _initial_indicator(request: HttpRequest) -> dict[str, Any]:
    wanted = request.GET.get("indicator", "")
    return {"indicator": int(wanted)} if wanted.isdigit() and len(wanted) < 12 else {}


@login_required
def observation_new(request: HttpRequest) -> HttpResponse:
    region = _editable_region(request)
    form = ObservationForm(request.POST or None, initial=_initial_indicator(request))
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.create_observation(request.user, region=region, **form.service_fields())
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The figure was added."))
            return _back(observation.indicator_id, region)
    return render(
        request,
        "indicators/observation_form.html",
        {"form": form, "region": region, "observation": None},
    )


@login_required
def observation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    observation = _readable_observation(request, pk)
    region = observation.region or observation.organisation.region
    form = ObservationForm(request.POST or None, instance=observation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_observation(
                request.user,
                observation,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ConflictError as exc:
            # Keep what the user typed; the next save, against the current version, is deliberate.
            data = request.POST.copy()
            data["version"] = str(Observation.objects.get(pk=pk).version)
            form = ObservationForm(data)
            form.is_valid()
            form.add_error(None, exc.message)
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The figure was saved."))
            return _back(observation.indicator_id, region)
    return render(
        request,
        "indicators/observation_form.html",
        {"form": form, "region": region, "observation": observation},
    )


@login_required
@require_POST
def observation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    observation = _readable_observation(request, pk)
    region = observation.region or observation.organisation.region
    version = request.POST.get("version", "")
    try:
        services.delete_observation(
            request.user, observation, expected_version=int(version) if version.isdigit() else None
        )
    except PermissionDenied:  # the service refused: Django answers 403
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("indicators:observation_edit", pk=pk)
    messages.success(request, _("The figure was deleted; its history is kept."))
    return _back(observation.indicator_id, region)


@login_required
def target_new(request: HttpRequest) -> HttpResponse:
    region = _editable_region(request)
    form = TargetForm(request.POST or None, initial=_initial_indicator(request))
    if request.method == "POST" and form.is_valid():
        try:
            target = services.create_target(request.user, region=region, **form.service_fields())
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The target was added."))
            return _back(target.indicator_id, region)
    return render(request, "indicators/target_form.html", {"form": form, "region": region, "target": None})


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _readable_target(request, pk)
    region = target.region or target.organisation.region
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_target(
                request.user, target, expected_version=form.cleaned_data["version"], **form.service_fields()
            )
        except ConflictError as exc:
            data = request.POST.copy()
            data["version"] = str(Target.objects.get(pk=pk).version)
            form = TargetForm(data)
            form.is_valid()
            form.add_error(None, exc.message)
        except PermissionDenied:  # the service refused: Django answers 403
            raise
        except ServiceError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The target was saved."))
            return _back(target.indicator_id, region)
    return render(request, "indicators/target_form.html", {"form": form, "region": region, "target": target})


# The figure-table import: upload, preview, confirm -------------------------------------------
#
# The uploaded file waits for the confirmation in core's pending-upload folder, as the task table does.


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    region = _editable_region(request)
    form = FigureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pending = store_pending_upload(form.cleaned_data["file"])
        try:
            preview = importer.preview_import(request.user, region, str(pending.path))
        except importer.FigureImportError as exc:
            pending.path.unlink(missing_ok=True)
            form.add_error("file", exc.message)
        except PermissionDenied:  # the service refused: Django answers 403
            pending.path.unlink(missing_ok=True)
            raise
        else:
            if not preview.ok:
                pending.path.unlink(missing_ok=True)
            return render(
                request,
                "indicators/import_preview.html",
                {
                    "preview": preview,
                    "problems": preview.problems,
                    "region": region,
                    "token": pending.token if preview.ok else "",
                },
            )
    return render(request, "indicators/import.html", {"form": form, "region": region})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    region = _editable_region(request)
    try:
        # Claimed before importing: of two confirmations of one upload (a double click, two tabs),
        # only one imports; on PostgreSQL both could otherwise pass the duplicate check and both write.
        with claim_pending_upload(request.POST.get("token", "")) as path:
            created = importer.run_import(request.user, region, str(path))
    except UploadUnavailable as exc:
        messages.error(request, exc.message)
        return redirect(reverse("indicators:import") + f"?region={region.code}")
    except importer.FigureImportError as exc:
        return render(
            request,
            "indicators/import_preview.html",
            {"preview": None, "region": region, "problems": exc.problems},
        )
    messages.success(request, _("Imported %(count)s figures.") % {"count": len(created)})
    return redirect(reverse("indicators:list") + f"?region={region.code}")


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    region = _editable_region(request)
    listing = list(Indicator.objects.order_by("area", "name", "code").values_list("code", "name", "unit"))
    workbook = figure_table.build_template(listing, timezone.localdate().year)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = quote(f"{region.name}指标数据表模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response

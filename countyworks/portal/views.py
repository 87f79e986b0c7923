"""Public pages for citizens: no login, server-rendered, cacheable for five minutes.

The pages use their own frame (portal/base.html) without a CSRF token or account links, so a
shared cache may keep them; only data from `portal.public` reaches the templates.
"""

from __future__ import annotations

import mimetypes
import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from countyworks.portal import pages, public
from countyworks.regions.models import Region, RegionLevel

PUBLIC_CACHE = cache_control(public=True, max_age=300)
# The language comes from Accept-Language or the language cookie: a shared cache must key on both.
BY_LANGUAGE = vary_on_headers("Accept-Language", "Cookie")


@require_safe
@PUBLIC_CACHE
@BY_LANGUAGE
def index(request: HttpRequest) -> HttpResponse:
    regions = pages.regions_with_data()
    return render(request, "portal/index.html", {"regions": regions})


@require_safe
@PUBLIC_CACHE
@BY_LANGUAGE
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    if region.level in (RegionLevel.PROVINCE, RegionLevel.CITY):
        year = pages.rollup_year(region, request.GET.get("year"))
        return render(request, "portal/rollup.html", pages.rollup_page(region, year))
    year = pages.current_year(region, request.GET.get("year"))
    return render(request, "portal/county.html", pages.county_page(region, year))


@require_safe
@PUBLIC_CACHE
def evidence(request: HttpRequest, token: uuid.UUID) -> FileResponse:
    """A photo or file of an approved, public report of a public item; anything else is a 404.

    Addressed by the evidence's random token: sequential ids would let anyone walk every file."""
    item = get_object_or_404(public.evidence(), token=token)
    try:
        handle = item.file.open("rb")
    except (OSError, ValueError) as exc:  # missing, a folder, unreadable, or no file at all
        raise Http404 from exc
    content_type = item.content_type or mimetypes.guess_type(item.file.name)[0] or "application/octet-stream"
    # Raster images only inline: an SVG could carry script.
    inline = content_type in {"image/jpeg", "image/png", "image/webp", "image/gif"}
    return FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not inline,
        filename=item.original_name or item.file.name.rsplit("/", 1)[-1],
    )


@require_safe
@PUBLIC_CACHE
@BY_LANGUAGE
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    context = pages.item_page(pk)
    if context is None:
        raise Http404
    return render(request, "portal/item.html", context)


@require_safe
@PUBLIC_CACHE
@BY_LANGUAGE
def livelihood_page(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    year = pages.current_year(region, request.GET.get("year"))
    return render(request, "portal/livelihood.html", pages.livelihood_page(region, year))

"""Refuse requests that carry a NUL character before any view sees them.

PostgreSQL cannot store or even compare a NUL in a text value, so `?region=%00` used to reach the
database and end in a 500. No field of CountyWorks has a use for NUL, so a path, a query parameter
holding one is answered 400 here, once, for every route (issue 14).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _has_nul(request: HttpRequest) -> str | None:
    """The name of the first part of the request that holds a NUL, or None."""
    if "\x00" in request.path:
        return "path"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "")
    # Bodies are left to the forms (Django's CharField refuses NUL) and the API's schemas (which
    # name the field in a 422), so the error says which field was wrong.
    return None


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _has_nul(request)
        if where is None:
            return self.get_response(request)
        message = _("The request contains a NUL character, which no field accepts.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "field": where}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

"""Entry points that belong to no single domain."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse


def home(request: HttpRequest) -> HttpResponse:
    """Staff land on the dashboard, everyone else on the public portal."""
    target = "supervision:dashboard" if request.user.is_authenticated else "portal:index"
    try:
        return redirect(reverse(target))
    except NoReverseMatch:
        return redirect("admin:index")


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

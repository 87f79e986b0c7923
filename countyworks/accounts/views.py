"""The way in (issue 12): the login page names the system and the county it serves."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AnonymousUser

from countyworks.accounts import policy


def public_region_names() -> list[str]:
    """The regions whose plans the public portal shows (what a visitor may read anyway)."""
    plans = policy.visible_plans(AnonymousUser()).select_related("region").order_by("region__code")
    names: list[str] = []
    for plan in plans:
        if plan.region.name not in names:
            names.append(plan.region.name)
    return names[:3]


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["regions"] = public_region_names()
        return context

"""View decorators that ask the policy (`accounts.policy`) who may open a screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from countyworks.accounts import policy


def internal_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users go to the login page; citizens' accounts get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policy.is_internal_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

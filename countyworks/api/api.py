"""The NinjaAPI object of `/api/v1/`: authentication, the docs page and the error format.

Every refusal is a 4xx with a JSON body that names the field when there is one:
ninja's own `{"detail": [{"loc": [..., "field"], "msg": ...}]}` for malformed requests, and
`{"detail": "...", "field": "..."}` for a rule a service enforced. Bad input never becomes a 500.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import DocsBase

from countyworks.api.auth import ApiAuth
from countyworks.api.routers import (
    cycles,
    honours,
    indicators,
    plans,
    procedure,
    regions,
    sources,
    supervision,
)
from countyworks.core.services import ConflictError, PermissionDenied, ServiceError


class LocalSwagger(DocsBase):
    """Swagger UI served from swagger-ui-dist in our static files (no CDN, no inline script)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True}
        context = {"api": api, "swagger_settings": json.dumps(settings)}
        return render(request, "api/docs.html", context)


class CountyWorksApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Reads answer without a token too (what the public portal shows), so their security is
        "bearer, or none" — `[{"ApiAuth": []}, {}]` in OpenAPI; writes require the bearer token."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method == "get" and operation.get("security") == [{"ApiAuth": []}]:
                    operation["security"] = [{"ApiAuth": []}, {}]
        return schema

    def get_openapi_operation_id(self, operation: Any) -> str:
        # Every operation was once in api/endpoints.py and ninja names an operation after its module.
        # Clients are generated from these ids, so they stay as published when a router moves.
        return f"countyworks_api_endpoints_{operation.view_func.__name__}"


api = CountyWorksApi(
    title="CountyWorks API",
    version="1",
    description=(
        "Plans, work items, progress reports, notices, indicators and honours of the regions "
        "CountyWorks serves. Send `Authorization: Bearer cw_…` (see docs/api.md); without it you "
        "read what the public portal shows."
    ),
    auth=ApiAuth(),
    docs=LocalSwagger(),
    urls_namespace="api",
)
# In this order the OpenAPI document lists the paths as it always has.
for domain in (regions, plans, supervision, indicators, honours, sources, procedure, cycles):
    api.add_router("", domain.router)


def _error(request: HttpRequest, status: int, message: str, field: str | None = None) -> HttpResponse:
    body: dict[str, Any] = {"detail": message}
    if field:
        body["field"] = field
    return api.create_response(request, body, status=status)


@api.exception_handler(ConflictError)
def on_conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return _error(request, 409, exc.message, exc.field or "expected_version")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, exc.message, exc.field)


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _error(request, 400, exc.message, exc.field)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    status = getattr(exc, "status_code", 401) or 401
    message = str(exc.message) if getattr(exc, "message", None) else _("Authentication failed.")
    response = _error(request, status, message)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="countyworks"'
    return response


@api.exception_handler(ObjectDoesNotExist)
def on_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found, or not visible to you."))


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found, or not visible to you."))


@api.exception_handler(DjangoValidationError)
def on_model_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return _error(request, 422, " ".join(messages), field)
    return _error(request, 422, " ".join(exc.messages))


@api.exception_handler(ValueError)
def on_value_error(request: HttpRequest, exc: ValueError) -> HttpResponse:
    # Values the schema let through but the database refused (a NUL byte for PostgreSQL, say).
    if isinstance(exc, pydantic.ValidationError):
        # A response that does not fit its own schema is our bug, never the caller's: let it be a 500.
        raise exc
    return _error(request, 422, _("A value in the request cannot be stored: %(reason)s") % {"reason": exc})

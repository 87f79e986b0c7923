"""Cross-domain service helpers: optimistic locking and the errors services raise."""

from __future__ import annotations

from typing import Any

from django.core import exceptions as django_exceptions
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A rule refused the operation; the message is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(ServiceError, django_exceptions.PermissionDenied):
    """The actor may not do this. It is also Django's PermissionDenied, so a view lets it through
    and Django answers 403; a view that shows other service errors on its form re-raises it first."""


class ConflictError(ServiceError):
    """Someone else saved the record after the caller read it."""


def save_versioned(
    instance: models.Model, expected_version: int | None, fields: dict[str, Any]
) -> models.Model:
    """Apply `fields` to `instance` only if its stored version is still `expected_version`.

    The check and the write are one UPDATE … WHERE version = expected, so two concurrent
    writers cannot both win. `expected_version=None` skips the check (system writes).
    """
    model = type(instance)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(instance, name, value)
        if expected_version is not None:
            updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
                version=F("version") + 1
            )
            if not updated:
                raise ConflictError(
                    _("This record was changed by someone else after you opened it. Reload and try again.")
                )
            instance.version = expected_version + 1
        else:
            instance.version = (instance.version or 0) + 1
        # A regular save keeps history (simple_history) and model validation in one path.
        instance.save()
    return instance

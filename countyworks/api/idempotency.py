"""Idempotency-Key for API writes: a retried POST returns the first answer instead of writing twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from countyworks.api.models import IdempotencyKey
from countyworks.core.services import ConflictError, ServiceError

MAX_KEY_LENGTH = 200


def check_key(raw: str | None) -> str:
    """The header's key, stripped; '' when absent. ServiceError naming the header when malformed."""
    key = (raw or "").strip()
    if key and (len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable()):
        raise ServiceError(
            _("The Idempotency-Key must be at most 200 printable ASCII characters."), field="Idempotency-Key"
        )
    return key


def once(user: Any, operation: str, key: str, body: str, write: Callable[[], Any]) -> int:
    """Run `write` once per (user, operation, key) and return the pk of what it created.

    The key row and the write are one transaction: a concurrent request with the same key blocks on
    the unique index until the first commits, then finds its key and gets the same object's pk.
    The same key with another body is refused (409), as the first answer would be wrong for it."""
    fingerprint = hashlib.sha256(body.encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=user, operation=operation, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            record = IdempotencyKey.objects.get(user=user, operation=operation, key=key)
            if record.fingerprint != fingerprint:
                raise ConflictError(_("This Idempotency-Key was used for a different request.")) from None
            return record.report_id
        created = write()
        record.report = created
        record.save(update_fields=["report"])
        return created.pk

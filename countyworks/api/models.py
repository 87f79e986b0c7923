"""What the API itself stores: idempotency keys of POST /reports (issue 14)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key for one write, so a retried POST returns the first answer.

    Keys are scoped to the calling user (a token acts for its user), so two callers never share one;
    the unique constraint makes two concurrent requests with one key store one report."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=200)
    operation = models.CharField(_("operation"), max_length=50)
    # The request body's hash: the same key with another body is a client error, not a repeat.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    report = models.ForeignKey(
        "supervision.ProgressReport", on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "operation", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"

"""Abstract building blocks shared by the domain apps."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class LiveManager(models.Manager):
    """Hides soft-deleted rows; `all_objects` still sees them."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeletable(models.Model):
    """A ledger never destroys what a county reported: deleting only stamps the row."""

    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        abstract = True

    def soft_delete(self) -> None:
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])

    def restore(self) -> None:
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])


class Versioned(models.Model):
    """Optimistic locking: every save through a service bumps `version`.

    A writer passes the version it read; services.save_versioned() refuses the write when
    someone else saved in between, so nothing is silently overwritten.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class Publishable(models.Model):
    """What a supervisor has published is what citizens and anonymous API users see."""

    published = models.BooleanField(_("published"), default=False)
    internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Never shown on the public portal, even when published.")
    )

    class Meta:
        abstract = True


class Illustrative(models.Model):
    """Marks demo activity that the source documents do not state (generated for the demo)."""

    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Generated for the demo; not a fact from any source document."),
    )

    class Meta:
        abstract = True

"""Notification channels (企业微信 / 钉钉 robots, e-mail) of units and leaders, and a log per message."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Platform(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk custom robot")
    EMAIL = "email", _("e-mail")


class Event(models.TextChoices):
    ASSIGNED = "assigned", _("item assigned")
    DUE_SOON = "due_soon", _("item due soon")
    OVERDUE = "overdue", _("item overdue")
    REPORT_DUE = "report_due", _("monthly report due")
    RETURNED = "returned", _("report returned")
    NOTICE = "notice", _("supervision notice issued")
    INSTRUCTION = "instruction", _("leader's instruction")
    EXTENSION = "extension", _("extension decided")


class Channel(models.Model):
    """Where one unit (or one leader) wants to hear about which events."""

    unit = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notify_channels",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notify_channels",
    )
    name = models.CharField(_("name"), max_length=100)
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    # Encrypted (notify/crypto.py): the WeCom robot key or the DingTalk access token, and the
    # DingTalk signing secret. Never shown again once saved.
    token_encrypted = models.TextField(_("key / access token (encrypted)"), blank=True)
    secret_encrypted = models.TextField(_("signing secret (encrypted)"), blank=True)
    keyword = models.CharField(_("keyword"), max_length=50, blank=True)
    email_to = models.EmailField(_("e-mail address"), blank=True)
    markdown = models.BooleanField(_("markdown messages"), default=False)
    events = models.JSONField(_("events"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, leader__isnull=True)
                | models.Q(unit__isnull=True, leader__isnull=False),
                name="channel_belongs_to_unit_or_leader",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("delivery", "queued")
    RETRYING = "retrying", pgettext_lazy("delivery", "retrying")
    SENT = "sent", pgettext_lazy("delivery", "sent")
    FAILED = "failed", pgettext_lazy("delivery", "failed")


class Delivery(models.Model):
    """One message to one channel: its log (state, attempts, the platform's last error code)."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=12, choices=Event.choices)
    key = models.CharField(_("key"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error_code = models.CharField(_("error code"), max_length=30, blank=True)
    error_message = models.CharField(_("error message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("background job"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["channel", "state", "sent_at"], name="delivery_rate_idx")]

    def __str__(self) -> str:
        return f"{self.channel} · {self.title}"

"""The administrator's screens: channels (secrets typed in, stored encrypted, never shown) and the
delivery log (state, attempts, the platform's error code per message)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from countyworks.notify.forms import ChannelForm
from countyworks.notify.models import Channel, Delivery


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ("name", "platform", "unit", "leader", "active")
    list_filter = ("platform", "active")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "event", "title", "state", "attempts", "error_code", "sent_at")
    list_filter = ("state", "event", "channel__platform")
    search_fields = ("title", "key", "error_code")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

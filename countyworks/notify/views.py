"""消息渠道: a unit (or a leader) chooses its own 企业微信 / 钉钉 / e-mail channels and the events each
hears of, and reads the delivery log of its own messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.notify.forms import OwnChannelForm
from countyworks.notify.models import Channel, Delivery

RECENT_DELIVERIES = 30


def _own_channels(request: HttpRequest) -> tuple[dict[str, int], QuerySet[Channel]]:
    owner = policy.channel_owner(request.user)
    if owner is None:
        raise PermissionDenied(_("Only a unit or a county leader sets up its own channels."))
    return owner, Channel.objects.filter(**owner).order_by("name", "pk")


@internal_only
@require_http_methods(["GET", "POST"])
def channel_list(request: HttpRequest) -> HttpResponse:
    owner, channels = _own_channels(request)
    form = OwnChannelForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        channel = form.save(commit=False)
        for field, value in owner.items():
            setattr(channel, field, value)
        channel.save()
        return redirect("notify:channels")
    deliveries = (
        Delivery.objects.filter(channel__in=channels)
        .select_related("channel")
        .order_by("-created_at", "-id")[:RECENT_DELIVERIES]
    )
    return render(
        request,
        "notify/channels.html",
        {"channels": channels, "form": form, "deliveries": deliveries},
        status=400 if form.is_bound and form.errors else 200,
    )


@internal_only
@require_http_methods(["GET", "POST"])
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _owner, channels = _own_channels(request)
    channel = get_object_or_404(channels, pk=pk)
    if request.method == "POST" and "delete" in request.POST:
        channel.delete()
        return redirect("notify:channels")
    form = OwnChannelForm(request.POST or None, instance=channel, initial={"events": channel.events})
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("notify:channels")
    return render(
        request,
        "notify/channel_edit.html",
        {"channel": channel, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )

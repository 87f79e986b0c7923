"""Publishing events to channels, and delivering one message (the queue task calls `deliver`).

`publish` is called by the code that raises an event (the supervision engine today). It creates one
Delivery per channel that wants the event and may see it, and enqueues one job per delivery (key
`notify:<delivery id>`), after the commit, so a rolled-back event sends nothing. What a channel may
see: a unit's channel only hears about its own items (the event names the unit it is for); a
leader's channel only about items the leader may read (accounts/policy.visible_items).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from countyworks.accounts import policy
from countyworks.jobs import queue
from countyworks.jobs.registry import GiveUp, RetryLater, Run
from countyworks.notify import crypto, platforms
from countyworks.notify.models import Channel, Delivery, DeliveryState, Platform

logger = logging.getLogger(__name__)


def absolute(url: str) -> str:
    """Links in chat and mail must work outside the site: SITE_URL + path."""
    if not url or url.startswith("http"):
        return url
    return getattr(settings, "SITE_URL", "").rstrip("/") + url


def item_url(item_id: int) -> str:
    """The item's page, where the screens have one (as the in-app notifications link)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("ledger:item", args=[item_id])
    except NoReverseMatch:
        return ""


def publish(
    event: str,
    *,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    unit_id: int | None = None,
    item_id: int | None = None,
) -> list[Delivery]:
    """Queue `event` for every active channel that subscribed to it and may see it."""
    channels = list(Channel.objects.filter(active=True).select_related("leader"))
    chosen = []
    for channel in channels:
        if event not in (channel.events or []):
            continue
        if channel.unit_id is not None:
            if unit_id is None or channel.unit_id != unit_id:
                continue
        elif item_id is None or not policy.visible_items(channel.leader).filter(pk=item_id).exists():
            continue
        chosen.append(channel)
    deliveries = []
    for channel in chosen:
        delivery, created = Delivery.objects.get_or_create(
            channel=channel,
            key=key,
            defaults={"event": event, "title": title[:200], "body": body, "url": absolute(url)[:300]},
        )
        if created:
            deliveries.append(delivery)

    def enqueue_all() -> None:
        for delivery in deliveries:
            job = queue.enqueue(
                "notify.deliver", {"delivery": delivery.pk}, unique_key=f"notify:{delivery.pk}"
            )
            Delivery.objects.filter(pk=delivery.pk, job__isnull=True).update(job=job)

    transaction.on_commit(enqueue_all)
    return deliveries


def _rate_limit_wait(channel: Channel) -> float:
    """Seconds to wait before this robot may take another message (20 a minute), 0 if none."""
    if channel.platform == Platform.EMAIL:
        return 0.0
    since = timezone.now() - timedelta(seconds=60)
    recent = list(
        Delivery.objects.filter(channel=channel, state=DeliveryState.SENT, sent_at__gte=since)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)[: platforms.PER_MINUTE]
    )
    if len(recent) < platforms.PER_MINUTE:
        return 0.0
    return max((recent[-1] + timedelta(seconds=60) - timezone.now()).total_seconds(), 0.5)


def deliver(delivery_id: int, run: Run) -> None:
    """Send one delivery; idempotent (a sent one is not sent again)."""
    delivery = Delivery.objects.select_related("channel").filter(pk=delivery_id).first()
    if delivery is None or delivery.state in (DeliveryState.SENT, DeliveryState.FAILED):
        return
    channel = delivery.channel
    wait = _rate_limit_wait(channel)
    if wait:
        # Our own count says the robot is full this minute: wait without spending an attempt's error.
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.RETRYING, error_code="rate", error_message=""
        )
        raise RetryLater("rate limit of the robot", delay=wait)
    Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    try:
        outcome = _send(channel, delivery)
    except (requests.RequestException, OSError) as exc:
        outcome = platforms.Outcome(False, type(exc).__name__, str(exc)[:300])
    now = timezone.now()
    if outcome.ok:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.SENT, sent_at=now, error_code="", error_message=""
        )
        return
    final = outcome.permanent or run.last
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.FAILED if final else DeliveryState.RETRYING,
        error_code=outcome.code,
        error_message=outcome.message,
    )
    if outcome.permanent:
        raise GiveUp(f"{channel.platform} {outcome.code} {outcome.message}")
    if outcome.rate_limited:
        raise RetryLater(f"{channel.platform} {outcome.code} rate limited", delay=60)
    raise RuntimeError(f"{channel.platform} {outcome.code} {outcome.message}")


def _send(channel: Channel, delivery: Delivery) -> platforms.Outcome:
    if channel.platform == Platform.EMAIL:
        message = EmailMessage(
            delivery.title,
            delivery.body + (f"\n\n{delivery.url}" if delivery.url else ""),
            None,
            [channel.email_to],
            connection=get_connection(timeout=10),
        )
        message.send()
        return platforms.Outcome(True, "250")
    token = crypto.decrypt(channel.token_encrypted)
    if channel.platform == Platform.WECOM:
        target, body = platforms.wecom_request(
            settings.WECOM_WEBHOOK_URL, token, delivery.title, delivery.body, delivery.url, channel.markdown
        )
    else:
        target, body = platforms.dingtalk_request(
            settings.DINGTALK_WEBHOOK_URL,
            token,
            crypto.decrypt(channel.secret_encrypted),
            channel.keyword,
            delivery.title,
            delivery.body,
            delivery.url,
            channel.markdown,
            int(time.time() * 1000),
        )
    response = requests.post(target, json=body, timeout=10)
    try:
        answer: Any = response.json()
    except ValueError:
        answer = response.text
    return platforms.read_answer(channel.platform, response.status_code, answer)

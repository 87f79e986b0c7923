"""The client's address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind the load balancer every request arrives from the balancer's address, so keying lock-outs
on REMOTE_ADDR would let one attacker lock every user out for everyone. There the balancer's
X-Forwarded-For is the only source of the client's address. Without BEHIND_PROXY nothing stands
in front of the app that could vouch for that header, so it is ignored: anyone can send it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the trusted proxy saw, or REMOTE_ADDR when no proxy is trusted.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the entries
    a client cannot forge are the last TRUSTED_PROXY_COUNT ones; anything to their left came from
    the client itself. With one balancer that is the last entry.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [part.strip() for part in forwarded.split(",") if part.strip()]
    count = max(1, settings.TRUSTED_PROXY_COUNT)
    if len(hops) < count:
        # The request did not pass through every trusted proxy (someone reached an app server
        # directly): its own peer address is the only one known.
        return remote
    return hops[-count]

"""Who is calling the API, and what that caller may read.

Three kinds of caller: a program with a bearer token (`Authorization: Bearer cw_…`), a browser
with a Django session (CSRF checked on unsafe methods), and anonymous visitors, who get exactly
what the public portal shows. A token acts as its user, narrowed twice: to the token's region
(and the regions under it) and, for read tokens, to reading. The role rules themselves stay in
`countyworks.accounts.policy`; this module only intersects policy querysets with the token's region.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf

from countyworks.accounts import policy
from countyworks.accounts.models import ApiToken, TokenScope
from countyworks.core.services import PermissionDenied
from countyworks.indicators.models import Indicator
from countyworks.plans.models import PlanNode
from countyworks.regions.models import Organisation, Region
from countyworks.sources.models import Citation
from countyworks.supervision import status

# Writing `last_used_at` on every call would turn each read into a write; once a minute is enough to audit.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Actor:
    """The caller of one request: a user (possibly anonymous) and the token it came with, if any."""

    user: Any
    token: ApiToken | None = None

    @property
    def is_public(self) -> bool:
        """Anonymous callers, and accounts that do not work on the ledger, see the portal's data only."""
        return not getattr(self.user, "is_authenticated", False) or not policy.is_internal_user(self.user)

    @property
    def token_prefix(self) -> str | None:
        return policy.region_prefix(self.token.region) if self.token is not None else None

    def require_write(self) -> None:
        """Refuse a write before any service runs: anonymous callers and read-only tokens only read."""
        if not getattr(self.user, "is_authenticated", False):
            raise AuthenticationError(401, _("Log in or send a read-and-write token to change data."))
        if self.token is not None and self.token.scope != TokenScope.WRITE:
            raise PermissionDenied(_("This token may only read."), field="Authorization")


def lookup_token(key: str) -> ApiToken | None:
    """The live token for `key`, or None. Only the hash is compared: the key itself is never stored."""
    if not key.startswith("cw_"):
        return None
    token = (
        ApiToken.objects.select_related("user", "region")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class ApiAuth(HttpBearer):
    """Bearer token, else session, else anonymous. A bad token is a 401, never a silent downgrade."""

    def __call__(self, request: HttpRequest) -> Actor:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, key = header.partition(" ")
            if scheme.lower() != "bearer" or not key.strip():
                raise AuthenticationError(401, _("Send the token as: Authorization: Bearer cw_…"))
            token = lookup_token(key.strip())
            if token is None:
                raise AuthenticationError(401, _("This token is unknown or revoked."))
            return Actor(user=token.user, token=token)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
                raise AuthenticationError(403, _("CSRF check failed: send the X-CSRFToken header."))
            return Actor(user=user)
        return Actor(user=AnonymousUser())

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:  # pragma: no cover
        # Required by HttpBearer; __call__ above does the whole job.
        return None


def actor_of(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined]


def narrow(qs: QuerySet, actor: Actor, *region_fields: str) -> QuerySet:
    """Keep the rows whose region (through any of `region_fields`) lies inside the token's region."""
    prefix = actor.token_prefix
    if prefix is None:
        return qs
    condition = Q()
    for field in region_fields:
        lookup = f"{field}__code__startswith" if field else "code__startswith"
        condition |= Q(**{lookup: prefix})
    return qs.filter(condition)


# One function per resource: what `actor` may read — the policy's answer for the actor's user (which has
# its own public branch for anonymous callers), narrowed to the token's region.


def regions(actor: Actor) -> QuerySet:
    # Division names and codes are public (GB/T 2260); a token still sees only its own subtree.
    # `full_name` walks up to the province: a village has four ancestors, so join them all.
    return narrow(Region.objects.select_related("parent__parent__parent__parent"), actor, "")


def organisations(actor: Actor) -> QuerySet:
    # Unit names are public: they stand on every published item.
    return narrow(Organisation.objects.select_related("region"), actor, "region")


def plans(actor: Actor) -> QuerySet:
    return narrow(policy.visible_plans(actor.user).select_related("region"), actor, "region")


def plan_nodes(actor: Actor) -> QuerySet:
    return PlanNode.objects.filter(plan__in=plans(actor)).select_related("plan")


def items(actor: Actor) -> QuerySet:
    # Every item the API returns carries today's light and overdue flag (supervision/status.py).
    return status.annotate(narrow(policy.visible_items(actor.user), actor, "plan__region")).select_related(
        "plan__region", "lead_unit", "lead_leader"
    )


def reports(actor: Actor) -> QuerySet:
    qs = policy.visible_reports(actor.user)
    return narrow(qs, actor, "item__plan__region").select_related("item").prefetch_related("evidence")


def notices(actor: Actor) -> QuerySet:
    qs = policy.visible_notices(actor.user)
    return narrow(qs, actor, "item__plan__region").select_related("item", "unit")


def indicators(actor: Actor) -> QuerySet:
    # Indicator definitions (a name, a unit) are public; their figures are not all.
    return Indicator.objects.all()


def observations(actor: Actor) -> QuerySet:
    qs = policy.visible_observations(actor.user)
    return narrow(qs, actor, "region", "organisation__region").select_related("indicator", "region")


def targets(actor: Actor) -> QuerySet:
    qs = policy.visible_targets(actor.user)
    return narrow(qs, actor, "region", "organisation__region").select_related("indicator", "region")


def honours(actor: Actor) -> QuerySet:
    qs = policy.visible_honours(actor.user)
    return narrow(qs, actor, "holder_region", "holder_organisation__region").select_related(
        "holder_region", "holder_organisation"
    )


def documents(actor: Actor) -> QuerySet:
    qs = policy.visible_documents(actor.user)
    if actor.token_prefix is not None:
        # Documents of no region (a national policy) are not in any token's region but stay readable.
        qs = qs.filter(Q(region__isnull=True) | Q(region__code__startswith=actor.token_prefix))
    return qs.select_related("region")


def citations(actor: Actor) -> QuerySet:
    return Citation.objects.filter(document__in=documents(actor))

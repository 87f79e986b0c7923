"""Issuing, listing and revoking API tokens (used by `countyworks issuetoken`).

A token acts as its user, limited to a region inside the user's own region and to a scope
(read, or read and write). The key is shown once; only its SHA-256 is stored.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from countyworks.accounts import policy
from countyworks.accounts.models import ApiToken, TokenScope, User
from countyworks.core.services import ServiceError
from countyworks.regions.models import Region


@transaction.atomic
def issue_token(
    username: str, *, name: str, region_code: str | None = None, scope: str = TokenScope.READ
) -> tuple[ApiToken, str]:
    """Create a token for `username`; the region defaults to the user's own. Returns (token, key)."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ServiceError(_("No active user named %(name)s.") % {"name": username}, field="username")
    if scope not in TokenScope.values:
        raise ServiceError(_("Scope must be read or write."), field="scope")
    if not (name or "").strip():
        raise ServiceError(_("Give the token a name that says which program uses it."), field="name")
    name_length = ApiToken._meta.get_field("name").max_length
    if len(name.strip()) > name_length:
        # SQLite would store it anyway; PostgreSQL refuses it with an error that names nothing.
        # Django's own validator message, so its catalogue already carries the Chinese.
        message = ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            name_length,
        )
        raise ServiceError(
            message % {"limit_value": name_length, "show_value": len(name.strip())}, field="name"
        )
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise ServiceError(_("No region with code %(code)s.") % {"code": region_code}, field="region")
    else:
        region = user.region
        if region is None:
            raise ServiceError(_("The user has no region; name one with --region."), field="region")
    # A token never reaches further than its user does.
    if not policy.in_scope(user, region):
        raise ServiceError(_("The region lies outside the user's own region."), field="region")
    return ApiToken.issue(user, name.strip(), region, scope)


@transaction.atomic
def revoke_token(prefix: str) -> ApiToken:
    """Revoke the live token whose key starts with `prefix` (the first 8 characters, as listed)."""
    matches = list(ApiToken.objects.filter(prefix=prefix[:8], revoked_at__isnull=True))
    if not matches:
        raise ServiceError(_("No live token with prefix %(prefix)s.") % {"prefix": prefix}, field="prefix")
    if len(matches) > 1:
        raise ServiceError(_("Several tokens share this prefix; revoke them in the admin."), field="prefix")
    token = matches[0]
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def describe(token: ApiToken) -> dict[str, Any]:
    """A token as plain data for `--json` and listings; never the key or its hash."""
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "user": token.user.username,
        "region": token.region.code,
        "scope": token.scope,
        "created_at": token.created_at.isoformat() if token.created_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }

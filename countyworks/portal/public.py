"""What the public may read: the querysets behind the portal.

Each is the policy's public branch (`accounts/policy.py`, asked for an anonymous visitor), so the
portal, anonymous API callers and every other surface agree by construction. Phone numbers,
instructions, notices and reviewer comments are never among them.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from countyworks.accounts import policy

_CITIZEN = AnonymousUser()


def plans() -> QuerySet:
    return policy.visible_plans(_CITIZEN)


def items() -> QuerySet:
    return policy.visible_items(_CITIZEN)


def reports() -> QuerySet:
    """Approved reports of public items; submitted and returned ones never leave the office."""
    return policy.visible_reports(_CITIZEN)


def evidence() -> QuerySet:
    """Evidence the reporting unit allowed to be public, attached to a public report."""
    return policy.visible_evidence(_CITIZEN)


def observations() -> QuerySet:
    return policy.visible_observations(_CITIZEN)


def honours() -> QuerySet:
    return policy.visible_honours(_CITIZEN)


def targets() -> QuerySet:
    """Public where the region has published a plan for that year (targets are announced in the plan)."""
    return policy.visible_targets(_CITIZEN)


def documents() -> QuerySet:
    """Published source documents; uploads are working files and stay internal."""
    return policy.visible_documents(_CITIZEN)


def citations() -> QuerySet:
    return policy.visible_citations(_CITIZEN)

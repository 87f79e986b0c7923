"""Template context shared by every page: the staff navigation, with each entry the policy lets the
account open (the page frame, core/templates/base.html, draws it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from countyworks.accounts import policy

# (URL name, label) of the staff navigation; entries whose view is not installed are skipped.
NAV = [
    ("supervision:my_work", _("My work")),
    ("supervision:leader", _("Leader's view")),
    ("supervision:dashboard", _("Dashboard")),
    ("ledger:list", _("Ledger")),
    ("ledger:tree", _("Plan tree")),
    ("supervision:reviews", _("Reviews")),
    ("supervision:notices", _("Notices")),
    ("indicators:list", _("Indicators")),
    ("reading:documents", _("Read a document")),
    ("reports:index", _("Reports")),
    ("portal:index", _("Public portal")),
]


def _may_review(user: Any) -> bool:
    return policy.can_manage_plan(user, user.region)


# Entries only some accounts can use; the policy decides, so nobody is shown a page that answers 403.
NAV_GUARDS = {
    "supervision:reviews": _may_review,
    "supervision:my_work": lambda user: policy.landing(user) == policy.LANDING_MY_WORK,
    "supervision:leader": lambda user: policy.landing(user) == policy.LANDING_LEADER,
}


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_entries": []}
    entries = []
    path = request.path
    for name, label in NAV:
        guard = NAV_GUARDS.get(name)
        if guard is not None and not guard(request.user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        # The dashboard sits at the prefix of the other supervision pages: match it exactly.
        current = path == url if name == "supervision:dashboard" else path.startswith(url)
        entries.append({"url": url, "label": label, "current": current})
    return {"nav_entries": entries}

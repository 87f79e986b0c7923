"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (URL name, label) of the staff navigation; entries whose view is not installed are skipped.
NAV = [
    ("supervision:dashboard", _("Dashboard")),
    ("plans:ledger", _("Ledger")),
    ("plans:tree", _("Plan tree")),
    ("supervision:reviews", _("Reviews")),
    ("supervision:notices", _("Notices")),
    ("indicators:list", _("Indicators")),
    ("reading:documents", _("Read a document")),
    ("reports:index", _("Reports")),
    ("portal:index", _("Public portal")),
]


def navigation(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_entries": []}
    entries = []
    path = request.path
    for name, label in NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        # The dashboard sits at the prefix of the other supervision pages: match it exactly.
        current = path == url if name == "supervision:dashboard" else path.startswith(url)
        entries.append({"url": url, "label": label, "current": current})
    return {"nav_entries": entries}

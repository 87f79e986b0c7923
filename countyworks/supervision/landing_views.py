"""The landing pages of issue 12: 我的事项 for a unit reporter, the leader's view for a county leader.

Their content is `supervision.my_work`'s sections; this module only draws them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from countyworks.accounts import policy
from countyworks.accounts.decorators import internal_only
from countyworks.supervision import my_work


def _page(request: HttpRequest, sections: list, title: str, empty: str) -> HttpResponse:
    filled = my_work.fill(sections, request.user, timezone.localdate())
    context = {
        "sections": filled,
        "page_title": title,
        "empty": empty,
        "total": sum(s.count for s in filled),
    }
    return render(request, "supervision/my_work.html", context)


@internal_only
def my_work_page(request: HttpRequest) -> HttpResponse:
    if policy.reporting_unit(request.user) is None:
        # Only a unit reporter has a unit's work to do; everyone else has his or her own page.
        return redirect(landing_url(request.user))
    return _page(request, my_work.SECTIONS, _("My work"), _("Nothing to do now."))


@internal_only
def leader_page(request: HttpRequest) -> HttpResponse:
    return _page(request, my_work.LEADER_SECTIONS, _("Leader's view"), _("Nothing awaits you now."))


def home(request: HttpRequest) -> HttpResponse:
    """Staff land on their role's page (a unit reporter on 我的事项, a leader on the leader's view, the
    office on the dashboard), everyone else on the public portal. Login redirects here."""
    try:
        if request.user.is_authenticated:
            return redirect(landing_url(request.user))
        return redirect(reverse("portal:index"))
    except NoReverseMatch:
        return redirect("admin:index")


def landing_url(user: object) -> str:
    return reverse(
        {
            policy.LANDING_MY_WORK: "supervision:my_work",
            policy.LANDING_LEADER: "supervision:leader",
        }.get(policy.landing(user), "supervision:dashboard")
    )

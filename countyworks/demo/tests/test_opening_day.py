"""The demo opens on a moment of its year at work (issue 15): once 2023 is over, the dashboard, the
ledger and the bulletin form open on 30 June 2023 (supervision.replay), say so, and let the
reader pick another day or today's state."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from countyworks.accounts.models import User
from countyworks.demo.services import load_demo
from countyworks.plans.models import Plan

MID_YEAR = date(2023, 6, 30)


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("COUNTYWORKS_DEMO_ACCOUNTS", "1")
    load_demo()
    return Plan.objects.get(year=2023)


@pytest.fixture
def leader(client, demo):
    client.force_login(User.objects.get(username="demo_leader"))
    return client


def _figures(context):
    return (
        context["total"],
        context["total_progress"],
        [(row["key"], row["count"]) for row in context["lights"]],
        [(r.unit_name, r.score) for r in context["ranking"]],
    )


@time_machine.travel(datetime(2025, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_dashboard_opens_on_30_june_of_the_replayed_year(leader, demo):
    opened = leader.get(reverse("supervision:dashboard"))
    context = opened.context
    assert context["plan"] == demo  # not the 2024 plan, newer but with nothing done yet
    assert context["as_of"] == MID_YEAR and context["opening_day"]
    # The same screen as asking for that day: the state rebuilt from history, lights and ranking.
    asked = leader.get(reverse("supervision:dashboard"), {"plan": demo.pk, "as_of": "2023-06-30"}).context
    assert _figures(context) == _figures(asked) and not asked["opening_day"]
    lights = dict(_figures(context)[2])
    assert lights["done"] and lights["green"] and (lights["yellow"] or lights["red"])
    html = opened.content.decode()
    assert "截至2023-06-30" in html and 'id="opening-day"' in html
    assert f'href="?plan={demo.pk}&amp;as_of="' in html  # the way to today's state
    # An empty as_of is today: the year-end state, not mid-year.
    today = leader.get(reverse("supervision:dashboard"), {"plan": demo.pk, "as_of": ""}).context
    assert today["as_of"] is None and today["total_progress"] > context["total_progress"]
    # Another day can be picked.
    september = leader.get(reverse("supervision:dashboard"), {"plan": demo.pk, "as_of": "2023-09-30"}).context
    assert september["as_of"] == date(2023, 9, 30)
    assert context["total_progress"] < september["total_progress"] <= today["total_progress"]
    # A plan that is not replayed opens on today.
    plan_2024 = Plan.objects.get(year=2024)
    assert leader.get(reverse("supervision:dashboard"), {"plan": plan_2024.pk}).context["as_of"] is None


@time_machine.travel(datetime(2025, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_ledger_and_the_bulletin_form_open_on_the_same_day(leader, demo):
    ledger = leader.get(reverse("ledger:list"))
    assert ledger.context["as_of"] == MID_YEAR and ledger.context["opening_day"]
    html = ledger.content.decode()
    assert 'id="ledger-as-of"' in html and "截至2023-06-30" in html
    rows = ledger.context["page"].object_list
    assert rows and all(row.plan_id == demo.pk for row in rows)  # the 2024 plan did not exist yet
    asked = leader.get(reverse("ledger:list"), {"as_of": "2023-06-30"}).context["page"].object_list
    assert [(r.id, r.progress) for r in rows] == [(r.id, r.progress) for r in asked]
    assert leader.get(reverse("ledger:list"), {"as_of": ""}).context["as_of"] is None
    form = leader.get(reverse("reports:index")).context["bulletin_form"]
    assert (form.initial["date_from"], form.initial["date_to"]) == (date(2023, 6, 1), MID_YEAR)


@time_machine.travel(datetime(2023, 8, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_while_the_year_runs_the_screens_show_today(leader, demo):
    assert leader.get(reverse("supervision:dashboard")).context["as_of"] is None
    assert leader.get(reverse("ledger:list")).context["as_of"] is None
    form = leader.get(reverse("reports:index")).context["bulletin_form"]
    assert form.initial["date_to"] == date(2023, 8, 1)

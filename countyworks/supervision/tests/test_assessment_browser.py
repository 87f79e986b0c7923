"""Issue 19 in Chromium: the administrator edits the assessment scheme in the admin, and the office's
ranking page — points, explanations, red and black list — follows at once."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from django.urls import reverse

from countyworks.supervision.models import AssessmentScheme
from countyworks.supervision.tests.test_assessment import june  # noqa: F401 (fixture)
from countyworks.supervision.tests.test_browser import PASSWORD, browser, logged_in_page  # noqa: F401

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _lists(page) -> tuple[list[str], list[str]]:
    red = page.locator("#red-list > ol > li > strong").all_inner_texts()
    black = page.locator("#black-list > ol > li > strong").all_inner_texts()
    return red, black


@pytest.mark.browser
def test_editing_the_scheme_changes_the_ranking_and_the_lists(
    transactional_db,
    june,  # noqa: F811
    live_server,
    browser,  # noqa: F811
    monkeypatch,
):
    from countyworks.supervision import assessment_views

    monkeypatch.setattr(assessment_views, "RED_BLACK_SIZE", 1)  # two units: one on each list
    june.admin.is_staff = june.admin.is_superuser = True
    june.admin.save()
    ranking = live_server.url + reverse("supervision:assessment") + f"?plan={june.plan.pk}&month=2023-06"

    office = logged_in_page(browser, live_server, "supervisor")
    office.goto(ranking)
    assert "默认" in office.inner_text("main")  # scored by the default formula
    assert "逾期未完成：1 × -5 = -5" in office.inner_text("#assessment-table")
    assert _lists(office) == ([june.unit_b.name], [june.unit_a.name])

    # The administrator adds a stricter version in force from 1 June, in the Django admin.
    admin = browser.new_context(locale="zh-CN").new_page()
    admin.goto(live_server.url + "/admin/login/")
    admin.fill("#id_username", "admin")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.goto(live_server.url + reverse("admin:supervision_assessmentscheme_add"))
    admin.select_option("#id_plan", str(june.plan.pk))
    admin.fill("#id_valid_from", "2023-06-01")
    # Only reporting on time counts: neither unit owed more than it sent, so they tie, and a tie
    # ranks by name (县发展和改革局 before 县文化和旅游局).
    rules = [{"key": "ontime", "label": "按时报送", "kind": "rate", "fact": "on_time_rate", "points": 100}]
    admin.fill("#id_rules", json.dumps(rules, ensure_ascii=False))
    # June 2023 is a finished month: a version reaching back into it says why.
    admin.fill("#id_note", "县考核办修订细则，自6月起施行")
    admin.click("input[name=_save]")
    admin.wait_for_url(lambda url: url.endswith("/assessmentscheme/"))
    assert AssessmentScheme.objects.get().valid_from == date(2023, 6, 1)

    office.goto(ranking)
    table = office.inner_text("#assessment-table")
    assert "2023" in office.inner_text("main") and "按时报送" in table and "逾期未完成" not in table
    assert _lists(office) == ([june.unit_a.name], [june.unit_b.name])
    rows = office.locator("#assessment-table tbody tr").all_inner_texts()
    assert [row.split("\t")[1] for row in rows] == [june.unit_a.name, june.unit_b.name]
    assert [row.split("\t")[2] for row in rows] == ["100", "100"]

"""Error pages in the site's frame, in Chinese (English when chosen), with a way back (issue 12)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from countyworks.plans.models import Plan


def test_another_units_item_is_a_chinese_404_in_the_frame(client, cast):
    client.force_login(cast.reporter_b)
    response = client.get(reverse("ledger:item", args=[cast.item_a.pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert '<h1 id="error-title">页面不存在</h1>' in page and 'class="topbar"' in page and "返回首页" in page
    assert 'name="viewport"' in page and "Not Found" not in page


def test_a_refused_action_is_a_chinese_403(client, cast):
    client.force_login(cast.reporter_a)
    response = client.get(reverse("supervision:reviews"))
    assert response.status_code == 403 and "无权操作" in response.content.decode()


def test_english_when_chosen(client, cast):
    client.force_login(cast.reporter_b)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("ledger:item", args=[cast.item_a.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "No such page" in response.content.decode()


@pytest.mark.parametrize(
    ("view", "words"),
    [(defaults.server_error, "系统出错"), (defaults.bad_request, "请求有误")],
)
def test_500_and_400_render_in_the_frame(db, view, words):
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = view(request) if view is defaults.server_error else view(request, Exception())
    page = response.content.decode()
    assert words in page and 'class="topbar"' in page and 'href="/"' in page


def test_a_csrf_failure_is_the_expired_form_page(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_the_review_form_opens_on_a_year_with_a_plan(client, cast):
    client.force_login(cast.supervisor)
    page = client.get(reverse("reports:index")).content.decode()
    assert 'name="year" value="2023"' in page
    Plan.objects.create(region=cast.county, year=2025, title="2025年台账", published=True)
    page = client.get(reverse("reports:index")).content.decode()
    assert 'name="year" value="2025"' in page

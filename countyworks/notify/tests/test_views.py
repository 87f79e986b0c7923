"""消息渠道: a unit sets up its own channels (secrets stored encrypted), sees only its own channels and
messages, and nobody else's; the office and citizens have no such screen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from countyworks.notify import crypto
from countyworks.notify.models import Channel, Delivery

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _robot_form(**fields):
    return {
        "new-name": "发改局工作群",
        "new-platform": "wecom",
        "new-token": "robot-key-9",
        "new-events": ["assigned", "overdue"],
        "new-active": "on",
    } | fields


def test_a_unit_reporter_adds_its_units_robot_with_the_key_stored_encrypted(client, cast):
    response = _login(client, cast.reporter_a).post(reverse("notify:channels"), _robot_form())
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.unit_id == cast.unit_a.pk and channel.leader_id is None
    assert channel.events == ["assigned", "overdue"]
    assert "robot-key-9" not in channel.token_encrypted
    assert crypto.decrypt(channel.token_encrypted) == "robot-key-9"
    page = client.get(reverse("notify:channels")).content.decode()
    assert "发改局工作群" in page and "robot-key-9" not in page


def test_a_robot_without_a_key_or_events_is_refused_naming_the_field(client, cast):
    response = _login(client, cast.reporter_a).post(
        reverse("notify:channels"), _robot_form(**{"new-token": "", "new-events": []})
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "token" in form.errors and "events" in form.errors
    assert not Channel.objects.exists()


def test_a_unit_sees_and_edits_only_its_own_channels_and_messages(client, cast):
    own = Channel.objects.create(
        unit=cast.unit_a,
        name="本单位群",
        platform="wecom",
        events=["overdue"],
        token_encrypted=crypto.encrypt("old-key"),
    )
    other = Channel.objects.create(unit=cast.unit_b, name="他单位群", platform="wecom", events=["overdue"])
    Delivery.objects.create(channel=own, event="overdue", key="k1", title="本单位的事项已逾期")
    Delivery.objects.create(channel=other, event="overdue", key="k2", title="他单位的事项已逾期")
    client = _login(client, cast.reporter_a)
    page = client.get(reverse("notify:channels")).content.decode()
    assert "本单位群" in page and "本单位的事项已逾期" in page
    assert "他单位群" not in page and "他单位的事项已逾期" not in page
    assert client.get(reverse("notify:channel_edit", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("notify:channel_edit", args=[own.pk]),
        {"name": "本单位群", "platform": "wecom", "events": ["overdue", "notice"], "active": "on"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.events == ["overdue", "notice"]
    # The key stays what it was when the form leaves it empty.
    assert crypto.decrypt(own.token_encrypted) == "old-key"
    assert client.post(reverse("notify:channel_edit", args=[other.pk]), {"delete": "1"}).status_code == 404
    assert client.post(reverse("notify:channel_edit", args=[own.pk]), {"delete": "1"}).status_code == 302
    assert list(Channel.objects.values_list("name", flat=True)) == ["他单位群"]


def test_a_leader_sets_up_his_own_channel(client, cast):
    response = _login(client, cast.leader).post(
        reverse("notify:channels"),
        _robot_form(
            **{
                "new-name": "县长邮箱",
                "new-platform": "email",
                "new-token": "",
                "new-email_to": "xz@example.gov.cn",
            }
        ),
    )
    assert response.status_code == 302
    assert Channel.objects.get().leader_id == cast.leader.pk


def test_the_office_and_visitors_have_no_channel_screen(client, cast):
    assert client.get(reverse("notify:channels")).status_code == 302  # to the login page
    assert _login(client, cast.supervisor).get(reverse("notify:channels")).status_code == 403

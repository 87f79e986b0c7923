"""企业微信 and 钉钉 robots and e-mail, against local servers that check each platform's documented
request and answer with its error codes; retries, rate limits and the delivery log."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from datetime import timedelta

import pytest
from django.utils import timezone

from countyworks.accounts.models import Role
from countyworks.conftest import make_user
from countyworks.jobs import queue
from countyworks.jobs.models import Job
from countyworks.notify import crypto
from countyworks.notify.models import Channel, Delivery
from countyworks.notify.services import publish


@pytest.fixture
def platforms(settings, robot):
    settings.JOBS_INLINE = True
    settings.SITE_URL = "https://cw.example.gov.cn"
    settings.WECOM_WEBHOOK_URL = robot.base + "/cgi-bin/webhook/send"
    settings.DINGTALK_WEBHOOK_URL = robot.base + "/robot/send"
    return robot


def _channel(cast, platform="wecom", **fields) -> Channel:
    values = {
        "unit": cast.unit_a,
        "name": "发改局工作群",
        "platform": platform,
        "token_encrypted": crypto.encrypt("robot-key-1"),
        "events": ["overdue", "notice"],
    }
    return Channel.objects.create(**(values | fields))


def _overdue(cast, django_capture_on_commit_callbacks, key="reminder:1:overdue:2023-12-31", **kw):
    with django_capture_on_commit_callbacks(execute=True):
        return publish(
            "overdue",
            key=key,
            title=f"已逾期：{cast.item_a.title}",
            body="应于2023-12-31完成",
            url="/ledger/item/1/",
            unit_id=cast.unit_a.pk,
            item_id=cast.item_a.pk,
            **kw,
        )


def _make_due(delivery: Delivery) -> None:
    Job.objects.filter(pk=delivery.job_id).update(run_after=timezone.now())


@pytest.mark.django_db
def test_wecom_text_message_is_the_documented_request(cast, platforms, django_capture_on_commit_callbacks):
    _channel(cast)
    (delivery,) = _overdue(cast, django_capture_on_commit_callbacks)
    (request,) = platforms.requests
    assert request["path"] == "/cgi-bin/webhook/send" and request["query"] == {"key": ["robot-key-1"]}
    assert request["content_type"].startswith("application/json")
    body = request["json"]
    assert set(body) == {"msgtype", "text"} and body["msgtype"] == "text"
    assert cast.item_a.title in body["text"]["content"]
    assert "https://cw.example.gov.cn/ledger/item/1/" in body["text"]["content"]  # links back
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 1 and delivery.sent_at


@pytest.mark.django_db
def test_wecom_markdown_message(cast, platforms, django_capture_on_commit_callbacks):
    _channel(cast, markdown=True)
    _overdue(cast, django_capture_on_commit_callbacks)
    body = platforms.requests[0]["json"]
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"content"}
    assert f"**已逾期：{cast.item_a.title}**" in body["markdown"]["content"]
    assert "(https://cw.example.gov.cn/ledger/item/1/)" in body["markdown"]["content"]


@pytest.mark.django_db
def test_wecom_rate_limited_is_retried_and_logged(cast, platforms, django_capture_on_commit_callbacks):
    _channel(cast)
    platforms.replies.append({"errcode": 45009, "errmsg": "api freq out of limit"})
    (delivery,) = _overdue(cast, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    job = Job.objects.get(pk=delivery.job_id)
    assert delivery.state == "retrying" and delivery.error_code == "45009"
    assert job.state == "queued" and job.run_after > timezone.now() + timedelta(seconds=50)
    assert not queue.run_one("w")  # waits out the platform's minute
    _make_due(delivery)
    assert queue.run_one("w")
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 2 and delivery.error_code == ""
    assert len(platforms.requests) == 2


@pytest.mark.django_db
def test_wecom_invalid_webhook_fails_at_once(cast, platforms, django_capture_on_commit_callbacks):
    _channel(cast)
    platforms.replies.append({"errcode": 93000, "errmsg": "invalid webhook url"})
    (delivery,) = _overdue(cast, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.error_code == "93000"
    assert "invalid webhook" in delivery.error_message
    assert Job.objects.get(pk=delivery.job_id).state == "failed"


@pytest.mark.django_db
def test_dingtalk_signed_request_with_keyword(cast, platforms, django_capture_on_commit_callbacks):
    secret = "SECabc123"
    _channel(
        cast,
        "dingtalk",
        token_encrypted=crypto.encrypt("tok-9"),
        secret_encrypted=crypto.encrypt(secret),
        keyword="督查",
    )
    _overdue(cast, django_capture_on_commit_callbacks)
    (request,) = platforms.requests
    assert request["path"] == "/robot/send"
    query = request["query"]
    assert query["access_token"] == ["tok-9"]
    timestamp = query["timestamp"][0]
    assert abs(int(timestamp) - timezone.now().timestamp() * 1000) < 60_000
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    # The sign travels URL-encoded, as DingTalk's example sends it (base64 '+', '/', '=' escaped).
    raw_sign = dict(p.split("=", 1) for p in request["raw_query"].split("&"))["sign"]
    assert raw_sign == urllib.parse.quote_plus(expected)
    body = request["json"]
    assert body["msgtype"] == "text" and body["text"]["content"].startswith("【督查】")


@pytest.mark.django_db
def test_dingtalk_markdown_and_error_codes(cast, platforms, django_capture_on_commit_callbacks):
    _channel(cast, "dingtalk", markdown=True, keyword="督查")
    platforms.replies += [
        {"errcode": 130101, "errmsg": "send too fast"},
        {"errcode": 310000, "errmsg": "sign not match"},
    ]
    (delivery,) = _overdue(cast, django_capture_on_commit_callbacks)
    body = platforms.requests[0]["json"]
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"title", "text"}
    assert "timestamp" not in platforms.requests[0]["query"]  # no secret: not signed
    delivery.refresh_from_db()
    assert delivery.state == "retrying" and delivery.error_code == "130101"
    _make_due(delivery)
    queue.run_one("w")
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.error_code == "310000" and delivery.attempts == 2


@pytest.mark.django_db
def test_our_own_rate_limit_holds_the_21st_message_of_a_minute(
    cast, platforms, django_capture_on_commit_callbacks
):
    channel = _channel(cast)
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(channel=channel, event="overdue", key=f"old:{i}", title="t", state="sent", sent_at=now)
            for i in range(20)
        ]
    )
    (delivery,) = _overdue(cast, django_capture_on_commit_callbacks)
    assert platforms.requests == []
    delivery.refresh_from_db()
    job = Job.objects.get(pk=delivery.job_id)
    assert delivery.state == "retrying" and job.state == "queued"
    assert now + timedelta(seconds=50) < job.run_after <= now + timedelta(seconds=61)


@pytest.mark.django_db
def test_a_channel_hears_only_what_its_owner_may_see(cast, platforms, django_capture_on_commit_callbacks):
    _channel(cast, unit=cast.unit_b, name="文旅局")
    _channel(cast, unit=None, leader=cast.leader, name="县长")
    outsider = make_user("other_leader", Role.LEADER, cast.other_county)
    _channel(cast, unit=None, leader=outsider, name="外县")
    _channel(cast, name="发改局 只要通知", events=["notice"])
    deliveries = _overdue(cast, django_capture_on_commit_callbacks)
    assert [d.channel.name for d in deliveries] == ["县长"]
    assert len(platforms.requests) == 1


@pytest.mark.django_db
def test_the_same_event_is_delivered_once(cast, platforms, django_capture_on_commit_callbacks):
    _channel(cast)
    _overdue(cast, django_capture_on_commit_callbacks)
    assert _overdue(cast, django_capture_on_commit_callbacks) == []
    assert len(platforms.requests) == 1 and Delivery.objects.count() == 1


@pytest.mark.django_db
def test_secrets_are_stored_encrypted(cast, settings):
    channel = _channel(cast, secret_encrypted=crypto.encrypt("SECsecret"))
    channel.refresh_from_db()
    assert "robot-key-1" not in channel.token_encrypted and "SECsecret" not in channel.secret_encrypted
    assert crypto.decrypt(channel.token_encrypted) == "robot-key-1"
    settings.NOTIFY_SECRET_KEY = "x" * 43 + "="
    with pytest.raises(ValueError, match="NOTIFY_SECRET_KEY"):
        crypto.decrypt(channel.token_encrypted)


@pytest.mark.django_db
def test_email_goes_through_a_real_smtp_server(
    cast, settings, smtp_server, django_capture_on_commit_callbacks
):
    controller, handler = smtp_server
    settings.JOBS_INLINE = True
    settings.SITE_URL = "https://cw.example.gov.cn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    _channel(cast, "email", token_encrypted="", email_to="fgj@example.gov.cn")
    (delivery,) = _overdue(cast, django_capture_on_commit_callbacks)
    (envelope,) = handler.messages
    assert envelope.rcpt_tos == ["fgj@example.gov.cn"]
    text = envelope.content.decode()
    assert "https://cw.example.gov.cn/ledger/item/1/" in text
    delivery.refresh_from_db()
    assert delivery.state == "sent"


@pytest.mark.django_db
def test_email_to_a_server_that_is_down_is_retried(cast, settings, django_capture_on_commit_callbacks):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.JOBS_INLINE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    _channel(cast, "email", token_encrypted="", email_to="fgj@example.gov.cn")
    (delivery,) = _overdue(cast, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.state == "retrying" and delivery.error_code == "ConnectionRefusedError"
    assert Job.objects.get(pk=delivery.job_id).state == "queued"


@pytest.mark.django_db
def test_the_daily_run_sends_a_units_overdue_reminder_to_its_robot(
    cast, platforms, django_capture_on_commit_callbacks
):
    from datetime import date

    from countyworks.supervision.engine import supervise

    _channel(cast)
    _channel(cast, unit=cast.unit_b, name="文旅局")
    with django_capture_on_commit_callbacks(execute=True):
        supervise(date(2024, 1, 5))
    sent = Delivery.objects.filter(state="sent")
    assert {d.channel.name for d in sent} == {"发改局工作群", "文旅局"}
    a_texts = [r["json"]["text"]["content"] for r in platforms.requests]
    # Each unit's robot hears of its own item only.
    unit_a_text = [t for t in a_texts if cast.item_a.title in t]
    assert len(unit_a_text) == 1 and cast.item_b.title not in unit_a_text[0]
    assert sent.get(channel__name="发改局工作群").event == "overdue"


@pytest.mark.django_db
def test_instruction_notice_and_returned_report_reach_the_units_robot(
    cast, platforms, django_capture_on_commit_callbacks
):
    from datetime import date

    from countyworks.supervision import services

    _channel(cast, events=["instruction", "notice", "returned"])
    with django_capture_on_commit_callbacks(execute=True):
        services.add_instruction(cast.leader, cast.item_a, text="加快推进")
        services.issue_notice(
            cast.supervisor, cast.item_a, unit=cast.unit_a, content="说明原因", deadline=date(2024, 1, 10)
        )
        report = services.submit_report(
            cast.reporter_a, cast.item_a, period="2023-08", text="进展", progress=50
        )
        services.review_report(
            cast.supervisor, report, approve=False, comment="数据不实", expected_version=None
        )
    events = sorted(Delivery.objects.filter(state="sent").values_list("event", flat=True))
    assert events == ["instruction", "notice", "returned"]
    texts = "\n".join(r["json"]["text"]["content"] for r in platforms.requests)
    assert "加快推进" in texts and "说明原因" in texts and "数据不实" in texts


@pytest.mark.django_db
def test_an_assignment_and_an_extension_decision_reach_the_units_robot(
    cast, platforms, django_capture_on_commit_callbacks
):
    from datetime import date, timedelta

    from countyworks.plans import services as plan_services
    from countyworks.supervision import procedure_services

    _channel(cast, events=["assigned", "extension"])
    _channel(cast, unit=cast.unit_b, name="文旅局工作群", events=["assigned", "extension"])
    with django_capture_on_commit_callbacks(execute=True):
        item = plan_services.create_item(
            cast.supervisor,
            cast.plan,
            title="新交办的任务",
            lead_unit=cast.unit_a,
            due_date=date(2030, 6, 30),
        )
        request = procedure_services.apply_for_extension(
            cast.reporter_a,
            item,
            requested_due_date=date(2030, 6, 30) + timedelta(days=30),
            reason="设备未到",
        )
        procedure_services.decide_extension(
            cast.supervisor, request, approve=True, expected_version=request.version
        )
    sent = Delivery.objects.filter(state="sent")
    # Only unit A takes part in the item: unit B's robot hears nothing of it.
    assert sorted(sent.values_list("channel__unit", "event")) == [
        (cast.unit_a.pk, "assigned"),
        (cast.unit_a.pk, "extension"),
    ]
    texts = [r["json"]["text"]["content"] for r in platforms.requests]
    assert any("新交办的任务" in text and "签收" in text for text in texts)
    assert any("2030-07-30" in text for text in texts)

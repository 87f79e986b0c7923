"""The way in (issue 12): the login page names the system and the county; a forgotten password;
a clear lock-out message."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse


def test_the_login_page_names_the_system_and_the_county(client, cast):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "县域工作台" in page and "督查系统" in page
    assert "壶关县" in page  # the cast's plan is published
    assert reverse("accounts:password_reset") in page


def test_a_forgotten_password_is_reset_by_e_mail(client, cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast.reporter_a.email = "a@example.org"
    cast.reporter_a.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "a@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body)[1]
    response = client.get(link, follow=True)
    assert "设置新密码" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Xq7!long-pass-2024", "new_password2": "Xq7!long-pass-2024"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_complete")
    cast.reporter_a.refresh_from_db()
    assert cast.reporter_a.check_password("Xq7!long-pass-2024")


def test_an_address_without_an_account_sends_nothing_and_says_the_same(client, cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert mail.outbox == [] and "请查收邮件" in response.content.decode()


def test_a_locked_account_gets_a_clear_chinese_message(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        client.post(reverse("accounts:login"), {"username": "reporter_a", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "reporter_a", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code in (403, 429)
    assert "账号暂时锁定" in page and "一小时" in page and 'class="topbar"' in page

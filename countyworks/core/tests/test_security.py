"""Deployment security: headers, CSRF, login throttling and Django's deploy checks."""

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse


def test_it_passes_djangos_deploy_checks_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "countyworks.example.gov.cn",
    }
    for leaked in ("HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(leaked, None)
    result = subprocess.run(
        [sys.executable, "-m", "countyworks", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_turn_on_https_cookies_and_hsts():
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "DJANGO_SETTINGS_MODULE": "countyworks.settings",
    }
    env.pop("HTTPS", None)
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.split() == ["True", "True", "31536000", "True"], out.stderr


def test_pages_carry_a_content_security_policy_and_frame_denial(
    client, db
):  # the login page names the county
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    # django-csp adds a real per-request nonce only when a page uses one; never the literal word.
    assert "'nonce'" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_forms_refuse_a_post_without_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": "supervisor", "password": "pass-for-tests-only"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_out_password_guessing(cast, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="10.9.8.7")
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "supervisor", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "supervisor", "password": "pass-for-tests-only"}
    )
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works_and_lands_somewhere(cast):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "supervisor", "password": "pass-for-tests-only"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.supervisor.pk)


def test_the_health_check_answers(client, db):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}

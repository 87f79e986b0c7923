"""Webhook keys and signing secrets are stored encrypted (Fernet) in the database.

The key comes from the environment, NOTIFY_SECRET_KEY (a Fernet key: 32 url-safe base64 bytes), so a
copy of the database (a backup, a dump handed to a developer) does not hand out the robots. Without
it (development, `make run`), a key is derived from SECRET_KEY. Why in the database at all and not
only in the environment: each unit and leader adds its own robots on the screen, so they are data;
see docs/notifications.md.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    key = getattr(settings, "NOTIFY_SECRET_KEY", "")
    if not key:
        digest = hashlib.sha256(b"countyworks-notify:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("the stored secret cannot be decrypted: was NOTIFY_SECRET_KEY changed?") from exc

"""The requests each chat platform documents, and how to read its answers. Pure: no Django.

企业微信 group robot: POST {base}?key=KEY, JSON {"msgtype": "text", "text": {"content": …}} or
{"msgtype": "markdown", "markdown": {"content": …}}; answer {"errcode": 0, "errmsg": "ok"}; 20
messages a minute per robot (errcode 45009 when exceeded); 93000 = invalid webhook URL (key).

钉钉 custom robot: POST {base}?access_token=TOKEN&timestamp=MS&sign=SIGN where SIGN is the
URL-encoded base64 of HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"); JSON
{"msgtype": "text", "text": {"content": …}} or {"msgtype": "markdown", "markdown": {"title": …,
"text": …}}; 20 messages a minute per robot (errcode 130101); 310000 = the security settings refused
it (bad signature, missing keyword, IP not allowed). A robot with keyword rules only accepts
messages containing one of its keywords, so the keyword is put into every message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from dataclasses import dataclass
from typing import Any

WECOM_RATE_LIMITED = {45009}
WECOM_PERMANENT = {93000, 40008, 40058, 44004}  # bad webhook, bad message type, bad/empty content
DINGTALK_RATE_LIMITED = {130101}
DINGTALK_PERMANENT = {310000, 300001, 400013, 400101, 400102}
PER_MINUTE = 20  # both platforms: messages a minute per robot


@dataclass(frozen=True)
class Outcome:
    ok: bool
    code: str = ""
    message: str = ""
    rate_limited: bool = False
    permanent: bool = False


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def wecom_request(base: str, key: str, title: str, body: str, url: str, markdown: bool) -> tuple[str, dict]:
    target = f"{base}?{urllib.parse.urlencode({'key': key})}"
    if markdown:
        content = f"**{title}**\n{body}" + (f"\n[查看详情]({url})" if url else "")
        return target, {"msgtype": "markdown", "markdown": {"content": content}}
    return target, {"msgtype": "text", "text": {"content": "\n".join(p for p in (title, body, url) if p)}}


def dingtalk_request(
    base: str,
    token: str,
    secret: str,
    keyword: str,
    title: str,
    body: str,
    url: str,
    markdown: bool,
    timestamp_ms: int,
) -> tuple[str, dict]:
    query = f"access_token={urllib.parse.quote_plus(token)}"
    if secret:
        # The sign is already URL-encoded, as the platform's own example builds it.
        query += f"&timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"
    prefix = f"【{keyword}】" if keyword and keyword not in title + body else ""
    if markdown:
        text = f"### {prefix}{title}\n{body}" + (f"\n\n[查看详情]({url})" if url else "")
        return f"{base}?{query}", {"msgtype": "markdown", "markdown": {"title": prefix + title, "text": text}}
    content = "\n".join(p for p in (prefix + title, body, url) if p)
    return f"{base}?{query}", {"msgtype": "text", "text": {"content": content}}


def read_answer(platform: str, status: int, answer: Any) -> Outcome:
    if not isinstance(answer, dict) or "errcode" not in answer:
        return Outcome(False, f"http-{status}", str(answer)[:300])
    code = int(answer.get("errcode") or 0)
    message = str(answer.get("errmsg", ""))[:300]
    if code == 0 and status < 400:
        return Outcome(True, "0", message)
    limited = DINGTALK_RATE_LIMITED if platform == "dingtalk" else WECOM_RATE_LIMITED
    permanent = DINGTALK_PERMANENT if platform == "dingtalk" else WECOM_PERMANENT
    return Outcome(False, str(code), message, rate_limited=code in limited, permanent=code in permanent)

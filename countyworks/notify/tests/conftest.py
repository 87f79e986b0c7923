"""Local stand-ins for the platforms: an HTTP server that records each request and answers with
scripted platform replies, and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Robot:
    base: str
    requests: list[dict] = field(default_factory=list)
    replies: list[dict] = field(default_factory=list)  # consumed first to last; then {"errcode": 0}
    arrived: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def robot():
    state: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            robot: Robot = state["robot"]
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            parsed = urllib.parse.urlsplit(self.path)
            robot.requests.append(
                {
                    "path": parsed.path,
                    "raw_query": parsed.query,
                    "query": urllib.parse.parse_qs(parsed.query),
                    "content_type": self.headers.get("Content-Type", ""),
                    "json": json.loads(raw or b"null"),
                }
            )
            reply = robot.replies.pop(0) if robot.replies else {"errcode": 0, "errmsg": "ok"}
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            robot.arrived.set()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["robot"] = Robot(base=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state["robot"]
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self) -> None:
            self.messages: list = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as probe:  # aiosmtpd needs a known port to check its server is up
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, handler
    controller.stop()

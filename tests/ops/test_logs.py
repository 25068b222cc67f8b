"""No phone number, e-mail address or token in any log line: library lines and tracebacks included."""
from __future__ import annotations

import logging
import threading
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from matchmaker.logs import redact
from matchmaker.models import User
from matchmaker.services import accounts
from tests.conftest import PASSWORD

SECRETS = ("li@example.com", "13987654321", "139 8765 4321", "0533-3581234")


@pytest.mark.parametrize(("line", "kept"), [
    ("mail li@example.com today", "mail [redacted] today"),
    ("call +86 139-8765-4321 now", "call [redacted] now"),
    ("office 0533-3581234", "office [redacted]"),
    ("Authorization: Bearer mm_abcDEF123_xyz", "Authorization: Bearer [redacted]"),
    ("GET /auth/reset/IjEi.Zx9k3Jd8aPq2LmN4oR7sT1uV HTTP/1.1", "GET /auth/reset/[redacted] HTTP/1.1"),
    ("GET /results?q=13812345678&page=2", "GET /results?q=[redacted]&page=2"),
    ("GET /results/12 200", "GET /results/12 200"),
    ("event 2026-12-01 id 42 score 0.87", "event 2026-12-01 id 42 score 0.87"),
])
def test_redact(line: str, kept: str) -> None:
    assert redact(line) == kept


def test_request_lines_and_tracebacks_carry_no_personal_data(
        app: Flask, make_user: Callable[..., User], caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _row, token = accounts.create_api_token(make_user("company"), "t")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        for path in ("/results?q=13987654321", "/needs?q=li%40example.com", f"/api/v1/needs?token={token}"):
            with urllib.request.urlopen(base + path) as response:  # noqa: S310 - loopback test server
                assert response.status == 200
    finally:
        server.shutdown()
        thread.join()
    try:
        raise ValueError("duplicate contact li@example.com / 13987654321 / 0533-3581234")
    except ValueError:
        logging.getLogger("matchmaker").exception("could not save %s", "139 8765 4321")
    text = caplog.text + "".join(caplog.handler.format(r) for r in caplog.records)
    assert "werkzeug" in {r.name for r in caplog.records}
    assert "[redacted]" in text
    for secret in (*SECRETS, token, "li%40example.com"):
        assert secret not in text, secret


def test_a_failed_login_logs_no_username_or_password(app: Flask, client: Any, make_user: Callable[..., User],
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = make_user("company")
    client.post("/auth/login", data={"username": user.username, "password": "wrong-" + PASSWORD})
    assert PASSWORD not in caplog.text

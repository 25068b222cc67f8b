"""Forgot password in a real browser: the link arrives at a real SMTP server (aiosmtpd) and works once."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_foundation_flow import Problems

pytestmark = pytest.mark.e2e
NEW_PASSWORD = "Rubber-Seal-Reset-2031"


def test_forgot_password_mail_link_new_password_sign_in(page: Page, app: Any, live_server: str, runner: Any,
                                                        smtp_server: Any, make_user: Any, artifacts: Path) -> None:
    app.config["BASE_URL"] = live_server  # links in the mail point at the server the browser talks to
    make_user("researcher", username="li_lab", display_name="李研究员", email="li.lab@example.edu.cn")
    problems = Problems(page)

    page.goto(f"{live_server}/auth/login")
    page.click("#forgot-link")
    page.fill("#email", "li.lab@example.edu.cn")
    page.click("#forgot-submit")
    expect(page.locator("#forgot-sent")).to_contain_text("如果该邮箱登记在某个账号下")

    result = runner.invoke(args=["send-mail"])
    assert "sent: 1" in result.output, result.output
    received = smtp_server.received[-1]
    assert received.rcpt_tos == ["li.lab@example.edu.cn"] and received.message["Subject"] == "重置您的密码"
    link = received.link("/account/reset/")
    assert link.startswith(live_server)

    page.goto(link)
    expect(page.get_by_text("账号：li_lab")).to_be_visible()
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("#reset-submit")
    expect(page.locator(".alert-success")).to_contain_text("新密码已设置")
    page.fill("#username", "li_lab")
    page.fill("#password", NEW_PASSWORD)
    page.click("#login-submit")
    expect(page.locator(".alert-success")).to_contain_text("欢迎回来，李研究员")
    page.screenshot(path=str(artifacts / "password-reset-signed-in.png"))
    assert problems.seen == []

    page.goto(link)  # the same link a second time
    expect(page.get_by_text("重置链接无效或已被使用，请重新申请。")).to_be_visible()

"""Match alerts in a browser: a researcher subscribes to a search on 我的订阅 and asks for each alert at once,
staff publish a need that fits, the alert is in the researcher's notifications and its e-mail arrives over SMTP
with List-Unsubscribe; the e-mail's link, opened without signing in, asks first and then turns off only that
subscription."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from matchmaker.extensions import db
from matchmaker.models import Chain, Subscription, User
from matchmaker.services.alerts import reverse
from matchmaker.services.mail import delivery
from tests.e2e.test_foundation_flow import Problems, _sign_out, sign_in
from tests.services.alerts.conftest import SEAL_NEED


@pytest.mark.e2e
def test_subscribe_receive_an_alert_and_unsubscribe_from_the_mail(
        page: Page, live_server: str, artifacts: Path, smtp_server: Any, default_chains: list[Chain],
        make_user: Callable[..., User], make_posting: Callable[..., Any]) -> None:
    problems = Problems(page)
    base = live_server
    make_posting("result")
    reader = make_user("researcher", email="reader@example.edu.cn", email_verified=True)
    make_user("researcher", email="bystander@example.edu.cn", email_verified=True)
    staff = make_user("staff")
    need = make_posting("need", status="pending", **SEAL_NEED)
    try:
        sign_in(page, base, reader.username)
        page.goto(f"{base}/alerts/new")
        page.fill("#q", "氟橡胶 密封件")
        page.select_option("#target_kind", "need")
        page.locator("#subscribe-submit").click()
        expect(page.locator(".alert-success")).to_be_visible()
        page.select_option("#frequency", "immediate")
        page.locator("#frequency-form button[type=submit]").click()
        expect(page.locator("#frequency")).to_have_value("immediate")
        page.screenshot(path=str(artifacts / "alerts-subscriptions-zh.png"), full_page=True)
        _sign_out(page)

        sign_in(page, base, staff.username)
        page.goto(f"{base}/review/")
        page.locator("tr").filter(has_text=need.title).get_by_role("button", name="发布").click()
        expect(page.locator(".alert-success")).to_be_visible()
        _sign_out(page)

        sign_in(page, base, reader.username)
        page.goto(f"{base}/notifications/")
        expect(page.locator("body")).to_contain_text(f"有新匹配：{need.title}")
        page.screenshot(path=str(artifacts / "alerts-notification-zh.png"), full_page=True)

        assert delivery.send_due().sent == 1
        (mail,) = smtp_server.received
        assert mail.rcpt_tos == ["reader@example.edu.cn"] and need.title in mail.text
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = re.search(r"http://\S+/alerts/unsubscribe/\S+", mail.text)
        assert link is not None

        page.context.clear_cookies()  # the link works for whoever holds the e-mail, signed in or not
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + urlsplit(link.group(0)).path)
        expect(page.locator("#unsubscribe-form")).to_contain_text("氟橡胶 密封件")
        db.session.expire_all()
        assert db.session.scalars(db.select(Subscription)).one().active  # opening the link changed nothing
        page.locator("#unsubscribe-submit").click()
        expect(page.locator("#unsubscribed")).to_contain_text("氟橡胶 密封件")
        page.screenshot(path=str(artifacts / "alerts-unsubscribed-390.png"), full_page=True)
        db.session.expire_all()
        assert db.session.scalars(db.select(Subscription)).one().active is False
        assert problems.seen == [], problems.seen
    finally:
        reverse.forget()

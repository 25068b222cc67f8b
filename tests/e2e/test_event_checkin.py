"""A firm takes part in an event in a browser: it finds the public event from the home page, registers its
organization, sees the QR code on its confirmation, and staff check it in on the phone page by typing the code.
Screenshots in zh-CN and en and at 390 px are kept in test-artifacts for a person to look at."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.models import Chain, Invitation, User
from matchmaker.services.events import events
from tests.e2e.test_foundation_flow import PHONE_WIDTH, Problems, _no_horizontal_overflow, _sign_out, sign_in


@pytest.mark.e2e
def test_firm_registers_and_is_checked_in(page: Page, live_server: str, artifacts: Path, default_chains: list[Chain],
                                          make_user: Callable[..., User], make_posting: Callable[..., Any]) -> None:
    problems = Problems(page)
    base = live_server
    staff = make_user("staff", display_name="科技局对接员")
    firm = make_user("company", display_name="李经理")
    result = make_posting("result", title="耐高温氟橡胶密封材料")
    event = events.create_event({
        "name": "新材料产业链成果对接会", "type": "matchmaking", "venue": "淄博市科技大厦三楼",
        "starts_at": (datetime.now() + timedelta(days=14)).strftime("%Y-%m-%dT09:00"),
        "chain_ids": [default_chains[0].id], "capacity": "50", "is_public": "1",
        "description": "面向新材料企业的成果路演与一对一洽谈。"}, staff)
    events.add_to_lists(event.id, {"result_ids": [result.id]}, staff)

    # The firm finds the event on the home page and opens its public page.
    sign_in(page, base, firm.username)
    page.goto(base + "/")
    page.locator("#home-events").get_by_text(event.name).click()
    expect(page.locator("#presented")).to_be_visible()
    expect(page.locator("body")).to_contain_text(result.title)
    page.screenshot(path=str(artifacts / "event-public-zh.png"), full_page=True)
    page.goto(page.url + "?lang=en")
    expect(page.locator("#how-to-register")).to_have_text("How to register")
    page.screenshot(path=str(artifacts / "event-public-en.png"), full_page=True)
    page.goto(page.url.split("?")[0] + "?lang=zh_Hans_CN")

    # An empty form is refused with a clear message; then it registers.
    page.fill("#headcount", "")
    page.locator("#registration-form button[type=submit]").click()
    expect(page.locator("#registration-form")).to_contain_text("此项为必填项")
    page.fill("#attendees", "王建华（技术总监）\n刘敏（研发工程师）")
    page.fill("#headcount", "2")
    page.check("#interest_result_ids-0")
    page.locator("#registration-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("报名成功")
    expect(page.locator("#registration-status")).to_have_text("已报名")
    expect(page.locator("#checkin-qr svg")).to_be_visible()
    code = page.locator("#checkin-code").inner_text().strip()
    assert len(code) == 11
    page.screenshot(path=str(artifacts / "event-confirmation-zh.png"), full_page=True)
    page.goto(page.url + "?lang=en")
    expect(page.locator("#print-schedule")).to_have_text("Print schedule")
    page.screenshot(path=str(artifacts / "event-confirmation-en.png"), full_page=True)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(page.url.split("?")[0] + "?lang=zh_Hans_CN")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / "event-confirmation-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_out(page)

    # Staff, on a phone, type the code on the check-in page.
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    sign_in(page, base, staff.username)
    page.goto(f"{base}/events/{event.id}/scan")
    expect(page.locator("#door-counts")).to_contain_text("0 / 1")
    _no_horizontal_overflow(page)
    page.fill("#code", code.lower())
    page.locator("#scan-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("已签到")
    expect(page.locator("#door-counts")).to_contain_text("1 / 1")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(artifacts / "event-checkin-phone-390.png"), full_page=True)
    page.goto(f"{base}/events/{event.id}/scan?lang=en")
    page.screenshot(path=str(artifacts / "event-checkin-phone-en.png"), full_page=True)

    from matchmaker.extensions import db

    db.session.expire_all()
    row = db.session.query(Invitation).filter_by(event_id=event.id, org_id=firm.org_id).one()
    assert row.status == "attended" and row.checked_in_at is not None
    assert problems.seen == []

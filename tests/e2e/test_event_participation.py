"""The participant's event, end to end in a browser: a firm finds a public event and registers, asks the team of a
presented result for a 1:1 (约见), the researcher accepts, staff build the agenda and the agreed meeting is kept,
the firm sees it in its schedule and checks in at the door with its code. Screenshots in zh-CN, en and at 390 px.

The clock is moved to the morning of the event (time_machine, ticking): requests are open until the event starts
and the door takes codes on its day only, so the whole story happens between 08:00 and 14:00 that day.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Chain, Event, EventResult, Invitation, Meeting, MeetingRequest, Organization, User
from tests.e2e.test_foundation_flow import Problems, _sign_out, open_menu, sign_in

MORNING = datetime(2031, 3, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MESSAGE = "我公司做汽车发动机密封件，想了解该材料的中试条件和许可方式。"


@pytest.mark.e2e
def test_firm_registers_requests_is_scheduled_and_checks_in(
        page: Page, live_server: str, artifacts: Path, default_chains: list[Chain], make_user: Callable[..., User],
        make_org: Callable[..., Organization], make_posting: Callable[..., Any]) -> None:
    with time_machine.travel(MORNING, tick=True):
        _story(page, live_server, artifacts, default_chains, make_user, make_org, make_posting)


def _story(page: Page, base: str, shots: Path, chains: list[Chain], make_user: Callable[..., User],
           make_org: Callable[..., Organization], make_posting: Callable[..., Any]) -> None:
    problems = Problems(page)
    researcher = make_user("researcher", display_name="王研究员")
    result = make_posting("result", owner=researcher)
    other_team = make_posting("result", owner=make_user("researcher"), title="低温等离子体表面改性设备")
    firm = make_org(kind="company", name="淄博华辰密封科技有限公司")
    company = make_user("company", org=firm, display_name="李经理")
    make_posting("need", owner=company)
    staff = make_user("staff", display_name="科技局对接员")
    # Another registered firm whose need matches too: the builder has a real choice to make around the request.
    rival = make_user("company")
    make_posting("need", owner=rival)
    event = Event(name="新材料成果对接会", type="matchmaking", starts_at=datetime(2031, 3, 1, 14, 0),
                  venue="淄博市科技大厦", chain_ids=[chains[0].id], is_public=True, slot_count=3, table_count=1,
                  meeting_cap=2, presentations=[EventResult(result_id=result.id, position=0),
                                                EventResult(result_id=other_team.id, position=1)],
                  invitations=[Invitation(org_id=rival.org_id, status="registered")])
    db.session.add(event)
    db.session.commit()

    # The firm finds the event from the navigation and registers.
    sign_in(page, base, company.username)
    page.click("#nav-events")
    page.locator("#public-events").get_by_text(event.name).click()
    page.fill("#attendees", "李经理（技术总监）")
    page.fill("#headcount", "1")
    page.locator("#registration-form button[type=submit]").click()
    expect(page.locator("#registration-status")).to_contain_text("已报名")

    # From the event page it asks the team of the presented result for a meeting.
    page.goto(f"{base}/activities/{event.id}")
    page.locator("#meet-link a").click()
    card = page.locator(f"#meet-results [data-result-id='{result.id}']")
    card.locator("summary").click()
    card.locator("textarea").fill(MESSAGE)
    page.screenshot(path=str(shots / "participation-meet-zh.png"), full_page=True)
    card.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("已向")
    mine = page.locator("#meeting-requests .meeting-request")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("待对方答复")
    _sign_out(page)

    # The researcher (a member of the result's organization) accepts it from the inbox.
    sign_in(page, base, researcher.username)
    page.goto(f"{base}/meeting-requests")
    request = page.locator("#meeting-requests .meeting-request")
    expect(request).to_contain_text(MESSAGE)
    page.screenshot(path=str(shots / "participation-inbox-zh.png"), full_page=True)
    request.locator(".act-accept").click()
    expect(page.locator(".alert-success")).to_contain_text("已同意约见")
    expect(request).to_contain_text("已约定")
    _sign_out(page)

    # Staff build the agenda: the agreed meeting is kept (一 table per slot, so the builder had to make room).
    sign_in(page, base, staff.username)
    page.goto(f"{base}/events/{event.id}/agenda")
    page.locator("#build-form input[value=discard]").check()
    page.locator("#build-form button[type=submit]").click()
    expect(page.locator(".alert-info").first).to_contain_text("已约定")
    agreed = page.locator("#meeting-list .meeting").filter(has=page.locator(".agreed-badge"))
    expect(agreed).to_have_count(1)
    expect(agreed).to_contain_text(firm.name)
    page.screenshot(path=str(shots / "participation-agenda-zh.png"), full_page=True)
    _sign_out(page)
    req = db.session.scalars(select(MeetingRequest)).one()
    kept = db.session.scalars(select(Meeting).where(Meeting.request_id == req.id)).one()
    assert (kept.result_id, kept.company_id) == (result.id, firm.id)

    # The firm sees its schedule with the agreed meeting and its check-in code, in Chinese, English and on a phone.
    sign_in(page, base, company.username)
    open_menu(page, page.locator("#nav .dropdown-toggle").last)
    page.click("#my-events-link")
    page.get_by_text(event.name).first.click()
    schedule = page.locator("#my-meetings")
    expect(schedule).to_contain_text(researcher.org.name)
    expect(schedule.locator(".agreed-badge")).to_have_count(1)
    code = page.locator("#checkin-code").inner_text().strip()
    assert code
    page.screenshot(path=str(shots / "participation-my-event-zh.png"), full_page=True)
    page.goto(f"{page.url.split('?')[0]}?lang=en")
    expect(page.locator("#my-meetings .agreed-badge")).to_have_text("Agreed")
    page.screenshot(path=str(shots / "participation-my-event-en.png"), full_page=True)
    page.goto(f"{base}/activities/{event.id}/meet?lang=en")
    expect(page.locator("h1")).to_contain_text("Meeting requests")
    page.screenshot(path=str(shots / "participation-meet-en.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/activities/{event.id}/mine?lang=zh_Hans_CN")
    expect(page.locator("#checkin-code")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the schedule scrolls sideways on a phone"
    page.screenshot(path=str(shots / "participation-my-event-390.png"), full_page=True)

    # At the door (no sign-in needed: a fresh browser) it types its code and is checked in.
    page.context.clear_cookies()
    page.goto(f"{base}/activities/{event.id}/door")
    page.fill("#code", code)
    page.locator("#door-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("签到成功")
    page.screenshot(path=str(shots / "participation-door-390.png"), full_page=True)
    row = db.session.scalars(select(Invitation).where(Invitation.event_id == event.id,
                                                      Invitation.org_id == firm.id)).one()
    db.session.refresh(row)
    assert row.status == "attended" and row.checked_in_at is not None
    assert problems.seen == [], problems.seen

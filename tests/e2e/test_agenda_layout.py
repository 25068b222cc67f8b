"""Issue 7, defect 8: the agenda page in a browser. 删除 is reachable without scrolling sideways on a laptop and on
a phone (390 px wide), and the phone view is readable (no sideways overflow; screenshot kept for a person)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.extensions import db
from matchmaker.models import Chain, Event, EventResult, Invitation, Organization, User
from matchmaker.services.events import agenda as agenda_planning
from tests.conftest import PASSWORD
from tests.e2e.test_foundation_flow import Problems


@pytest.fixture
def built_event(default_chains: list[Chain], make_org: Callable[..., Organization], make_user: Callable[..., User],
                make_posting: Callable[..., Any]) -> tuple[Event, User]:
    """An event with four results and four firms whose needs match them, agenda built (6 tables)."""
    chain = next(c for c in default_chains if c.code == "fluorosilicon")
    lab = make_user("researcher", org=make_org(name="淄博理工大学新材料研究院", kind="university"))
    results, firms = [], []
    for n, (thing, use) in enumerate([("氟橡胶油封密封圈", "发动机油封"), ("聚四氟乙烯内衬软管", "化工流体输送"),
                                      ("有机硅耐候密封胶", "幕墙密封"), ("含氟涂层防腐材料", "海洋设备防腐")]):
        summary = f"一种{thing}，用于{use}，长期使用性能稳定，已完成中试验证。"
        results.append(make_posting("result", owner=lab, chain_id=chain.id, title=f"耐高温{thing}",
                                    keywords=[thing], summary=summary))
        firm = make_org(name=f"淄博第{n + 1}新材料装备制造有限责任公司", kind="company")
        firms.append(firm)
        make_posting("need", owner=make_user("company", org=firm), chain_id=chain.id, title=f"{use}用{thing}国产化",
                     keywords=[thing], problem=f"{use}目前依赖进口{thing}，价格高、交期长，需要国产{thing}替代。")
    staff = make_user("staff")
    event = Event(name="氟硅材料成果对接会", type="matchmaking", starts_at=datetime(2030, 5, 20, 9), venue="科技大厦",
                  chain_ids=[chain.id], slot_count=4, table_count=6, meeting_cap=4,
                  presentations=[EventResult(result_id=r.id, position=i) for i, r in enumerate(results)],
                  invitations=[Invitation(org_id=f.id) for f in firms])
    db.session.add(event)
    db.session.commit()
    agenda_planning.build_agenda(event.id, keep_existing=False, actor=staff)
    return event, staff


def _sign_in(page: Page, base: str, user: User) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", user.username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("body")).not_to_contain_text("用户名或密码")


def _no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def _every_remove_button_in_view(page: Page, width: int) -> None:
    buttons = page.locator("#meeting-list .meeting-remove")
    assert buttons.count() >= 4
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (i, box)


@pytest.mark.e2e
@pytest.mark.parametrize(("width", "height", "name"), [(1280, 900, "laptop"), (390, 844, "phone")])
def test_agenda_page_fits_the_screen(page: Page, live_server: str, artifacts: Path,
                                     built_event: tuple[Event, User], width: int, height: int, name: str) -> None:
    event, staff = built_event
    problems = Problems(page)
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, live_server, staff)
    page.goto(f"{live_server}/events/{event.id}/agenda")
    expect(page.locator("#meeting-list .meeting").first).to_be_visible()
    _no_sideways_scroll(page)
    _every_remove_button_in_view(page, width)
    first = page.locator("#meeting-list .meeting").first
    assert (first.bounding_box() or {"width": 0})["width"] <= width
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#meeting-list .meeting')).fontSize)")
    assert font >= 14  # readable without zooming
    page.screenshot(path=str(artifacts / f"agenda-{name}.png"), full_page=True)
    if name == "phone":
        assert not page.locator("#agenda-grid").is_visible()  # the wide time × table grid is for wide screens
    assert problems.seen == []  # no console error (an inline style breaks the CSP, say)

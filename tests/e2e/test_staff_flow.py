"""The bureau's half in a real browser, CSRF on: plan an event from the match index, build the 1:1 agenda,
check firms in, record an intent and a local transfer, hold the event, and see the 三十三百 dashboard move."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.models import Chain, Organization, User
from tests.conftest import PASSWORD, valid_credit_code
from tests.e2e.test_foundation_flow import Problems, open_menu

EVENT = "氟材料产业链成果对接会"
METRICS = ("events", "transfers", "results", "firms", "intents")


@dataclass
class World:
    staff: User
    chain_id: int
    result_ids: tuple[int, int]
    result_titles: tuple[str, str]
    firm_ids: tuple[int, int]
    firm_names: tuple[str, str]


def _build_world(chain: Chain, make_org: Callable[..., Organization], make_user: Callable[..., User],
                 make_posting: Callable[..., Any]) -> World:
    """One university with two results, two local companies whose needs genuinely match them, one staff user."""
    lab = make_user("researcher", org=make_org(name="淄博理工大学", kind="university"))
    seals = make_posting(
        "result", owner=lab, chain_id=chain.id, title="耐高温氟橡胶油封密封圈", keywords=["氟橡胶", "密封圈", "油封"],
        summary="采用新型硫化体系的氟橡胶密封圈，二百五十摄氏度下长期使用，用于汽车发动机油封。")
    hoses = make_posting(
        "result", owner=lab, chain_id=chain.id, title="聚四氟乙烯内衬耐腐蚀软管",
        keywords=["聚四氟乙烯", "软管", "耐腐蚀"],
        summary="聚四氟乙烯内衬的耐腐蚀化工软管，耐强酸强碱，用于化工流体输送。",
        innovations="内衬缠绕成型。", indicators="爆破压力不低于二十兆帕。", patent_numbers="ZL202310000002.2")
    firms = []
    for name, title, keywords, problem in (
            ("淄博华鑫汽车零部件有限公司", "发动机氟橡胶油封密封圈国产化", ["氟橡胶", "密封圈", "油封"],
             "发动机油封用进口氟橡胶密封圈价格高，需要二百摄氏度以上长期使用的国产氟橡胶密封圈。"),
            ("山东博科化工装备有限公司", "化工流体输送耐腐蚀软管", ["聚四氟乙烯", "软管", "耐腐蚀"],
             "化工流体输送软管腐蚀快，需要耐强酸强碱的聚四氟乙烯内衬软管。")):
        firm = make_org(name=name, kind="company", credit_code=valid_credit_code("370303"))
        make_posting("need", owner=make_user("company", org=firm), chain_id=chain.id, title=title, keywords=keywords,
                     problem=problem)
        firms.append(firm)
    staff = make_user("staff", display_name="科技局张科长")
    return World(staff, chain.id, (seals.id, hoses.id), (seals.title, hoses.title), (firms[0].id, firms[1].id),
                 (firms[0].name, firms[1].name))


def _figures(page: Page) -> dict[str, int]:
    cards = page.locator("#goal-cards")
    expect(cards.locator("[data-metric]")).to_have_count(len(METRICS))
    return {m: int(cards.locator(f"[data-metric={m}] .metric-actual").inner_text()) for m in METRICS}


def _open_staff_page(page: Page, name: str) -> None:
    open_menu(page, page.locator("#staff-menu .dropdown-toggle"))
    page.locator("#staff-menu").get_by_role("link", name=name, exact=True).click()


def _flash(page: Page, text: str) -> None:
    expect(page.locator(".alert-success")).to_contain_text(text)


def _create_event(page: Page, world: World) -> None:
    _open_staff_page(page, "对接活动")
    page.get_by_role("link", name="新建活动").click()
    page.fill("#name", EVENT)
    page.select_option("#type", index=0)
    page.fill("#starts_at", f"{_today(page)}T09:00")
    page.fill("#venue", "淄博市科技局三楼会议室")
    page.check(f"input[name=chain_ids][value='{world.chain_id}']")
    page.get_by_role("button", name="保存").click()
    _flash(page, "活动已创建")
    expect(page.locator("h1")).to_contain_text(EVENT)


def _today(page: Page) -> str:
    """Today in the bureau's time zone (the server's "today"); the event must fall in this year to count."""
    return str(page.evaluate("new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Shanghai'})"))


def _accept_proposals(page: Page, world: World) -> None:
    page.locator(".nav-tabs").get_by_role("link", name="策划与邀请").click()
    results, companies = page.locator("#proposed-results"), page.locator("#proposed-companies")
    for title in world.result_titles:
        expect(results).to_contain_text(title)
    for name in world.firm_names:
        expect(companies).to_contain_text(name)
    for result_id in world.result_ids:
        results.locator(f"input[value='{result_id}']").check()
    for firm_id in world.firm_ids:
        companies.locator(f"input[value='{firm_id}']").check()
    page.get_by_role("button", name="将勾选项加入名单").click()
    _flash(page, "已加入 2 项成果、2 家单位")
    expect(results.locator("input:checked:disabled")).to_have_count(2)
    expect(companies.locator("input:checked:disabled")).to_have_count(2)


def _build_agenda(page: Page, world: World) -> None:
    page.locator(".nav-tabs").get_by_role("link", name="一对一日程").click()
    page.get_by_role("button", name="生成日程").click()
    _flash(page, "日程已生成")
    meetings = page.locator("#meeting-list .meeting")
    expect(meetings.first).to_be_visible()
    for title, firm in zip(world.result_titles, world.firm_names, strict=True):
        expect(meetings.filter(has_text=title).filter(has_text=firm)).to_have_count(1)
    expect(page.locator("#agenda-grid")).to_contain_text(world.firm_names[0])
    expect(page.locator(".alert-info")).to_contain_text("有洽谈的单位已加入邀请名单")  # the university too


def _check_in(page: Page, world: World) -> None:
    page.locator(".nav-tabs").get_by_role("link", name="现场签到").click()
    expect(page.get_by_text("已签到 0 / 3 家")).to_be_visible()  # two firms and the university the agenda invited
    for firm_id, name in zip(world.firm_ids, world.firm_names, strict=True):
        page.locator(f"#org-{firm_id}").get_by_role("button", name="签到").click()
        _flash(page, f"{name} 已签到")
        expect(page.locator(f"#org-{firm_id}").get_by_role("button")).to_contain_text("已签到")
    expect(page.get_by_text("已签到 2 / 3 家")).to_be_visible()


def _record_intent(page: Page, world: World) -> None:
    page.locator(".nav-tabs").get_by_role("link", name="一对一日程").click()
    row = (page.locator("#meeting-list .meeting").filter(has_text=world.result_titles[0])
           .filter(has_text=world.firm_names[0]))
    row.locator("select[name=outcome]").select_option("intent")
    row.get_by_role("button", name="记录").click()
    expect(page.locator(".alert-info")).to_contain_text("已自动填入成果、企业、需求和活动")
    expect(page.locator("#result_id")).to_have_value(str(world.result_ids[0]))
    expect(page.locator("#company_id")).to_have_value(str(world.firm_ids[0]))
    expect(page.locator("#logged_on")).to_have_value(_today(page))
    page.select_option("#mode", "license")
    page.fill("#amount_wan", "60")
    page.get_by_role("button", name="保存").click()
    _flash(page, "合作意向已登记")
    expect(page.locator("body")).to_contain_text(world.firm_names[0])


def _record_transfer(page: Page, world: World) -> None:
    _open_staff_page(page, "成果转化")
    page.get_by_role("link", name="登记成果转化").click()
    page.select_option("#result_id", str(world.result_ids[1]))
    page.select_option("#buyer_id", str(world.firm_ids[1]))
    page.fill("#contract_number", "370303-JS-2026-0018")
    page.select_option("#contract_type", index=1)
    page.fill("#amount_wan", "120")
    expect(page.locator("#signed_on")).to_have_value(_today(page))
    page.get_by_role("button", name="保存").click()
    _flash(page, "转化记录已登记")
    details = page.locator("dl")
    expect(details).to_contain_text(world.result_titles[1])
    expect(details).to_contain_text("本地")
    expect(details).not_to_contain_text("非本地")
    expect(details).to_contain_text("按受让方统一社会信用代码判定")


def _hold_event(page: Page) -> None:
    _open_staff_page(page, "对接活动")
    page.get_by_role("link", name=EVENT).click()
    page.get_by_role("button", name="标记为已举办").click()
    _flash(page, "活动状态已更新")
    expect(page.locator("h1 .badge")).to_have_text("已举办")


def _charts_drawn(page: Page) -> None:
    charts = page.locator(".chart")
    expect(charts).to_have_count(len(METRICS) + 2)
    for i in range(charts.count()):
        expect(charts.nth(i).locator("canvas").first).to_be_attached()


@pytest.mark.e2e
def test_staff_event_to_dashboard(page: Page, live_server: str, artifacts: Path, default_chains: list[Chain],
                                  make_org: Callable[..., Organization], make_user: Callable[..., User],
                                  make_posting: Callable[..., Any]) -> None:
    chain = next(c for c in default_chains if c.code == "fluorosilicon")
    world = _build_world(chain, make_org, make_user, make_posting)
    problems = Problems(page)
    base = live_server

    page.goto(f"{base}/auth/login")
    page.fill("#username", world.staff.username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    _open_staff_page(page, "三十三百看板")
    before = _figures(page)

    _create_event(page, world)
    _accept_proposals(page, world)
    _build_agenda(page, world)
    _check_in(page, world)
    _record_intent(page, world)
    _record_transfer(page, world)
    _hold_event(page)

    _open_staff_page(page, "三十三百看板")
    after = _figures(page)
    assert {m: after[m] - before[m] for m in METRICS} == {
        "events": 1, "transfers": 1, "results": 0, "firms": 2, "intents": 1}
    _charts_drawn(page)
    page.screenshot(path=str(artifacts / "dashboard-zh.png"), full_page=True)

    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert _figures(page) == after
    _charts_drawn(page)
    charts = json.loads(page.locator("#dashboard-data").text_content() or "{}")  # what the canvases were drawn from
    assert charts["months"][0] == "Jan" and charts["series"]["forecast"] == "Year-end forecast"
    assert charts["goals"]["events"]["title"] == "Matchmaking events (target 10)"
    page.screenshot(path=str(artifacts / "dashboard-en.png"), full_page=True)
    page.goto(f"{base}/?lang=zh_Hans_CN")

    assert problems.seen == []

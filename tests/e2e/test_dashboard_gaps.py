"""Staff follow the dashboard's gap list in a real browser: a chain's first needs, 查看全部, the paged rest."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.models import Chain, User
from tests.e2e.test_foundation_flow import Problems, sign_in


@pytest.mark.e2e
def test_staff_open_a_chains_whole_gap_list_and_page_through_it(
        page: Page, live_server: str, artifacts: Path, default_chains: list[Chain], make_user: Callable[..., User],
        make_posting: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from matchmaker.services.goals import funnel

    monkeypatch.setattr(funnel, "GAP_PAGE_SIZE", 5)
    chain = default_chains[0]
    titles = [f"第{i:02d}项无人应答的检测需求" for i in range(13)]
    for title in titles:
        make_posting("need", title=title, chain_id=chain.id)
    problems = Problems(page)
    sign_in(page, live_server, make_user("staff").username)
    page.goto(live_server + "/dashboard/")
    expect(page.locator(".gap-list li")).to_have_count(funnel.GAP_PREVIEW)
    page.get_by_role("link", name="查看全部 13 条").click()

    expect(page.locator("h1")).to_contain_text(chain.name)
    rows = page.locator("#gap-needs tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text(titles[0])
    page.screenshot(path=str(artifacts / "dashboard-gaps-page.png"), full_page=True)
    page.locator(".pagination").get_by_role("link", name="3", exact=True).click()
    expect(rows).to_have_count(3)
    expect(rows.last).to_contain_text(titles[-1])
    assert problems.seen == []


@pytest.mark.e2e
def test_staff_follow_a_match_figure_refresh_from_the_dashboard(
        page: Page, live_server: str, artifacts: Path, make_user: Callable[..., User],
        make_posting: Callable[..., Any]) -> None:
    from matchmaker.extensions import db
    from matchmaker.models import Job
    from matchmaker.models._base import utcnow
    from matchmaker.services.goals import match_stats

    staff = make_user("staff")
    make_posting("need", title="第一项无人应答的检测需求")
    # a refresh already on its way (another worker started it): the page shows it instead of starting one
    db.session.add(Job(id="a" * 32, kind=match_stats.JOB_KIND, owner_id=staff.id, params={}, status="running",
                       done=500, total=5000, beat_at=utcnow()))
    db.session.commit()
    problems = Problems(page)
    sign_in(page, live_server, staff.username)
    page.goto(live_server + "/dashboard/")
    freshness = page.locator("#match-freshness")
    expect(freshness).to_contain_text("正在首次计算")
    expect(freshness).to_contain_text("正在后台更新")
    freshness.get_by_role("link", name="查看进度").click()
    expect(page.locator("h1")).to_have_text("正在更新匹配数据")
    expect(page.locator("#job-count")).to_contain_text("500 / 5000")
    page.screenshot(path=str(artifacts / "dashboard-match-refresh.png"), full_page=True)

    db.session.execute(db.delete(Job))  # the refresh a view starts now runs inline (the test backend)
    db.session.commit()
    page.goto(live_server + "/dashboard/")
    expect(freshness).to_contain_text("匹配推荐与需求缺口更新于")
    expect(page.locator(".gap-list li")).to_contain_text(["第一项无人应答的检测需求"])
    assert problems.seen == []

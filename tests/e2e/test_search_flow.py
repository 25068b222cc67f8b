"""A visitor types the home box's own example into it and sees the matching result with its hits marked."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from playwright.sync_api import Page, expect


def test_home_box_finds_and_marks_the_seal(page: Page, live_server: str, make_posting: Callable[..., Any],
                                           artifacts: Path) -> None:
    seal = make_posting("result")  # 耐高温氟橡胶密封材料, published
    make_posting("result", title="退役磷酸铁锂电池黑粉选择性提锂技术",
                 summary="以选择性浸出工艺从退役磷酸铁锂电池黑粉中回收锂，回收率高。", keywords=["提锂"])
    page.goto(live_server + "/")
    box = page.get_by_role("searchbox", name="搜索")
    expect(box).to_have_attribute("placeholder", "搜索科技成果，例如：氟橡胶 密封")
    box.fill("氟橡胶 密封")
    box.press("Enter")
    expect(page).to_have_url(f"{live_server}/results/?q={quote_plus('氟橡胶 密封')}")
    hit = page.locator("#posting-list a.list-group-item")
    expect(hit).to_have_count(1)
    expect(hit.locator(".hit-title mark").first).to_have_text("氟橡胶")
    expect(hit.locator(".hit-title")).to_have_text("耐高温氟橡胶密封材料")
    expect(hit.locator(".hit-snippet mark").first).to_be_visible()
    expect(hit).to_have_attribute("href", f"/results/{seal.id}")
    page.screenshot(path=str(artifacts / "search-marked.png"), full_page=True)

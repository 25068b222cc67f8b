"""Two staff screens in a browser: naming an organization's manager on its 单位成员 page, and editing a chain's
firm vocabulary so that a search in a firm's words stops (and starts) finding the paper's term."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.models import Chain, Organization, User
from tests.e2e.test_foundation_flow import Problems, _sign_out, sign_in
from tests.services.matching.test_firm_vocabulary import OTHER_STORAGE_RESULTS, STORAGE_RESULT


@pytest.mark.e2e
def test_staff_name_a_manager_and_edit_the_firm_vocabulary(
        page: Page, live_server: str, artifacts: Path, default_chains: list[Chain], make_user: Callable[..., User],
        make_org: Callable[..., Organization], make_posting: Callable[..., Any]) -> None:
    problems = Problems(page)
    base = live_server
    org = make_org(kind="company", name="淄博华辰密封科技有限公司")
    member = make_user("company", org=org, display_name="李经理")
    staff = make_user("staff", display_name="科技局对接员")
    storage = next(c for c in default_chains if c.code == "storage")
    make_posting("result", chain_id=storage.id, **STORAGE_RESULT)
    for other in OTHER_STORAGE_RESULTS:
        make_posting("result", chain_id=storage.id, **other)

    sign_in(page, base, staff.username)
    page.goto(f"{base}/orgs/{org.id}")
    page.click("#org-members-link")
    row = page.locator(f"#member-{member.membership.id}")
    expect(row.locator(".member-role")).to_have_text("成员")
    row.locator(".name-manager").click()
    expect(page.locator(".alert-success")).to_contain_text("已处理")
    expect(row.locator(".member-role")).to_have_text("单位管理员")
    page.screenshot(path=str(artifacts / "org-members.png"), full_page=True)

    # 剩余电量 finds the 荷电状态 result through the shipped vocabulary ...
    page.goto(f"{base}/results/?q=剩余电量")
    expect(page.locator("#posting-list a").first).to_contain_text(STORAGE_RESULT["title"])
    # ... until staff take that line out on the chain page
    page.goto(f"{base}/chains/{storage.id}/edit")
    box = page.locator("#synonyms")
    kept = "\n".join(line for line in box.input_value().splitlines() if not line.startswith("剩余电量"))
    box.fill(kept)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("产业链已保存")
    page.goto(f"{base}/results/?q=剩余电量")
    expect(page.locator("main")).not_to_contain_text(STORAGE_RESULT["title"])
    # and a malformed line is refused with the line named, nothing saved
    page.goto(f"{base}/chains/{storage.id}/edit")
    page.locator("#synonyms").fill(kept + "\n剩余电量")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("main")).to_contain_text("格式不对")
    page.screenshot(path=str(artifacts / "chain-synonyms-error.png"), full_page=True)
    _sign_out(page)
    assert problems.seen == []

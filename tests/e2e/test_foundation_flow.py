"""A researcher posts a result, staff publish it, a visitor finds it: in a real browser, CSRF on."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from matchmaker.models import Chain, User
from tests.conftest import PASSWORD, valid_credit_code

TITLE = "耐高温氟橡胶密封材料"
PHONE_WIDTH = 390


class Problems:
    """Console errors and failed requests seen by a page."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("console", lambda m: self.seen.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.seen.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: self.seen.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def _failed(self, request: Any) -> None:
        # Leaving a page cancels its pending loads (the favicon, say): that is the test moving on, not a fault.
        if request.failure != "net::ERR_ABORTED":
            self.seen.append(f"request failed: {request.url} {request.failure}")


def open_menu(page: Page, toggle: Locator) -> None:
    """Open a navbar dropdown once the page's scripts have run: clicked earlier (a loaded machine parses the
    body before it runs Bootstrap), the toggle only follows its href="#"."""
    page.wait_for_load_state("load")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def _sign_out(page: Page) -> None:
    open_menu(page, page.locator("#nav .dropdown-toggle").last)  # the account menu, right-most
    page.get_by_role("button", name="退出登录").click()
    expect(page.locator(".alert-info")).to_contain_text("您已退出登录")


def _register(page: Page, base: str) -> None:
    page.goto(f"{base}/auth/register")
    page.fill("#username", "wang_lab")
    page.fill("#display_name", "王研究员")
    page.fill("#password", "Fluoro-Rubber-2030")
    page.fill("#confirm", "Fluoro-Rubber-2030")
    page.fill("#email", "wang@example.edu.cn")
    page.fill("#org_name", "淄博理工大学")
    page.select_option("#org_kind", "university")
    page.fill("#org_credit_code", valid_credit_code())
    expect(page.locator("#locality-hint")).to_contain_text("本地")  # shown while typing, before saving
    page.fill("#org_district", "张店区")
    page.click("#register-submit")
    expect(page.locator(".alert-success")).to_contain_text("注册成功")
    expect(page.locator(".alert-success")).to_contain_text("尚未通过科技局认证")


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    expect(page.locator(".alert-success")).to_contain_text("欢迎回来")


def _verify_organization(page: Page, base: str, staff: User, shots: Path) -> None:
    """A self-registered organization is pending until staff verify it in the queue."""
    sign_in(page, base, staff.username)
    open_menu(page, page.locator("#staff-menu .dropdown-toggle"))
    page.locator("#staff-menu").get_by_role("link", name="单位认证").click()
    row = page.locator("#verification-queue tr").filter(has_text="淄博理工大学")
    expect(row).to_contain_text("本地")
    page.screenshot(path=str(shots / "verification-queue.png"), full_page=True)
    row.get_by_role("button", name="认证通过").click()
    expect(page.locator(".alert-success")).to_contain_text("已处理")


def _post_result(page: Page, base: str) -> None:
    page.goto(f"{base}/results/new")
    page.fill("#title", TITLE)
    page.select_option("#chain_id", index=1)
    page.fill("#keywords", "氟橡胶、密封件")
    page.fill("#summary", "采用新型硫化体系制备的耐高温氟橡胶密封材料，可在二百五十摄氏度下长期使用，"
                          "适用于汽车发动机。")
    page.select_option("#trl", "6")
    page.select_option("#stage", "pilot")
    page.select_option("#ip_type", "invention")
    page.fill("#price_wan", "80")
    page.check("input[name=modes][value=license]")
    page.fill("#contact_name", "王工")
    page.fill("#contact_phone", "13812345678")
    page.fill("#contact_email", "wang@example.edu.cn")
    page.click("#submit_review")
    expect(page.locator("#posting-title")).to_have_text(TITLE)
    expect(page.locator(".badge").filter(has_text="待审核")).to_be_visible()


def _publish_as_staff(page: Page, base: str, staff: User, shots: Path) -> None:
    sign_in(page, base, staff.username)
    open_menu(page, page.locator("#staff-menu .dropdown-toggle"))
    page.locator("#staff-menu").get_by_role("link", name="审核", exact=True).click()
    row = page.locator("#queue-result tr").filter(has_text=TITLE)
    expect(row).to_be_visible()
    page.screenshot(path=str(shots / "review-queue.png"), full_page=True)
    page.goto(f"{base}/review/?lang=en")
    page.screenshot(path=str(shots / "review-queue-en.png"), full_page=True)
    page.goto(f"{base}/review/?lang=zh_Hans_CN")
    row.get_by_role("button", name="发布").click()
    expect(page.locator(".alert-success")).to_contain_text("已发布")
    expect(page.locator("#queue-result")).not_to_contain_text(TITLE)


def _no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"page is {width}px wide on a {PHONE_WIDTH}px screen"


@pytest.mark.e2e
def test_post_review_publish_find(page: Page, live_server: str, artifacts: Path, default_chains: list[Chain],
                                  make_user: Callable[..., User], browser: Any) -> None:
    problems = Problems(page)
    base = live_server
    page.goto(base + "/")
    page.screenshot(path=str(artifacts / "home-zh.png"), full_page=True)

    _register(page, base)
    _sign_out(page)
    staff = make_user("staff", display_name="科技局审核员")
    _verify_organization(page, base, staff, artifacts)
    _sign_out(page)

    sign_in(page, base, "wang_lab", "Fluoro-Rubber-2030")
    _post_result(page, base)
    _sign_out(page)

    _publish_as_staff(page, base, staff, artifacts)
    _sign_out(page)

    # An anonymous visitor searches from the home page and opens the result.
    page.goto(base + "/")
    page.fill("input[name=q]", "氟橡胶 密封材料")
    page.get_by_role("button", name="搜索成果").click()
    page.locator("#posting-list a", has_text=TITLE).first.click()
    expect(page.locator("#posting-title")).to_have_text(TITLE)
    expect(page.locator("#contact-phone")).to_have_text("138****5678")
    expect(page.locator("#contact")).not_to_contain_text("13812345678")
    page.screenshot(path=str(artifacts / "result-detail-zh.png"), full_page=True)

    # The same page in English.
    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".navbar-brand")).to_have_text("Tech-Transfer Matchmaking Platform")
    expect(page.locator("#contact")).to_contain_text("Contact")
    expect(page.locator("#contact-phone")).to_have_text("138****5678")
    expect(page.locator("#posting-title")).to_have_text(TITLE)
    page.screenshot(path=str(artifacts / "result-detail-en.png"), full_page=True)
    url = page.url

    # Phone width: nothing wider than the screen.
    phone = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 844})
    phone_problems = Problems(phone)
    for path, name in ((url, "result-detail-phone.png"), (base + "/?lang=zh_Hans_CN", "home-phone.png"),
                       (base + "/results/?q=氟橡胶", "results-phone.png")):
        phone.goto(path)
        phone.screenshot(path=str(artifacts / name), full_page=True)
        _no_horizontal_overflow(phone)
    phone.close()

    assert problems.seen == []
    assert phone_problems.seen == []

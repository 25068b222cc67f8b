"""我要对接 end to end in a browser: a company asks, staff approve, the researcher accepts, contacts are revealed to
the two of them, the intent shows on the dashboard, and each side is notified at each step."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.models import Chain, Organization, User
from matchmaker.services.mail import delivery
from tests.e2e.test_foundation_flow import Problems, _sign_out, sign_in

MESSAGE = "我公司生产汽车发动机密封件，希望以许可方式引进该耐高温氟橡胶材料，可提供中试产线和测试条件。"


def _bell(page: Page) -> Any:
    return page.locator("#unread-count")


@pytest.mark.e2e
def test_contact_request_loop(page: Page, live_server: str, artifacts: Path, default_chains: list[Chain],
                              make_user: Callable[..., User], make_org: Callable[..., Organization],
                              make_posting: Callable[..., Any], smtp_server: Any) -> None:
    problems = Problems(page)
    base = live_server
    researcher = make_user("researcher", display_name="王研究员")
    result = make_posting("result", owner=researcher)
    firm = make_org(kind="company", name="淄博华辰密封科技有限公司", contact_phone="13900001111")
    company = make_user("company", org=firm, display_name="李经理", email="li@huachen.example")
    staff = make_user("staff", display_name="科技局对接员")
    stranger = make_user("company", display_name="旁观企业")

    # The company presses 我要对接 on the published result.
    sign_in(page, base, company.username)
    page.goto(f"{base}/results/{result.id}")
    expect(page.locator("#contact-phone")).to_have_text("138****5678")
    expect(page.locator("#bureau-contact")).to_be_visible()
    page.click("#request-contact")
    page.click("#contact-submit")  # empty: a clear error, nothing saved
    expect(page.locator("#contact-form")).to_contain_text("此项为必填项")
    page.fill("#message", MESSAGE)
    page.select_option("#mode", "license")
    page.check("#accept_terms")
    page.click("#contact-submit")
    expect(page.locator("#request-status")).to_contain_text("待审核")
    page.screenshot(path=str(artifacts / "contact-submitted.png"), full_page=True)
    request_url = page.url
    _sign_out(page)

    # Staff see it in the bell and the pending queue, and approve it.
    sign_in(page, base, staff.username)
    expect(_bell(page)).to_have_text("1")
    page.click("#bell")
    expect(page.locator("#notification-list")).to_contain_text("提交了对接申请")
    page.click("#my-contacts")
    page.click("#pending-queue")
    page.locator("#contact-requests").get_by_role("link", name=result.title).click()
    page.click("#act-approve")
    expect(page.locator("#request-status")).to_contain_text("待对方答复")
    _sign_out(page)

    # A third organization cannot open the request.
    sign_in(page, base, stranger.username)
    response = page.goto(request_url)
    assert response is not None and response.status == 404
    problems.seen.clear()  # that 404 was the point
    _sign_out(page)

    # The researcher is told, opens 我的对接 and accepts.
    sign_in(page, base, researcher.username)
    expect(_bell(page)).to_have_text("1")
    page.click("#bell")
    expect(page.locator("#notification-list")).to_contain_text("希望与您就")
    page.locator("#notification-list").get_by_role("button", name="查看").first.click()
    expect(page.locator("#requester-contact")).not_to_contain_text("13900001111")
    page.click("#act-accept")
    expect(page.locator("#request-status")).to_contain_text("已对接")
    expect(page.locator("#requester-contact")).to_contain_text("13900001111")
    expect(page.locator("#requester-contact")).to_contain_text("li@huachen.example")
    expect(page.locator("#intent-ref")).to_be_visible()
    page.screenshot(path=str(artifacts / "contact-revealed.png"), full_page=True)
    _sign_out(page)

    # The company is told and now sees the full contact on the result itself; the stranger still does not.
    sign_in(page, base, company.username)
    expect(_bell(page)).to_have_text("2")
    page.click("#bell")
    expect(page.locator("#notification-list")).to_contain_text("双方联系方式已公开")
    page.goto(f"{base}/results/{result.id}")
    expect(page.locator("#contact-phone")).to_have_text("13812345678")
    _sign_out(page)
    sign_in(page, base, stranger.username)
    page.goto(f"{base}/results/{result.id}")
    expect(page.locator("#contact-phone")).to_have_text("138****5678")
    _sign_out(page)

    # The intent counts on the 三十三百 dashboard, with the result behind the figure.
    sign_in(page, base, staff.username)
    page.goto(f"{base}/dashboard/")
    expect(page.locator("[data-metric=intents] .metric-actual")).to_have_text("1")
    page.locator("[data-metric=intents] .metric-actual").click()
    expect(page.locator("main")).to_contain_text(result.title)
    page.screenshot(path=str(artifacts / "contact-intent-dashboard.png"), full_page=True)
    assert problems.seen == []

    # The company, who has a verified address, also had each decision by e-mail (sent by `flask send-mail`).
    report = delivery.send_due()
    assert report.configured and report.failed == report.retrying == 0 and report.sent >= 2
    to_company = [m for m in smtp_server.received if m.rcpt_tos == ["li@huachen.example"]]
    subjects = [str(m.message["Subject"]) for m in to_company]
    assert any("已通过审核" in s for s in subjects) and any("双方联系方式已公开" in s for s in subjects), subjects
    assert all("/contacts/" in m.text for m in to_company)

"""Every status button of an intent, clicked in a real browser with CSRF on, changes the status (issue 7, item 1)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from matchmaker.extensions import db
from matchmaker.models import Intent, Organization, User
from matchmaker.services import fields
from tests.conftest import PASSWORD

# Each path walks one intent through the buttons offered, one click per step.
PATHS = (("洽谈中", "已签约"), ("洽谈中", "已放弃"), ("已放弃",))


def _intent(result_id: int, company: Organization) -> Intent:
    day = fields.today() - timedelta(days=3)
    intent = Intent(result_id=result_id, company_id=company.id, logged_on=day, status="open", last_activity_on=day)
    db.session.add(intent)
    db.session.commit()
    return intent


@pytest.mark.e2e
def test_every_status_button_changes_the_status(page: Page, live_server: str, make_user: Callable[..., User],
                                                make_org: Callable[..., Organization],
                                                make_posting: Callable[..., Any]) -> None:
    staff = make_user("staff")
    result = make_posting("result")
    ids = [_intent(result.id, make_org(kind="company")).id for _ in PATHS]
    page.goto(f"{live_server}/auth/login")
    page.fill("#username", staff.username)
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    for intent_id, path in zip(ids, PATHS, strict=True):
        page.goto(f"{live_server}/deals/intents/{intent_id}")
        expect(page.locator("h1 .badge").first).to_have_text("新建")
        for label in path:
            page.get_by_role("button", name=f"改为“{label}”").click()
            expect(page.locator(".alert-success")).to_contain_text("状态已更新")
            expect(page.locator("h1 .badge").first).to_have_text(label)
        expect(page.locator("form[action$='/status'] button")).to_have_count(0)  # a final status offers none
    db.session.expire_all()
    assert [db.session.get(Intent, i).status for i in ids] == ["signed", "dropped", "dropped"]

"""Registrations over the API: the public event list, a participant registers, staff approve or decline, the
organization cancels, and the caller's schedule; refusals are JSON with stable codes and store nothing."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Invitation, Meeting, User
from matchmaker.services.events import events

EVENTS = "/api/v1/events"
BODY = {"attendees": ["张三", "李四"], "headcount": 2}


@pytest.fixture
def make_event(staff: User, default_chains: Any) -> Callable[..., Any]:
    def factory(**overrides: Any) -> Any:
        data = {"name": "公开对接会", "type": "matchmaking", "venue": "淄博市科技大厦",
                "starts_at": (datetime.now() + timedelta(days=10)).strftime("%Y-%m-%dT09:00"),
                "chain_ids": [default_chains[0].id], "is_public": True, **overrides}
        return events.create_event(data, staff)
    return factory


def registrations_count() -> int:
    return db.session.scalar(select(func.count(Invitation.id))) or 0


def test_public_list_needs_no_token_and_hides_private_and_cancelled(call: Any, make_event: Any, staff: User) -> None:
    shown = make_event(name="公开活动")
    make_event(name="内部活动", is_public=False)
    gone = make_event(name="取消活动")
    events.set_event_status(gone.id, "cancelled", staff)
    page = call("GET", f"{EVENTS}?public=1")
    assert page.status_code == 200
    assert [e["id"] for e in page.json["items"]] == [shown.id] and page.json["total"] == 1
    assert page.json["items"][0]["is_public"] is True
    assert call("GET", EVENTS).status_code in (401, 403)  # the full list stays staff-only


def test_register_approve_cancel_and_schedule(call: Any, bearer: Any, make_user: Any, make_event: Any,
                                              staff: User, make_posting: Any) -> None:
    event = make_event(requires_approval=True, capacity=1)
    firm, other = make_user("company"), make_user("company")
    made = call("POST", f"{EVENTS}/{event.id}/registrations", bearer(firm), json=BODY)
    assert made.status_code == 201, made.json
    assert made.json["status"] == "pending" and made.json["checkin_code"] is None
    assert made.json["attendees"] == ["张三", "李四"]
    waiting = call("POST", f"{EVENTS}/{event.id}/registrations", bearer(other), json=BODY).json

    refused = call("POST", f"/api/v1/registrations/{made.json['id']}/approve", bearer(firm))
    assert refused.status_code == 403
    approved = call("POST", f"/api/v1/registrations/{made.json['id']}/approve", bearer(staff))
    assert approved.status_code == 200 and approved.json["status"] == "registered"
    assert len(approved.json["checkin_code"]) == 11  # ABCDE-FGHJK
    second = call("POST", f"/api/v1/registrations/{waiting['id']}/approve", bearer(staff))
    assert second.json["status"] == "waitlisted"

    result = make_posting("result")
    events.add_to_lists(event.id, {"result_ids": [result.id]}, staff)
    db.session.add(Meeting(event_id=event.id, result_id=result.id, company_id=firm.org_id, slot=1, table_no=2))
    db.session.commit()
    mine = call("GET", "/api/v1/me/schedule", bearer(firm))
    assert mine.status_code == 200
    [item] = mine.json["items"]
    assert item["event"]["id"] == event.id and item["registration"]["status"] == "registered"
    assert [(m["table_no"], m["starts_at"][11:16]) for m in item["meetings"]] == [(2, "09:20")]
    assert call("GET", "/api/v1/me/schedule", bearer(other)).json["items"] == []

    # someone else's registration is not found; the owner cancels and the waiting one moves up
    assert call("POST", f"/api/v1/registrations/{made.json['id']}/cancel", bearer(other)).status_code == 404
    cancelled = call("POST", f"/api/v1/registrations/{made.json['id']}/cancel", bearer(firm))
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert db.session.get(Invitation, waiting["id"]).status == "registered"


def test_refusals_are_clear_and_store_nothing(call: Any, bearer: Any, make_user: Any, make_org: Any,
                                              make_event: Any, staff: User) -> None:
    event = make_event()
    firm = make_user("company")
    assert call("POST", f"{EVENTS}/{event.id}/registrations", bearer(firm), json=BODY).status_code == 201
    before = registrations_count()
    again = call("POST", f"{EVENTS}/{event.id}/registrations", bearer(make_user("company", org=firm.org)), json=BODY)
    assert again.status_code == 409 and again.json["code"] == "already_registered"
    unverified = make_user("company", org=make_org(kind="company", status="pending"))
    denied = call("POST", f"{EVENTS}/{event.id}/registrations", bearer(unverified), json=BODY)
    assert denied.status_code == 403 and denied.json["code"] == "org_not_verified"
    past = make_event(starts_at=(datetime.now() - timedelta(days=1)).strftime("%Y-%m-%dT09:00"))
    late = call("POST", f"{EVENTS}/{past.id}/registrations", bearer(make_user("company")), json=BODY)
    assert late.status_code == 409 and late.json["code"] == "event_past"
    bad = call("POST", f"{EVENTS}/{event.id}/registrations", bearer(make_user("company")),
               json={"attendees": [], "headcount": 0})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"attendees", "headcount"}
    assert call("POST", f"{EVENTS}/{event.id}/registrations", json=BODY).status_code == 401
    assert registrations_count() == before

"""Event pages for staff: list, form errors, detail, planning, check-in, agenda, print and Excel."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Chain, Event, EventResult, Invitation, Meeting, User
from tests.conftest import login


@pytest.fixture
def staff_client(client: FlaskClient, make_user: Callable[..., User]) -> FlaskClient:
    return login(client, make_user("staff"))


@pytest.fixture
def event(default_chains: list[Chain], make_posting: Callable[..., Any], make_user: Callable[..., User]) -> Event:
    """A planned event presenting one result, with one invited firm whose need matches it."""
    result = make_posting("result")
    firm = make_user("company")
    need = make_posting("need", owner=firm)
    row = Event(name="新材料成果对接会", type="matchmaking", starts_at=datetime(2025, 5, 20, 9), venue="科技大厦",
                chain_ids=[default_chains[0].id], slot_count=3, table_count=2, meeting_cap=2,
                presentations=[EventResult(result_id=result.id)], invitations=[Invitation(org_id=firm.org_id)])
    db.session.add(row)
    db.session.commit()
    row.need = need  # type: ignore[attr-defined]
    return row


def test_pages_render_for_staff(staff_client: FlaskClient, event: Event) -> None:
    for path in ("/events/", "/events/new", f"/events/{event.id}", f"/events/{event.id}/edit",
                 f"/events/{event.id}/plan?rq=氟橡胶&oq=测试", f"/events/{event.id}/checkin",
                 f"/events/{event.id}/agenda", f"/events/{event.id}/agenda/print"):
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert "新材料成果对接会" in response.get_data(as_text=True) or path == "/events/new"


def test_non_staff_are_refused(client: FlaskClient, make_user: Callable[..., User], event: Event) -> None:
    login(client, make_user("company"))
    assert client.get(f"/events/{event.id}").status_code == 403
    assert client.post(f"/events/{event.id}/checkin/{event.invitations[0].org_id}").status_code == 403


def test_create_event_form(staff_client: FlaskClient, default_chains: list[Chain]) -> None:
    data = {"name": "智能装备路演", "type": "roadshow", "starts_at": "2025-06-01T14:00", "venue": "高新区",
            "chain_ids": [str(default_chains[0].id)], "slot_minutes": "15", "slot_count": "6", "table_count": "4",
            "meeting_cap": "3"}
    response = staff_client.post("/events/new", data=data)
    assert response.status_code == 302
    assert db.session.scalars(select(Event)).one().slot_minutes == 15


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "", "此项为必填项"), ("starts_at", "下周", "时间格式"), ("chain_ids", [], "请至少选择一项"),
    ("table_count", "0", "应在 1 到 200 之间"),
])
def test_event_form_errors_store_nothing(staff_client: FlaskClient, default_chains: list[Chain], field: str,
                                         value: Any, message: str) -> None:
    data = {"name": "智能装备路演", "type": "roadshow", "starts_at": "2025-06-01T14:00",
            "chain_ids": [str(default_chains[0].id)], "slot_minutes": "15", "slot_count": "6", "table_count": "4",
            "meeting_cap": "3", field: value}
    response = staff_client.post("/events/new", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Event.id))) == 0


def test_check_in_flips_status(staff_client: FlaskClient, event: Event) -> None:
    org_id = event.invitations[0].org_id
    page = staff_client.get(f"/events/{event.id}/checkin").get_data(as_text=True)
    assert f'action="/events/{event.id}/checkin/{org_id}"' in page and "btn-lg" in page
    response = staff_client.post(f"/events/{event.id}/checkin/{org_id}")
    assert response.status_code == 302
    invitation = db.session.get(Invitation, event.invitations[0].id)
    db.session.refresh(invitation)
    assert invitation.status == "attended" and invitation.checked_in_at is not None
    page = staff_client.get(f"/events/{event.id}/checkin").get_data(as_text=True)
    assert "已签到 1 / 1 家" in page


def test_status_buttons(staff_client: FlaskClient, event: Event) -> None:
    staff_client.post(f"/events/{event.id}/status", data={"status": "held"})
    db.session.refresh(event)
    assert event.status == "held"
    response = staff_client.post(f"/events/{event.id}/status", data={"status": "planned"}, follow_redirects=True)
    assert "不能从" in response.get_data(as_text=True)


def test_plan_accept_and_agenda_build(staff_client: FlaskClient, event: Event, make_posting: Callable[..., Any]
                                      ) -> None:
    extra = make_posting("result")
    page = staff_client.get(f"/events/{event.id}/plan").get_data(as_text=True)
    assert "推荐展示的成果" in page and 'name="org_ids"' in page
    staff_client.post(f"/events/{event.id}/lists", data={"result_ids": [str(extra.id)]})
    db.session.refresh(event)
    assert {p.result_id for p in event.presentations} >= {extra.id}
    response = staff_client.post(f"/events/{event.id}/agenda/build", data={"mode": "discard"},
                                 follow_redirects=True)
    assert "日程已生成" in response.get_data(as_text=True)
    meetings = list(db.session.scalars(select(Meeting)))
    assert meetings and all(m.company_id == event.invitations[0].org_id for m in meetings)
    xlsx = staff_client.get(f"/events/{event.id}/agenda.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    printed = staff_client.get(f"/events/{event.id}/agenda/print").get_data(as_text=True)
    assert printed.count("page-break") >= 2 and "第 1 桌" in printed


def test_conflicting_move_shows_the_reason(staff_client: FlaskClient, event: Event) -> None:
    firm = event.invitations[0].org_id
    result_id = event.presentations[0].result_id
    a = Meeting(event_id=event.id, result_id=result_id, company_id=firm, slot=0, table_no=1, score=0.4)
    b = Meeting(event_id=event.id, result_id=result_id, company_id=firm, slot=1, table_no=1, score=0.3)
    db.session.add_all([a, b])
    db.session.commit()
    response = staff_client.post(f"/events/meetings/{b.id}/move", data={"slot": "0", "table_no": "1"},
                                 follow_redirects=True)
    assert "第 1 桌在 09:00 已有洽谈" in response.get_data(as_text=True)
    db.session.refresh(b)
    assert (b.slot, b.table_no) == (1, 1)


def test_intent_outcome_redirects_to_a_prefilled_form(staff_client: FlaskClient, event: Event) -> None:
    m = Meeting(event_id=event.id, result_id=event.presentations[0].result_id, need_id=event.need.id,  # type: ignore[attr-defined]
                company_id=event.invitations[0].org_id, slot=0, table_no=1)
    db.session.add(m)
    db.session.commit()
    response = staff_client.post(f"/events/meetings/{m.id}/outcome", data={"outcome": "intent"})
    assert response.status_code == 302 and f"/deals/intents/new?meeting_id={m.id}" in response.headers["Location"]
    form = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'value="{m.id}"' in form and "已自动填入" in form

"""约见 pages: a registered firm asks from the event's 约见 page, the result owner answers in its inbox, both
record outcomes after the event, staff see the meetings left blank. Buttons follow actions_for."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Intent, Meeting, MeetingRequest, User
from tests.services.events.test_meeting_requests import Cast, cast  # noqa: F401 - the shared event fixture
from tests.web.support import sign_in


def test_firm_asks_and_owner_accepts(client: FlaskClient, cast: Cast) -> None:  # noqa: F811
    cast.event.is_public = True
    db.session.commit()
    page = sign_in(client, cast.firms[0]).get(f"/activities/{cast.event.id}/meet").get_data(as_text=True)
    assert page.count("发送约见") == len(cast.results) + 5  # three results; three universities, two other firms
    response = client.post(f"/activities/{cast.event.id}/meet",
                           data={"result_id": str(cast.results[0].id), "message": "想了解中试条件"})
    assert response.status_code == 302
    req = db.session.scalars(select(MeetingRequest)).one()
    assert req.from_user_id == cast.firms[0].id
    page = client.get(f"/activities/{cast.event.id}/meet").get_data(as_text=True)
    assert "已约见" in page
    sent = client.get("/meeting-requests?box=sent").get_data(as_text=True)
    assert "想了解中试条件" in sent and "act-withdraw" in sent and "act-accept" not in sent

    inbox = sign_in(client, cast.researchers[0]).get("/meeting-requests").get_data(as_text=True)
    assert "act-accept" in inbox and "act-decline" in inbox and "act-withdraw" not in inbox
    assert client.post(f"/meeting-requests/{req.id}/accept").status_code == 302
    db.session.refresh(req)
    assert req.status == "accepted"
    assert "已约定" in client.get("/meeting-requests").get_data(as_text=True)


def test_a_bad_request_shows_the_reason_and_writes_nothing(client: FlaskClient, cast: Cast) -> None:  # noqa: F811
    cast.event.is_public = True
    db.session.commit()
    sign_in(client, cast.firms[0])
    response = client.post(f"/activities/{cast.event.id}/meet", data={"result_id": str(cast.results[0].id),
                                                                      "message": ""}, follow_redirects=True)
    assert "此项为必填项" in response.get_data(as_text=True)
    page = sign_in(client, cast.outsider).get(f"/activities/{cast.event.id}/meet").get_data(as_text=True)
    assert "报名参加本次活动后才能约见" in page and "发送约见" not in page
    response = client.post(f"/activities/{cast.event.id}/meet", data={"result_id": str(cast.results[0].id),
                                                                      "message": "你好"}, follow_redirects=True)
    assert "报名参加本次活动后才能约见" in response.get_data(as_text=True)
    assert db.session.scalars(select(MeetingRequest)).all() == []


def test_a_private_event_is_not_found_for_outsiders(client: FlaskClient, cast: Cast,  # noqa: F811
                                                   make_user: Callable[..., User]) -> None:
    assert sign_in(client, make_user("company")).get(f"/activities/{cast.event.id}/meet").status_code == 404
    assert sign_in(client, None).get(f"/activities/{cast.event.id}/meet").status_code == 404


def test_outcomes_after_the_event_and_the_staff_list(client: FlaskClient, cast: Cast) -> None:  # noqa: F811
    staff = cast.staff
    cast.event.starts_at, cast.event.status = datetime(2020, 3, 1, 9), "held"
    meeting = Meeting(event_id=cast.event.id, result_id=cast.results[0].id, company_id=cast.firms[0].org_id, slot=1,
                      table_no=2)
    db.session.add(meeting)
    db.session.commit()
    missing = sign_in(client, staff).get("/meeting-outcomes/missing").get_data(as_text=True)
    assert cast.firms[0].org.name in missing
    page = sign_in(client, cast.firms[0]).get(f"/activities/{cast.event.id}/outcomes").get_data(as_text=True)
    assert "09:20" in page and "第 2 桌" in page and 'name="outcome"' in page
    response = client.post(f"/activities/meetings/{meeting.id}/outcome", data={"outcome": "intent"})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.outcome == "intent" and db.session.scalars(select(Intent)).one().source == "meeting"
    assert cast.firms[0].org.name not in sign_in(client, staff).get("/meeting-outcomes/missing").get_data(
        as_text=True)
    # someone else's meeting: refused, nothing changes
    other = sign_in(client, cast.firms[1]).post(f"/activities/meetings/{meeting.id}/outcome",
                                                data={"outcome": "no_interest", "event_id": str(cast.event.id)},
                                                follow_redirects=True)
    assert "找不到该洽谈" in other.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.outcome == "intent"


def test_pages_in_english(client: FlaskClient, cast: Cast) -> None:  # noqa: F811
    sign_in(client, cast.firms[0])
    page = client.get(f"/activities/{cast.event.id}/meet?lang=en").get_data(as_text=True)
    assert "Request a meeting" in page or "Send" in page
    assert "约见" not in page.split("<main", 1)[-1]
    inbox = client.get("/meeting-requests?lang=en").get_data(as_text=True)
    assert "My meeting requests" in inbox

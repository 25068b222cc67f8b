"""Participant pages: public events for everyone (public ones only), registration through the form, nobody sees
another organization's registration, the invitation e-mail link, the staff phone page and the door page, .ics."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Chain, Event, Invitation, Meeting, Notification, User
from matchmaker.services import fields
from matchmaker.services.events import events, registrations, schedule
from tests.conftest import login

DETAILS = {"attendees": "张三\n李四", "headcount": "2"}


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MATCH_INDEX_ENABLED": False}


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


@pytest.fixture
def make_event(staff: User, default_chains: list[Chain]) -> Callable[..., Event]:
    def factory(**overrides: Any) -> Event:
        data = {"name": "新材料成果对接会", "type": "matchmaking", "venue": "淄博市科技大厦",
                "starts_at": (datetime.now() + timedelta(days=10)).strftime("%Y-%m-%dT09:00"),
                "chain_ids": [default_chains[0].id], "is_public": "1", **overrides}
        return events.create_event(data, staff)
    return factory


def test_anonymous_sees_public_events_only(client: FlaskClient, make_event: Callable[..., Event],
                                           staff: User) -> None:
    shown, hidden, gone = make_event(name="公开的对接会"), make_event(name="内部对接会", is_public=""), \
        make_event(name="取消的对接会")
    events.set_event_status(gone.id, "cancelled", staff)
    home = client.get("/").get_data(as_text=True)
    assert "公开的对接会" in home and "内部对接会" not in home and "取消的对接会" not in home
    listing = client.get("/activities/").get_data(as_text=True)
    assert "公开的对接会" in listing and "内部对接会" not in listing and "取消的对接会" not in listing
    page = client.get(f"/activities/{shown.id}")
    assert page.status_code == 200 and "登录报名" in page.get_data(as_text=True)
    assert client.get(f"/activities/{hidden.id}").status_code == 404
    assert client.get(f"/activities/{gone.id}").status_code == 404


def test_register_through_the_form_shows_the_qr(client: FlaskClient, make_event: Callable[..., Event],
                                                make_user: Callable[..., User]) -> None:
    event, firm = make_event(), make_user("company")
    login(client, firm)
    page = client.get(f"/activities/{event.id}").get_data(as_text=True)
    assert 'id="registration-form"' in page
    bad = client.post(f"/activities/{event.id}/register", data={"attendees": "", "headcount": "x"})
    assert bad.status_code == 200 and "此项为必填项" in bad.get_data(as_text=True)
    assert registrations.registration_of(event, firm.org_id) is None
    done = client.post(f"/activities/{event.id}/register", data=DETAILS)
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/activities/{event.id}/mine")
    mine = client.get(f"/activities/{event.id}/mine").get_data(as_text=True)
    row = registrations.registration_of(event, firm.org_id)
    assert row is not None and row.status == "registered"
    assert 'id="checkin-qr"' in mine and "<svg" in mine and schedule.show_code(row.checkin_code) in mine
    again = client.post(f"/activities/{event.id}/register", data=DETAILS, follow_redirects=True)
    assert "不能重复报名" in again.get_data(as_text=True)
    listing = client.get("/activities/mine").get_data(as_text=True)
    assert event.name in listing


def test_unverified_org_sees_why_and_cannot_register(client: FlaskClient, make_event: Callable[..., Event],
                                                     make_user: Callable[..., User], make_org: Any) -> None:
    event = make_event()
    user = make_user("company", org=make_org(kind="company", status="pending"))
    login(client, user)
    page = client.get(f"/activities/{event.id}").get_data(as_text=True)
    assert 'id="registration-problem"' in page and 'id="registration-form"' not in page
    refused = client.post(f"/activities/{event.id}/register", data=DETAILS, follow_redirects=True)
    assert "尚未通过科技局认证" in refused.get_data(as_text=True)
    assert registrations.registration_of(event, user.org_id) is None


def test_nobody_sees_another_organizations_registration(client: FlaskClient, make_event: Callable[..., Event],
                                                        make_user: Callable[..., User]) -> None:
    event = make_event()
    firm, other = make_user("company"), make_user("company")
    row = registrations.register(event.id, {"attendees": "王秘密", "headcount": "1"}, firm)
    login(client, other)
    assert client.get(f"/activities/{event.id}/mine").status_code == 404
    assert client.get(f"/activities/{event.id}/mine/schedule.ics").status_code == 404
    page = client.get(f"/activities/{event.id}").get_data(as_text=True)
    assert "王秘密" not in page and (row.checkin_code or "") not in page
    assert client.post(f"/activities/registrations/{row.id}/cancel").status_code == 404
    assert row.status == "registered"
    # staff see it on the staff event page
    client.get("/auth/logout")
    login(client, db.session.scalar(select(User).where(User.role == "staff")))
    staff_page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "王秘密" in staff_page and f'id="registration-{row.id}"' in staff_page


def test_staff_approve_and_decline_from_the_event_page(client: FlaskClient, make_event: Callable[..., Event],
                                                       make_user: Callable[..., User], staff: User) -> None:
    event = make_event(requires_approval="1")
    a, b = make_user("company"), make_user("company")
    row_a = registrations.register(event.id, DETAILS, a)
    row_b = registrations.register(event.id, DETAILS, b)
    login(client, staff)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'action="/events/registrations/{row_a.id}/approve"' in page
    client.post(f"/events/registrations/{row_a.id}/approve")
    client.post(f"/events/registrations/{row_b.id}/decline")
    assert (row_a.status, row_b.status) == ("registered", "rejected")
    subjects = set(db.session.scalars(select(Notification.subject).where(Notification.recipient_id == b.id)))
    assert "event_rejected" in subjects


def test_invitation_email_link_accepts_without_sign_in(client: FlaskClient, make_event: Callable[..., Event],
                                                       make_user: Callable[..., User], staff: User) -> None:
    event, firm = make_event(is_public=""), make_user("company")
    events.add_to_lists(event.id, {"org_ids": [firm.org_id]}, staff)
    note = db.session.scalar(select(Notification).where(Notification.recipient_id == firm.id))
    assert note is not None
    link = note.link
    page = client.get(link)
    assert page.status_code == 200 and "接受邀请" in page.get_data(as_text=True)
    assert client.get(link[:-4] + "abcd").status_code == 400
    done = client.post(link, data={**DETAILS, "answer": "accept"}, follow_redirects=True)
    assert 'id="checkin-qr"' in done.get_data(as_text=True)
    row = registrations.registration_of(event, firm.org_id)
    assert row is not None and row.status == "registered"


def test_phone_page_checks_in_by_typed_code_and_adds_walk_in(client: FlaskClient, make_event: Callable[..., Event],
                                                             make_user: Callable[..., User], make_org: Any,
                                                             staff: User) -> None:
    event, firm = make_event(), make_user("company")
    row = registrations.register(event.id, DETAILS, firm)
    login(client, staff)
    page = client.get(f"/events/{event.id}/scan").get_data(as_text=True)
    assert 'id="scan-form"' in page and "js/scan.js" in page
    wrong = client.post(f"/events/{event.id}/scan", data={"code": "NOPE"}, follow_redirects=True)
    assert "签到码无效" in wrong.get_data(as_text=True) and row.status == "registered"
    typed = schedule.show_code(row.checkin_code).lower()
    done = client.post(f"/events/{event.id}/scan", data={"code": typed}, follow_redirects=True)
    assert "已签到" in done.get_data(as_text=True) and row.status == "attended"
    walk_in = make_org(kind="company", name="现场来访企业")
    found = client.get(f"/events/{event.id}/scan?oq=现场来访企业").get_data(as_text=True)
    assert f"org_id={walk_in.id}" in found or "现场来访企业" in found
    client.post(f"/events/{event.id}/walk-in?org_id={walk_in.id}")
    added = db.session.scalar(select(Invitation).where(Invitation.event_id == event.id,
                                                        Invitation.org_id == walk_in.id))
    assert added is not None and added.status == "attended"


@time_machine.travel(datetime.fromisoformat("2026-12-03T10:00:00+08:00"))  # the event must start the same local day
def test_door_page_self_check_in_on_the_day(client: FlaskClient, make_event: Callable[..., Event],
                                            make_user: Callable[..., User]) -> None:
    soon = (fields.now().replace(tzinfo=None) + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    event, firm = make_event(starts_at=soon), make_user("company")
    row = registrations.register(event.id, DETAILS, firm)
    page = client.get(f"/activities/{event.id}/door").get_data(as_text=True)
    assert 'id="door-form"' in page
    client.post(f"/activities/{event.id}/door", data={"code": "AAAAAAAAAA"})
    assert row.status == "registered"
    done = client.post(f"/activities/{event.id}/door", data={"code": row.checkin_code}, follow_redirects=True)
    assert "签到成功" in done.get_data(as_text=True) and row.status == "attended"


def test_schedule_print_and_ics(client: FlaskClient, make_event: Callable[..., Event],
                                make_user: Callable[..., User], make_posting: Any, staff: User) -> None:
    event, firm = make_event(), make_user("company")
    result = make_posting("result", title="耐高温氟橡胶密封材料")
    events.add_to_lists(event.id, {"result_ids": [result.id]}, staff)
    registrations.register(event.id, DETAILS, firm)
    db.session.add(Meeting(event_id=event.id, result_id=result.id, company_id=firm.org_id, slot=1, table_no=4))
    db.session.commit()
    login(client, firm)
    printed = client.get(f"/activities/{event.id}/mine/print").get_data(as_text=True)
    assert "第 4 桌" in printed and "09:20" in printed and "耐高温氟橡胶密封材料" in printed
    ics = client.get(f"/activities/{event.id}/mine/schedule.ics")
    assert ics.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(ics.get_data())
    summaries = [str(c["SUMMARY"]) for c in calendar.walk("VEVENT")]
    assert summaries == [event.name, f"{event.name}: {result.org.name}"]

"""Registration for events: capacity and waiting list, approval, refusals that write nothing, invitations answered
(also by the signed e-mail link), check-in by code, walk-ins, reminders once, the .ics and the QR code."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest
import time_machine
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Chain, Event, Invitation, Meeting, Notification, OutgoingMail, User
from matchmaker.services import fields
from matchmaker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.services.events import checkin, events, registrations, reminders, schedule
from tests.services.events.test_events import event_data

DETAILS = {"attendees": "张三（总工）\n李四", "headcount": "2"}


def future(days: int = 10) -> str:
    return (datetime.now() + timedelta(days=days)).strftime("%Y-%m-%dT09:00")


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


@pytest.fixture
def make_event(staff: User, default_chains: list[Chain]) -> Callable[..., Event]:
    def factory(**overrides: Any) -> Event:
        data = event_data(default_chains, starts_at=future(), is_public="1", capacity="")
        data.update(overrides)
        return events.create_event(data, staff)
    return factory


@pytest.fixture
def firm(make_user: Callable[..., User]) -> Callable[..., User]:
    def factory(**overrides: Any) -> User:
        return make_user("company", email=f"firm{datetime.now().timestamp()}@example.com", **overrides)
    return factory


def rows(event: Event) -> int:
    return db.session.scalar(select(func.count(Invitation.id)).where(Invitation.event_id == event.id)) or 0


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id))) or 0


def test_register_takes_a_place_with_code_notification_and_confirmation_mail(make_event, firm) -> None:
    event, user = make_event(), firm()
    row = registrations.register(event.id, DETAILS, user)
    assert row.status == "registered" and row.org_id == user.org_id
    assert row.attendees == "张三（总工）\n李四" and row.headcount == 2
    assert row.checkin_code and len(row.checkin_code) == 10
    assert registrations.is_participant(event, user.org_id)
    assert user.org_id in registrations.participant_orgs(event)
    note = db.session.scalar(select(Notification).where(Notification.recipient_id == user.id))
    assert note is not None and note.subject == "event_registered"
    mail = db.session.scalar(select(OutgoingMail).where(OutgoingMail.template == "event_confirmation"))
    assert mail is not None and schedule.show_code(row.checkin_code) in mail.text
    assert "data:image/png;base64," in mail.html
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.entity_type == "invitation")) \
        == "register_event"


def test_capacity_waiting_list_and_promotion_in_order(make_event, firm) -> None:
    event = make_event(capacity="2")
    first, second, third, fourth = firm(), firm(), firm(), firm()
    assert registrations.register(event.id, DETAILS, first).status == "registered"
    assert registrations.register(event.id, DETAILS, second).status == "registered"
    waiting_a = registrations.register(event.id, DETAILS, third)
    waiting_b = registrations.register(event.id, DETAILS, fourth)
    assert (waiting_a.status, waiting_b.status) == ("waitlisted", "waitlisted")
    assert registrations.places_left(event) == 0
    placed = registrations.registration_of(event, first.org_id)
    assert placed is not None
    registrations.cancel(placed.id, first)
    assert placed.status == "cancelled"
    assert waiting_a.status == "registered" and waiting_b.status == "waitlisted"  # the earliest goes first
    promoted = db.session.scalars(select(Notification.subject).where(Notification.recipient_id == third.id))
    assert "event_promoted" in list(promoted)
    # a staff decline of a place frees it too
    staff_user = db.session.scalar(select(User).where(User.role == "staff"))
    registrations.decline(waiting_a.id, staff_user)
    assert waiting_a.status == "rejected" and waiting_b.status == "registered"


def test_approval_flow(make_event, firm, staff) -> None:
    event = make_event(requires_approval="1", capacity="1")
    a, b = firm(), firm()
    row_a = registrations.register(event.id, DETAILS, a)
    row_b = registrations.register(event.id, DETAILS, b)
    assert (row_a.status, row_b.status) == ("pending", "pending")
    assert row_a.checkin_code  # exists, but is shown only once the place is confirmed
    staff_notes = list(db.session.scalars(select(Notification.subject).where(Notification.recipient_id == staff.id)))
    assert staff_notes.count("event_registration_pending") == 2
    with pytest.raises(PermissionDenied):
        registrations.approve(row_a.id, a)
    assert registrations.approve(row_a.id, staff).status == "registered"
    assert registrations.approve(row_b.id, staff).status == "waitlisted"  # full: approved onto the list
    with pytest.raises(Conflict):
        registrations.approve(row_a.id, staff)
    registrations.cancel(row_a.id, a)
    assert row_b.status == "registered"
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "invitation")
                                      .order_by(AuditEntry.id)))
    assert actions == ["register_event", "register_event", "approve_registration", "approve_registration",
                       "cancel_registration", "promote_registration"]


def test_second_registration_refused_and_nothing_written(make_event, firm, make_user) -> None:
    event, user = make_event(), firm()
    registrations.register(event.id, DETAILS, user)
    colleague = make_user("company", org=user.org)
    before = (rows(event), audit_count())
    with pytest.raises(Conflict) as caught:
        registrations.register(event.id, DETAILS, colleague)
    assert caught.value.code == "already_registered" and "不能重复报名" in str(caught.value.message)
    db.session.rollback()
    assert (rows(event), audit_count()) == before


@pytest.mark.parametrize("case", ["cancelled", "past"])
def test_cancelled_or_past_event_refused(make_event, firm, staff, case) -> None:
    event = make_event(starts_at=future(-2)) if case == "past" else make_event()
    if case == "cancelled":
        events.set_event_status(event.id, "cancelled", staff)
    user = firm()
    before = (rows(event), audit_count())
    with pytest.raises(Conflict) as caught:
        registrations.register(event.id, DETAILS, user)
    assert caught.value.code == ("event_cancelled" if case == "cancelled" else "event_past")
    db.session.rollback()
    assert (rows(event), audit_count()) == before


def test_unverified_org_and_non_member_refused(make_event, make_user, make_org) -> None:
    event = make_event()
    unverified = make_user("company", org=make_org(kind="company", status="pending"))
    non_member = make_user("company", membership="pending")
    before = (rows(event), audit_count())
    with pytest.raises(PermissionDenied) as caught:
        registrations.register(event.id, DETAILS, unverified)
    assert "尚未通过科技局认证" in str(caught.value.message)
    with pytest.raises(PermissionDenied) as caught:
        registrations.register(event.id, DETAILS, non_member)
    assert "尚未获批准" in str(caught.value.message)
    with pytest.raises(PermissionDenied):
        registrations.register(event.id, DETAILS, None)
    db.session.rollback()
    assert (rows(event), audit_count()) == before


def test_bad_details_and_interests_refused(make_event, firm, make_posting) -> None:
    event, user = make_event(), firm()
    other = make_posting("result")
    with pytest.raises(ValidationFailed) as caught:
        registrations.register(event.id, {"attendees": "", "headcount": "0", "interest_result_ids": [other.id]},
                               user)
    assert set(caught.value.errors) == {"attendees", "headcount", "interest_result_ids"}
    db.session.rollback()
    assert rows(event) == 0


def test_non_public_event_not_found_unless_invited(make_event, firm, staff) -> None:
    event = make_event(is_public="")
    stranger, guest = firm(), firm()
    with pytest.raises(NotFound):
        registrations.register(event.id, DETAILS, stranger)
    with pytest.raises(NotFound):
        registrations.get_public_event(event.id, stranger)
    events.add_to_lists(event.id, {"org_ids": [guest.org_id]}, staff)
    assert registrations.get_public_event(event.id, guest) is event
    assert registrations.register(event.id, DETAILS, guest).status == "registered"


def test_invited_org_accepts_without_approval_or_declines(make_event, firm, staff) -> None:
    event = make_event(requires_approval="1")
    yes, no = firm(), firm()
    events.add_to_lists(event.id, {"org_ids": [yes.org_id, no.org_id]}, staff)
    assert registrations.register(event.id, DETAILS, yes).status == "registered"
    row = registrations.decline_invitation(event.id, no)
    assert row.status == "declined" and row.answered_at is not None
    with pytest.raises(NotFound):
        registrations.decline_invitation(event.id, no)


def test_signed_link_answers_only_its_own_invitation(make_event, firm, staff) -> None:
    event = make_event()
    a, b = firm(), firm()
    events.add_to_lists(event.id, {"org_ids": [a.org_id, b.org_id]}, staff)
    note = db.session.scalar(select(Notification).where(Notification.recipient_id == a.id))
    assert note is not None and note.link.startswith("/activities/invitation/")
    token = note.link.rsplit("/", 1)[1]
    row = registrations.answer_by_token(token, "accept", DETAILS)
    assert row.org_id == a.org_id and row.status == "registered"
    other = registrations.registration_of(event, b.org_id)
    assert other is not None and other.status == "invited"
    with pytest.raises(Conflict):
        registrations.answer_by_token(token, "decline", {})
    with pytest.raises(registrations.AnswerLinkInvalid):
        registrations.answer_by_token(token[:-3] + "abc", "decline", {})


@time_machine.travel(datetime.fromisoformat("2026-12-03T10:00:00+08:00"))  # the event must start the same local day
def test_check_in_by_code_self_check_in_and_walk_in(make_event, firm, staff, make_org) -> None:
    today = fields.now().replace(tzinfo=None) + timedelta(minutes=30)
    event = make_event(starts_at=today.strftime("%Y-%m-%dT%H:%M"))
    a, b = firm(), firm()
    row_a = registrations.register(event.id, DETAILS, a)
    row_b = registrations.register(event.id, DETAILS, b)
    assert checkin.check_in_by_code(event.id, schedule.show_code(row_a.checkin_code).lower(), staff).status \
        == "attended"
    assert row_a.checked_in_at is not None
    with pytest.raises(NotFound):
        checkin.self_check_in(event.id, "WRONGCODE2")
    assert checkin.self_check_in(event.id, row_b.checkin_code or "").status == "attended"
    with pytest.raises(PermissionDenied):
        checkin.check_in_by_code(event.id, row_a.checkin_code or "", a)
    walk_in_org = make_org(kind="company")
    row = checkin.add_walk_in(event.id, walk_in_org.id, staff)
    assert row.status == "attended" and row.checked_in_at is not None
    assert "walk_in" in db.session.scalars(select(AuditEntry.action)).all()


def test_self_check_in_only_on_the_day(make_event, firm) -> None:
    event, user = make_event(), firm()
    row = registrations.register(event.id, DETAILS, user)
    with pytest.raises(Conflict) as caught:
        checkin.self_check_in(event.id, row.checkin_code or "")
    assert caught.value.code == "door_closed"


def test_reminders_go_once(app, make_event, firm, staff) -> None:
    app.config.update(EVENT_REMINDER_DAYS=1, EVENT_INVITATION_REMINDER_DAYS=3)
    event = make_event(starts_at=future(5))
    user, invited = firm(), firm()
    row = registrations.register(event.id, DETAILS, user)
    events.add_to_lists(event.id, {"org_ids": [invited.org_id]}, staff)
    assert reminders.send_reminders() == reminders.ReminderRun(0, 0)  # 5 days ahead, invitation fresh
    # the event's own clock is the bureau's zone; the machine's may differ (CI once ran at 23:00 UTC)
    day_before = event.starts_at.replace(tzinfo=fields.local_tz()) - timedelta(hours=20)
    with time_machine.travel(day_before, tick=False):
        first = reminders.send_reminders()
        second = reminders.send_reminders()
    assert first == reminders.ReminderRun(1, 1) and second == reminders.ReminderRun(0, 0)
    assert row.reminded_at is not None
    mails = list(db.session.scalars(select(OutgoingMail.template).where(OutgoingMail.user_id == user.id)))
    assert mails.count("event_reminder") == 1
    subjects = list(db.session.scalars(select(Notification.subject).where(Notification.recipient_id == invited.id)))
    assert subjects.count("event_invitation_reminder") == 1


def test_ics_parses_with_event_and_meetings(make_event, firm, make_posting, staff) -> None:
    event = make_event(venue="淄博市科技大厦, 3楼; A厅")
    user = firm()
    result = make_posting("result")
    events.add_to_lists(event.id, {"result_ids": [result.id]}, staff)
    registrations.register(event.id, DETAILS, user)
    db.session.add(Meeting(event_id=event.id, result_id=result.id, company_id=user.org_id, slot=2, table_no=3))
    db.session.commit()
    part = registrations.my_event(event.id, user)
    assert [(m.table_no, m.starts_at) for m in part.meetings] == [(3, event.starts_at + timedelta(minutes=40))]
    text = schedule.schedule_ics(event, part.org_id, part.meetings)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(text)
    vevents = [c for c in calendar.walk("VEVENT")]
    assert len(vevents) == 2
    assert str(vevents[0]["LOCATION"]) == "淄博市科技大厦, 3楼; A厅"
    start = vevents[1].decoded("DTSTART")
    local = (event.starts_at + timedelta(minutes=40)).replace(tzinfo=fields.local_tz())
    assert start == local
    # the presenting organization sees the same meeting, without having registered
    owner = db.session.get(User, result.owner_id)
    assert [m.other_party for m in registrations.my_event(event.id, owner).meetings] == [user.org.name]


def test_qr_svg_encodes_the_code() -> None:
    svg = schedule.qr_svg("ABCDE23456")
    assert svg.startswith("<svg") and "path" in svg
    assert schedule.normalize_code(" abcde-23456 ") == "ABCDE23456"


def test_public_list_hides_cancelled_and_private(make_event, staff) -> None:
    shown = make_event(name="公开活动一")
    make_event(name="内部活动", is_public="")
    gone = make_event(name="已取消活动")
    events.set_event_status(gone.id, "cancelled", staff)
    listed, total = registrations.public_events(1, 10)
    assert [e.id for e in listed] == [shown.id] and total == 1


def test_remind_events_command(runner: Any) -> None:
    outcome = runner.invoke(args=["remind-events"])
    assert outcome.exit_code == 0 and outcome.output.strip() == "schedules: 0, invitation reminders: 0"


def test_removing_a_registered_org_promotes_the_waiting_list(make_event, firm, staff) -> None:
    event = make_event(capacity="1")
    first, second = firm(), firm()
    registrations.register(event.id, DETAILS, first)
    waiting = registrations.register(event.id, DETAILS, second)
    assert waiting.status == "waitlisted"
    events.uninvite(event.id, first.org_id, staff)
    assert waiting.status == "registered"


def test_cancelling_an_event_tells_every_organization_still_expecting_it(make_event, firm, staff, make_user) -> None:
    event = make_event(capacity="1")
    placed, waiting, invited, bystander = firm(), firm(), firm(), firm()
    registrations.register(event.id, DETAILS, placed)
    registrations.register(event.id, DETAILS, waiting)
    events.add_to_lists(event.id, {"org_ids": [invited.org_id]}, staff)
    declined = firm()
    events.add_to_lists(event.id, {"org_ids": [declined.org_id]}, staff)
    registrations.decline_invitation(event.id, declined)
    before = db.session.scalar(select(func.count(OutgoingMail.id))) or 0

    events.set_event_status(event.id, "cancelled", staff)

    def told(user: User) -> bool:
        return "event_called_off" in set(db.session.scalars(select(Notification.subject)
                                                            .where(Notification.recipient_id == user.id)))
    assert [told(u) for u in (placed, waiting, invited, declined, bystander)] == [True, True, True, False, False]
    mails = list(db.session.scalars(select(OutgoingMail).where(OutgoingMail.id > before)))
    assert {m.to for m in mails} == {placed.email, waiting.email, invited.email}
    assert all(event.name in m.text and "已取消" in m.text for m in mails)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "set_status")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.note == "3 organizations told"


def test_staff_cannot_hand_a_place_of_a_full_event(make_event, firm, staff) -> None:
    event = make_event(capacity="1")
    registrations.register(event.id, DETAILS, firm())
    invited = firm()
    events.add_to_lists(event.id, {"org_ids": [invited.org_id]}, staff)
    entries = audit_count()
    with pytest.raises(Conflict) as refused:
        events.set_invitation_status(event.id, invited.org_id, "registered", staff)
    assert refused.value.code == "event_full"
    db.session.expire_all()
    assert registrations.registration_of(event, invited.org_id).status == "invited" and audit_count() == entries
    roomy = make_event(capacity="5")
    events.add_to_lists(roomy.id, {"org_ids": [invited.org_id]}, staff)
    assert events.set_invitation_status(roomy.id, invited.org_id, "registered", staff).status == "registered"

"""Intents: fields and consistency, transitions, notes and last activity, staleness, meeting outcomes."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Event, Intent, Meeting, User
from matchmaker.services.deals import intents
from matchmaker.services.errors import Conflict, PermissionDenied, ValidationFailed
from matchmaker.web.deals import choices


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff")


@pytest.fixture
def deal(make_posting: Callable[..., Any], make_user: Callable[..., User]) -> dict[str, Any]:
    result = make_posting("result")
    firm = make_user("company")
    need = make_posting("need", owner=firm)
    return {"result_id": str(result.id), "company_id": str(firm.org_id), "need_id": str(need.id),
            "logged_on": "2025-03-01", "mode": "license", "amount_wan": "35.5"}


def test_create_intent(staff: User, deal: dict[str, Any]) -> None:
    intent = intents.create_intent(deal, staff)
    assert intent.status == "open" and intent.last_activity_on == date(2025, 3, 1)
    assert str(intent.amount_wan) == "35.50" and intent.mode == "license"
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.entity_type == "intent")) == "create"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"result_id": ""}, "result_id"),
    ({"result_id": "999999"}, "result_id"),
    ({"company_id": ""}, "company_id"),
    ({"logged_on": "2025-13-40"}, "logged_on"),
    ({"logged_on": ""}, "logged_on"),
    ({"mode": "gift"}, "mode"),
    ({"amount_wan": "很多"}, "amount_wan"),
    ({"meeting_id": "999999"}, "meeting_id"),
])
def test_bad_intent_fields_store_nothing(staff: User, deal: dict[str, Any], overrides: dict[str, Any],
                                         field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        intents.create_intent({**deal, **overrides}, staff)
    assert field in caught.value.errors
    db.session.rollback()
    assert db.session.scalar(select(Intent.id)) is None


def test_company_must_be_a_company_and_own_the_need(staff: User, deal: dict[str, Any],
                                                    make_org: Callable[..., Any]) -> None:
    university = make_org(kind="university")
    with pytest.raises(ValidationFailed) as caught:
        intents.create_intent({**deal, "company_id": str(university.id)}, staff)
    assert "company_id" in caught.value.errors and "need_id" in caught.value.errors
    other = make_org(kind="company")
    with pytest.raises(ValidationFailed) as caught:
        intents.create_intent({**deal, "company_id": str(other.id)}, staff)
    assert list(caught.value.errors) == ["need_id"]


@pytest.mark.parametrize(("path", "ok"), [
    (["negotiating", "signed"], True), (["negotiating", "dropped"], True), (["dropped"], True),
    (["signed"], False), (["negotiating", "open"], False), (["dropped", "negotiating"], False),
    (["negotiating", "signed", "dropped"], False), (["won"], False),
])
def test_status_transitions(staff: User, deal: dict[str, Any], path: list[str], ok: bool) -> None:
    intent = intents.create_intent(deal, staff)
    *allowed, last = path
    for status in allowed:
        intents.set_intent_status(intent.id, status, staff, today=date(2025, 4, 1))
    if ok:
        intents.set_intent_status(intent.id, last, staff, today=date(2025, 4, 2))
        assert intent.status == last and intent.last_activity_on == date(2025, 4, 2)
    else:
        with pytest.raises(Conflict):
            intents.set_intent_status(intent.id, last, staff)
    changes = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.action == "set_status")).all()
    assert [c["status"]["after"] for c in changes] == (path if ok else allowed)


def test_notes_move_last_activity_and_staleness(app: Any, staff: User, deal: dict[str, Any]) -> None:
    intent = intents.create_intent(deal, staff)
    days = app.config["STALE_INTENT_DAYS"]
    assert intents.stale_intents(staff, today=date(2025, 3, 1)) == []
    late = date.fromordinal(date(2025, 3, 1).toordinal() + days + 1)
    assert intents.stale_intents(staff, today=late) == [intent]
    intents.add_note(intent.id, {"noted_on": "2025-03-20", "text": "企业已完成小试验证"}, staff)
    assert intent.last_activity_on == date(2025, 3, 20)
    intents.add_note(intent.id, {"noted_on": "2025-03-05", "text": "补记一次电话沟通"}, staff)
    assert intent.last_activity_on == date(2025, 3, 20)  # an older note does not move it back
    assert intents.stale_intents(staff, today=late) == []
    assert [n.text for n in intent.notes] == ["补记一次电话沟通", "企业已完成小试验证"]
    assert intents.list_intents(staff, intents.IntentFilter(stale=True), today=late) == []
    intents.set_intent_status(intent.id, "dropped", staff, today=date(2025, 3, 21))
    far = date(2026, 1, 1)
    assert intents.stale_intents(staff, today=far) == []  # dropped intents are never stale


def test_bad_note_is_refused(staff: User, deal: dict[str, Any]) -> None:
    intent = intents.create_intent(deal, staff)
    with pytest.raises(ValidationFailed) as caught:
        intents.add_note(intent.id, {"noted_on": "", "text": ""}, staff)
    assert set(caught.value.errors) == {"noted_on", "text"}


@pytest.mark.parametrize("role", ["researcher", "company"])
def test_only_staff(make_user: Callable[..., User], deal: dict[str, Any], role: str) -> None:
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        intents.create_intent(deal, user)
    with pytest.raises(PermissionDenied):
        intents.stale_intents(user)


def test_intent_from_a_meeting(staff: User, deal: dict[str, Any]) -> None:
    event = Event(name="对接会", type="matchmaking", starts_at=datetime(2025, 3, 1, 9), chain_ids=[])
    db.session.add(event)
    db.session.flush()
    meeting = Meeting(event_id=event.id, result_id=int(deal["result_id"]), need_id=int(deal["need_id"]),
                      company_id=int(deal["company_id"]), slot=0, table_no=1)
    db.session.add(meeting)
    db.session.commit()
    intents.set_meeting_outcome(meeting.id, "follow_up", staff)
    assert meeting.outcome == "follow_up"
    with pytest.raises(Conflict):
        intents.set_meeting_outcome(meeting.id, "great", staff)
    intents.set_meeting_outcome(meeting.id, "intent", staff)
    assert meeting.outcome == "follow_up"  # recorded when the intent is saved
    values = choices.prefill_from_meeting(intents.get_meeting(meeting.id, staff))
    assert values["event_id"] == str(event.id) and values["logged_on"] == date(2025, 3, 1)
    with pytest.raises(ValidationFailed):
        intents.create_intent({**values, "event_id": ""}, staff)  # a meeting needs its event
    intent = intents.create_intent(values, staff)
    assert intent.meeting_id == meeting.id and meeting.outcome == "intent"
    assert intents.list_intents(staff, intents.IntentFilter(event_id=event.id)) == [intent]
    assert intents.list_intents(staff, intents.IntentFilter(status="signed")) == []

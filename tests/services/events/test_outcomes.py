"""After the event: participants record their meetings' outcomes; "intent" opens one for staff; staff chase the
meetings left blank (page list and `flask remind-meeting-outcomes`, once per meeting)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, Intent, Meeting, Notification
from matchmaker.services.errors import Conflict, NotFound, PermissionDenied
from matchmaker.services.events import outcomes
from matchmaker.services.permissions import actions_for
from tests.services.events.test_meeting_requests import Cast, cast  # noqa: F401 - the shared event fixture


@pytest.fixture
def held(cast: Cast) -> Meeting:  # noqa: F811
    """The event took place on 2030-03-01 (a date in the past for `today` below); one meeting on its agenda."""
    cast.event.starts_at = datetime(2030, 3, 1, 9)
    cast.event.status = "held"
    meeting = Meeting(event_id=cast.event.id, result_id=cast.results[0].id, company_id=cast.firms[0].org_id, slot=0,
                      table_no=1)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def intents() -> int:
    return db.session.scalar(select(func.count(Intent.id))) or 0


def test_either_side_records_and_intent_opens_one_for_staff(cast: Cast, held: Meeting) -> None:  # noqa: F811
    assert actions_for(cast.firms[0], held) == {"record_outcome"}
    assert actions_for(cast.firms[1], held) == frozenset()
    outcomes.record_outcome(held.id, "follow_up", cast.researchers[0])
    assert (held.outcome, held.outcome_by_id) == ("follow_up", cast.researchers[0].id) and intents() == 0
    outcomes.record_outcome(held.id, "intent", cast.firms[0], today=date(2030, 3, 2))
    intent = db.session.scalars(select(Intent)).one()
    assert (intent.status, intent.source, intent.meeting_id, intent.company_id, intent.event_id) == (
        "open", "meeting", held.id, cast.firms[0].org_id, cast.event.id)
    outcomes.record_outcome(held.id, "intent", cast.researchers[0])  # recorded twice: still one intent
    assert intents() == 1
    with pytest.raises(PermissionDenied) as caught:  # an intent is staff's to change now
        outcomes.record_outcome(held.id, "no_interest", cast.firms[0])
    assert caught.value.code == "intent_exists"
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type.in_(
        ("meeting", "intent"))).order_by(AuditEntry.id)))
    assert actions == ["meeting_outcome", "meeting_outcome", "create"]


def test_refusals(cast: Cast, held: Meeting) -> None:  # noqa: F811
    with pytest.raises(NotFound):
        outcomes.record_outcome(held.id, "follow_up", cast.firms[1])  # not its meeting
    with pytest.raises(Conflict) as caught:
        outcomes.record_outcome(held.id, "none", cast.firms[0])
    assert caught.value.code == "bad_outcome"
    cast.event.status, cast.event.starts_at = "planned", datetime(2031, 3, 1, 9)
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        outcomes.record_outcome(held.id, "follow_up", cast.firms[0])
    assert caught.value.code == "bad_status" and held.outcome == "none"


def test_staff_list_and_reminder_once(cast: Cast, held: Meeting) -> None:  # noqa: F811
    staff = cast.staff
    assert staff is not None
    early = outcomes.missing_outcomes(staff, today=date(2030, 3, 3))
    assert early.total == 0  # within the 3 days
    found = outcomes.missing_outcomes(staff, today=date(2030, 3, 4))
    assert [m.id for m in found.rows] == [held.id] and found.days == 3
    with pytest.raises(PermissionDenied):
        outcomes.missing_outcomes(cast.firms[0])
    assert outcomes.remind_missing_outcomes(today=date(2030, 3, 3)) == 0
    told = outcomes.remind_missing_outcomes(today=date(2030, 3, 4))
    assert told == 1
    note = db.session.scalars(select(Notification).where(Notification.kind == "meeting_outcomes")).one()
    assert note.recipient_id == staff.id and note.params["n"] == 1
    assert outcomes.remind_missing_outcomes(today=date(2030, 3, 5)) == 0  # each meeting once
    outcomes.record_outcome(held.id, "no_interest", cast.firms[0])
    assert outcomes.missing_outcomes(staff, today=date(2030, 3, 9)).total == 0


def test_cli_command(runner: object, cast: Cast, held: Meeting) -> None:  # noqa: F811
    cast.event.starts_at = datetime(2020, 3, 1, 9)  # long past, by the real clock the command reads
    db.session.commit()
    result = runner.invoke(args=["remind-meeting-outcomes"])  # type: ignore[attr-defined]
    assert result.exit_code == 0 and "staff told: 1" in result.output
    result = runner.invoke(args=["remind-meeting-outcomes"])  # type: ignore[attr-defined]
    assert "staff told: 0" in result.output

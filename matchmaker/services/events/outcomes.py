"""After the event: each participant records how its 1:1 meetings went; staff chase the ones left blank.

"intent" opens a 合作意向 (status open, source "meeting") that staff confirm on the intents page (open →
negotiating) or drop; the intent row is written here, as the 我要对接 flow does, because events and deals are
sibling service domains.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select

from matchmaker.extensions import db
from matchmaker.models import Event, Intent, Meeting, Result, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, NotFound, PermissionDenied
from matchmaker.services.lookup import page_of
from matchmaker.services.notify.notifications import notify, staff_users
from matchmaker.services.permissions import member_of, outcome_recordable, require_staff, require_standing

PARTICIPANT_OUTCOMES = ("no_interest", "follow_up", "intent")
OUTCOME_GRACE_DAYS = 3
"""Days after the event before a meeting without an outcome is on staff's list (config MEETING_OUTCOME_DAYS)."""


def _grace_days() -> int:
    return int(current_app.config.get("MEETING_OUTCOME_DAYS", OUTCOME_GRACE_DAYS))


def _sides(meeting: Meeting) -> tuple[int, int]:
    return meeting.result.org_id, meeting.company_id


def my_meetings(event_id: int, actor: User | None) -> tuple[Event, list[Meeting]]:
    """The actor's organization's meetings at this event, in time order."""
    user = require_standing(actor)
    event = db.session.get(Event, event_id)
    if event is None or user.org_id is None:
        raise NotFound(_l("找不到该活动。"))
    stmt = (select(Meeting).join(Result, Result.id == Meeting.result_id)
            .where(Meeting.event_id == event.id, or_(Meeting.company_id == user.org_id, Result.org_id == user.org_id))
            .order_by(Meeting.slot, Meeting.table_no))
    return event, list(db.session.scalars(stmt))


def record_outcome(meeting_id: int, outcome: str, actor: User | None, today: date | None = None) -> Meeting:
    """A member of either side records the outcome; "intent" opens an intent for staff to confirm (once)."""
    user = require_standing(actor)
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not any(member_of(user, org_id) for org_id in _sides(meeting)):
        raise NotFound(_l("找不到该洽谈。"))
    if outcome not in PARTICIPANT_OUTCOMES:
        raise Conflict(_l("不是有效的选项。"), code="bad_outcome")
    if not outcome_recordable(meeting, fields.now()):
        raise Conflict(_l("活动开始后才能记录洽谈结果。"), code="bad_status")
    existing = db.session.scalar(select(Intent).where(Intent.meeting_id == meeting.id).limit(1))
    if existing is not None and outcome != "intent":
        raise PermissionDenied(_l("该洽谈已登记合作意向，如需更改请联系科技局。"), code="intent_exists")
    if meeting.outcome != outcome:
        audit.record(user, "meeting_outcome", meeting, {"outcome": {"before": meeting.outcome, "after": outcome}},
                     note=f"recorded by participant (org {user.org_id})")
        meeting.outcome = outcome
    meeting.outcome_by_id, meeting.outcome_at = user.id, utcnow()
    if outcome == "intent" and existing is None:
        day = today or fields.today()
        intent = Intent(result_id=meeting.result_id, company_id=meeting.company_id, need_id=meeting.need_id,
                        event_id=meeting.event_id, meeting_id=meeting.id, logged_on=day, status="open",
                        last_activity_on=day, source="meeting")
        db.session.add(intent)
        db.session.flush()
        audit.record(user, "create", intent, {"source": {"after": "meeting"}, "meeting_id": {"after": meeting.id},
                                              "status": {"after": "open"}})
    db.session.commit()
    return meeting


def _missing_stmt(day: date) -> Select[Any]:
    """Meetings still without an outcome whose event (not cancelled) began at least the grace days before."""
    cutoff = datetime.combine(day - timedelta(days=_grace_days()), time.max)
    return (select(Meeting).join(Event, Event.id == Meeting.event_id)
            .where(Meeting.outcome == "none", Event.status != "cancelled", Event.starts_at <= cutoff)
            .order_by(Event.starts_at, Meeting.event_id, Meeting.slot, Meeting.table_no))


@dataclass(frozen=True)
class MissingOutcomes:
    rows: list[Meeting]
    total: int
    days: int


def missing_outcomes(actor: User | None, page: int = 1, per_page: int = 50, today: date | None = None
                     ) -> MissingOutcomes:
    """Staff's list: meetings with no outcome N days after their event, oldest event first, paged in SQL."""
    require_staff(actor)
    rows, total = page_of(_missing_stmt(today or fields.today()), page, per_page)
    return MissingOutcomes(rows, total, _grace_days())


def remind_missing_outcomes(today: date | None = None) -> int:
    """Tell staff about meetings newly past the grace days without an outcome; each meeting is counted once, so a
    second run tells nobody again. Returns how many staff members were told."""
    stmt = _missing_stmt(today or fields.today()).where(Meeting.outcome_reminded_at.is_(None))
    fresh = list(db.session.scalars(stmt))
    if not fresh:
        return 0
    now = utcnow()
    for meeting in fresh:
        meeting.outcome_reminded_at = now
    total = db.session.scalar(select(func.count()).select_from(_missing_stmt(today or fields.today())
                                                                .order_by(None).subquery())) or 0
    told = 0
    for user in staff_users():
        notify(user, "meeting_outcomes", "meeting_outcomes_missing", {"n": total, "days": _grace_days()},
               link="/meeting-outcomes/missing")
        told += 1
    audit.record(None, "remind_meeting_outcomes", None, {"meetings": {"after": len(fresh)}},
                 note=f"staff told: {told}", entity_type="system")
    db.session.commit()
    return told

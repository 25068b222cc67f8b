"""`flask remind-events`: the day-before reminder with each participant's schedule, and one reminder to
organizations that have not answered an invitation after a while. Each goes out once per row (stamped)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Event, Invitation
from matchmaker.models._base import utcnow
from matchmaker.models.event import PARTICIPANT_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.events import schedule
from matchmaker.services.events.registrations import answer_token
from matchmaker.services.mail.outbox import absolute_url, queue_mail
from matchmaker.services.notify.notifications import members_of, notify_all


@dataclass(frozen=True)
class ReminderRun:
    schedules: int
    invitations: int


def _mailable(user: object) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "email", "") and
                getattr(user, "email_verified", False))


def send_reminders(now: datetime | None = None) -> ReminderRun:
    """Send what is due; a second run the same day sends nothing new."""
    moment = (now or fields.now()).astimezone(fields.local_tz()).replace(tzinfo=None)
    days = int(current_app.config["EVENT_REMINDER_DAYS"])
    horizon = moment + timedelta(days=days)
    due = db.session.scalars(
        select(Invitation).join(Event, Event.id == Invitation.event_id)
        .where(Event.status == "planned", Event.starts_at > moment, Event.starts_at <= horizon,
               Invitation.status.in_(PARTICIPANT_STATUSES), Invitation.reminded_at.is_(None))
        .order_by(Invitation.id))
    schedules = 0
    for row in due:
        _remind_schedule(row)
        schedules += 1
    wait = timedelta(days=int(current_app.config["EVENT_INVITATION_REMINDER_DAYS"]))
    unanswered = db.session.scalars(
        select(Invitation).join(Event, Event.id == Invitation.event_id)
        .where(Event.status == "planned", Event.starts_at > moment, Invitation.status == "invited",
               Invitation.invitation_reminded_at.is_(None), Invitation.created_at <= utcnow() - wait)
        .order_by(Invitation.id))
    invitations = 0
    for row in unanswered:
        _remind_invitation(row)
        invitations += 1
    if schedules or invitations:
        audit.record(None, "remind_events", None, {"schedules": {"after": schedules},
                                                   "invitations": {"after": invitations}}, entity_type="system")
    db.session.commit()
    return ReminderRun(schedules, invitations)


def _remind_schedule(row: Invitation) -> None:
    event = row.event
    meetings = schedule.meetings_of(event, row.org_id)
    when = event.starts_at.strftime("%Y-%m-%d %H:%M")
    params = {"event": event.name, "when": when}
    notify_all(members_of(row.org_id), "event_reminder", "event_reminder", params, link=f"/activities/{event.id}/mine")
    context = {"event_name": event.name, "when": when, "place": event.venue or "—", "org": row.org.name,
               "code": schedule.show_code(row.checkin_code),
               "meetings": [{"time": m.starts_at.strftime("%H:%M"), "table_no": m.table_no, "other": m.other_party,
                             "topic": m.topic} for m in meetings],
               "link": absolute_url("participate.my_event", event_id=event.id)}
    for user in members_of(row.org_id):
        if _mailable(user):
            queue_mail(user, "event_reminder", context)
    row.reminded_at = utcnow()


def _remind_invitation(row: Invitation) -> None:
    event = row.event
    params = {"org": row.org.name, "event": event.name, "when": event.starts_at.strftime("%Y-%m-%d %H:%M")}
    notify_all(members_of(row.org_id), "event_invitation", "event_invitation_reminder", params,
               link=f"/activities/invitation/{answer_token(row)}")
    row.invitation_reminded_at = utcnow()

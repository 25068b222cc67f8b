"""Check-in at the door by the registration's code: on the staff phone page, at the self check-in page, and
organizations that turn up unregistered (walk-ins), added by staff on the spot."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Event, Invitation, Organization, User
from matchmaker.models._base import utcnow
from matchmaker.models.event import PARTICIPANT_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, NotFound
from matchmaker.services.events.schedule import normalize_code
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.permissions import require_staff


def _event(event_id: int) -> Event:
    event = get_or_not_found(Event, event_id, _l("找不到该活动。"))
    if event.status == "cancelled":
        raise Conflict(_l("该活动已取消。"), code="event_cancelled")
    return event


def _by_code(event: Event, raw: str) -> Invitation:
    code = normalize_code(raw)
    row = db.session.scalar(select(Invitation).where(Invitation.event_id == event.id,
                                                     Invitation.checkin_code == code)) if code else None
    if row is None:
        raise NotFound(_l("签到码无效，请核对后重新输入。"), code="bad_code")
    return row


def _attend(row: Invitation, actor: User | None, note: str) -> Invitation:
    if row.status == "attended":
        return row  # scanning twice is harmless: already in
    if row.status != "registered":
        raise Conflict(_l("“%(org)s”的报名尚未确认（%(status)s），请到服务台办理。", org=row.org.name,
                          status=_status_label(row.status)), code="not_registered")
    audit.record(actor, "invitation_status", row, {"status": {"before": row.status, "after": "attended"}},
                 note=f"event {row.event_id}; {note}")
    row.status, row.checked_in_at = "attended", utcnow()
    db.session.commit()
    return row


def check_in_by_code(event_id: int, code: str, actor: User | None) -> Invitation:
    """Staff scan or type a confirmation's code."""
    user = require_staff(actor)
    event = _event(event_id)
    return _attend(_by_code(event, code), user, "code")


def door_event(event_id: int) -> Event:
    """The event of a door page: any planned or held event (the page itself shows nothing private)."""
    event = db.session.get(Event, event_id)
    if event is None or event.status == "cancelled" or not (event.is_public or door_open(event)):
        raise NotFound(_l("找不到该活动。"))
    return event


def door_open(event: Event) -> bool:
    """The self check-in page takes codes on the event's day only."""
    return event.status in ("planned", "held") and event.starts_at.date() == fields.today()


def self_check_in(event_id: int, code: str) -> Invitation:
    """A participant at the door enters or scans its own code (no sign-in; the codes are not guessable)."""
    event = _event(event_id)
    if not door_open(event):
        raise Conflict(_l("自助签到只在活动当天开放。"), code="door_closed")
    return _attend(_by_code(event, code), None, "self check-in")


def door_counts(event: Event) -> dict[str, int]:
    """How many organizations hold a place and how many of them are in."""
    statuses = [i.status for i in event.invitations]
    return {"expected": sum(s in PARTICIPANT_STATUSES for s in statuses), "attended": statuses.count("attended")}


def add_walk_in(event_id: int, org_id: int | None, actor: User | None) -> Invitation:
    """Staff add an organization that turned up: registered and attended at once."""
    user = require_staff(actor)
    event = _event(event_id)
    org = db.session.get(Organization, org_id) if org_id else None
    if org is None:
        raise NotFound(_l("找不到该单位。"), code="bad_org")
    row = db.session.scalar(select(Invitation).where(Invitation.event_id == event.id, Invitation.org_id == org.id))
    before = row.status if row is not None else None
    if row is not None and row.status == "attended":
        raise Conflict(_l("“%(org)s”已签到。", org=org.name), code="already_attended")
    if row is None:
        row = Invitation(event=event, org=org, status="attended")
        db.session.add(row)
    row.status, row.checked_in_at = "attended", utcnow()
    row.registered_at = row.registered_at or utcnow()
    row.answered_at = row.answered_at or utcnow()
    audit.record(user, "walk_in", row, {"status": {"before": before, "after": "attended"}}, note=f"event {event.id}")
    db.session.commit()
    return row


def _status_label(status: str) -> str:
    from matchmaker import labels

    return labels.label("invitation_status", status)

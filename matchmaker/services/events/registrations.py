"""对接活动 for participants: public events, registration, invitations answered, approval and the waiting list.

The registration is the Invitation row of the event and organization (one row each, whoever started it): staff
invite (invited), or a member of a verified organization registers it; an event that requires approval keeps it
pending until staff approve; a full event (Event.capacity counts organizations holding a place) puts it on the
waiting list, and the earliest waiting organization is promoted when a place frees (a cancel or a decline).
Every change is audited and told to the organization's members (and to staff when they have something to do).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import case, func, select

from matchmaker.extensions import db
from matchmaker.models import Event, EventResult, Invitation, Need, Result, User
from matchmaker.models._base import utcnow
from matchmaker.models.event import OPEN_STATUSES, PARTICIPANT_STATUSES, new_checkin_code
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, FieldErrors, NotFound, PermissionDenied
from matchmaker.services.events import confirmations, schedule
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.notify.notifications import members_of, notify_all, staff_users
from matchmaker.services.permissions import is_staff, require_staff, require_standing, require_user, standing_problem

ANSWER_SALT = "matchmaker-invitation-answer"
REREGISTER_STATUSES = ("declined", "cancelled")
"""An organization that said no or withdrew may register again; one staff rejected may not."""


# ---- who takes part (the meetings side reads these) ------------------------------------------------------------

def participant_orgs(event: Event) -> set[int]:
    """Organizations taking part: registered or attended ones, and the organizations of the presented results."""
    registered = select(Invitation.org_id).where(Invitation.event_id == event.id,
                                                 Invitation.status.in_(PARTICIPANT_STATUSES))
    presenting = (select(Result.org_id).join(EventResult, EventResult.result_id == Result.id)
                  .where(EventResult.event_id == event.id))
    return set(db.session.scalars(registered.union(presenting)))


def is_participant(event: Event, org_id: int | None) -> bool:
    """True when this organization takes part in the event (see participant_orgs)."""
    return org_id is not None and org_id in participant_orgs(event)


# ---- public events -------------------------------------------------------------------------------------------

def _public() -> Any:
    return (Event.is_public.is_(True), Event.status.in_(("planned", "held")))


def public_events(page: int = 1, per_page: int = 20) -> tuple[list[Event], int]:
    """Public planned and held events, paged in SQL: coming ones first (soonest first), then past ones."""
    total = db.session.scalar(select(func.count(Event.id)).where(*_public())) or 0
    upcoming = case((Event.status == "planned", 0), else_=1)
    # planned ones soonest first (the second key), then held ones latest first (the third key)
    soonest = case((Event.status == "planned", Event.starts_at), else_=None)
    rows = db.session.scalars(select(Event).where(*_public())
                              .order_by(upcoming, soonest.asc(), Event.starts_at.desc(), Event.id)
                              .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total


def upcoming_public_events(limit: int = 4) -> list[Event]:
    """The next public events that still take registrations (for the home page)."""
    stmt = (select(Event).where(Event.is_public.is_(True), Event.status == "planned",
                                Event.starts_at > _local_now()).order_by(Event.starts_at, Event.id).limit(limit))
    return list(db.session.scalars(stmt))


def get_public_event(event_id: int, actor: User | None = None) -> Event:
    """A public planned or held event; others are not found (staff, and invited organizations, see theirs too)."""
    event = db.session.get(Event, event_id)
    if event is None or not sees_event(actor, event):
        raise NotFound(_l("找不到该活动。"))
    return event


def sees_event(actor: User | None, event: Event) -> bool:
    if event.is_public and event.status in ("planned", "held"):
        return True
    if is_staff(actor):
        return True
    org_id = _member_org_id(actor)
    return org_id is not None and registration_of(event, org_id) is not None


def presented_results(event: Event) -> list[Result]:
    """The results presented at the event that are public (a withdrawn one is not shown)."""
    return [p.result for p in event.presentations if p.result.status in PUBLIC_STATUSES]


def _local_now() -> datetime:
    return fields.now().replace(tzinfo=None, microsecond=0)


def is_past(event: Event) -> bool:
    return event.starts_at <= _local_now()


def registration_open(event: Event) -> bool:
    """A public planned event that has not started takes registrations."""
    return event.is_public and event.status == "planned" and not is_past(event)


# ---- the actor's organization and its registration ---------------------------------------------------------

def _member_org_id(actor: User | None) -> int | None:
    membership = getattr(actor, "membership", None) if actor is not None and actor.is_active else None
    if membership is None or membership.status != "active":
        return None
    return int(membership.org_id)


def registration_of(event: Event, org_id: int) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.event_id == event.id, Invitation.org_id == org_id))


def own_registration(event: Event, actor: User | None) -> Invitation | None:
    """The actor's organization's row for this event, if any (nobody sees another organization's)."""
    org_id = _member_org_id(actor)
    return registration_of(event, org_id) if org_id is not None else None


def staff_registrations(event: Event) -> list[Invitation]:
    """The rows that came through registration (not bare invitations), waiting list in its order (staff page)."""
    rows = [i for i in event.invitations if i.registered_at is not None or i.status not in ("invited",)]
    order = {"pending": 0, "waitlisted": 1, "registered": 2, "attended": 3}
    return sorted(rows, key=lambda i: (order.get(i.status, 4), _naive(i.waitlisted_at or i.registered_at or
                                                                      i.created_at), i.id))


def _naive(moment: datetime | None) -> datetime:
    # SQLite hands back naive UTC, fresh rows carry aware UTC: compare them on one footing
    return (moment or datetime.min).replace(tzinfo=None)


def places_taken(event: Event) -> int:
    return db.session.scalar(select(func.count(Invitation.id)).where(
        Invitation.event_id == event.id, Invitation.status.in_(PARTICIPANT_STATUSES))) or 0


def places_left(event: Event) -> int | None:
    """Free places (None: no capacity set)."""
    return None if event.capacity is None else max(event.capacity - places_taken(event), 0)


def _lock(event_id: int) -> Event:
    """The event row, locked on PostgreSQL so two registrations cannot both take the last place."""
    event = db.session.scalar(select(Event).where(Event.id == event_id).with_for_update())
    if event is None:
        raise NotFound(_l("找不到该活动。"))
    return event


# ---- registering -----------------------------------------------------------------------------------------

def clean_registration(event: Event, org_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Attendees (one name a line), headcount, interesting presented results and own needs."""
    errors = FieldErrors()
    typed = fields.text(errors, data, "attendees", required=True, max_len=1000)
    attendees = "\n".join(line.strip() for line in typed.splitlines() if line.strip())
    headcount = fields.integer(errors, data, "headcount", low=1, high=50, required=True)
    if headcount is not None and attendees and len(attendees.splitlines()) > headcount:
        errors.add("headcount", _l("参会人数不能少于填写的参会人员名单。"))
    presented = {r.id for r in presented_results(event)}
    result_ids = _ids(data.get("interest_result_ids"))
    if set(result_ids) - presented:
        errors.add("interest_result_ids", _l("只能选择本次活动展示的成果。"))
    need_ids = _ids(data.get("interest_need_ids"))
    own = set(db.session.scalars(select(Need.id).where(Need.org_id == org_id, Need.id.in_(need_ids),
                                                       Need.status.in_(PUBLIC_STATUSES)))) if need_ids else set()
    if set(need_ids) - own:
        errors.add("interest_need_ids", _l("只能选择本单位已发布的需求。"))
    errors.raise_if_any()
    return {"attendees": attendees, "headcount": headcount, "interest_result_ids": result_ids,
            "interest_need_ids": need_ids}


def _ids(raw: Any) -> list[int]:
    items = raw if isinstance(raw, list | tuple | set) else fields.split_list(str(raw or ""))
    return list(dict.fromkeys(int(v) for v in items if str(v).strip().isdigit() and len(str(v).strip()) < 10))


def _registrant(actor: User | None) -> User:
    """A confirmed member of a verified organization (staff add organizations as walk-ins instead)."""
    user = require_user(actor)
    if user.is_staff and _member_org_id(user) is None:
        raise PermissionDenied(_l("工作人员请在活动的现场签到页添加单位。"), code="staff_not_participant")
    return require_standing(user)


def _ensure_open(event: Event) -> None:
    if event.status == "cancelled":
        raise Conflict(_l("该活动已取消，不能报名。"), code="event_cancelled")
    if event.status != "planned" or is_past(event):
        raise Conflict(_l("该活动已开始或已结束，不能再报名。"), code="event_past")


def register(event_id: int, data: dict[str, Any], actor: User | None) -> Invitation:
    """The actor registers its organization (or accepts its invitation with the same details)."""
    user = _registrant(actor)
    event = _lock(event_id)
    org_id = _member_org_id(user)
    assert org_id is not None  # require_standing: an active membership
    row = registration_of(event, org_id)
    if row is None and not event.is_public:
        raise NotFound(_l("找不到该活动。"))
    _ensure_open(event)
    if row is not None and row.status not in ("invited", *REREGISTER_STATUSES):
        raise Conflict(_l("贵单位已报名该活动（%(status)s），不能重复报名。", status=_status_label(row.status)),
                       code="already_registered")
    clean = clean_registration(event, org_id, data)
    before = row.status if row is not None else None
    if row is None:
        row = Invitation(event=event, org_id=org_id, status="invited")
        db.session.add(row)
    invited = before == "invited"
    for name, value in clean.items():
        setattr(row, name, value)
    row.registered_by_id, row.registered_at = user.id, utcnow()
    row.answered_at = utcnow()
    # an invited organization was chosen by staff already: no approval round
    status = "pending" if event.requires_approval and not invited else _placed_status(event)
    _move(row, status, user, "register_event", before=before)
    if status == "pending":
        notify_all(staff_users(), "event_registration", "event_registration_pending",
                   {"org": row.org.name, "event": event.name}, link=f"/events/{event.id}#registrations")
    db.session.commit()
    return row


def _placed_status(event: Event) -> str:
    left = places_left(event)
    return "registered" if left is None or left > 0 else "waitlisted"


def decline_invitation(event_id: int, actor: User | None) -> Invitation:
    """The actor's invited organization says no."""
    user = _registrant(actor)
    event = _lock(event_id)
    org_id = _member_org_id(user)
    row = registration_of(event, org_id) if org_id is not None else None
    if row is None or row.status != "invited":
        raise NotFound(_l("贵单位没有待答复的邀请。"))
    return _decline(row, user, note="")


def _decline(row: Invitation, user: User | None, note: str) -> Invitation:
    if row.event.status == "cancelled":
        raise Conflict(_l("该活动已取消。"), code="event_cancelled")
    row.answered_at = utcnow()
    _move(row, "declined", user, "decline_invitation", note=note)
    notify_all(staff_users(), "event_registration", "event_invitation_declined",
               {"org": row.org.name, "event": row.event.name}, link=f"/events/{row.event_id}#registrations")
    db.session.commit()
    return row


# ---- the signed link in the invitation e-mail --------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=ANSWER_SALT)


def answer_token(row: Invitation) -> str:
    return _serializer().dumps({"i": row.id, "o": row.org_id, "e": row.event_id})


class AnswerLinkInvalid(NotFound):
    """The link is forged, altered, expired or for an invitation that is gone."""


def invitation_from_token(token: str) -> Invitation:
    """The invitation a signed e-mail link names (no sign-in needed); AnswerLinkInvalid otherwise."""
    max_age = int(timedelta(days=int(current_app.config["EVENT_ANSWER_TOKEN_DAYS"])).total_seconds())
    try:
        data: Any = _serializer().loads(token[:500], max_age=max_age)
        row_id, org_id, event_id = int(data["i"]), int(data["o"]), int(data["e"])
    except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError) as exc:
        raise AnswerLinkInvalid(_l("该链接无效或已过期，请登录平台在活动页面答复。")) from exc
    row = db.session.get(Invitation, row_id)
    if row is None or row.org_id != org_id or row.event_id != event_id:
        raise AnswerLinkInvalid(_l("该链接无效或已过期，请登录平台在活动页面答复。"))
    return row


def answer_by_token(token: str, answer: str, data: dict[str, Any]) -> Invitation:
    """Accept (with the registration details) or decline the invitation a signed e-mail link names."""
    row = invitation_from_token(token)
    if row.status != "invited":
        raise Conflict(_l("该邀请已答复（%(status)s）。", status=_status_label(row.status)), code="already_answered")
    event = _lock(row.event_id)
    if answer == "decline":
        return _decline(row, None, note="e-mail link")
    if answer != "accept":
        raise Conflict(_l("不是有效的选项。"), code="bad_answer")
    _ensure_open(event)
    clean = clean_registration(event, row.org_id, data)
    for name, value in clean.items():
        setattr(row, name, value)
    row.registered_at = row.answered_at = utcnow()
    _move(row, _placed_status(event), None, "register_event", before="invited", note="e-mail link")
    db.session.commit()
    return row


# ---- staff decisions and cancelling ------------------------------------------------------------------------

def get_registration(registration_id: int, actor: User | None) -> Invitation:
    """A registration its organization's members and staff may see; anyone else gets not-found."""
    row = db.session.get(Invitation, registration_id)
    if row is None or not (is_staff(actor) or _member_org_id(actor) == row.org_id):
        raise NotFound(_l("找不到该报名。"))
    return row


def _staff_decision(registration_id: int, actor: User | None) -> tuple[User, Invitation, Event]:
    """Staff, the registration and its event (locked), for a decision on an event not cancelled."""
    user = require_staff(actor)
    row = get_or_not_found(Invitation, registration_id, _l("找不到该报名。"))
    event = _lock(row.event_id)
    if event.status == "cancelled":
        raise Conflict(_l("该活动已取消。"), code="event_cancelled")
    return user, row, event


def approve(registration_id: int, actor: User | None) -> Invitation:
    """Staff accept a pending registration: it gets a place, or the waiting list when the event is full."""
    user, row, event = _staff_decision(registration_id, actor)
    if row.status != "pending":
        raise Conflict(_l("只能审核待审核的报名（当前：%(status)s）。", status=_status_label(row.status)),
                       code="bad_status")
    _move(row, _placed_status(event), user, "approve_registration")
    db.session.commit()
    return row


def decline(registration_id: int, actor: User | None) -> Invitation:
    """Staff decline a pending or waiting registration (or take back a place, which then goes to the list)."""
    user, row, event = _staff_decision(registration_id, actor)
    if row.status not in ("pending", "waitlisted", "registered"):
        raise Conflict(_l("该报名不能被拒绝（当前：%(status)s）。", status=_status_label(row.status)),
                       code="bad_status")
    freed = row.status == "registered"
    _move(row, "rejected", user, "decline_registration")
    if freed:
        promote_waitlist(event, user)
    db.session.commit()
    return row


def cancel(registration_id: int, actor: User | None) -> Invitation:
    """The organization (a member) or staff withdraw a registration; a freed place goes to the waiting list."""
    user = require_user(actor)
    row = get_registration(registration_id, user)
    if not is_staff(user):
        require_standing(user)
    event = _lock(row.event_id)
    if event.status != "planned":
        raise Conflict(_l("活动已举办或已取消，报名不能再撤销。"), code="bad_status")
    if row.status not in ("pending", "waitlisted", "registered"):
        raise Conflict(_l("该报名不能撤销（当前：%(status)s）。", status=_status_label(row.status)),
                       code="bad_status")
    freed = row.status == "registered"
    _move(row, "cancelled", user, "cancel_registration")
    if freed:
        promote_waitlist(event, user)
    db.session.commit()
    return row


def promote_waitlist(event: Event, actor: User | None) -> list[Invitation]:
    """Give free places to the waiting list, earliest first (the caller commits)."""
    promoted: list[Invitation] = []
    left = places_left(event)
    if event.status != "planned":
        return promoted
    waiting = db.session.scalars(select(Invitation).where(
        Invitation.event_id == event.id, Invitation.status == "waitlisted")
        .order_by(Invitation.waitlisted_at, Invitation.id)
        .limit(left if left is not None else None))
    for row in waiting:
        _move(row, "registered", actor, "promote_registration")
        promoted.append(row)
    return promoted


# ---- one state change: audit, notify ---------------------------------------------------------------------

SUBJECT_FOR = {
    "registered": "event_registered", "pending": "event_pending", "waitlisted": "event_waitlisted",
    "rejected": "event_rejected", "cancelled": "event_cancelled", "declined": "event_declined",
}


def _move(row: Invitation, status: str, actor: User | None, action: str, *, before: str | None = None,
          note: str = "") -> None:
    """Set the status, stamp what goes with it, audit and tell the organization's members."""
    old = row.status if before is None else before
    row.status = status
    if status == "waitlisted":
        row.waitlisted_at = utcnow()
    if status in ("registered", "attended") and not row.checkin_code:
        row.checkin_code = new_checkin_code()
    audit.record(actor, action, row, {"status": {"before": old, "after": status}},
                 note=(f"event {row.event_id}" + (f"; {note}" if note else "")))
    db.session.flush()
    params = {"org": row.org.name, "event": row.event.name}
    link = f"/activities/{row.event_id}/mine"
    if status == "registered":
        # a place: the confirmation e-mail (with the QR code) is this notification's own mail
        subject = "event_promoted" if action == "promote_registration" else "event_registered"
        notify_all(members_of(row.org_id), "event_confirmed", subject, params, link=link)
        confirmations.queue_confirmation(row)
    elif status in SUBJECT_FOR:
        notify_all(members_of(row.org_id), "event_registration", SUBJECT_FOR[status], params, link=link)


def tell_event_cancelled(event: Event) -> int:
    """Staff called the event off: every organization still expecting it (invited, pending, waitlisted, registered)
    hears it in the app and by e-mail. Returns how many organizations were told (the caller commits)."""
    rows = [row for row in event.invitations if row.status in OPEN_STATUSES]
    when = _naive(event.starts_at).strftime("%Y-%m-%d %H:%M")
    for row in rows:
        notify_all(members_of(row.org_id), "event_registration", "event_called_off",
                   {"org": row.org.name, "event": event.name, "when": when}, link=f"/activities/{event.id}")
    return len(rows)


def status_label(status: str) -> str:
    from matchmaker import labels

    return labels.label("invitation_status", status)


def _status_label(status: str) -> str:
    from matchmaker import labels

    return labels.label("invitation_status", status)


# ---- the participant's lists -------------------------------------------------------------------------------

def my_registrations(actor: User | None, page: int = 1, per_page: int = 20) -> tuple[list[Invitation], int]:
    """我的活动: the rows of the actor's organization, coming events first, paged in SQL."""
    user = require_user(actor)
    org_id = _member_org_id(user)
    if org_id is None:
        return [], 0
    where = (Invitation.org_id == org_id,)
    total = db.session.scalar(select(func.count(Invitation.id)).where(*where)) or 0
    rows = db.session.scalars(select(Invitation).join(Event, Event.id == Invitation.event_id).where(*where)
                              .order_by(Event.starts_at.desc(), Invitation.id.desc())
                              .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total


def registration_problem(actor: User | None, event: Event) -> Any | None:
    """Why a signed-in visitor may not register for an open event (unverified organization, no membership)."""
    if actor is None or not actor.is_active or not registration_open(event):
        return None
    if actor.is_staff and _member_org_id(actor) is None:
        return _l("工作人员请在活动的现场签到页添加单位。")
    return standing_problem(actor)


def registration_actions(actor: User | None, event: Event) -> frozenset[str]:
    """What the actor may do about its organization's part in this event (data for the public page)."""
    out: set[str] = set()
    if actor is None or not actor.is_active:
        return frozenset({"sign_in_to_register"}) if registration_open(event) else frozenset()
    row = own_registration(event, actor)
    may_act = _member_org_id(actor) is not None and standing_problem(actor) is None
    open_ = event.status == "planned" and not is_past(event)
    if row is not None and row.status in OPEN_STATUSES:
        out.add("see_registration")
    if may_act and open_:
        if row is not None and row.status == "invited":
            out |= {"accept_invitation", "decline_invitation"}
        elif event.is_public and (row is None or row.status in REREGISTER_STATUSES):
            out.add("register")
        if row is not None and row.status in ("pending", "waitlisted", "registered"):
            out.add("cancel")
    return frozenset(out)


def own_needs(actor: User | None) -> list[Need]:
    """The actor's organization's published needs (what it may say it brings to an event)."""
    org_id = _member_org_id(actor)
    if org_id is None:
        return []
    return list(db.session.scalars(select(Need).where(Need.org_id == org_id, Need.status.in_(PUBLIC_STATUSES))
                                   .order_by(Need.id.desc()).limit(50)))


@dataclass(frozen=True)
class MyEvent:
    """One organization's part in an event: its registration row (None for a presenting organization that
    never registered) and its meetings with time and table."""

    event: Event
    org_id: int
    registration: Invitation | None
    meetings: list[schedule.ScheduledMeeting]


def my_event(event_id: int, actor: User | None) -> MyEvent:
    """The actor's organization's registration and schedule; not found for an event it has no part in."""
    user = require_user(actor)
    org_id = _member_org_id(user)
    event = db.session.get(Event, event_id)
    if event is None or org_id is None:
        raise NotFound(_l("贵单位没有参加该活动。"))
    row = registration_of(event, org_id)
    if row is None and org_id not in participant_orgs(event):
        raise NotFound(_l("贵单位没有参加该活动。"))
    meetings = schedule.meetings_of(event, org_id) if row is None or row.status in PARTICIPANT_STATUSES else []
    return MyEvent(event, org_id, row, meetings)


def my_schedules(actor: User | None) -> list[MyEvent]:
    """Every coming or recent event the actor's organization has a place at, with its meetings (for the API)."""
    user = require_user(actor)
    org_id = _member_org_id(user)
    if org_id is None:
        return []
    rows = db.session.scalars(select(Invitation).join(Event, Event.id == Invitation.event_id).where(
        Invitation.org_id == org_id, Invitation.status.in_(PARTICIPANT_STATUSES), Event.status != "cancelled")
        .order_by(Event.starts_at, Event.id).limit(100))
    return [MyEvent(r.event, org_id, r, schedule.meetings_of(r.event, org_id)) for r in rows]

"""约见: a registered participant asks another for a 1:1 meeting at an event; the other side answers.

Accepted requests are the fixed meetings the agenda builder keeps (services/events/agenda.py reads them);
declined ones are never scheduled. A request always has a topic result (what the agenda's meetings are
about): the presented result asked for, or for an organization target a presented result of one of the two.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from matchmaker.extensions import db
from matchmaker.models import Event, EventResult, Meeting, MeetingRequest, Organization, Result, User
from matchmaker.models._base import utcnow
from matchmaker.models.meeting_request import MESSAGE_MAX, OPEN_REQUEST_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, FieldErrors, NotFound, PermissionDenied
from matchmaker.services.events import registrations, schedule
from matchmaker.services.lookup import get_or_not_found, page_of
from matchmaker.services.notify.notifications import members_of, notify, notify_all, staff_users
from matchmaker.services.permissions import (
    is_staff,
    meeting_request_answerable,
    meeting_request_withdrawable,
    requests_open,
    require_standing,
    require_user,
    standing_problem,
)


def _event(event_id: int) -> Event:
    return get_or_not_found(Event, event_id, _l("找不到该活动。"))


def _check_open(event: Event) -> None:
    if not requests_open(event, fields.now()):
        raise Conflict(_l("只有筹备中、尚未开始的活动可以约见。"), code="event_closed")


def _params(req: MeetingRequest) -> dict[str, Any]:
    return {"org": req.from_org.name, "to": req.to_org.name, "event": req.event.name, "title": req.result.title}


def _link(req: MeetingRequest) -> str:
    return f"/events/{req.event_id}/meeting-requests"


def request_meeting(event_id: int, data: dict[str, Any], actor: User | None) -> MeetingRequest:
    """Ask for a meeting with a presented result's team (result_id) or a registered organization (org_id)."""
    user = require_standing(actor)
    event = _event(event_id)
    _check_open(event)
    if user.org_id is None or not registrations.is_participant(event, user.org_id):
        raise PermissionDenied(_l("贵单位报名参加本次活动后才能约见。"), code="not_registered")
    errors = FieldErrors()
    message = fields.text(errors, data, "message", required=True, max_len=MESSAGE_MAX)
    result_id = _int(data.get("result_id"))
    org_id = _int(data.get("org_id"))
    if (result_id is None) == (org_id is None):
        errors.add("target", _l("请选择要约见的成果或单位。"))
    errors.raise_if_any()
    if result_id is not None:
        presented = db.session.scalar(select(EventResult).where(EventResult.event_id == event.id,
                                                                EventResult.result_id == result_id))
        if presented is None:
            raise Conflict(_l("该成果不在本次活动的展示名单中。"), code="not_a_participant")
        topic, to_org_id, kind = presented.result, presented.result.org_id, "result"
    else:
        assert org_id is not None
        if org_id != user.org_id and not registrations.is_participant(event, org_id):
            raise Conflict(_l("该单位没有参加本次活动。"), code="not_a_participant")
        topic, to_org_id, kind = None, org_id, "organization"
    if to_org_id == user.org_id:
        raise Conflict(_l("不能约见本单位。"), code="self_request")
    if topic is None:
        topic = _topic(event, to_org_id, user.org_id)
    duplicate = db.session.scalar(select(MeetingRequest.id).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status.in_(OPEN_REQUEST_STATUSES),
        or_((MeetingRequest.from_org_id == user.org_id) & (MeetingRequest.to_org_id == to_org_id),
            (MeetingRequest.from_org_id == to_org_id) & (MeetingRequest.to_org_id == user.org_id))).limit(1))
    if duplicate is not None:
        raise Conflict(_l("贵单位与该单位在本次活动已有未结束的约见。"), code="duplicate_request")
    req = MeetingRequest(event_id=event.id, from_org_id=user.org_id, from_user_id=user.id, to_org_id=to_org_id,
                         target_kind=kind, result_id=topic.id, message=message, status="requested")
    db.session.add(req)
    db.session.flush()
    audit.record(user, "request_meeting", req, {"status": {"after": "requested"}, "to_org_id": {"after": to_org_id},
                                               "result_id": {"after": topic.id}}, note=f"event {event.id}")
    notify_all(members_of(to_org_id), "meeting_request", "meeting_requested", _params(req), link=_link(req))
    db.session.commit()
    return req


def _int(raw: Any) -> int | None:
    value = str(raw if raw is not None else "").strip()
    return int(value) if value.isdigit() else None


def _topic(event: Event, *org_ids: int) -> Result:
    """The first presented result of the target, else of the requester (the meeting's subject on the agenda)."""
    for org_id in org_ids:
        found = db.session.scalar(select(Result).join(EventResult, EventResult.result_id == Result.id).where(
            EventResult.event_id == event.id, Result.org_id == org_id).order_by(EventResult.position, Result.id)
            .limit(1))
        if found is not None:
            return found
    raise Conflict(_l("双方都没有在本次活动展示的成果，无法安排 1:1 洽谈；请约见展示成果的团队。"),
                   code="no_presented_result")


def get_request(request_id: int, actor: User | None) -> MeetingRequest:
    """A request its two organizations (and staff) may see; NotFound for anyone else."""
    user = require_standing(actor)
    req = db.session.get(MeetingRequest, request_id)
    if req is None or not (user.is_staff or user.org_id in (req.from_org_id, req.to_org_id)):
        raise NotFound(_l("找不到该约见。"))
    return req


def accepted_count(event_id: int, org_id: int) -> int:
    """Accepted requests the organization is party to at this event (what meeting_cap limits)."""
    return db.session.scalar(select(func.count(MeetingRequest.id)).where(
        MeetingRequest.event_id == event_id, MeetingRequest.status == "accepted",
        or_(MeetingRequest.from_org_id == org_id, MeetingRequest.to_org_id == org_id))) or 0


def accept_request(request_id: int, actor: User | None) -> MeetingRequest:
    """A member of the target organization accepts; neither side may exceed the event's meeting cap."""
    user, req = _answerable(request_id, actor)
    cap = req.event.meeting_cap
    for org in (req.from_org, req.to_org):
        if accepted_count(req.event_id, org.id) >= cap:
            raise Conflict(_l("%(org)s 在本次活动已约定 %(n)d 场洽谈，达到每个单位的上限。", org=org.name, n=cap),
                           code="cap_reached")
    _answer(req, "accepted", user)
    notify(req.from_user, "meeting_request", "meeting_accepted", _params(req), link=_link(req))
    db.session.commit()
    return req


def decline_request(request_id: int, actor: User | None) -> MeetingRequest:
    """A member of the target organization declines: the two will not be scheduled together at this event."""
    user, req = _answerable(request_id, actor)
    _answer(req, "declined", user)
    notify(req.from_user, "meeting_request", "meeting_declined", _params(req), link=_link(req))
    db.session.commit()
    return req


def withdraw_request(request_id: int, actor: User | None) -> MeetingRequest:
    """The requesting organization takes its request back (before the event)."""
    user = require_standing(actor)
    req = get_request(request_id, user)
    if user.org_id != req.from_org_id:
        raise PermissionDenied(_l("只有发起约见的单位可以撤回。"))
    if not meeting_request_withdrawable(req, fields.now()):
        raise Conflict(_l("该约见已结束或活动已开始，不能撤回。"), code="bad_status")
    before = req.status
    _answer(req, "withdrawn", user)
    if before == "accepted":
        slots = _drop_kept_meetings(req, user)
        notify_all(members_of(req.to_org_id), "meeting_request", "meeting_withdrawn", _params(req), link=_link(req))
        if slots:  # the printed agenda staff hand out has a hole now (one request is one meeting)
            notify_all(staff_users(), "meeting_request", "agenda_meeting_withdrawn", {**_params(req), **slots[0]},
                       link=f"/events/{req.event_id}/agenda")
    db.session.commit()
    return req


def _drop_kept_meetings(req: MeetingRequest, user: User) -> list[dict[str, Any]]:
    """A withdrawn agreement leaves no meeting behind in a saved agenda (its slot is free for the builder);
    returns the freed times and tables, for staff."""
    freed: list[dict[str, Any]] = []
    for meeting in db.session.scalars(select(Meeting).where(Meeting.request_id == req.id)):
        freed.append({"time": schedule.slot_start(req.event, meeting.slot).strftime("%H:%M"),
                      "table": meeting.table_no})
        audit.record(user, "remove_meeting", meeting, {k: {"before": getattr(meeting, k)} for k in
                                                       ("result_id", "need_id", "company_id", "slot", "table_no")},
                     note=f"event {req.event_id}; request {req.id} withdrawn")
        db.session.delete(meeting)
    return freed


def _answerable(request_id: int, actor: User | None) -> tuple[User, MeetingRequest]:
    user = require_standing(actor)
    req = get_request(request_id, user)
    if user.org_id != req.to_org_id:
        raise PermissionDenied(_l("只有被约见的单位可以答复。"))
    if req.status != "requested":
        raise Conflict(_l("该约见已答复或已撤回。"), code="bad_status")
    if not meeting_request_answerable(req, fields.now()):
        raise Conflict(_l("只有筹备中、尚未开始的活动可以约见。"), code="event_closed")
    return user, req


def _answer(req: MeetingRequest, status: str, user: User) -> None:
    audit.record(user, f"{status}_meeting_request" if status != "withdrawn" else "withdraw_meeting_request", req,
                 {"status": {"before": req.status, "after": status}}, note=f"event {req.event_id}")
    req.status, req.answered_by_id, req.answered_at = status, user.id, utcnow()


def list_requests(actor: User | None, *, event_id: int | None = None, box: str = "received", page: int = 1,
                  per_page: int = 20) -> tuple[list[MeetingRequest], int]:
    """The actor's organization's requests received or sent, newest first, paged in SQL."""
    user = require_user(actor)
    if user.org_id is None:
        return [], 0
    column = MeetingRequest.to_org_id if box == "received" else MeetingRequest.from_org_id
    stmt = select(MeetingRequest).where(column == user.org_id)
    if event_id is not None:
        stmt = stmt.where(MeetingRequest.event_id == event_id)
    return page_of(stmt.order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc()), page, per_page)


def requested_org_ids(event: Event, org_id: int | None) -> set[int]:
    """Organizations this one already has an open request with at the event (no second 约见 button)."""
    if org_id is None:
        return set()
    rows = db.session.execute(select(MeetingRequest.from_org_id, MeetingRequest.to_org_id).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status.in_(OPEN_REQUEST_STATUSES),
        or_(MeetingRequest.from_org_id == org_id, MeetingRequest.to_org_id == org_id)))
    return {a if b == org_id else b for a, b in rows}


@dataclass(frozen=True)
class MeetOptions:
    """What the 约见 page offers the actor at one event."""

    event: Event
    results: list[Result]
    """Presented results of other organizations (the actor's own are left out)."""
    orgs: list[Organization]
    """Other participating organizations."""
    asked: set[int]
    """Organizations the actor's organization already has an open request with."""
    problem: Any | None
    """Why the actor cannot ask (not registered, event closed), or None when 约见 buttons are shown."""


def meet_options(event_id: int, actor: User | None) -> MeetOptions:
    """Presented results and participants to ask for a meeting; NotFound unless the event is public or the actor
    takes part in it (or is staff)."""
    event = _event(event_id)
    org_id = actor.org_id if actor is not None and actor.is_active else None
    taking_part = org_id is not None and registrations.is_participant(event, org_id)
    if not (event.is_public or taking_part or is_staff(actor)) or event.status == "cancelled":
        raise NotFound(_l("找不到该活动。"))
    problem: Any | None = None
    if actor is None or not actor.is_active:
        problem = _l("登录并报名参加本次活动后可以约见。")
    elif standing_problem(actor) is not None:
        problem = standing_problem(actor)
    elif not taking_part:
        problem = _l("贵单位报名参加本次活动后才能约见。")
    elif not requests_open(event, fields.now()):
        problem = _l("只有筹备中、尚未开始的活动可以约见。")
    results = [p.result for p in event.presentations if p.result.org_id != org_id]
    others = sorted(registrations.participant_orgs(event) - {org_id or 0})
    orgs = list(db.session.scalars(select(Organization).where(Organization.id.in_(others))
                                   .order_by(Organization.name))) if others else []
    return MeetOptions(event, results, orgs, requested_org_ids(event, org_id), problem)

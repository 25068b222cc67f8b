"""Registrations for events (the participant's side): input, output and presenter; the caller's schedule."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema, fields

from matchmaker.api.schemas.common import BodySchema, Id, Int, Text, aware, local
from matchmaker.api.schemas.organizations import OrgRef, org_ref
from matchmaker.services.events import schedule

if TYPE_CHECKING:
    from matchmaker.models import Invitation
    from matchmaker.services.events.registrations import MyEvent


class RegistrationIn(BodySchema):
    attendees = fields.List(Text(), required=True, metadata={"description": "Who will come, one name each."})
    headcount = Int(required=True, metadata={"description": "How many people (1-50), at least the names given."})
    interest_result_ids = fields.List(Id(strict=True), load_default=list, metadata={
        "description": "Presented results of the event that interest the organization."})
    interest_need_ids = fields.List(Id(strict=True), load_default=list, metadata={
        "description": "The organization's own published needs it brings."})


REGISTRATION_EXAMPLE = {"attendees": ["张三（总工）", "李四"], "headcount": 2, "interest_result_ids": [1]}


class RegistrationOut(Schema):
    id = fields.Integer(required=True)
    event_id = fields.Integer(required=True)
    org = fields.Nested(OrgRef, required=True)
    status = fields.String(required=True, metadata={
        "description": "invited, pending (awaits staff approval), waitlisted (event full), registered, attended, "
                       "declined (the organization said no), rejected (staff declined), cancelled"})
    attendees = fields.List(fields.String(), required=True)
    headcount = fields.Integer(allow_none=True, required=True)
    interest_result_ids = fields.List(fields.Integer(), required=True)
    interest_need_ids = fields.List(fields.Integer(), required=True)
    checkin_code = fields.String(allow_none=True, required=True, metadata={
        "description": "The code behind the confirmation's QR (registered or attended only)."})
    registered_at = fields.DateTime(allow_none=True, required=True)
    checked_in_at = fields.DateTime(allow_none=True, required=True)


class ScheduleMeetingOut(Schema):
    id = fields.Integer(required=True)
    starts_at = fields.DateTime(required=True, metadata={"description": "Event start + slot × slot minutes, local."})
    ends_at = fields.DateTime(required=True)
    table_no = fields.Integer(required=True)
    other_party = fields.String(required=True, metadata={"description": "The organization met."})
    topic = fields.String(required=True, metadata={"description": "The presented result's title."})


class ScheduleEventOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    venue = fields.String(required=True)
    status = fields.String(required=True)


class ScheduleOut(Schema):
    event = fields.Nested(ScheduleEventOut, required=True)
    registration = fields.Nested(RegistrationOut, required=True)
    meetings = fields.List(fields.Nested(ScheduleMeetingOut), required=True)


class ScheduleList(Schema):
    items = fields.List(fields.Nested(ScheduleOut), required=True)


def registration(row: Invitation) -> dict[str, Any]:
    placed = row.status in ("registered", "attended")
    return {"id": row.id, "event_id": row.event_id, "org": org_ref(row.org), "status": row.status,
            "attendees": [a for a in (row.attendees or "").splitlines() if a], "headcount": row.headcount,
            "interest_result_ids": list(row.interest_result_ids or []),
            "interest_need_ids": list(row.interest_need_ids or []),
            "checkin_code": schedule.show_code(row.checkin_code) if placed else None,
            "registered_at": aware(row.registered_at),
            "checked_in_at": aware(row.checked_in_at)}


def registration_input(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON body as the service's fields (attendees one a line)."""
    return {**data, "attendees": "\n".join(str(a) for a in data.get("attendees") or [])}


def my_schedule(part: MyEvent) -> dict[str, Any]:
    event = part.event
    assert part.registration is not None
    return {"event": {"id": event.id, "name": event.name, "starts_at": local(event.starts_at), "venue": event.venue,
                      "status": event.status},
            "registration": registration(part.registration),
            "meetings": [{"id": m.meeting.id, "starts_at": local(m.starts_at), "ends_at": local(m.ends_at),
                          "table_no": m.table_no, "other_party": m.other_party, "topic": m.topic}
                         for m in part.meetings]}

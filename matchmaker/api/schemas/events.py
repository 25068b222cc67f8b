"""Events (对接活动): input, output and presenter of events, invitations, meetings and agendas."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import (
    YEAR,
    BodySchema,
    Id,
    Int,
    LocalDateTime,
    PageArgs,
    PageOut,
    Text,
    aware,
    local,
)
from matchmaker.api.schemas.matching import TargetOut, target
from matchmaker.api.schemas.organizations import OrgRef, org_ref
from matchmaker.services.events import events

if TYPE_CHECKING:
    from matchmaker.models import Event, Invitation, Meeting


class EventIn(BodySchema):
    name = Text(allow_none=True)
    type = Text(allow_none=True, metadata={"description": "roadshow, matchmaking, campus, auction"})
    starts_at = LocalDateTime(allow_none=True, metadata={
        "description": "Local time (Asia/Shanghai); an offset, if given, is converted."})
    venue = Text(allow_none=True)
    chain_ids = fields.List(Id(strict=True), allow_none=True)
    capacity = Int(allow_none=True)
    description = Text(allow_none=True)
    slot_minutes = Int(allow_none=True, metadata={"description": "Default 20."})
    slot_count = Int(allow_none=True, metadata={"description": "Default 6."})
    table_count = Int(allow_none=True, metadata={"description": "Default 5."})
    meeting_cap = Int(allow_none=True, metadata={"description": "Meetings per organization; default 3."})
    is_public = fields.Boolean(allow_none=True, metadata={
        "description": "Listed publicly; members of verified organizations may register. Default false."})
    requires_approval = fields.Boolean(allow_none=True, metadata={
        "description": "Registrations wait for staff approval. Default false."})


EVENT_EXAMPLE = {"name": "新材料成果对接会", "type": "matchmaking", "starts_at": "2030-05-20T09:00:00+08:00",
                 "venue": "淄博市科技大厦", "chain_ids": [1], "capacity": 80, "slot_minutes": 20, "slot_count": 6,
                 "table_count": 5, "meeting_cap": 3}


class EventListArgs(PageArgs):
    public = fields.Boolean(load_default=False, metadata={
        "description": "1: the public planned and held events (no token needed); other filters are ignored."})
    status = Text(load_default="", validate=validate.Length(max=20),
                  metadata={"description": "planned, held, cancelled"})
    type = Text(load_default="", validate=validate.Length(max=20))
    year = fields.Integer(load_default=None, validate=YEAR)


class OrgIdsIn(BodySchema):
    org_ids = fields.List(Id(strict=True), required=True)


class ResultIdsIn(BodySchema):
    result_ids = fields.List(Id(strict=True), required=True)


class AgendaIn(BodySchema):
    keep_existing = fields.Boolean(load_default=True, metadata={
        "description": "Keep every current meeting and fill free seats; false plans again (meetings with an "
                       "outcome or an intent always stay)."})


class MeetingIn(BodySchema):
    slot = Int(allow_none=True, metadata={"description": "0-based slot of the event's agenda."})
    table_no = Int(allow_none=True, metadata={"description": "1-based table number."})
    outcome = Text(allow_none=True, metadata={"description": "none, no_interest, follow_up (intent: log an intent)"})


class EventOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    type = fields.String(required=True)
    status = fields.String(required=True)
    starts_at = fields.DateTime(required=True, metadata={"description": "Local time, with the +08:00 offset."})
    venue = fields.String(required=True)
    chain_ids = fields.List(fields.Integer(), required=True)
    capacity = fields.Integer(allow_none=True, required=True)
    description = fields.String(required=True)
    slot_minutes = fields.Integer(required=True)
    slot_count = fields.Integer(required=True)
    table_count = fields.Integer(required=True)
    meeting_cap = fields.Integer(required=True)
    is_public = fields.Boolean(required=True)
    requires_approval = fields.Boolean(required=True)
    transitions = fields.List(fields.String(), required=True, metadata={"description": "Statuses it may go to."})
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class EventPage(PageOut):
    items = fields.List(fields.Nested(EventOut), required=True)


class PresentedOut(Schema):
    result = fields.Nested(TargetOut, required=True)
    position = fields.Integer(required=True)
    score = fields.Float(required=True)


class InvitationOut(Schema):
    org = fields.Nested(OrgRef, required=True)
    status = fields.String(required=True, metadata={
        "description": "invited, pending, waitlisted, registered, attended, declined, rejected, cancelled"})
    score = fields.Float(required=True)
    checked_in_at = fields.DateTime(allow_none=True, required=True)


class MeetingOut(Schema):
    id = fields.Integer(required=True)
    event_id = fields.Integer(required=True)
    slot = fields.Integer(required=True)
    table_no = fields.Integer(required=True)
    starts_at = fields.DateTime(required=True, metadata={"description": "Start of the slot, local time."})
    result = fields.Nested(TargetOut, required=True)
    need = fields.Nested(TargetOut, allow_none=True, required=True)
    company = fields.Nested(OrgRef, required=True)
    score = fields.Float(required=True)
    outcome = fields.String(required=True, metadata={"description": "none, no_interest, follow_up, intent"})


class MeetingList(Schema):
    items = fields.List(fields.Nested(MeetingOut), required=True)


class EventDetail(EventOut):
    presented = fields.List(fields.Nested(PresentedOut), required=True)
    invitations = fields.List(fields.Nested(InvitationOut), required=True)
    meetings = fields.List(fields.Nested(MeetingOut), required=True)


class ListsAdded(Schema):
    added = fields.Integer(required=True, metadata={"description": "How many were new (others were skipped)."})
    event = fields.Nested(EventDetail, required=True)


class AgendaOut(Schema):
    placed = fields.Integer(required=True)
    kept = fields.Integer(required=True)
    unscheduled = fields.Integer(required=True)
    unplaced = fields.List(fields.String(), required=True,
                           metadata={"description": "The candidates left out, one readable line each."})
    invited = fields.List(fields.String(), required=True,
                          metadata={"description": "Organizations put on the invitation list for their meetings."})
    total_score = fields.Float(required=True)
    meetings = fields.List(fields.Nested(MeetingOut), required=True)


class EventRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


EVENT_FIELDS = ("id", "name", "type", "status", "venue", "capacity", "description", "slot_minutes", "slot_count",
                "table_count", "meeting_cap", "is_public", "requires_approval")


EVENT_INPUT = ("name", "type", "starts_at", "venue", "chain_ids", "capacity", "description", "slot_minutes",
               "slot_count", "table_count", "meeting_cap", "is_public", "requires_approval")


def event(item: Event) -> dict[str, Any]:
    out = {name: getattr(item, name) for name in EVENT_FIELDS}
    out.update(starts_at=local(item.starts_at), chain_ids=list(item.chain_ids or []),
               transitions=list(events.TRANSITIONS.get(item.status, ())),
               created_at=aware(item.created_at), updated_at=aware(item.updated_at))
    return out


def invitation(row: Invitation) -> dict[str, Any]:
    return {"org": org_ref(row.org), "status": row.status, "score": row.score,
            "checked_in_at": aware(row.checked_in_at)}


def meeting(row: Meeting) -> dict[str, Any]:
    return {"id": row.id, "event_id": row.event_id, "slot": row.slot, "table_no": row.table_no,
            "starts_at": local(events.slot_time(row.event, row.slot)), "result": target(row.result),
            "need": target(row.need) if row.need is not None else None, "company": org_ref(row.company),
            "score": row.score, "outcome": row.outcome}


def event_detail(item: Event) -> dict[str, Any]:
    return {**event(item),
            "presented": [{"result": target(p.result), "position": p.position, "score": p.score}
                          for p in item.presentations],
            "invitations": [invitation(i) for i in item.invitations],
            "meetings": [meeting(m) for m in item.meetings]}


def event_input(item: Event) -> dict[str, Any]:
    """The stored input fields, to merge a partial update onto."""
    return {name: getattr(item, name) for name in EVENT_INPUT}

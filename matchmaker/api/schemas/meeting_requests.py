"""约见 meeting requests at events: input, output and presenter."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import BodySchema, Id, PageArgs, PageOut, Text, aware
from matchmaker.models.meeting_request import MESSAGE_MAX
from matchmaker.services.permissions import actions_for

if TYPE_CHECKING:
    from matchmaker.models import MeetingRequest, User


class MeetingRequestIn(BodySchema):
    result_id = Id(load_default=None, allow_none=True,
                   metadata={"description": "A result presented at the event (its owner organization answers)."})
    org_id = Id(load_default=None, allow_none=True,
                metadata={"description": "Or another participating organization (exactly one of the two)."})
    message = Text(required=True, validate=validate.Length(max=20000),
                   metadata={"description": f"Why meet: required, at most {MESSAGE_MAX} characters."})


MEETING_REQUEST_EXAMPLE = {"result_id": 12, "message": "想了解中试条件和许可方式。"}


class MeetingRequestListArgs(PageArgs):
    box = Text(load_default="received", validate=validate.OneOf(("received", "sent")),
               metadata={"description": "received (default) | sent"})
    event_id = Id(load_default=None, metadata={"description": "Only this event's requests."})


class MeetingRequestOut(Schema):
    id = fields.Integer(required=True)
    event_id = fields.Integer(required=True)
    from_org_id = fields.Integer(required=True)
    to_org_id = fields.Integer(required=True)
    target_kind = fields.String(required=True, metadata={"description": "result | organization"})
    result_id = fields.Integer(required=True, metadata={"description": "The result the meeting is about."})
    result_title = fields.String(required=True)
    message = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "requested, accepted, declined, withdrawn"})
    answered_at = fields.DateTime(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    actions = fields.List(fields.String(), required=True,
                          metadata={"description": "What the caller may do now: accept, decline, withdraw."})


class MeetingRequestPage(PageOut):
    items = fields.List(fields.Nested(MeetingRequestOut), required=True)


def meeting_request(req: MeetingRequest, actor: User | None) -> dict[str, Any]:
    return {**{k: getattr(req, k) for k in ("id", "event_id", "from_org_id", "to_org_id", "target_kind",
                                            "result_id", "message", "status")},
            "result_title": req.result.title, "answered_at": aware(req.answered_at),
            "created_at": aware(req.created_at), "actions": sorted(actions_for(actor, req))}

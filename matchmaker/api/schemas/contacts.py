"""Contact requests (我要对接): input, output and presenter."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import Id, PageArgs, PageOut, Text


class ContactRequestIn(Schema):
    target_kind = Text(required=True, metadata={"description": "result | need"})
    target_id = Id(required=True)
    message = Text(required=True, validate=validate.Length(max=20000),
                   metadata={"description": "What cooperation and why (10 to CONTACT_MESSAGE_MAX characters)."})
    mode = Text(required=True, metadata={"description": "transfer | license | equity | joint | service"})
    own_posting_id = Id(load_default=None, allow_none=True,
                        metadata={"description": "One of your organization's published postings of the other kind "
                                                 "(required when the target is a need)."})
    accept_terms = fields.Boolean(load_default=True,
                                  metadata={"description": "Sending the request through the API confirms the "
                                                           "platform's terms unless this is false."})


class ContactListArgs(PageArgs):
    status = Text(load_default="", validate=validate.Length(max=20))
    box = Text(load_default="", validate=validate.Length(max=10), metadata={"description": "sent | received"})


class PartyOut(Schema):
    org = fields.String(required=True)
    name = fields.String(required=True)
    phone = fields.String(required=True)
    email = fields.String(required=True)
    masked = fields.Boolean(required=True)


class ContactEventOut(Schema):
    status = fields.String(required=True)
    at = fields.DateTime(required=True)
    actor_id = fields.Integer(allow_none=True, required=True)
    note = fields.String(required=True)


class ContactRequestOut(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    target_kind = fields.String(required=True)
    target_id = fields.Integer(required=True)
    target_title = fields.String(required=True)
    requester_org_id = fields.Integer(required=True)
    owner_org_id = fields.Integer(required=True)
    own_posting_id = fields.Integer(allow_none=True, required=True)
    message = fields.String(required=True)
    mode = fields.String(required=True)
    staff_reason = fields.String(required=True)
    owner_message = fields.String(required=True)
    due_on = fields.Date(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    revealed_at = fields.DateTime(allow_none=True, required=True)
    intent_id = fields.Integer(allow_none=True, required=True, metadata={"description": "Set once revealed."})
    actions = fields.List(fields.String(), required=True, metadata={"description": "What the caller may do now."})
    requester = fields.Nested(PartyOut, required=True)
    owner = fields.Nested(PartyOut, required=True)
    timeline = fields.List(fields.Nested(ContactEventOut), required=True)


class ContactRequestPage(PageOut):
    items = fields.List(fields.Nested(ContactRequestOut), required=True)

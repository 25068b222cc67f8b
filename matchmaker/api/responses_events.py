"""Output schemas of events, meetings, intents, transfers and the yearly goals."""
from __future__ import annotations

from marshmallow import Schema, fields

from matchmaker.api.responses import OrgRef, PageOut, TargetOut


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
    status = fields.String(required=True, metadata={"description": "invited, registered, attended"})
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


class NoteOut(Schema):
    id = fields.Integer(required=True)
    noted_on = fields.Date(required=True)
    text = fields.String(required=True)
    author_id = fields.Integer(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)


class IntentOut(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    result = fields.Nested(TargetOut, required=True)
    company = fields.Nested(OrgRef, required=True)
    need = fields.Nested(TargetOut, allow_none=True, required=True)
    event = fields.Nested(EventRef, allow_none=True, required=True)
    meeting_id = fields.Integer(allow_none=True, required=True)
    logged_on = fields.Date(required=True)
    mode = fields.String(required=True)
    amount_wan = fields.Float(allow_none=True, required=True, metadata={"description": "万元; null means 面议"})
    last_activity_on = fields.Date(required=True)
    stale = fields.Boolean(required=True)
    transitions = fields.List(fields.String(), required=True, metadata={"description": "Statuses it may go to."})
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class IntentPage(PageOut):
    items = fields.List(fields.Nested(IntentOut), required=True)


class IntentDetail(IntentOut):
    notes = fields.List(fields.Nested(NoteOut), required=True)


class TransferOut(Schema):
    id = fields.Integer(required=True)
    result = fields.Nested(TargetOut, required=True)
    buyer = fields.Nested(OrgRef, required=True)
    intent_id = fields.Integer(allow_none=True, required=True)
    contract_number = fields.String(required=True)
    contract_type = fields.String(required=True)
    amount_wan = fields.Float(allow_none=True, required=True, metadata={"description": "万元; null means 面议"})
    signed_on = fields.Date(required=True)
    local = fields.Boolean(required=True, metadata={"description": "As counted: the override if any, else derived."})
    derived_local = fields.Boolean(required=True, metadata={"description": "What the buyer's credit code says."})
    local_override = fields.Boolean(allow_none=True, required=True)
    override_reason = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class TransferPage(PageOut):
    items = fields.List(fields.Nested(TransferOut), required=True)


class EvidenceOut(Schema):
    kind = fields.String(required=True, metadata={"description": "event, transfer, result, organization, intent"})
    id = fields.Integer(required=True)
    on = fields.Date(required=True, metadata={"description": "The day it counts from."})
    merged = fields.List(fields.Integer(), required=True,
                         metadata={"description": "Near-duplicate results counted as this one."})


class GoalOut(Schema):
    metric = fields.String(required=True, metadata={"description": "events, transfers, results, firms, intents"})
    label = fields.String(required=True)
    target = fields.Integer(required=True)
    actual = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    pace = fields.Integer(required=True, metadata={"description": "Where a steady pace would stand today."})
    forecast = fields.Integer(required=True, metadata={"description": "Year-end value at the current rate."})
    status = fields.String(required=True, metadata={"description": "done, on_track, behind"})
    status_label = fields.String(required=True)
    behind_by = fields.Integer(required=True)
    evidence = fields.List(fields.Nested(EvidenceOut), required=True)


class GoalsOut(Schema):
    year = fields.Integer(required=True)
    today = fields.Date(required=True)
    items = fields.List(fields.Nested(GoalOut), required=True)

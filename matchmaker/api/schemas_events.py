"""Input schemas of events, meetings, intents and transfers: types only, the services own every rule."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from matchmaker.api.schemas import BodySchema, Id, Int, PageArgs, Text
from matchmaker.services import fields as clock
from matchmaker.services.goals.figures import MAX_YEAR, MIN_YEAR

YEAR = validate.Range(MIN_YEAR, MAX_YEAR)


class LocalDateTime(fields.DateTime):
    """An event's wall-clock time in Asia/Shanghai: a time with an offset is converted, one without is taken as is.

    Years are kept to MIN_YEAR..MAX_YEAR so slot times can never overflow.
    """

    default_error_messages = {"invalid": _l("时间格式应为 YYYY-MM-DD HH:MM。")}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not MIN_YEAR <= moment.year <= MAX_YEAR:
            raise self.make_error("invalid")
        if moment.tzinfo is not None:
            moment = moment.astimezone(clock.local_tz()).replace(tzinfo=None)
        return moment


# ---- events and meetings ---------------------------------------------------------------------------------------

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


EVENT_EXAMPLE = {"name": "新材料成果对接会", "type": "matchmaking", "starts_at": "2030-05-20T09:00:00+08:00",
                 "venue": "淄博市科技大厦", "chain_ids": [1], "capacity": 80, "slot_minutes": 20, "slot_count": 6,
                 "table_count": 5, "meeting_cap": 3}


class EventListArgs(PageArgs):
    status = Text(load_default="", validate=validate.Length(max=20),
                  metadata={"description": "planned, held, cancelled"})
    type = Text(load_default="", validate=validate.Length(max=20))
    year = fields.Integer(load_default=None, validate=YEAR)


class StatusIn(BodySchema):
    status = Text(required=True)


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


# ---- intents and transfers ------------------------------------------------------------------------------------

class IntentIn(BodySchema):
    result_id = Id(allow_none=True, strict=True)
    company_id = Id(allow_none=True, strict=True)
    need_id = Id(allow_none=True, strict=True)
    event_id = Id(allow_none=True, strict=True)
    meeting_id = Id(allow_none=True, strict=True)
    logged_on = fields.Date(allow_none=True)
    mode = Text(allow_none=True, metadata={"description": "transfer, license, equity, joint, service"})
    amount_wan = fields.Decimal(allow_none=True, metadata={"description": "万元; null means 面议"})


class IntentListArgs(PageArgs):
    status = Text(load_default="", validate=validate.Length(max=20),
                  metadata={"description": "open, negotiating, signed, dropped"})
    event_id = Id(load_default=None)
    year = fields.Integer(load_default=None, validate=YEAR)
    stale = fields.Boolean(load_default=False, metadata={
        "description": "Only open or negotiating intents without activity for STALE_INTENT_DAYS."})


class NoteIn(BodySchema):
    noted_on = fields.Date(allow_none=True)
    text = Text(allow_none=True)


class TransferIn(BodySchema):
    result_id = Id(allow_none=True, strict=True)
    buyer_id = Id(allow_none=True, strict=True)
    intent_id = Id(allow_none=True, strict=True)
    contract_number = Text(allow_none=True)
    contract_type = Text(allow_none=True,
                         metadata={"description": "development, transfer, license, consulting, service"})
    amount_wan = fields.Decimal(allow_none=True, metadata={"description": "万元; null means 面议"})
    signed_on = fields.Date(allow_none=True)
    local_override = fields.Boolean(allow_none=True, metadata={
        "description": "null: local is derived from the buyer's credit code; true/false: staff decide (with a "
                       "reason)."})
    override_reason = Text(allow_none=True)


class TransferListArgs(PageArgs):
    year = fields.Integer(load_default=None, validate=YEAR)
    local = fields.Boolean(load_default=None, allow_none=True, metadata={
        "description": "Only local (true) or non-local (false) transfers, as counted (override included)."})

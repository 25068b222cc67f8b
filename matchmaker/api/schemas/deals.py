"""Intents and transfers (合作意向 / 成果转化): input, output and presenter."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import YEAR, BodySchema, Id, PageArgs, PageOut, Text, aware
from matchmaker.api.schemas.events import EventRef
from matchmaker.api.schemas.matching import TargetOut, target
from matchmaker.api.schemas.organizations import OrgRef, org_ref
from matchmaker.services.deals import intents, transfers

if TYPE_CHECKING:
    from matchmaker.models import Intent, IntentNote, Transfer


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


INTENT_INPUT = ("result_id", "company_id", "need_id", "event_id", "meeting_id", "logged_on", "mode", "amount_wan")


TRANSFER_INPUT = ("result_id", "buyer_id", "intent_id", "contract_number", "contract_type", "amount_wan", "signed_on",
                  "override_reason")


LOCAL_CHOICE = {None: "auto", True: "yes", False: "no"}


def note(row: IntentNote) -> dict[str, Any]:
    return {"id": row.id, "noted_on": row.noted_on, "text": row.text, "author_id": row.author_id,
            "created_at": aware(row.created_at)}


def intent(item: Intent) -> dict[str, Any]:
    return {"id": item.id, "status": item.status, "result": target(item.result), "company": org_ref(item.company),
            "need": target(item.need) if item.need is not None else None,
            "event": {"id": item.event.id, "name": item.event.name} if item.event is not None else None,
            "meeting_id": item.meeting_id, "logged_on": item.logged_on, "mode": item.mode,
            "amount_wan": item.amount_wan, "last_activity_on": item.last_activity_on,
            "stale": intents.is_stale(item), "transitions": list(intents.TRANSITIONS.get(item.status, ())),
            "created_at": aware(item.created_at), "updated_at": aware(item.updated_at)}


def intent_detail(item: Intent) -> dict[str, Any]:
    return {**intent(item), "notes": [note(n) for n in item.notes]}


def intent_input(item: Intent) -> dict[str, Any]:
    return {name: getattr(item, name) for name in INTENT_INPUT}


def transfer(item: Transfer) -> dict[str, Any]:
    return {"id": item.id, "result": target(item.result), "buyer": org_ref(item.buyer), "intent_id": item.intent_id,
            "contract_number": item.contract_number, "contract_type": item.contract_type,
            "amount_wan": item.amount_wan, "signed_on": item.signed_on, "local": transfers.is_local(item),
            "derived_local": transfers.derived_local(item), "local_override": item.local_override,
            "override_reason": item.override_reason, "created_at": aware(item.created_at),
            "updated_at": aware(item.updated_at)}


def transfer_input(item: Transfer) -> dict[str, Any]:
    """The stored fields in the service's terms (`local`: auto, yes or no)."""
    return {**{name: getattr(item, name) for name in TRANSFER_INPUT}, "local": LOCAL_CHOICE[item.local_override]}


def transfer_data(data: dict[str, Any]) -> dict[str, Any]:
    """The API's `local_override` (null, true, false) as the service's `local` (auto, yes, no)."""
    out = dict(data)
    if "local_override" in out:
        out["local"] = LOCAL_CHOICE[out.pop("local_override")]
    return out

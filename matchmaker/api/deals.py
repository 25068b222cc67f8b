"""/api/v1/intents and /api/v1/transfers (staff only): 合作意向 with notes and status, 成果转化 with locality."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView

from matchmaker.api.auth import REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint, per_page
from matchmaker.api.schemas import common as common_schema
from matchmaker.api.schemas import deals as deals_schema
from matchmaker.services.deals import intents, transfers
from matchmaker.services.deals.intents import IntentFilter
from matchmaker.services.deals.transfers import TransferFilter

INTENT = f"<int(max={common_schema.MAX_ID}):intent_id>"
TRANSFER = f"<int(max={common_schema.MAX_ID}):transfer_id>"

intents_blp = api_blueprint("api_intents", __name__, "/intents", "合作意向 (intents, staff only)")
transfers_blp = api_blueprint("api_transfers", __name__, "/transfers", "成果转化 (transfers, staff only)")


@intents_blp.route("")
class Intents(MethodView):
    @intents_blp.doc(security=REQUIRED_AUTH)
    @intents_blp.arguments(deals_schema.IntentListArgs, location="query")
    @intents_blp.response(200, deals_schema.IntentPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Intents, newest first, by status, event, year or staleness."""
        flt = IntentFilter(status=args["status"], event_id=args["event_id"], stale=args["stale"], year=args["year"])
        return common_schema.paged(intents.list_intents(actor(), flt), args, per_page(args), deals_schema.intent)

    @intents_blp.doc(security=REQUIRED_AUTH)
    @intents_blp.arguments(deals_schema.IntentIn)
    @intents_blp.response(201, deals_schema.IntentDetail)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Log an intent (status open); from a meeting, the meeting's outcome becomes `intent`."""
        return deals_schema.intent_detail(intents.create_intent(data, actor()))


@intents_blp.route(f"/{INTENT}")
class Intent(MethodView):
    @intents_blp.doc(security=REQUIRED_AUTH)
    @intents_blp.response(200, deals_schema.IntentDetail)
    def get(self, intent_id: int) -> dict[str, Any]:
        """One intent with its follow-up notes."""
        return deals_schema.intent_detail(intents.get_intent(intent_id, actor()))

    @intents_blp.doc(security=REQUIRED_AUTH)
    @intents_blp.arguments(deals_schema.IntentIn)
    @intents_blp.response(200, deals_schema.IntentDetail)
    def patch(self, data: dict[str, Any], intent_id: int) -> dict[str, Any]:
        """Correct some details (status changes go through /status)."""
        merged = {**deals_schema.intent_input(intents.get_intent(intent_id, actor())), **data}
        return deals_schema.intent_detail(intents.update_intent(intent_id, merged, actor()))


@intents_blp.route(f"/{INTENT}/notes", methods=["POST"])
@intents_blp.doc(security=REQUIRED_AUTH)
@intents_blp.arguments(deals_schema.NoteIn)
@intents_blp.response(201, deals_schema.IntentDetail)
def add_note(data: dict[str, Any], intent_id: int) -> dict[str, Any]:
    """A dated follow-up note; it moves the intent's last activity forward."""
    intents.add_note(intent_id, data, actor())
    return deals_schema.intent_detail(intents.get_intent(intent_id, actor()))


@intents_blp.route(f"/{INTENT}/status", methods=["POST"])
@intents_blp.doc(security=REQUIRED_AUTH)
@intents_blp.arguments(common_schema.StatusIn)
@intents_blp.response(200, deals_schema.IntentDetail)
def set_status(data: dict[str, Any], intent_id: int) -> dict[str, Any]:
    """open → negotiating → signed, or dropped; any other change is a 409."""
    return deals_schema.intent_detail(intents.set_intent_status(intent_id, data["status"], actor()))


@transfers_blp.route("")
class Transfers(MethodView):
    @transfers_blp.doc(security=REQUIRED_AUTH)
    @transfers_blp.arguments(deals_schema.TransferListArgs, location="query")
    @transfers_blp.response(200, deals_schema.TransferPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Transfers, newest first, by year and locality (as counted)."""
        rows = transfers.list_transfers(actor(), TransferFilter(year=args["year"], local=args["local"]))
        return common_schema.paged(rows, args, per_page(args), deals_schema.transfer)

    @transfers_blp.doc(security=REQUIRED_AUTH)
    @transfers_blp.arguments(deals_schema.TransferIn)
    @transfers_blp.response(201, deals_schema.TransferOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Record a signed contract: the result becomes transferred, a linked intent signed."""
        return deals_schema.transfer(transfers.record_transfer(deals_schema.transfer_data(data), actor()))


@transfers_blp.route(f"/{TRANSFER}")
class Transfer(MethodView):
    @transfers_blp.doc(security=REQUIRED_AUTH)
    @transfers_blp.response(200, deals_schema.TransferOut)
    def get(self, transfer_id: int) -> dict[str, Any]:
        """One transfer, with its locality as counted, as derived and any override with its reason."""
        return deals_schema.transfer(transfers.get_transfer(transfer_id, actor()))

    @transfers_blp.doc(security=REQUIRED_AUTH)
    @transfers_blp.arguments(deals_schema.TransferIn)
    @transfers_blp.response(200, deals_schema.TransferOut)
    def patch(self, data: dict[str, Any], transfer_id: int) -> dict[str, Any]:
        """Correct a transfer; setting `local_override` needs an `override_reason`."""
        current = deals_schema.transfer_input(transfers.get_transfer(transfer_id, actor()))
        merged = {**current, **deals_schema.transfer_data(data)}
        return deals_schema.transfer(transfers.update_transfer(transfer_id, merged, actor()))

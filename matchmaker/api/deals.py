"""/api/v1/intents and /api/v1/transfers (staff only): 合作意向 with notes and status, 成果转化 with locality."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView

from matchmaker.api import present_events as present
from matchmaker.api import responses_events as responses
from matchmaker.api import schemas_events as schemas
from matchmaker.api.auth import REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint, per_page
from matchmaker.api.schemas import MAX_ID
from matchmaker.services.deals import intents, transfers
from matchmaker.services.deals.intents import IntentFilter
from matchmaker.services.deals.transfers import TransferFilter

INTENT = f"<int(max={MAX_ID}):intent_id>"
TRANSFER = f"<int(max={MAX_ID}):transfer_id>"

intents_blp = api_blueprint("api_intents", __name__, "/intents", "合作意向 (intents, staff only)")
transfers_blp = api_blueprint("api_transfers", __name__, "/transfers", "成果转化 (transfers, staff only)")


@intents_blp.route("")
class Intents(MethodView):
    @intents_blp.doc(security=REQUIRED_AUTH)
    @intents_blp.arguments(schemas.IntentListArgs, location="query")
    @intents_blp.response(200, responses.IntentPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Intents, newest first, by status, event, year or staleness."""
        flt = IntentFilter(status=args["status"], event_id=args["event_id"], stale=args["stale"], year=args["year"])
        return present.paged(intents.list_intents(actor(), flt), args, per_page(args), present.intent)

    @intents_blp.doc(security=REQUIRED_AUTH)
    @intents_blp.arguments(schemas.IntentIn)
    @intents_blp.response(201, responses.IntentDetail)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Log an intent (status open); from a meeting, the meeting's outcome becomes `intent`."""
        return present.intent_detail(intents.create_intent(data, actor()))


@intents_blp.route(f"/{INTENT}")
class Intent(MethodView):
    @intents_blp.doc(security=REQUIRED_AUTH)
    @intents_blp.response(200, responses.IntentDetail)
    def get(self, intent_id: int) -> dict[str, Any]:
        """One intent with its follow-up notes."""
        return present.intent_detail(intents.get_intent(intent_id, actor()))

    @intents_blp.doc(security=REQUIRED_AUTH)
    @intents_blp.arguments(schemas.IntentIn)
    @intents_blp.response(200, responses.IntentDetail)
    def patch(self, data: dict[str, Any], intent_id: int) -> dict[str, Any]:
        """Correct some details (status changes go through /status)."""
        merged = {**present.intent_input(intents.get_intent(intent_id, actor())), **data}
        return present.intent_detail(intents.update_intent(intent_id, merged, actor()))


@intents_blp.route(f"/{INTENT}/notes", methods=["POST"])
@intents_blp.doc(security=REQUIRED_AUTH)
@intents_blp.arguments(schemas.NoteIn)
@intents_blp.response(201, responses.IntentDetail)
def add_note(data: dict[str, Any], intent_id: int) -> dict[str, Any]:
    """A dated follow-up note; it moves the intent's last activity forward."""
    intents.add_note(intent_id, data, actor())
    return present.intent_detail(intents.get_intent(intent_id, actor()))


@intents_blp.route(f"/{INTENT}/status", methods=["POST"])
@intents_blp.doc(security=REQUIRED_AUTH)
@intents_blp.arguments(schemas.StatusIn)
@intents_blp.response(200, responses.IntentDetail)
def set_status(data: dict[str, Any], intent_id: int) -> dict[str, Any]:
    """open → negotiating → signed, or dropped; any other change is a 409."""
    return present.intent_detail(intents.set_intent_status(intent_id, data["status"], actor()))


@transfers_blp.route("")
class Transfers(MethodView):
    @transfers_blp.doc(security=REQUIRED_AUTH)
    @transfers_blp.arguments(schemas.TransferListArgs, location="query")
    @transfers_blp.response(200, responses.TransferPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Transfers, newest first, by year and locality (as counted)."""
        rows = transfers.list_transfers(actor(), TransferFilter(year=args["year"], local=args["local"]))
        return present.paged(rows, args, per_page(args), present.transfer)

    @transfers_blp.doc(security=REQUIRED_AUTH)
    @transfers_blp.arguments(schemas.TransferIn)
    @transfers_blp.response(201, responses.TransferOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Record a signed contract: the result becomes transferred, a linked intent signed."""
        return present.transfer(transfers.record_transfer(present.transfer_data(data), actor()))


@transfers_blp.route(f"/{TRANSFER}")
class Transfer(MethodView):
    @transfers_blp.doc(security=REQUIRED_AUTH)
    @transfers_blp.response(200, responses.TransferOut)
    def get(self, transfer_id: int) -> dict[str, Any]:
        """One transfer, with its locality as counted, as derived and any override with its reason."""
        return present.transfer(transfers.get_transfer(transfer_id, actor()))

    @transfers_blp.doc(security=REQUIRED_AUTH)
    @transfers_blp.arguments(schemas.TransferIn)
    @transfers_blp.response(200, responses.TransferOut)
    def patch(self, data: dict[str, Any], transfer_id: int) -> dict[str, Any]:
        """Correct a transfer; setting `local_override` needs an `override_reason`."""
        current = present.transfer_input(transfers.get_transfer(transfer_id, actor()))
        merged = {**current, **present.transfer_data(data)}
        return present.transfer(transfers.update_transfer(transfer_id, merged, actor()))

"""/api/v1/events/{id}/meeting-requests and /api/v1/meeting-requests (约见): the same service as the pages."""
from __future__ import annotations

from typing import Any

from matchmaker.api.auth import REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint, per_page
from matchmaker.api.schemas import common as common_schema
from matchmaker.api.schemas import meeting_requests as schema
from matchmaker.services.events import meeting_requests

EVENT = f"<int(max={common_schema.MAX_ID}):event_id>"
REQUEST = f"<int(max={common_schema.MAX_ID}):request_id>"
blp = api_blueprint("api_meeting_requests", __name__, "", "约见 (meeting requests at events, participants)")


@blp.route(f"/events/{EVENT}/meeting-requests", methods=["POST"])
@blp.doc(security=REQUIRED_AUTH)
@blp.arguments(schema.MeetingRequestIn, example=schema.MEETING_REQUEST_EXAMPLE)
@blp.response(201, schema.MeetingRequestOut)
def create(data: dict[str, Any], event_id: int) -> dict[str, Any]:
    """A registered participant asks a presented result's team or another participant for a 1:1 meeting.

    Errors (409 unless noted): event_closed (cancelled, held or started), not_registered (403), self_request,
    not_a_participant, no_presented_result, duplicate_request; validation_failed (422) for the message.
    """
    return schema.meeting_request(meeting_requests.request_meeting(event_id, data, actor()), actor())


@blp.route("/meeting-requests", methods=["GET"])
@blp.doc(security=REQUIRED_AUTH)
@blp.arguments(schema.MeetingRequestListArgs, location="query")
@blp.response(200, schema.MeetingRequestPage)
def list_mine(args: dict[str, Any]) -> dict[str, Any]:
    """My organization's requests received (default) or sent, newest first."""
    size = per_page(args)
    rows, total = meeting_requests.list_requests(actor(), event_id=args["event_id"], box=args["box"],
                                                 page=args["page"], per_page=size)
    return common_schema.page([schema.meeting_request(r, actor()) for r in rows], total, args["page"], size)


@blp.route(f"/meeting-requests/{REQUEST}", methods=["GET"])
@blp.doc(security=REQUIRED_AUTH)
@blp.response(200, schema.MeetingRequestOut)
def get_one(request_id: int) -> dict[str, Any]:
    """One request (its two organizations and staff; anyone else gets 404)."""
    return schema.meeting_request(meeting_requests.get_request(request_id, actor()), actor())


def _action(name: str, doc: str) -> None:
    handlers = {"accept": meeting_requests.accept_request, "decline": meeting_requests.decline_request,
                "withdraw": meeting_requests.withdraw_request}

    def view(request_id: int) -> dict[str, Any]:
        return schema.meeting_request(handlers[name](request_id, actor()), actor())

    view.__name__, view.__doc__ = f"{name}_meeting_request", doc
    blp.route(f"/meeting-requests/{REQUEST}/{name}", methods=["POST"])(blp.doc(security=REQUIRED_AUTH)(
        blp.response(200, schema.MeetingRequestOut)(view)))


_action("accept", "A member of the target organization accepts (409 cap_reached when either side already has "
                  "meeting_cap accepted meetings at the event); the requester is notified.")
_action("decline", "A member of the target organization declines; the two are never scheduled together.")
_action("withdraw", "The requesting organization takes its request back before the event.")

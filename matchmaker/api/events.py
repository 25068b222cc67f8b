"""/api/v1/events and /api/v1/meetings (staff only): events, their lists, check-in, the 1:1 agenda."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView

from matchmaker.api.auth import OPTIONAL_AUTH, REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint, per_page
from matchmaker.api.schemas import common as common_schema
from matchmaker.api.schemas import events as events_schema
from matchmaker.services.deals import intents
from matchmaker.services.events import agenda as agenda_planning
from matchmaker.services.events import events, registrations
from matchmaker.services.events.events import EventFilter

EVENT = f"<int(max={common_schema.MAX_ID}):event_id>"
ORG = f"<int(max={common_schema.MAX_ID}):org_id>"
MEETING = f"<int(max={common_schema.MAX_ID}):meeting_id>"

blp = api_blueprint("api_events", __name__, "/events", "对接活动 (events; staff only, except the public list)")
meetings_blp = api_blueprint("api_meetings", __name__, "/meetings", "一对一洽谈 (1:1 meetings, staff only)")


@blp.route("")
class Events(MethodView):
    @blp.doc(security=OPTIONAL_AUTH)
    @blp.arguments(events_schema.EventListArgs, location="query")
    @blp.response(200, events_schema.EventPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Staff: events, newest first, optionally of one status, type or year.

        `public=1` (anyone, no token needed): the public planned and held events, coming ones first (soonest
        first), then past ones; cancelled and non-public events are never listed.
        """
        if args["public"]:
            size = per_page(args)
            rows, total = registrations.public_events(args["page"], size)
            return common_schema.page([events_schema.event(e) for e in rows], total, args["page"], size)
        rows = events.list_events(actor(), EventFilter(status=args["status"], type=args["type"], year=args["year"]))
        return common_schema.paged(rows, args, per_page(args), events_schema.event)

    @blp.doc(security=REQUIRED_AUTH)
    @blp.arguments(events_schema.EventIn, example=events_schema.EVENT_EXAMPLE)
    @blp.response(201, events_schema.EventDetail)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Plan a new event (status planned)."""
        return events_schema.event_detail(events.create_event(data, actor()))


@blp.route(f"/{EVENT}")
class Event(MethodView):
    @blp.doc(security=REQUIRED_AUTH)
    @blp.response(200, events_schema.EventDetail)
    def get(self, event_id: int) -> dict[str, Any]:
        """One event with its presented results, invitations and meetings."""
        return events_schema.event_detail(events.get_event(event_id, actor()))

    @blp.doc(security=REQUIRED_AUTH)
    @blp.arguments(events_schema.EventIn)
    @blp.response(200, events_schema.EventDetail)
    def patch(self, data: dict[str, Any], event_id: int) -> dict[str, Any]:
        """Correct some fields (not once the event is cancelled)."""
        merged = {**events_schema.event_input(events.get_event(event_id, actor())), **data}
        return events_schema.event_detail(events.update_event(event_id, merged, actor()))


@blp.route(f"/{EVENT}/status", methods=["POST"])
@blp.doc(security=REQUIRED_AUTH)
@blp.arguments(common_schema.StatusIn)
@blp.response(200, events_schema.EventDetail)
def set_status(data: dict[str, Any], event_id: int) -> dict[str, Any]:
    """planned → held or cancelled; any other change is a 409."""
    return events_schema.event_detail(events.set_event_status(event_id, data["status"], actor()))


@blp.route(f"/{EVENT}/results", methods=["POST"])
@blp.doc(security=REQUIRED_AUTH)
@blp.arguments(events_schema.ResultIdsIn)
@blp.response(200, events_schema.ListsAdded)
def present_results(data: dict[str, Any], event_id: int) -> dict[str, Any]:
    """Add published results to present; ones already listed, unknown or not public are skipped."""
    added, _orgs = agenda_planning.accept_proposals(event_id, {"result_ids": data["result_ids"]}, actor())
    return {"added": added, "event": events_schema.event_detail(events.get_event(event_id, actor()))}


@blp.route(f"/{EVENT}/invitations", methods=["POST"])
@blp.doc(security=REQUIRED_AUTH)
@blp.arguments(events_schema.OrgIdsIn)
@blp.response(200, events_schema.ListsAdded)
def invite(data: dict[str, Any], event_id: int) -> dict[str, Any]:
    """Invite organizations; ones already invited or unknown are skipped."""
    _results, added = agenda_planning.accept_proposals(event_id, {"org_ids": data["org_ids"]}, actor())
    return {"added": added, "event": events_schema.event_detail(events.get_event(event_id, actor()))}


@blp.route(f"/{EVENT}/invitations/{ORG}/check-in", methods=["POST"])
@blp.doc(security=REQUIRED_AUTH)
@blp.response(200, events_schema.InvitationOut)
def check_in(event_id: int, org_id: int) -> dict[str, Any]:
    """The day's attendance of an invited organization (stamps the check-in time)."""
    return events_schema.invitation(events.check_in(event_id, org_id, actor()))


@blp.route(f"/{EVENT}/agenda", methods=["POST"])
@blp.doc(security=REQUIRED_AUTH)
@blp.arguments(events_schema.AgendaIn)
@blp.response(200, events_schema.AgendaOut)
def build_agenda(data: dict[str, Any], event_id: int) -> dict[str, Any]:
    """(Re)build the 1:1 agenda of a planned event, maximizing the sum of match scores."""
    summary = agenda_planning.build_agenda(event_id, data["keep_existing"], actor())
    event = events.get_event(event_id, actor())
    return {"placed": summary.placed, "kept": summary.kept, "unscheduled": summary.unscheduled,
            "unplaced": list(summary.unplaced), "invited": list(summary.invited),
            "total_score": summary.total_score, "meetings": [events_schema.meeting(m) for m in event.meetings]}


@blp.route(f"/{EVENT}/meetings")
@blp.doc(security=REQUIRED_AUTH)
@blp.response(200, events_schema.MeetingList)
def meetings(event_id: int) -> dict[str, Any]:
    """The event's 1:1 meetings by slot and table."""
    return {"items": [events_schema.meeting(m) for m in events.get_event(event_id, actor()).meetings]}


@meetings_blp.route(f"/{MEETING}", methods=["PATCH"])
@meetings_blp.doc(security=REQUIRED_AUTH)
@meetings_blp.arguments(events_schema.MeetingIn)
@meetings_blp.response(200, events_schema.MeetingOut)
def update_meeting(data: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Move a meeting (slot and/or table; planned events, no double booking) and/or record its outcome.

    The move is applied only when the position changes; outcome `intent` is recorded by logging the intent.
    """
    meeting = agenda_planning.get_meeting(meeting_id, actor())
    place = {"slot": meeting.slot, "table_no": meeting.table_no}
    wanted = {**place, **{k: v for k, v in data.items() if k in place}}
    if wanted != place:
        meeting = agenda_planning.move_meeting(meeting_id, wanted, actor())
    if "outcome" in data:
        meeting = intents.set_meeting_outcome(meeting_id, data["outcome"] or "", actor())
    return events_schema.meeting(meeting)

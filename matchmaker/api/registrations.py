"""/api/v1 for participants: register an organization for an event, staff approve or decline, the organization
cancels, and the caller's own schedule. The same services as the /activities pages."""
from __future__ import annotations

from typing import Any

from matchmaker.api.auth import REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint
from matchmaker.api.schemas import registrations as schema
from matchmaker.api.schemas.common import MAX_ID
from matchmaker.services.events import registrations

EVENT = f"<int(max={MAX_ID}):event_id>"
REGISTRATION = f"<int(max={MAX_ID}):registration_id>"

event_registrations_blp = api_blueprint("api_event_registrations", __name__, "/events",
                                        "活动报名 (registering for an event, participants)")
blp = api_blueprint("api_registrations", __name__, "/registrations",
                    "活动报名审核 (approve, decline, cancel a registration)")
me_blp = api_blueprint("api_me", __name__, "/me", "我的活动 (the caller's own schedule)")


@event_registrations_blp.route(f"/{EVENT}/registrations", methods=["POST"])
@event_registrations_blp.doc(security=REQUIRED_AUTH)
@event_registrations_blp.arguments(schema.RegistrationIn, example=schema.REGISTRATION_EXAMPLE)
@event_registrations_blp.response(201, schema.RegistrationOut)
def register(data: dict[str, Any], event_id: int) -> dict[str, Any]:
    """Register the caller's organization (a confirmed member of a verified organization), or accept its invitation.

    The answer's status is `registered`, `pending` (the event requires approval) or `waitlisted` (full). A second
    registration of the same organization, a cancelled or past event, an unverified organization or a caller who
    is not a confirmed member is refused with a stable code and nothing is stored.
    """
    return schema.registration(registrations.register(event_id, schema.registration_input(data), actor()))


def _decision(name: str, doc: str) -> None:
    handlers = {"approve": registrations.approve, "decline": registrations.decline, "cancel": registrations.cancel}

    def view(registration_id: int) -> dict[str, Any]:
        return schema.registration(handlers[name](registration_id, actor()))

    view.__name__, view.__doc__ = f"{name}_registration", doc
    decorated = blp.response(200, schema.RegistrationOut)(view)
    decorated = blp.doc(security=REQUIRED_AUTH)(decorated)
    blp.route(f"/{REGISTRATION}/{name}", methods=["POST"])(decorated)


_decision("approve", "Staff: a pending registration gets a place, or the waiting list when the event is full.")
_decision("decline", "Staff: decline a pending or waiting registration (a freed place goes to the waiting list).")
_decision("cancel", "The organization (a member) or staff withdraw a registration; its place goes to the first "
                    "organization on the waiting list, which is notified.")


@me_blp.route("/schedule")
@me_blp.doc(security=REQUIRED_AUTH)
@me_blp.response(200, schema.ScheduleList)
def my_schedule() -> dict[str, Any]:
    """The events the caller's organization has a place at, each with its meetings (time and table)."""
    return {"items": [schema.my_schedule(part) for part in registrations.my_schedules(actor())]}

"""/api/v1/contact-requests (我要对接) and /api/v1/notifications: the same services as the pages."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView

from matchmaker.api.auth import REQUIRED_AUTH, actor
from matchmaker.api.base import api_blueprint, per_page
from matchmaker.api.schemas import common as common_schema
from matchmaker.api.schemas import contacts as contacts_schema
from matchmaker.api.schemas import notifications as notifications_schema
from matchmaker.models import ContactRequest, Notification
from matchmaker.services.contacts import queries, requests
from matchmaker.services.contacts.queries import ContactFilter
from matchmaker.services.notify import notifications
from matchmaker.services.permissions import is_staff, require_user

REQUEST = f"<int(max={common_schema.MAX_ID}):request_id>"
blp = api_blueprint("api_contacts", __name__, "/contact-requests", "我要对接 (contact requests)")
notes_blp = api_blueprint("api_notifications", __name__, "/notifications", "通知 (notifications)")


def contact_request(req: ContactRequest) -> dict[str, Any]:
    """A request as the caller may see it: contacts full for the two parties once revealed, masked otherwise."""
    requester, owner = queries.contacts_for(req, actor())
    return {**{k: getattr(req, k) for k in ("id", "status", "target_kind", "target_id", "requester_org_id",
                                            "owner_org_id", "own_posting_id", "message", "mode", "staff_reason",
                                            "owner_message", "due_on", "created_at", "revealed_at")},
            "target_title": req.target.title, "intent_id": req.intent.id if req.intent else None,
            "actions": sorted(queries.actions_for(req, actor())), "requester": vars(requester), "owner": vars(owner),
            "timeline": [{"status": e.status, "at": e.at, "actor_id": e.actor_id,
                          "note": e.note} for e in req.events]}


@blp.route("")
class ContactRequests(MethodView):
    @blp.doc(security=REQUIRED_AUTH)
    @blp.arguments(contacts_schema.ContactListArgs, location="query")
    @blp.response(200, contacts_schema.ContactRequestPage)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Mine, sent and received (staff: all), newest first."""
        user = require_user(actor())
        size = per_page(args)
        rows, total = queries.list_requests(user, ContactFilter(status=args["status"], box=args["box"]),
                                            page=args["page"], per_page=size, everything=is_staff(user))
        return common_schema.page([contact_request(r) for r in rows], total, args["page"], size)

    @blp.doc(security=REQUIRED_AUTH)
    @blp.arguments(contacts_schema.ContactRequestIn)
    @blp.response(201, contacts_schema.ContactRequestOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """我要对接: a confirmed member of a verified organization asks for contact with a published posting."""
        return contact_request(requests.submit_request(data, actor()))


@blp.route(f"/{REQUEST}")
@blp.doc(security=REQUIRED_AUTH)
@blp.response(200, contacts_schema.ContactRequestOut)
def get_one(request_id: int) -> dict[str, Any]:
    """One request (its two parties and staff only; anyone else gets 404)."""
    return contact_request(queries.get_request(request_id, actor()))


def _action(name: str, doc: str) -> None:
    def view(data: dict[str, Any], request_id: int) -> dict[str, Any]:
        reason = data.get("reason", "")
        handlers = {"approve": lambda: requests.approve_request(request_id, actor()),
                    "decline": lambda: requests.decline_request(request_id, reason, actor()),
                    "accept": lambda: requests.accept_request(request_id, actor(), reason),
                    "withdraw": lambda: requests.withdraw_request(request_id, actor())}
        return contact_request(handlers[name]())

    view.__name__, view.__doc__ = f"{name}_request", doc
    blp.route(f"/{REQUEST}/{name}", methods=["POST"])(blp.doc(security=REQUIRED_AUTH)(
        blp.arguments(common_schema.ReasonIn)(blp.response(200, contacts_schema.ContactRequestOut)(view))))


_action("approve", "Staff pass a submitted request to the posting's owner.")
_action("decline", "Staff decline a submitted request (reason required); the owner declines an approved one.")
_action("accept", "The owner accepts: contacts revealed to both parties, an open intent logged (intent_id).")
_action("withdraw", "The requester withdraws the request before the reveal.")


def notification(note: Notification) -> dict[str, Any]:
    return {"id": note.id, "kind": note.kind, "text": notifications.text(note), "link": note.link,
            "created_at": note.created_at, "read_at": note.read_at}


@notes_blp.route("")
@notes_blp.doc(security=REQUIRED_AUTH)
@notes_blp.arguments(notifications_schema.NotificationListArgs, location="query")
@notes_blp.response(200, notifications_schema.NotificationPage)
def list_notifications(args: dict[str, Any]) -> dict[str, Any]:
    """My notifications, newest first, with the unread count."""
    size = per_page(args)
    rows, total = notifications.list_notifications(actor(), page=args["page"], per_page=size,
                                                   unread_only=args["unread_only"])
    return {**common_schema.page([notification(n) for n in rows], total, args["page"], size),
            "unread": notifications.unread_count(actor())}


@notes_blp.route(f"/<int(max={common_schema.MAX_ID}):note_id>/read", methods=["POST"])
@notes_blp.doc(security=REQUIRED_AUTH)
@notes_blp.response(200, notifications_schema.NotificationOut)
def read_one(note_id: int) -> dict[str, Any]:
    """Mark one of my notifications read."""
    return notification(notifications.mark_read(note_id, actor()))


@notes_blp.route("/read-all", methods=["POST"])
@notes_blp.doc(security=REQUIRED_AUTH)
@notes_blp.response(200, notifications_schema.CountOut)
def read_all() -> dict[str, Any]:
    """Mark all my notifications read."""
    return {"updated": notifications.mark_all_read(actor()), "unread": 0}

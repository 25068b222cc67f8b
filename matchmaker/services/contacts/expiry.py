"""`flask expire-requests`: one pass that reminds before the deadline and expires requests nobody answered."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ContactEvent, ContactRequest, User
from matchmaker.models._base import utcnow
from matchmaker.models.contact import OPEN_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.contacts.rules import add_working_days
from matchmaker.services.notify.notifications import notify_all, staff_users


def _waited_on(req: ContactRequest) -> list[User]:
    """Who owes the answer: staff while submitted, the owner once approved."""
    return staff_users() if req.status == "submitted" else [req.owner]


def expire_requests(today: date | None = None) -> dict[str, int]:
    """Remind those who owe an answer REMIND days before the deadline; expire open requests past it."""
    day = today or fields.today()
    remind = int(current_app.config["CONTACT_REMIND_WORKING_DAYS"])
    reminded = expired = 0
    stmt = select(ContactRequest).where(ContactRequest.status.in_(OPEN_STATUSES), ContactRequest.due_on.is_not(None))
    for req in db.session.scalars(stmt.order_by(ContactRequest.id)).all():
        assert req.due_on is not None
        params = {"title": req.target.title, "org": req.requester_org.name, "due": req.due_on.isoformat()}
        link = f"/contacts/{req.id}"
        if req.due_on < day:
            notify_all([req.requester, *_waited_on(req), *staff_users()], "contact_expiring", "contact_expired",
                       params, link)
            before, req.status = req.status, "expired"
            req.events.append(ContactEvent(status="expired", actor_id=None, note=""))
            audit.record(None, "expire", req, {"status": {"before": before, "after": "expired"}})
            expired += 1
        elif req.reminded_at is None and add_working_days(day, remind) >= req.due_on:
            notify_all(_waited_on(req), "contact_expiring", "contact_expiring", params, link)
            req.reminded_at = utcnow()
            reminded += 1
    db.session.commit()
    return {"reminded": reminded, "expired": expired}

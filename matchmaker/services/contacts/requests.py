"""我要对接: submit, review (staff), answer (the owner), withdraw; acceptance reveals contacts and opens an intent."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import ContactEvent, ContactRequest, Intent, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit, fields
from matchmaker.services.contacts import rules
from matchmaker.services.contacts.queries import get_request
from matchmaker.services.errors import Conflict, FieldErrors, PermissionDenied
from matchmaker.services.notify.notifications import notify, notify_all, staff_users
from matchmaker.services.permissions import require_staff, require_standing, require_user, require_verified_email


def link_to(req: ContactRequest) -> str:
    return f"/contacts/{req.id}"


def _params(req: ContactRequest) -> dict[str, Any]:
    return {"title": req.target.title, "org": req.requester_org.name}


def _move(req: ContactRequest, status: str, actor: User | None, action: str, note: str = "",
          changes: dict[str, Any] | None = None, *, public_note: str | None = None) -> None:
    """One step of the life cycle: status, timeline event and audit entry, in the caller's transaction."""
    before = req.status
    req.status = status
    req.events.append(ContactEvent(status=status, actor_id=actor.id if actor else None,
                                   note=note if public_note is None else public_note))
    audit.record(actor, action, req, {"status": {"before": before, "after": status}, **(changes or {})}, note=note)


def submit_request(data: dict[str, Any], actor: User | None, today: date | None = None) -> ContactRequest:
    """A confirmed member of a verified organization asks for contact with a published result or need."""
    user = require_standing(require_verified_email(actor))
    if user.is_staff:
        raise PermissionDenied(_l("科技局工作人员不能以本人名义申请对接。"))
    clean = rules.clean_request(data, user, utcnow())
    target, own = clean["target"], clean["own"]
    day = today or fields.today()
    req = ContactRequest(
        requester_id=user.id, requester_org_id=user.org_id, target_kind=clean["target_kind"],
        result_id=target.id if clean["target_kind"] == "result" else (own.id if own else None),
        need_id=target.id if clean["target_kind"] == "need" else (own.id if own else None),
        owner_id=target.owner_id, owner_org_id=target.org_id, own_posting_id=own.id if own else None,
        message=clean["message"], mode=clean["mode"], status="submitted", due_on=rules.due_from(day))
    db.session.add(req)
    req.events.append(ContactEvent(status="submitted", actor_id=user.id, note=""))
    audit.record(user, "submit", req, {"status": {"after": "submitted"}, "target": {
        "after": f"{req.target_kind}:{target.id}"}, "terms_accepted": {"after": True}})
    if current_app.config["CONTACT_AUTO_APPROVE"]:
        _approve(req, None, day, _l("单位已认证，按平台规则自动通过审核。"))
    else:
        notify_all(staff_users(), "contact_received", "contact_submitted", _params(req), link=link_to(req))
    db.session.commit()
    return req


def _approve(req: ContactRequest, user: User | None, day: date, note: Any = "") -> None:
    _move(req, "approved", user, "approve", str(note))
    req.due_on, req.reminded_at = rules.due_from(day), None  # the owner's clock starts now
    notify(req.owner, "contact_received", "contact_received", _params(req), link=link_to(req))
    notify(req.requester, "contact_decided", "contact_approved", _params(req), link=link_to(req))


def approve_request(request_id: int, actor: User | None, today: date | None = None) -> ContactRequest:
    """Staff pass a submitted request on to the posting's owner."""
    req = get_request(request_id, actor)  # first, so someone else's request is not found rather than forbidden
    user = require_staff(actor)
    if req.status != "submitted":
        raise Conflict(_l("只有待审核的对接申请可以通过审核。"), code="bad_status")
    _approve(req, user, today or fields.today())
    db.session.commit()
    return req


def decline_request(request_id: int, reason: Any, actor: User | None) -> ContactRequest:
    """Staff decline a submitted request (reason required); the owner declines an approved one (message optional)."""
    user = require_user(actor)
    req = get_request(request_id, user)
    errors = FieldErrors()
    if req.status == "submitted" and user.is_staff:
        text = fields.text(errors, {"reason": reason}, "reason", required=True, min_len=2, max_len=1000)
        errors.raise_if_any()
        req.staff_reason = text
        _move(req, "declined", user, "decline", text)
        notify(req.requester, "contact_decided", "contact_declined", {**_params(req), "reason": text},
               link=link_to(req))
    elif req.status == "approved" and req.owner_id == user.id:
        text = fields.text(errors, {"reason": reason}, "reason", max_len=1000)
        errors.raise_if_any()
        req.owner_message = text
        _move(req, "refused", user, "refuse", text)
        notify(req.requester, "contact_decided", "contact_refused", _params(req), link=link_to(req))
    else:
        raise Conflict(_l("当前状态下您不能拒绝该对接申请。"), code="bad_status")
    db.session.commit()
    return req


def accept_request(request_id: int, actor: User | None, message: Any = "", today: date | None = None
                   ) -> ContactRequest:
    """The owner accepts: both contacts are revealed to the two parties and an open intent is logged, together."""
    user = require_user(actor)
    req = get_request(request_id, user)
    if req.owner_id != user.id:
        raise PermissionDenied(_l("只有发布方可以同意对接。"))
    if req.status != "approved":
        raise Conflict(_l("只有已通过审核、等待答复的对接申请可以同意。"), code="bad_status")
    errors = FieldErrors()
    text = fields.text(errors, {"message": message}, "message", max_len=1000)
    errors.raise_if_any()
    now, day = utcnow(), today or fields.today()
    req.owner_message, req.revealed_at = text, now
    consent = (f"requester user {req.requester_id} consented on submitting at {req.created_at.isoformat()}; "
               f"owner user {user.id} consented at {now.isoformat()}")
    _move(req, "revealed", user, "reveal_contact", consent, {"revealed_at": {"after": now.isoformat()}},
          public_note=text)  # the consent trail is for the audit log; the timeline shows the owner's message
    intent = _open_intent(req, day)
    audit.record(user, "create", intent, {"source": {"after": "contact_request"},
                                          "contact_request_id": {"after": req.id}})
    notify(req.requester, "contact_accepted", "contact_accepted", _params(req), link=link_to(req))
    notify(req.owner, "contact_accepted", "contact_accepted_owner", _params(req), link=link_to(req))
    db.session.commit()
    return req


def _open_intent(req: ContactRequest, day: date) -> Intent:
    company_id = req.requester_org_id if req.target_kind == "result" else req.owner_org_id
    assert req.result_id is not None  # a request on a need always names the researcher's result
    intent = Intent(result_id=req.result_id, company_id=company_id, need_id=req.need_id, logged_on=day,
                    mode=req.mode, status="open", last_activity_on=day, source="contact_request",
                    contact_request_id=req.id)
    db.session.add(intent)
    db.session.flush()
    return intent


def withdraw_request(request_id: int, actor: User | None) -> ContactRequest:
    """The requester takes the request back at any time before the reveal."""
    user = require_user(actor)
    req = get_request(request_id, user)
    if req.requester_id != user.id:
        raise PermissionDenied(_l("只有申请人可以撤回对接申请。"))
    if req.status not in ("submitted", "approved"):
        raise Conflict(_l("该对接申请已处理完毕，不能撤回。"), code="bad_status")
    was_with_owner = req.status == "approved"
    _move(req, "withdrawn", user, "withdraw")
    if was_with_owner:
        notify(req.owner, "contact_decided", "contact_withdrawn", _params(req), link=link_to(req))
    db.session.commit()
    return req

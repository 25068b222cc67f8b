"""Reading 我要对接 requests: who may see one, lists (mine / all), what each viewer may do, revealed contacts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select

from matchmaker.extensions import db
from matchmaker.models import ContactRequest, User
from matchmaker.models.contact import CONTACT_STATUSES, OPEN_STATUSES
from matchmaker.services.errors import NotFound, PermissionDenied
from matchmaker.services.permissions import is_staff, require_user, standing_problem

NOT_FOUND = _l("找不到该对接申请。")


def may_see(actor: User | None, req: ContactRequest) -> bool:
    """The requester, the posting's owner and staff; nobody else learns the request exists."""
    if actor is None or not actor.is_active:
        return False
    return is_staff(actor) or actor.id in (req.requester_id, req.owner_id)


def get_request(request_id: int, actor: User | None) -> ContactRequest:
    user = require_user(actor)
    req = db.session.get(ContactRequest, request_id) if request_id is not None else None
    if req is None or not may_see(user, req):
        raise NotFound(NOT_FOUND)
    return req


def actions_for(req: ContactRequest, actor: User | None) -> set[str]:
    """What this viewer may do now: approve / decline (staff), accept / refuse (owner), withdraw (requester)."""
    if actor is None or not actor.is_active:
        return set()
    allowed: set[str] = set()
    if req.status == "submitted" and is_staff(actor):
        allowed |= {"approve", "decline"}
    if req.status == "approved" and actor.id == req.owner_id:
        allowed |= {"accept", "refuse"}
    if req.status in OPEN_STATUSES and actor.id == req.requester_id:
        allowed.add("withdraw")
    return allowed


def direction(req: ContactRequest, actor: User | None) -> str:
    """'sent' or 'received' from this viewer's side; '' for staff looking at other people's requests."""
    if actor is not None and actor.id == req.requester_id:
        return "sent"
    return "received" if actor is not None and actor.id == req.owner_id else ""


@dataclass(frozen=True)
class PartyContact:
    """One side's contact as this viewer may see it."""

    org: str
    name: str
    phone: str
    email: str
    masked: bool


def contacts_for(req: ContactRequest, actor: User | None) -> tuple[PartyContact, PartyContact]:
    """(requester side, owner side): full for the two parties and staff once revealed, masked otherwise."""
    from matchmaker.services import fields

    open_to = req.status == "revealed" and actor is not None and (
        is_staff(actor) or actor.id in (req.requester_id, req.owner_id))
    target = req.target
    requester = PartyContact(req.requester_org.name, req.requester.display_name,
                             req.requester_org.contact_phone, req.requester.email or req.requester_org.contact_email,
                             False)
    owner = PartyContact(req.owner_org.name, target.contact_name, target.contact_phone, target.contact_email, False)
    if open_to:
        return requester, owner
    return tuple(PartyContact(c.org, c.name, fields.mask_phone(c.phone), fields.mask_email(c.email), True)
                 for c in (requester, owner))  # type: ignore[return-value]


@dataclass(frozen=True)
class ContactFilter:
    status: str = ""
    box: str = ""
    """'sent' | 'received' | '' (both, or for staff everything)."""
    q: str = ""


def _filtered(stmt: Select[Any], user: User, flt: ContactFilter, *, everything: bool) -> Select[Any]:
    if not everything:
        mine = {"sent": ContactRequest.requester_id == user.id, "received": ContactRequest.owner_id == user.id}
        stmt = stmt.where(mine.get(flt.box, or_(*mine.values())))
    if flt.status in CONTACT_STATUSES:
        stmt = stmt.where(ContactRequest.status == flt.status)
    return stmt


def list_requests(actor: User | None, flt: ContactFilter = ContactFilter(), *, page: int = 1, per_page: int = 20,
                  everything: bool = False) -> tuple[list[ContactRequest], int]:
    """The actor's requests, sent and received, newest first; staff asking for `everything` see all."""
    user = require_user(actor)
    everything = everything and is_staff(user)
    stmt = _filtered(select(ContactRequest), user, flt, everything=everything)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc())
                              .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total


def pending_count() -> int:
    return db.session.scalar(select(func.count(ContactRequest.id)).where(ContactRequest.status == "submitted")) or 0


@dataclass(frozen=True)
class ContactAction:
    """The 我要对接 box on a posting page, decided here so the template only shows it."""

    can_request: bool
    reason: str
    open_request_id: int | None
    bureau: dict[str, str]


def bureau_contact() -> dict[str, str]:
    cfg = current_app.config
    return {"name": cfg["BUREAU_CONTACT_NAME"], "phone": cfg["BUREAU_CONTACT_PHONE"],
            "email": cfg["BUREAU_CONTACT_EMAIL"], "address": cfg["BUREAU_CONTACT_ADDRESS"]}


def contact_action(kind: str, posting: Any, actor: User | None) -> ContactAction:
    """May this viewer press 我要对接 on this posting, and if not, why (a sentence), or which request is open."""
    from matchmaker.services.contacts.rules import ROLE_TARGET

    bureau = bureau_contact()
    if posting.status != "published":
        return ContactAction(False, "", None, bureau)
    if actor is None or not actor.is_active:
        return ContactAction(False, str(_l("登录并通过单位认证后可申请对接。")), None, bureau)
    if actor.is_staff or posting.org_id == actor.org_id:
        return ContactAction(False, "", None, bureau)
    column = ContactRequest.result_id if kind == "result" else ContactRequest.need_id
    existing = db.session.scalar(select(ContactRequest.id).where(
        ContactRequest.requester_id == actor.id, ContactRequest.target_kind == kind, column == posting.id,
        ContactRequest.status.in_((*OPEN_STATUSES, "revealed"))).limit(1))
    if existing is not None:
        return ContactAction(False, "", existing, bureau)
    if ROLE_TARGET.get(actor.role) != kind:
        return ContactAction(False, "", None, bureau)
    why = standing_problem(actor)
    return ContactAction(why is None, str(why or ""), None, bureau)


def require_can_request(box: ContactAction) -> None:
    """Refuse the request form to anyone the box would not offer it to, saying why."""
    if not box.can_request:
        raise PermissionDenied(box.reason or _l("企业可对科技成果申请对接，科研人员可对技术需求申请对接；"
                                                "不能对本单位发布的内容申请对接。"))

"""Who may do what: the one place pages and API ask."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ContactRequest, User
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services.errors import NotFound, PermissionDenied


def is_staff(actor: User | None) -> bool:
    return actor is not None and actor.is_active and actor.is_staff


def require_user(actor: User | None) -> User:
    """An active, signed-in account."""
    if actor is None or not actor.is_active:
        raise PermissionDenied(_l("请先登录。"), code="login_required")
    return actor


def require_staff(actor: User | None) -> User:
    """Bureau staff or an administrator."""
    user = require_user(actor)
    if not user.is_staff:
        raise PermissionDenied(_l("只有科技局工作人员可以执行此操作。"))
    return user


def require_admin(actor: User | None) -> User:
    user = require_user(actor)
    if user.role != "admin":
        raise PermissionDenied(_l("只有管理员可以执行此操作。"))
    return user


def owns(actor: User | None, posting: Any) -> bool:
    return actor is not None and actor.is_active and posting.owner_id == actor.id


def can_view(actor: User | None, posting: Any) -> bool:
    """Public postings for everyone; others for their owner and staff."""
    return posting.status in PUBLIC_STATUSES or owns(actor, posting) or is_staff(actor)


def require_view(actor: User | None, posting: Any) -> None:
    # Not-found rather than forbidden, so drafts' existence does not leak.
    if posting is None or not can_view(actor, posting):
        raise NotFound(_l("找不到该记录。"))


def require_edit(actor: User | None, posting: Any) -> User:
    """The owner or staff."""
    require_view(actor, posting)
    user = require_user(actor)
    if not (owns(user, posting) or user.is_staff):
        raise PermissionDenied(_l("只能修改自己发布的内容。"))
    return user


def sees_contact(actor: User | None, posting: Any) -> bool:
    """Contact details are for the owner, staff and the other party of a revealed 我要对接 request."""
    return owns(actor, posting) or is_staff(actor) or revealed_to(actor, posting)


def revealed_to(actor: User | None, posting: Any) -> bool:
    """True when a request the actor is party to was accepted and names this posting (target or linked own)."""
    if actor is None or not actor.is_active or posting is None or getattr(posting, "id", None) is None:
        return False
    kind = posting.__tablename__
    target_col = ContactRequest.result_id if kind == "result" else ContactRequest.need_id
    as_requester = select(ContactRequest.id).where(
        ContactRequest.status == "revealed", ContactRequest.requester_id == actor.id,
        ContactRequest.target_kind == kind, target_col == posting.id)
    as_owner = select(ContactRequest.id).where(
        ContactRequest.status == "revealed", ContactRequest.owner_id == actor.id,
        ContactRequest.target_kind != kind, ContactRequest.own_posting_id == posting.id)
    return db.session.scalar(as_requester.union(as_owner).limit(1)) is not None


def standing_problem(actor: User) -> Any | None:
    """Why this account may not act in its organization's name yet, or None (staff always may)."""
    if actor.is_staff:
        return None
    org = actor.org
    if org is None:
        return _l("账号尚未关联单位，请联系科技局。")
    if org.status != "verified":
        return _l("您的单位“%(name)s”尚未通过科技局认证，认证通过后才能发布内容或申请对接。", name=org.name)
    membership = getattr(actor, "membership", None)
    if membership is None or membership.org_id != org.id or membership.status != "active":
        return _l("您加入“%(name)s”的申请尚未获批准，获批后才能以该单位名义发布内容或申请对接。", name=org.name)
    return None


def require_standing(actor: User | None) -> User:
    """An active account that is a confirmed member of a verified organization (or staff)."""
    user = require_user(actor)
    why = standing_problem(user)
    if why is not None:
        raise PermissionDenied(why, code="org_not_verified")
    return user


def may_post(actor: User | None, kind: str) -> User:
    """Researchers post results, companies post needs, staff may post either; members of verified orgs only."""
    user = require_user(actor)
    allowed = {"result": ("researcher",), "need": ("company",)}[kind]
    if user.role not in allowed and not user.is_staff:
        raise PermissionDenied(
            _l("只有高校和科研院所的账号可以发布科技成果。") if kind == "result"
            else _l("只有企业账号可以发布技术需求。")
        )
    return require_standing(user)


def require_verified_email(actor: User | None) -> User:
    """An active account whose e-mail address is verified (needed to send contact requests)."""
    user = require_user(actor)
    if not user.email_verified:
        raise PermissionDenied(_l("请先验证您的电子邮箱（见注册时收到的邮件），然后再发起对接申请。"),
                               code="email_unverified")
    return user

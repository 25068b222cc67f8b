"""Who may do what: the one place pages and API ask."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from matchmaker.models import User
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
    """Contact details are for the owner and staff; everyone else sees them masked."""
    return owns(actor, posting) or is_staff(actor)


def may_post(actor: User | None, kind: str) -> User:
    """Researchers post results, companies post needs, staff may post either."""
    user = require_user(actor)
    allowed = {"result": ("researcher",), "need": ("company",)}[kind]
    if user.role not in allowed and not user.is_staff:
        raise PermissionDenied(
            _l("只有高校和科研院所的账号可以发布科技成果。") if kind == "result"
            else _l("只有企业账号可以发布技术需求。")
        )
    return user


def require_verified_email(actor: User | None) -> User:
    """An active account whose e-mail address is verified (needed to send contact requests)."""
    user = require_user(actor)
    if not user.email_verified:
        raise PermissionDenied(_l("请先验证您的电子邮箱（见注册时收到的邮件），然后再发起对接申请。"),
                               code="email_unverified")
    return user

"""Forgot password: an e-mailed link that works once, for RESET_TOKEN_MINUTES, and says nothing about who exists."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.models._base import utcnow
from matchmaker.services import audit
from matchmaker.services.credentials.password import new_password_problems, set_new_password
from matchmaker.services.credentials.tokens import LinkExpired, LinkInvalid, load_token, make_token
from matchmaker.services.errors import DomainError, FieldErrors
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.mail.outbox import absolute_url, queue_mail, recent_count
from matchmaker.services.permissions import require_admin
from matchmaker.services.signin import sessions

TEMPLATE = "password_reset"
LINK_INVALID = _l("重置链接无效或已被使用，请重新申请。")


class ResetLinkRefused(DomainError):
    status = 400
    code = "reset_link_invalid"


def _lifetime() -> timedelta:
    return timedelta(minutes=current_app.config["RESET_TOKEN_MINUTES"])


def _queue_reset(user: User, by_admin: bool) -> bool:
    """Queue a reset mail unless the account already had RESET_MAILS_PER_HOUR of them this hour."""
    if recent_count(user, TEMPLATE, utcnow() - timedelta(hours=1)) >= current_app.config["RESET_MAILS_PER_HOUR"]:
        return False
    link = absolute_url("account.reset_password", token=make_token(user, "reset"))
    return queue_mail(user, TEMPLATE, {"link": link, "by_admin": by_admin,
                                       "minutes": current_app.config["RESET_TOKEN_MINUTES"]}) is not None


def request_reset(email: str) -> None:
    """Queue a reset link to every active account with this address; the caller answers the same either way."""
    address = (email or "").strip().lower()[:120]
    if "@" not in address:
        return
    users = db.session.scalars(select(User).where(func.lower(User.email) == address, User.disabled.is_(False)))
    for user in users:
        if _queue_reset(user, by_admin=False):
            # The account, never the address or the token, goes in the audit log.
            audit.record(None, "password_reset_requested", user)
    db.session.commit()


def send_reset(user_id: int, actor: User | None) -> bool:
    """An administrator e-mails an account a reset link; False when it has no address or hit the hourly cap."""
    admin = require_admin(actor)
    user = get_or_not_found(User, user_id, _l("找不到该用户。"))
    queued = bool(user.email) and _queue_reset(user, by_admin=True)
    audit.record(admin, "password_reset_sent" if queued else "password_reset_not_sent", user)
    db.session.commit()
    return queued


def user_for_link(token: str) -> User:
    """The account a reset link is for, or a localized refusal (expired / used or forged)."""
    try:
        return load_token(token, "reset", _lifetime())
    except LinkExpired as exc:
        raise ResetLinkRefused(_l("重置链接已过期（有效期 %(minutes)d 分钟），请重新申请。",
                                  minutes=current_app.config["RESET_TOKEN_MINUTES"])) from exc
    except LinkInvalid as exc:
        raise ResetLinkRefused(LINK_INVALID) from exc


def reset_password(token: str, data: dict[str, Any]) -> User:
    """Set the new password through a valid link; the link (and every session) stops working."""
    user = user_for_link(token)
    errors = FieldErrors()
    password = new_password_problems(user, data, errors)
    errors.raise_if_any()
    set_new_password(user, password)
    sessions.end_all(user, reason="password_reset")  # every signed-in browser; audits and commits
    return user

"""E-mail verification: a self-registered account follows an e-mailed link before it may send requests."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import OutgoingMail, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit
from matchmaker.services.credentials.tokens import LinkExpired, LinkInvalid, load_token, make_token
from matchmaker.services.errors import Conflict, DomainError
from matchmaker.services.mail.outbox import absolute_url, queue_mail, recent_count
from matchmaker.services.permissions import require_user

TEMPLATE = "verify_email"


class VerifyLinkRefused(DomainError):
    status = 400
    code = "verify_link_invalid"


def queue_verification(user: User) -> OutgoingMail | None:
    """Mark the account unverified and queue the link (the caller commits, with the change that caused it)."""
    user.email_verified = False
    db.session.flush()  # the token needs the id
    link = absolute_url("account.verify_email", token=make_token(user, "verify"))
    return queue_mail(user, TEMPLATE, {"link": link, "days": current_app.config["VERIFY_TOKEN_DAYS"]})


def resend(actor: User | None) -> bool:
    """Send the link again (at most three times an hour); False when the cap was reached."""
    user = require_user(actor)
    if user.email_verified:
        raise Conflict(_l("您的电子邮箱已验证。"))
    if not user.email:
        raise Conflict(_l("您的账号没有登记电子邮箱，请联系科技局。"))
    if recent_count(user, TEMPLATE, utcnow() - timedelta(hours=1)) >= 3:
        return False
    queue_verification(user)
    audit.record(user, "verification_resent", user)
    db.session.commit()
    return True


def user_for_link(token: str) -> User:
    """The account a verification link is for, or a localized refusal."""
    try:
        return load_token(token, "verify", timedelta(days=current_app.config["VERIFY_TOKEN_DAYS"]))
    except LinkExpired as exc:
        raise VerifyLinkRefused(_l("验证链接已过期，请登录后重新发送验证邮件。")) from exc
    except LinkInvalid as exc:
        raise VerifyLinkRefused(_l("验证链接无效或已被使用。")) from exc


def verify_email(token: str) -> User:
    """Confirm the address behind a valid link (the link then stops working: it was bound to 'unverified')."""
    user = user_for_link(token)
    audit.record(user, "email_verified", user, audit.apply_changes(user, {"email_verified": True}))
    db.session.commit()
    return user

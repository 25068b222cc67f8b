"""Per-user notification preferences: for each kind, in-app only or also by e-mail."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from matchmaker.extensions import db
from matchmaker.models import OutgoingMail, User
from matchmaker.services import audit
from matchmaker.services.errors import FieldErrors
from matchmaker.services.mail.outbox import MAIL_LANGUAGES, absolute_url, mail_language, queue_mail
from matchmaker.services.permissions import require_user

# kind -> (label, e-mailed unless the user says otherwise). The notifications module extends this table with
# its own kinds (same names as its NOTIFICATION_KINDS); unknown kinds default to in-app only.
NOTIFICATION_KINDS: dict[str, tuple[Any, bool]] = {
    "posting_reviewed": (_l("发布内容审核结果"), True),
    "contact_received": (_l("收到对接申请"), True),
    "contact_decided": (_l("对接申请审核结果"), True),
    "contact_accepted": (_l("对接申请被接受"), True),
    "contact_expiring": (_l("对接申请即将过期"), False),
    "contact_expired": (_l("对接申请已过期"), False),
    "org_verification": (_l("单位认证申请"), False),
    "org_reviewed": (_l("单位认证结果"), True),
    "join_requested": (_l("加入单位申请"), True),
    "join_decided": (_l("加入单位申请结果"), True),
    "intent_status": (_l("合作意向状态变化"), False),
    "event_invitation": (_l("对接活动邀请"), True),
    "stale_intents": (_l("长期未跟进的合作意向"), False),
}


def wants_email(user: User, kind: str) -> bool:
    """Does this account want notifications of this kind by e-mail too?"""
    chosen = (user.email_kinds or {}).get(kind)
    return bool(chosen) if chosen is not None else NOTIFICATION_KINDS.get(kind, ("", False))[1]


def preferences_of(actor: User | None) -> dict[str, Any]:
    """The preferences page's data: each kind with its label and choice, and the e-mail language."""
    user = require_user(actor)
    return {"kinds": [(kind, label, wants_email(user, kind)) for kind, (label, _default) in NOTIFICATION_KINDS.items()],
            "language": mail_language(user), "has_email": bool(user.email), "email_verified": user.email_verified}


def set_preferences(actor: User | None, data: dict[str, Any]) -> User:
    """Save the e-mail choice per kind (`email_kinds`: the kinds to e-mail) and the e-mail language."""
    user = require_user(actor)
    errors = FieldErrors()
    chosen = set(data.get("email_kinds") or ())
    if chosen - NOTIFICATION_KINDS.keys():
        errors.add("email_kinds", _l("请选择列表中的通知类型。"))
    language = str(data.get("language") or "")
    if language not in MAIL_LANGUAGES:
        errors.add("language", _l("请选择邮件语言。"))
    errors.raise_if_any()
    kinds = {kind: kind in chosen for kind in NOTIFICATION_KINDS}
    audit.record(user, "preferences", user, audit.apply_changes(user, {"email_kinds": kinds, "language": language}))
    db.session.commit()
    return user


def deliver_email_for(notification: Any) -> OutgoingMail | None:
    """Queue the e-mail copy of a notification when its recipient wants that kind by e-mail (no commit: the
    notification's own transaction carries it). Expects `recipient_id`, `kind`, `subject` (a msgid with
    %(name)s placeholders), `params` and `link` (a path or an absolute URL)."""
    user = db.session.get(User, notification.recipient_id)
    if user is None or not user.is_active or not user.email or not wants_email(user, notification.kind):
        return None
    language = mail_language(user)
    with force_locale(language):
        subject = gettext(notification.subject, **(notification.params or {}))
    link = notification.link or ""
    if link.startswith("/"):
        link = current_app.config["BASE_URL"].rstrip("/") + link
    return queue_mail(user, "notification", {"title": subject, "link": link,
                                              "kind_label": NOTIFICATION_KINDS.get(notification.kind, ("", ""))[0],
                                              "preferences_link": absolute_url("account.preferences")},
                      language=language)

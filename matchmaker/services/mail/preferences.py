"""Per-user notification preferences: for each kind, in-app only or also by e-mail (kept in User.email_kinds).

The kinds are the notifications model's; what a kind is called is in labels.NOTIFICATION_KIND. A kind the
account never chose comes by e-mail when it is in EMAILED_BY_DEFAULT: what a person waits for (a decision on
their own request or posting), not what merely happened.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from matchmaker import labels
from matchmaker.extensions import db
from matchmaker.models import OutgoingMail, User
from matchmaker.models.notification import NOTIFICATION_KINDS
from matchmaker.services import audit
from matchmaker.services.errors import FieldErrors
from matchmaker.services.mail.outbox import MAIL_LANGUAGES, absolute_url, mail_language, queue_mail
from matchmaker.services.permissions import require_user

EMAILED_BY_DEFAULT = frozenset({
    "posting_reviewed", "contact_received", "contact_decided", "contact_accepted", "org_reviewed",
    "join_requested", "join_decided", "event_invitation", "event_registration",
    "meeting_request",
})


OWN_MAIL = frozenset({"match_alert", "event_confirmed", "event_reminder"})
"""Kinds whose e-mail has its own route and setting (match alerts: immediate or digest, services/alerts; an
event's confirmation with its QR code and the day-before schedule: services/events, to every member):
notify() never sends them the generic copy and the per-kind choice does not list them."""


def wants_email(user: User, kind: str) -> bool:
    """Does this account want notifications of this kind by e-mail too?"""
    if kind in OWN_MAIL:
        return False
    chosen = (user.email_kinds or {}).get(kind)
    return bool(chosen) if chosen is not None else kind in EMAILED_BY_DEFAULT


def preferences_of(actor: User | None) -> dict[str, Any]:
    """The preferences page's data: each kind with its label and choice, and the e-mail language."""
    user = require_user(actor)
    return {"kinds": [(kind, labels.label("notification_kind", kind), wants_email(user, kind))
                      for kind in NOTIFICATION_KINDS if kind not in OWN_MAIL],
            "language": mail_language(user), "has_email": bool(user.email), "email_verified": user.email_verified}


def set_preferences(actor: User | None, data: dict[str, Any]) -> User:
    """Save the e-mail choice per kind (`email_kinds`: the kinds to e-mail) and the e-mail language."""
    user = require_user(actor)
    errors = FieldErrors()
    chosen = set(data.get("email_kinds") or ())
    if chosen - set(NOTIFICATION_KINDS):
        errors.add("email_kinds", _l("请选择列表中的通知类型。"))
    language = str(data.get("language") or "")
    if language not in MAIL_LANGUAGES:
        errors.add("language", _l("请选择邮件语言。"))
    errors.raise_if_any()
    kinds = {kind: kind in chosen for kind in NOTIFICATION_KINDS}
    audit.record(user, "preferences", user, audit.apply_changes(user, {"email_kinds": kinds, "language": language}))
    db.session.commit()
    return user


def deliver_email_for(user: User, kind: str, sentence: Callable[[], str], link: str = "") -> OutgoingMail | None:
    """Queue the e-mail copy of a notification when its recipient wants that kind by e-mail (no commit: the
    notification's own transaction carries it). `sentence()` is called in the recipient's language; `link` is
    a path or an absolute URL. Only verified addresses get mail: an address typed by mistake is nobody's inbox."""
    if not user.is_active or not user.email or not user.email_verified or not wants_email(user, kind):
        return None
    language = mail_language(user)
    with force_locale(language):
        title, kind_label = sentence(), labels.label("notification_kind", kind)
    if link.startswith("/"):
        link = current_app.config["BASE_URL"].rstrip("/") + link
    return queue_mail(user, "notification", {"title": title, "link": link, "kind_label": kind_label,
                                              "preferences_link": absolute_url("account.preferences")},
                      language=language)

"""Queueing e-mail: rendered in the recipient's language and written to the outbox in the caller's transaction."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import OutgoingMail, User
from matchmaker.models._base import utcnow
from matchmaker.services import audit
from matchmaker.services.errors import Conflict
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.permissions import mail_retryable, require_admin

MAIL_LANGUAGES = ("zh_Hans_CN", "en")


def mail_language(user: User | None, wanted: str | None = None) -> str:
    """The language a message is written in: the one asked for, else the account's, else Chinese."""
    for candidate in (wanted, user.language if user is not None else None):
        if candidate in MAIL_LANGUAGES:
            return candidate  # type: ignore[return-value]
    return MAIL_LANGUAGES[0]


def absolute_url(endpoint: str, **values: Any) -> str:
    """BASE_URL + the endpoint's path; works without a request (the CLI and timers queue mail too)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)


def render_mail(template_name: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """(subject, text, html) from templates/mail/<name>.txt (which sets `subject`) and <name>.html."""
    env = current_app.jinja_env
    values = {"base_url": current_app.config["BASE_URL"], **context}
    with force_locale(language):
        text_module = env.get_template(f"mail/{template_name}.txt").make_module(values)
        html = env.get_template(f"mail/{template_name}.html").render(subject=text_module.subject, **values)
        return str(text_module.subject).strip(), str(text_module).strip() + "\n", html


def queue_mail(to: User | str, template_name: str, context: dict[str, Any], *, language: str | None = None,
               list_unsubscribe: str = "") -> OutgoingMail | None:
    """Add a message to the outbox (the caller commits); None when the account has no address to send to.

    `list_unsubscribe`: the signed address mail clients offer as one-click unsubscribe (RFC 8058 headers).
    """
    user = to if isinstance(to, User) else None
    address = (user.email if user is not None else str(to)).strip()
    if not address:
        return None
    lang = mail_language(user, language)
    subject, text, html = render_mail(template_name, {"user": user, **context}, lang)
    mail = OutgoingMail(user_id=user.id if user is not None else None, to=address, template=template_name,
                        subject=subject[:200], text=text, html=html, language=lang, status="queued",
                        attempts=0, next_attempt_at=utcnow(), last_error="", list_unsubscribe=list_unsubscribe)
    db.session.add(mail)
    return mail


def recent_count(user: User, template_name: str, since: Any) -> int:
    """Messages of one kind queued for an account since a moment (for per-account caps)."""
    return db.session.scalar(select(func.count(OutgoingMail.id)).where(
        OutgoingMail.user_id == user.id, OutgoingMail.template == template_name,
        OutgoingMail.created_at >= since)) or 0


def list_outbox(actor: User | None, status: str = "", page: int = 1, per_page: int = 50
                ) -> tuple[list[OutgoingMail], int, dict[str, int]]:
    """One page of the outbox for administrators, newest first, with the count per status."""
    require_admin(actor)
    query = select(OutgoingMail)
    if status:
        query = query.where(OutgoingMail.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(db.session.scalars(query.order_by(OutgoingMail.id.desc()).offset((page - 1) * per_page)
                                   .limit(per_page)))
    counts = {str(status): int(n) for status, n in
              db.session.execute(select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status))}
    return rows, total, counts


def retry(mail_id: int, actor: User | None) -> OutgoingMail:
    """An administrator puts a failed (or waiting) message back at the head of the queue with fresh attempts."""
    admin = require_admin(actor)
    mail = get_or_not_found(OutgoingMail, mail_id, _l("找不到该邮件。"))
    if not mail_retryable(mail):
        raise Conflict(_l("该邮件已发送，无需重试。"))
    changes = audit.apply_changes(mail, {"status": "queued", "attempts": 0, "next_attempt_at": utcnow()})
    audit.record(admin, "mail_retry", mail, changes)
    db.session.commit()
    return mail

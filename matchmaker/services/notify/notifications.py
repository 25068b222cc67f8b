"""notify(): the one way a change tells someone (in the app, and by e-mail where wanted); list, count, mark read."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from matchmaker.extensions import db
from matchmaker.models import Membership, Notification, User
from matchmaker.models._base import utcnow
from matchmaker.models.notification import NOTIFICATION_KINDS
from matchmaker.services.errors import NotFound
from matchmaker.services.mail import preferences as mail_preferences
from matchmaker.services.notify.subjects import SUBJECTS
from matchmaker.services.permissions import require_user


def notify(user: User | None, kind: str, subject: str, params: dict[str, Any] | None = None, link: str = ""
           ) -> Notification | None:
    """Add a notification for `user` to the current transaction (the caller commits); None for nobody.

    `subject` is a key of subjects.SUBJECTS; the sentence is looked up when shown, in the reader's locale, and
    `params` fill its placeholders (plain strings: titles and names, never contact details).
    When the recipient wants this kind by e-mail too, the message joins the outbox in the same transaction, so
    it is sent exactly when the change commits.
    """
    if user is None or not user.is_active:
        return None
    assert kind in NOTIFICATION_KINDS and subject in SUBJECTS, (kind, subject)
    note = Notification(recipient_id=user.id, kind=kind, subject=subject, params=dict(params or {}), link=link[:300])
    db.session.add(note)
    mail_preferences.deliver_email_for(user, kind, lambda: text(note), link)
    return note


def notify_all(users: Iterable[User], kind: str, subject: str, params: dict[str, Any] | None = None,
               link: str = "") -> None:
    """notify() each distinct user once."""
    seen: set[int] = set()
    for user in users:
        if user.id not in seen:
            seen.add(user.id)
            notify(user, kind, subject, params, link)


def staff_users() -> list[User]:
    """Active staff and administrators: who hears about queues."""
    return list(db.session.scalars(select(User).where(User.role.in_(("staff", "admin")), User.disabled.is_(False))))


def members_of(org_id: int) -> list[User]:
    """Active accounts with an active membership of the organization: who hears what concerns it."""
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.org_id == org_id, Membership.status == "active", User.disabled.is_(False)).order_by(User.id)))


def text(note: Notification) -> str:
    """The notification's sentence in the current locale."""
    template = SUBJECTS.get(note.subject)
    if template is None:
        return note.subject
    try:
        return str(template) % {k: str(v) for k, v in (note.params or {}).items()}
    except (KeyError, ValueError, TypeError):  # a sentence whose placeholders changed since the row was written
        return str(template)


def unread_count(user: User | None) -> int:
    """One COUNT for the bell."""
    if user is None or not user.is_authenticated:
        return 0
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None))) or 0


def list_notifications(actor: User | None, *, page: int = 1, per_page: int = 20, unread_only: bool = False
                       ) -> tuple[list[Notification], int]:
    """The actor's notifications, newest first, paged in SQL."""
    user = require_user(actor)
    where = [Notification.recipient_id == user.id]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count(Notification.id)).where(*where)) or 0
    rows = db.session.scalars(select(Notification).where(*where)
                              .order_by(Notification.created_at.desc(), Notification.id.desc())
                              .offset((max(page, 1) - 1) * per_page).limit(per_page))
    return list(rows), total


def mark_read(note_id: int, actor: User | None) -> Notification:
    """Mark one of the actor's notifications read (someone else's is not found)."""
    user = require_user(actor)
    note = db.session.get(Notification, note_id)
    if note is None or note.recipient_id != user.id:
        raise NotFound(_l("找不到该通知。"))
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    return note


def mark_all_read(actor: User | None) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    user = require_user(actor)
    result = db.session.execute(update(Notification).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

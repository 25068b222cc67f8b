"""Server-side sign-in sessions: a signed cookie alone no longer keeps anyone signed in.

The browser's (signed) session cookie carries a random session id; the database keeps only its SHA-256 with
the account, when it started and when it was last seen. A session ends when the user signs out (an old copy
of the cookie then opens nothing), when it has been idle for SESSION_IDLE_MINUTES, when it is older than
SESSION_MAX_HOURS, when the user signs out everywhere, or when the password changes (other sessions only).
`last_seen_at` is refreshed at most once a minute, so reading pages costs no write per request.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from matchmaker.extensions import db
from matchmaker.models import User, UserSession
from matchmaker.models._base import as_utc, utcnow
from matchmaker.services import audit

TOUCH_EVERY = timedelta(minutes=1)


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start(user: User) -> str:
    """A new session for a user who just proved who they are; returns the id for the cookie."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(UserSession(id_hash=_digest(sid), user_id=user.id, created_at=now, last_seen_at=now))
    db.session.commit()
    return sid


def resume(user_id: str, sid: str | None) -> User | None:
    """The user of a live session, or None when the session ended, expired or never existed."""
    if not sid or not user_id.isdigit() or len(sid) > 100:
        return None
    row = db.session.scalar(select(UserSession).where(UserSession.id_hash == _digest(sid),
                                                      UserSession.revoked_at.is_(None)))
    if row is None or row.user_id != int(user_id) or not _alive(row):
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if utcnow() - as_utc(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = utcnow()
        db.session.commit()
    return user


def _alive(row: UserSession) -> bool:
    cfg, now = current_app.config, utcnow()
    idle = now - as_utc(row.last_seen_at) > timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    too_old = now - as_utc(row.created_at) > timedelta(hours=cfg["SESSION_MAX_HOURS"])
    return not (idle or too_old)


def end(sid: str | None) -> None:
    """Sign-out: this session is over, whoever still holds a copy of its cookie."""
    if not sid:
        return
    db.session.execute(update(UserSession).where(UserSession.id_hash == _digest(sid),
                                                 UserSession.revoked_at.is_(None)).values(revoked_at=utcnow()))
    db.session.commit()


def end_all(user: User, *, keep: str | None = None, reason: str = "logout_everywhere") -> int:
    """End every session of the account (but `keep`, the caller's own, when given); audited."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep:
        stmt = stmt.where(UserSession.id_hash != _digest(keep))
    ended = db.session.execute(stmt.values(revoked_at=utcnow())).rowcount  # type: ignore[attr-defined]
    audit.record(user, reason, user, {"sessions_ended": {"after": ended}})
    db.session.commit()
    return int(ended or 0)


def active_for(user: User, current: str | None) -> list[tuple[UserSession, bool]]:
    """The account's live sessions, newest first, each with whether it is the caller's own."""
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                        UserSession.revoked_at.is_(None))
                              .order_by(UserSession.last_seen_at.desc()).limit(50))
    mine = _digest(current) if current else None
    return [(row, row.id_hash == mine) for row in rows if _alive(row)]

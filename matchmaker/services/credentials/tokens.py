"""Signed links: the payload names the account and a fingerprint of what the link may change, so a link stops
working once it has been used (or the password changed some other way)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.models._base import utcnow


class LinkInvalid(Exception):
    """Tampered, used or for an account that is gone."""


class LinkExpired(Exception):
    """Genuine but older than its lifetime."""


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"matchmaker-{purpose}")


def fingerprint(user: User, purpose: str) -> str:
    """What the link is bound to: the password hash (reset; salted, so it changes on every new password) or the
    address and its state (verification)."""
    basis = user.password_hash if purpose == "reset" else f"{user.email}|{user.email_verified}"
    return hashlib.sha256(basis.encode()).hexdigest()[:20]


def make_token(user: User, purpose: str, issued_at: datetime | None = None) -> str:
    """A URL-safe signed token for one account and purpose."""
    issued = int((issued_at or utcnow()).timestamp())
    return _serializer(purpose).dumps({"u": user.id, "f": fingerprint(user, purpose), "t": issued})


def load_token(token: str, purpose: str, lifetime: timedelta) -> User:
    """The account a token is for; LinkExpired past its lifetime, LinkInvalid if forged, used or stale."""
    try:
        data: Any = _serializer(purpose).loads(token[:500])
        user_id, mark, issued = int(data["u"]), str(data["f"]), int(data["t"])
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid from exc
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or mark != fingerprint(user, purpose):
        raise LinkInvalid
    if utcnow().timestamp() - issued > lifetime.total_seconds():
        raise LinkExpired
    return user

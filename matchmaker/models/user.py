"""Accounts, their roles and API tokens."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin, utcnow
from matchmaker.models.organization import Organization

ROLES = ("researcher", "company", "staff", "admin")
STAFF_ROLES = ("staff", "admin")


class User(UserMixin, TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), nullable=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    email_verified: Mapped[bool] = mapped_column(Boolean, default=True)
    """False only for a self-registered account until its owner follows the e-mailed link; accounts made by
    administrators or the command line, and those older than verification, are trusted."""
    language: Mapped[str] = mapped_column(String(20), default="")
    """Language of e-mails to this account; empty means the platform's default (Chinese)."""
    email_kinds: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict, nullable=True)
    """Per notification kind: True = also by e-mail, False = in-app only; missing kinds use the defaults."""

    org: Mapped[Organization | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return not self.disabled

    @property
    def is_locked(self) -> bool:
        """Locked out by too many failed sign-ins, until `locked_until` (SQLite hands back naive UTC)."""
        until = self.locked_until
        return until is not None and (until if until.tzinfo else until.replace(tzinfo=UTC)) > utcnow()

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


TOKEN_SCOPES = ("read", "write")


class ApiToken(db.Model):  # type: ignore[name-defined]
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the token; the token itself is shown once and never stored."""
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[str] = mapped_column(String(10), default="write", server_default="write")
    """"read" tokens may only GET; "write" tokens may also create, change and delete."""
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """After this moment the token is refused; None means it lasts until revoked."""

    user: Mapped[User] = relationship()


class UserSession(db.Model):  # type: ignore[name-defined]
    """One signed-in browser; the cookie holds a random id, this row only its hash (see services/signin)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


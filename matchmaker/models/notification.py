"""In-app notifications and each user's per-kind delivery preference."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models._base import utcnow

NOTIFICATION_KINDS = (
    "posting_reviewed", "contact_received", "contact_decided", "contact_accepted", "contact_expiring",
    "org_verification", "org_reviewed", "join_requested", "join_decided", "intent_status",
)
"""What a notification is about; preferences are kept per kind."""


class Notification(db.Model):  # type: ignore[name-defined]
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(200))
    """A msgid (Chinese source text with %(name)s placeholders), translated when shown, in the reader's language."""
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class NotificationPreference(db.Model):  # type: ignore[name-defined]
    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    email: Mapped[bool] = mapped_column(Boolean, default=False)
    """False: in-app only; True: also by e-mail (the outbox sends it)."""

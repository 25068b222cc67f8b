"""In-app notifications (the per-kind e-mail choice is kept on the account: User.email_kinds)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models._base import utcnow

NOTIFICATION_KINDS = (
    "posting_reviewed", "contact_received", "contact_decided", "contact_accepted", "contact_expiring",
    "org_verification", "org_reviewed", "join_requested", "join_decided", "intent_status", "event_invitation",
    "stale_intents", "match_alert",
    "event_registration", "event_confirmed", "event_reminder",
    "meeting_request", "meeting_outcomes",
)
"""What a notification is about; each account chooses per kind whether it also comes by e-mail."""


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

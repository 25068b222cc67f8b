"""The e-mail outbox: every message is a row first, written in the transaction that causes it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models._base import utcnow

MAIL_STATUSES = ("queued", "sent", "failed")


class OutgoingMail(db.Model):  # type: ignore[name-defined]
    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True,
                                                index=True)
    """The recipient's account when there is one (per-account caps count these)."""
    to: Mapped[str] = mapped_column(String(120))
    template: Mapped[str] = mapped_column(String(50))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    list_unsubscribe: Mapped[str] = mapped_column(String(700), default="", server_default="")
    """The signed one-click unsubscribe address sent as List-Unsubscribe (alert e-mail); empty for other mail."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

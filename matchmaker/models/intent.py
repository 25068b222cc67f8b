"""合作意向 (intents) and their follow-up notes."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin, utcnow
from matchmaker.models.contact import ContactRequest
from matchmaker.models.event import Event, Meeting
from matchmaker.models.need import Need
from matchmaker.models.organization import Organization
from matchmaker.models.result import Result

INTENT_STATUSES = ("open", "negotiating", "signed", "dropped")
INTENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("negotiating", "dropped"), "negotiating": ("signed", "dropped"), "signed": (), "dropped": (),
}
"""The statuses an intent may move to from each status (services/deals and permissions both read it)."""
INTENT_SOURCES = ("manual", "contact_request", "meeting")
"""Where an intent came from: typed by staff, opened by an accepted 我要对接 request, or recorded by a participant
as the outcome of its meeting at an event (staff then confirm it: open → negotiating, or drop it)."""


class Intent(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "intent"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"), nullable=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"), nullable=True, index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), nullable=True)
    logged_on: Mapped[date] = mapped_column(Date, index=True)
    mode: Mapped[str] = mapped_column(String(20), default="")
    amount_wan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    last_activity_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="manual")
    contact_request_id: Mapped[int | None] = mapped_column(ForeignKey("contact_request.id"), nullable=True,
                                                           unique=True)

    result: Mapped[Result] = relationship()
    company: Mapped[Organization] = relationship()
    need: Mapped[Need | None] = relationship()
    event: Mapped[Event | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    contact_request: Mapped[ContactRequest | None] = relationship(backref=db.backref("intent", uselist=False))
    notes: Mapped[list[IntentNote]] = relationship(
        back_populates="intent", cascade="all, delete-orphan", order_by="IntentNote.noted_on"
    )


class IntentNote(db.Model):  # type: ignore[name-defined]
    __tablename__ = "intent_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("intent.id"), index=True)
    noted_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    intent: Mapped[Intent] = relationship(back_populates="notes")

"""合作意向 (intents), their follow-up notes, 成果转化 (transfers) and the yearly goals."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin, utcnow
from matchmaker.models.event import Event, Meeting
from matchmaker.models.need import Need
from matchmaker.models.organization import Organization
from matchmaker.models.result import Result

INTENT_STATUSES = ("open", "negotiating", "signed", "dropped")
CONTRACT_TYPES = ("development", "transfer", "license", "consulting", "service")
GOAL_METRICS = ("events", "transfers", "results", "firms", "intents")
DEFAULT_TARGETS = {"events": 10, "transfers": 10, "results": 100, "firms": 100, "intents": 100}


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

    result: Mapped[Result] = relationship()
    company: Mapped[Organization] = relationship()
    need: Mapped[Need | None] = relationship()
    event: Mapped[Event | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
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


class Transfer(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    intent_id: Mapped[int | None] = mapped_column(ForeignKey("intent.id"), nullable=True)
    contract_number: Mapped[str] = mapped_column(String(50), unique=True)
    contract_type: Mapped[str] = mapped_column(String(20))
    amount_wan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    signed_on: Mapped[date] = mapped_column(Date, index=True)
    local_override: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    override_reason: Mapped[str] = mapped_column(String(500), default="")

    result: Mapped[Result] = relationship()
    buyer: Mapped[Organization] = relationship()
    intent: Mapped[Intent | None] = relationship()

    def is_local(self, region_prefix: str) -> bool:
        """Derived from the buyer's credit code unless staff overrode it."""
        if self.local_override is not None:
            return self.local_override
        return self.buyer.is_local(region_prefix)


class Goal(db.Model):  # type: ignore[name-defined]
    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("year", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(20))
    target: Mapped[int] = mapped_column(Integer)

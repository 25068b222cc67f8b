"""对接活动: events, their invitations, presented results and 1:1 meetings."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin
from matchmaker.models.need import Need
from matchmaker.models.organization import Organization
from matchmaker.models.result import Result

EVENT_TYPES = ("roadshow", "matchmaking", "campus", "auction")
EVENT_STATUSES = ("planned", "held", "cancelled")
EVENT_TRANSITIONS: dict[str, tuple[str, ...]] = {"planned": ("held", "cancelled"), "held": (), "cancelled": ()}
"""The statuses an event may move to from each status (services/events and permissions both read it)."""
INVITATION_STATUSES = ("invited", "pending", "waitlisted", "registered", "attended", "declined", "rejected",
                       "cancelled")
"""One row per event and organization, from invitation or registration to check-in:
invited (staff asked it) · pending (registered, waiting for staff approval) · waitlisted (the event was full) ·
registered (has a place) · attended (checked in) · declined (it said no to the invitation) ·
rejected (staff declined its registration) · cancelled (it withdrew)."""
PARTICIPANT_STATUSES = ("registered", "attended")
"""Statuses that hold a place at the event (what Event.capacity counts)."""
OPEN_STATUSES = ("invited", "pending", "waitlisted", "registered", "attended")
"""Statuses of a row still in play: an organization with one of these cannot register again."""
MEETING_OUTCOMES = ("none", "no_interest", "follow_up", "intent")


CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I, so a code read aloud or typed on a phone comes out right."""
CHECKIN_CODE_LENGTH = 10
"""10 symbols of 32 = 50 bits: not guessable by trying codes at the door."""


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


class Event(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=False), index=True)
    """Local wall-clock time of the event (Asia/Shanghai)."""
    venue: Mapped[str] = mapped_column(String(200), default="")
    chain_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    slot_count: Mapped[int] = mapped_column(Integer, default=6)
    table_count: Mapped[int] = mapped_column(Integer, default=5)
    meeting_cap: Mapped[int] = mapped_column(Integer, default=3)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    """Shown on the public events page and open to registration by members of verified organizations."""
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    """Registrations wait (pending) until staff approve them."""

    presentations: Mapped[list[EventResult]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventResult.position"
    )
    invitations: Mapped[list[Invitation]] = relationship(back_populates="event", cascade="all, delete-orphan")
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="(Meeting.slot, Meeting.table_no)"
    )


class EventResult(db.Model):  # type: ignore[name-defined]
    """A result presented at an event."""

    __tablename__ = "event_result"
    __table_args__ = (UniqueConstraint("event_id", "result_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(Float, default=0.0)

    event: Mapped[Event] = relationship(back_populates="presentations")
    result: Mapped[Result] = relationship()


class Invitation(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("event_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="invited")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # the registration (the same row: an invited organization that accepts becomes registered)
    attendees: Mapped[str] = mapped_column(Text, default="")
    """Who will come, one name per line."""
    headcount: Mapped[int | None] = mapped_column(Integer, nullable=True)
    interest_result_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Presented results the organization wants to hear about or meet."""
    interest_need_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Its own needs it brings to the event."""
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    registered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """When the organization accepted, declined or registered (None: an invitation not answered yet)."""
    waitlisted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Place in the waiting list: the earliest is promoted first."""
    checkin_code: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True,
                                                      default=new_checkin_code)
    """Random code behind the QR of the confirmation (long enough not to be guessed)."""
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """When the day-before reminder with the schedule went out (once per registration)."""
    invitation_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """When the reminder about an unanswered invitation went out (once)."""

    event: Mapped[Event] = relationship(back_populates="invitations")
    org: Mapped[Organization] = relationship()


class Meeting(TimestampMixin, db.Model):  # type: ignore[name-defined]
    """A 1:1 talk at an event between a result's owner and a company (about one of its needs, if any)."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"), nullable=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    table_no: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    outcome: Mapped[str] = mapped_column(String(20), default="none")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_request.id", ondelete="SET NULL"),
                                                   nullable=True, index=True)
    """The accepted 约见 request this meeting keeps (已约定), if any."""
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    outcome_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """When staff were told this meeting still has no outcome (once)."""

    event: Mapped[Event] = relationship(back_populates="meetings")
    result: Mapped[Result] = relationship()
    need: Mapped[Need | None] = relationship()
    company: Mapped[Organization] = relationship()

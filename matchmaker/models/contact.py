"""我要对接: a member's request for contact with a published result or need, and its timeline."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin, utcnow
from matchmaker.models.need import Need
from matchmaker.models.organization import Organization
from matchmaker.models.result import Result
from matchmaker.models.user import User

CONTACT_STATUSES = ("submitted", "approved", "declined", "refused", "revealed", "withdrawn", "expired")
"""submitted → approved | declined (staff) → revealed (the owner accepts) | refused (the owner declines);
withdrawn by the requester before the reveal; expired when nobody answers in time."""
OPEN_STATUSES = ("submitted", "approved")
"""Waiting for someone: only one open request per requester organization and posting."""


class ContactRequest(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "contact_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    requester_org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    result_id: Mapped[int | None] = mapped_column(ForeignKey("result.id"), nullable=True, index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"), nullable=True, index=True)
    """Exactly one of result_id / need_id is the target; the other is the requester's own linked posting."""
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    """The target posting's owner, who accepts or refuses."""
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    own_posting_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The requester's own posting of the other kind (a need for a result, a result for a need), if linked."""
    message: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    staff_reason: Mapped[str] = mapped_column(String(1000), default="")
    owner_message: Mapped[str] = mapped_column(String(1000), default="")
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    """The working day after which an unanswered request expires."""
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revealed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    requester_org: Mapped[Organization] = relationship(foreign_keys=[requester_org_id])
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    owner_org: Mapped[Organization] = relationship(foreign_keys=[owner_org_id])
    result: Mapped[Result | None] = relationship()
    need: Mapped[Need | None] = relationship()
    events: Mapped[list[ContactEvent]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ContactEvent.id")

    @property
    def target(self) -> Result | Need:
        target = self.result if self.target_kind == "result" else self.need
        assert target is not None
        return target

    @property
    def target_id(self) -> int:
        return self.target.id


class ContactEvent(db.Model):  # type: ignore[name-defined]
    """One step of a request's timeline: who moved it to which status, when, and why."""

    __tablename__ = "contact_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("contact_request.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str] = mapped_column(String(1000), default="")

    request: Mapped[ContactRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

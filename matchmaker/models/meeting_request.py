"""约见: a participant's request for a 1:1 meeting at an event, answered by the other organization."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin
from matchmaker.models.event import Event
from matchmaker.models.organization import Organization
from matchmaker.models.result import Result
from matchmaker.models.user import User

MEETING_REQUEST_STATUSES = ("requested", "accepted", "declined", "withdrawn")
"""requested → accepted | declined (a member of the target organization) | withdrawn (the requester);
accepted → withdrawn (the requester, while the event is still planned)."""
OPEN_REQUEST_STATUSES = ("requested", "accepted")
"""Still in play: one open request per event, requesting and target organization."""
TARGET_KINDS = ("result", "organization")
MESSAGE_MAX = 300
"""A short "why meet" note; the conversation itself happens at the table."""


class MeetingRequest(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "meeting_request"
    __table_args__ = (
        # Partial unique index: declined and withdrawn requests do not stop a new one (SQLite and PostgreSQL).
        Index("uq_meeting_request_open", "event_id", "from_org_id", "to_org_id", unique=True,
              sqlite_where=text("status IN ('requested', 'accepted')"),
              postgresql_where=text("status IN ('requested', 'accepted')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    from_org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    to_org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    """The organization that answers: the presented result's owner, or the organization asked directly."""
    target_kind: Mapped[str] = mapped_column(String(20))
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id"))
    """What the meeting is about: the presented result asked for, or for an organization target a presented
    result of one of the two sides (the agenda's meetings are always about a result)."""
    message: Mapped[str] = mapped_column(String(MESSAGE_MAX))
    status: Mapped[str] = mapped_column(String(20), default="requested", index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    event: Mapped[Event] = relationship()
    from_org: Mapped[Organization] = relationship(foreign_keys=[from_org_id])
    from_user: Mapped[User] = relationship(foreign_keys=[from_user_id])
    to_org: Mapped[Organization] = relationship(foreign_keys=[to_org_id])
    result: Mapped[Result] = relationship()
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    @property
    def host_org_id(self) -> int:
        """The side that owns the result (the agenda's "result" side); the other one is the company side."""
        return self.result.org_id

    @property
    def company_org_id(self) -> int:
        return self.to_org_id if self.from_org_id == self.result.org_id else self.from_org_id

"""Memberships: a user's place in an organization, pending until its manager or staff approve."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin
from matchmaker.models.organization import Organization
from matchmaker.models.user import User

MEMBER_ROLES = ("member", "manager")
MEMBER_STATUSES = ("pending", "active", "rejected")


class Membership(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    """One organization per account, as User.org_id already says; this row says whether it is confirmed."""
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id], backref=db.backref("membership", uselist=False))
    org: Mapped[Organization] = relationship()

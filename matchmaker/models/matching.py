"""Match index version counter and suggestion feedback."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models._base import utcnow


class IndexVersion(db.Model):  # type: ignore[name-defined]
    """One row; `version` grows whenever published content changes, so every worker can tell its index is stale."""

    __tablename__ = "index_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class MatchFeedback(db.Model):  # type: ignore[name-defined]
    """A user's verdict on one suggestion (source posting -> suggested posting)."""

    __tablename__ = "match_feedback"
    __table_args__ = (UniqueConstraint("user_id", "source_kind", "source_id", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    source_kind: Mapped[str] = mapped_column(String(10))
    source_id: Mapped[int] = mapped_column(Integer)
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer, default=0)
    """1-based position the suggestion had when judged; precision@5 counts ranks 1-5."""
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("chain.id"), nullable=True, index=True)
    useful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

"""Match index change log and suggestion feedback."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models._base import utcnow


class IndexChange(db.Model):  # type: ignore[name-defined]
    """One change of published content, written in the transaction that makes it; workers apply ids above theirs.

    `op` is "upsert" or "remove" for one posting, "vocabulary" when a chain's terms changed (full rebuild),
    "lexicon" when its firm vocabulary (synonyms) changed (query expansion swapped, nothing rebuilt) and
    "resync" for bulk writes (imports, demo seed) that compare every published posting once. Ids only grow
    (AUTOINCREMENT on SQLite), so pruning old rows never lets an id come back.
    """

    __tablename__ = "index_change"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="")
    posting_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    op: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


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

"""Match index change log, suggestion feedback and the derived match figures the dashboard reads."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
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


class NeedMatchStat(db.Model):  # type: ignore[name-defined]
    """What the matcher found for one published need, kept for the dashboard (services/goals/match_stats.py).

    Derived data: a background job recomputes it from the index, so every worker and node reads the same figures
    instead of searching every need itself.
    """

    __tablename__ = "need_match_stat"

    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), primary_key=True)
    best: Mapped[float] = mapped_column(Float, default=0.0)
    """Score of the need's best result (0: none)."""
    matched: Mapped[int] = mapped_column(Integer, default=0)
    """Results in the need's top MATCH_TOP_K scoring at least MATCH_MIN_SCORE."""
    tops: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Result ids of the top hits: a change of one of them means searching this need again."""


class MatchStatState(db.Model):  # type: ignore[name-defined]
    """The one row saying what the need_match_stat rows were computed against."""

    __tablename__ = "match_stat_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    stats_date: Mapped[date] = mapped_column(Date)
    index_key: Mapped[str] = mapped_column(String(40))
    """Vocabulary, firm lexicon and matching settings the scores were computed with."""
    version: Mapped[int] = mapped_column(Integer)
    """Change-log position of the index the rows were brought up to."""
    full_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When every need was last searched (MATCH_STATS_MAX_AGE bounds the drift of untouched needs)."""
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ResultDuplicatePair(db.Model):  # type: ignore[name-defined]
    """Two public results the engine finds near-duplicate (shingle similarity at least DUPLICATE_THRESHOLD).

    Derived data, kept by the same job as need_match_stat: the 三十三百 results figure merges these pairs without
    comparing every pair of results while a page waits. ``first_id`` < ``second_id``.
    """

    __tablename__ = "result_duplicate_pair"

    first_id: Mapped[int] = mapped_column(ForeignKey("result.id", ondelete="CASCADE"), primary_key=True)
    second_id: Mapped[int] = mapped_column(ForeignKey("result.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    similarity: Mapped[float] = mapped_column(Float)

"""Match alerts: saved searches and "new matches for my posting" subscriptions, the alerts they produced and
each account's digest setting."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin, utcnow
from matchmaker.models.user import User

SUBSCRIPTION_KINDS = ("search", "posting")
"""search: text + chain + filters over one kind of posting; posting: new matches for one of the user's own
published postings with a pair score at or above `min_score`."""
DIGEST_FREQUENCIES = ("immediate", "daily", "weekly", "off")
"""How alert e-mail reaches an account: one per alert, one digest a day or a week, or none (in-app only)."""


class Subscription(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    target_kind: Mapped[str] = mapped_column(String(10))
    """The kind of posting that alerts: result | need (for a posting subscription, the other kind)."""
    q: Mapped[str] = mapped_column(String(200), default="")
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("chain.id"), nullable=True, index=True)
    """The search's chain; for a posting subscription the posting's chain when subscribed (for staff counts)."""
    filters: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    """trl_min, trl_max (whole numbers 1..9) and mode (a MODES code), each optional."""
    posting_kind: Mapped[str] = mapped_column(String(10), default="")
    posting_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    min_score: Mapped[int] = mapped_column(Integer, default=0)
    """Posting subscriptions: the lowest pair score (0..100, the scale every page shows) that alerts."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    """False once unsubscribed from an e-mail link (kept, so its alerts still count for staff)."""

    user: Mapped[User] = relationship()


class Alert(db.Model):  # type: ignore[name-defined]
    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscription.id", ondelete="SET NULL"),
                                                        nullable=True, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("chain.id"), nullable=True, index=True)
    """The subscription's chain, copied: staff counts survive a deleted subscription."""
    posting_kind: Mapped[str] = mapped_column(String(10))
    posting_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    """When its e-mail (immediate or a digest) was queued; None: waiting for the next digest."""

    subscription: Mapped[Subscription | None] = relationship()


class DigestSetting(db.Model):  # type: ignore[name-defined]
    __tablename__ = "digest_setting"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(10), default="daily")
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

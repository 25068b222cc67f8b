"""Results (科技成果) and needs (技术需求) share a life cycle: this mixin holds what they have in common."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from matchmaker.models._base import TimestampMixin

if TYPE_CHECKING:
    from matchmaker.models.chain import Chain
    from matchmaker.models.organization import Organization
    from matchmaker.models.user import User

KINDS = ("result", "need")
STATUSES = ("draft", "pending", "published", "rejected", "withdrawn", "transferred")
PUBLIC_STATUSES = ("published", "transferred")
"""What anyone may see, search and be matched against."""
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "submit": {"from": ("draft", "rejected", "withdrawn"), "to": ("pending",)},
    "publish": {"from": ("pending",), "to": ("published",)},
    "reject": {"from": ("pending",), "to": ("rejected",)},
    "withdraw": {"from": ("pending", "published"), "to": ("withdrawn",)},
    "transfer": {"from": ("published",), "to": ("transferred",)},
}
"""The posting life cycle: each action, the statuses it starts from and the one it leads to."""


def may_move(action: str, status: str) -> bool:
    """True when `action` may be taken on a posting in `status`."""
    return status in TRANSITIONS[action]["from"]
MODES = ("transfer", "license", "equity", "joint", "service")


class PostingMixin(TimestampMixin):
    """Owner, chain, keywords, modes, contact and review state."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    reject_reason: Mapped[str] = mapped_column(String(1000), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Set when the engine flagged this posting as a near-duplicate of another of the same kind."""
    duplicate_score: Mapped[float | None] = mapped_column(nullable=True)
    pending_changes: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    """An owner's edit of a published posting waiting for review: changed field -> new plain (JSON) value."""
    revision_submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        """Lists filter on status and sort by publication date: this index answers both without the rows."""
        return (Index(f"ix_{cls.__tablename__}_status_published", "status", "published_at", "id"),)

    @declared_attr
    def org_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organization.id"), index=True)

    @declared_attr
    def owner_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("user_account.id"), index=True)

    @declared_attr
    def chain_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("chain.id"), nullable=True, index=True)

    @declared_attr
    def org(cls) -> Mapped[Organization]:
        return relationship("Organization")

    @declared_attr
    def owner(cls) -> Mapped[User]:
        return relationship("User")

    @declared_attr
    def chain(cls) -> Mapped[Chain | None]:
        return relationship("Chain")


def money() -> Mapped[Decimal | None]:
    """Amounts in 万元 with two decimals; NULL means 面议 (negotiable)."""
    return mapped_column(Numeric(12, 2), nullable=True)


def long_text() -> Mapped[str]:
    return mapped_column(Text, default="")


def trl_column() -> Mapped[int | None]:
    return mapped_column(Integer, nullable=True)

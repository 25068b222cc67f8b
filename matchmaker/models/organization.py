"""Organizations: universities, institutes, companies and the bureau."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin

ORG_KINDS = ("university", "institute", "company", "bureau")
RESEARCH_KINDS = ("university", "institute")
ORG_STATUSES = ("pending", "verified", "changes_requested", "rejected")
"""A self-registered organization is pending until staff verify it; staff-created ones are verified at once."""


class Organization(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    """Characters 3-8 of the credit code: the registration's administrative division."""
    local_override: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    """Staff may override the derived locality; the reason is in the audit log."""
    district: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(20), default="verified", index=True)
    review_note: Mapped[str] = mapped_column(String(1000), default="")
    """Staff's reason when they reject or ask for changes (shown to the organization's members)."""
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def is_verified(self) -> bool:
        return self.status == "verified"

    def is_local(self, region_prefix: str) -> bool:
        """Local when overridden so, else when the credit code was registered under the prefix."""
        if self.local_override is not None:
            return self.local_override
        return self.region_code.startswith(region_prefix)

    @property
    def is_research(self) -> bool:
        return self.kind in RESEARCH_KINDS

"""成果转化 (transfers): signed technology contracts."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin
from matchmaker.models.intent import Intent
from matchmaker.models.organization import Organization
from matchmaker.models.result import Result

CONTRACT_TYPES = ("development", "transfer", "license", "consulting", "service")


class Transfer(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    intent_id: Mapped[int | None] = mapped_column(ForeignKey("intent.id"), nullable=True)
    contract_number: Mapped[str] = mapped_column(String(50), unique=True)
    contract_type: Mapped[str] = mapped_column(String(20))
    amount_wan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), nullable=True)
    signed_on: Mapped[date] = mapped_column(Date, index=True)
    local_override: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    override_reason: Mapped[str] = mapped_column(String(500), default="")

    result: Mapped[Result] = relationship()
    buyer: Mapped[Organization] = relationship()
    intent: Mapped[Intent | None] = relationship()

    def is_local(self, region_prefix: str) -> bool:
        """Derived from the buyer's credit code unless staff overrode it."""
        if self.local_override is not None:
            return self.local_override
        return self.buyer.is_local(region_prefix)

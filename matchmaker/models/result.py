"""科技成果: a research result offered by a university or institute."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models.posting import PostingMixin, long_text, money, trl_column

STAGES = ("research", "small_trial", "pilot", "small_batch", "industrial")
IP_TYPES = ("invention", "utility", "design", "software", "know_how", "none")


class Result(PostingMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "result"
    kind = "result"

    summary: Mapped[str] = long_text()
    innovations: Mapped[str] = long_text()
    indicators: Mapped[str] = long_text()
    trl: Mapped[int | None] = trl_column()
    stage: Mapped[str] = mapped_column(String(20), default="")
    ip_type: Mapped[str] = mapped_column(String(20), default="")
    patent_numbers: Mapped[str] = mapped_column(String(500), default="")
    price_wan: Mapped[Decimal | None] = money()
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    @property
    def body(self) -> str:
        """The text the matcher reads besides title and keywords."""
        return "\n".join(p for p in (self.summary, self.innovations, self.indicators) if p)

    @property
    def narrative(self) -> str:
        """The body without the stated indicators (the matcher weighs those as their own field)."""
        return "\n".join(p for p in (self.summary, self.innovations) if p)

    @property
    def stated_indicators(self) -> str:
        return self.indicators or ""

"""技术需求: a technology need posted by a company."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models.posting import PostingMixin, long_text, money, trl_column

NEED_TYPES = ("rd", "acquire", "process", "testing", "talent")


class Need(PostingMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "need"
    kind = "need"

    problem: Mapped[str] = long_text()
    targets: Mapped[str] = long_text()
    need_type: Mapped[str] = mapped_column(String(20), default="rd")
    budget_wan: Mapped[Decimal | None] = money()
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    trl_min: Mapped[int | None] = trl_column()

    @property
    def body(self) -> str:
        """The text the matcher reads besides title and keywords."""
        return "\n".join(p for p in (self.problem, self.targets) if p)

    @property
    def narrative(self) -> str:
        """The body without the target indicators (the matcher weighs those as their own field)."""
        return self.problem or ""

    @property
    def stated_indicators(self) -> str:
        return self.targets or ""

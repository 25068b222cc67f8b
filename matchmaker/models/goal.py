"""The yearly 三十三百 goals."""
from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db

GOAL_METRICS = ("events", "transfers", "results", "firms", "intents")
DEFAULT_TARGETS = {"events": 10, "transfers": 10, "results": 100, "firms": 100, "intents": 100}


class Goal(db.Model):  # type: ignore[name-defined]
    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("year", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(20))
    target: Mapped[int] = mapped_column(Integer)

"""Industrial chains (产业链) and their vocabulary."""
from __future__ import annotations

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models._base import TimestampMixin


class Chain(TimestampMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    description: Mapped[str] = mapped_column(String(1000), default="")
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    synonyms: Mapped[dict[str, list[str]] | None] = mapped_column(JSON, nullable=True)
    """Firm vocabulary: firm word -> technical terms a query is also expanded to. None: the shipped list of
    corpus/synonyms.json for this chain (until staff edit it; an empty mapping means "none")."""
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

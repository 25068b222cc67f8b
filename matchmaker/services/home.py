"""What the home page shows: counts and the latest published postings."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Chain, Need, Organization, Result
from matchmaker.models.posting import PUBLIC_STATUSES


@dataclass(frozen=True)
class HomeFigures:
    results: int
    needs: int
    organizations: int
    chains: int


def home_figures() -> HomeFigures:
    def count(stmt: object) -> int:
        return db.session.scalar(stmt) or 0  # type: ignore[arg-type]

    return HomeFigures(
        results=count(select(func.count(Result.id)).where(Result.status.in_(PUBLIC_STATUSES))),
        needs=count(select(func.count(Need.id)).where(Need.status.in_(PUBLIC_STATUSES))),
        organizations=count(select(func.count(Organization.id))),
        chains=count(select(func.count(Chain.id))),
    )


def latest(model: type[Result] | type[Need], limit: int = 6) -> list[Result | Need]:
    stmt = (select(model).where(model.status == "published")
            .order_by(model.published_at.desc(), model.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))

"""Reading the audit log (staff only)."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, User
from matchmaker.services.permissions import require_staff


def list_entries(actor: User | None, *, entity_type: str = "", entity_id: int | None = None, page: int = 1,
                 per_page: int = 50) -> tuple[list[AuditEntry], int]:
    """Newest first, optionally for one record."""
    require_staff(actor)
    stmt = select(AuditEntry)
    if entity_type:
        stmt = stmt.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(AuditEntry.id.desc()).offset((max(page, 1) - 1) * per_page)
                              .limit(per_page))
    return list(rows), total

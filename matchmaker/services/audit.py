"""Writing audit entries; every state change calls `record` inside its own transaction."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context, request

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, User


def _plain(value: Any) -> Any:
    """JSON-safe form of a column value."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def apply_changes(obj: Any, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Set each attribute in `data` and return {field: {"before", "after"}} for those that changed."""
    changes: dict[str, dict[str, Any]] = {}
    for field, new in data.items():
        old = getattr(obj, field)
        if _plain(old) != _plain(new):
            changes[field] = {"before": _plain(old), "after": _plain(new)}
            setattr(obj, field, new)
    return changes


def record(
    actor: User | None,
    action: str,
    entity: Any,
    changes: dict[str, Any] | None = None,
    note: str = "",
    entity_type: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits)."""
    if entity is not None and getattr(entity, "id", None) is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type or (entity.__tablename__ if entity is not None else "system"),
        entity_id=getattr(entity, "id", None),
        changes=changes or {},
        note=note[:500],
        ip=(request.remote_addr or "")[:45] if has_request_context() else "",
    )
    db.session.add(entry)
    return entry

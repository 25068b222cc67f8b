"""Writing audit entries; every state change calls `record` inside its own transaction.

"From where" (the entry's `ip`) is told by the caller, never read here: the request layer sets it (`set_origin`) for the
length of each request (matchmaker/security.py), a caller may pass `origin=` explicitly, and the CLI and
background jobs leave it empty. A ContextVar keeps it per thread and per task, so a worker thread serving one
request never sees another's address.
"""
from __future__ import annotations

from contextvars import ContextVar, Token
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from matchmaker.extensions import db
from matchmaker.models import AuditEntry, User

ORIGIN_LENGTH = 45
"""Longest origin kept (the ip column's width: an IPv6 address with an IPv4 tail)."""
_origin: ContextVar[str] = ContextVar("audit_origin", default="")
"""Where the current use case comes from (the client's address); empty outside a request."""


def set_origin(address: str | None) -> Token[str]:
    """Record `address` as the origin of what follows, until `reset_origin` with the returned token."""
    return _origin.set((address or "")[:ORIGIN_LENGTH])


def reset_origin(token: Token[str]) -> None:
    _origin.reset(token)


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
    origin: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits); `origin` defaults to the one set for
    the current request (see the module docstring)."""
    if entity is not None and getattr(entity, "id", None) is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=entity_type or (entity.__tablename__ if entity is not None else "system"),
        entity_id=getattr(entity, "id", None),
        changes=changes or {},
        note=note[:500],
        ip=(_origin.get() if origin is None else origin)[:ORIGIN_LENGTH],
    )
    db.session.add(entry)
    return entry

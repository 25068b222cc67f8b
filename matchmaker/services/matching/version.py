"""Keeps the match index in step with published content.

Every change to what is published bumps a version counter in the database in the same transaction, so
each worker process can tell that its in-memory index is stale and catch up (see services/matching.py).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from matchmaker.extensions import db
from matchmaker.models import IndexVersion


def current_version() -> int:
    """The database's index version (0 before anything was published)."""
    return db.session.scalar(select(IndexVersion.version).where(IndexVersion.id == 1)) or 0


def posting_changed(posting: Any) -> None:
    """Published content changed: bump the version inside the caller's transaction."""
    changed = db.session.execute(update(IndexVersion).where(IndexVersion.id == 1)
                                 .values(version=IndexVersion.version + 1))
    if not changed.rowcount:  # type: ignore[attr-defined]
        db.session.add(IndexVersion(id=1, version=1))
